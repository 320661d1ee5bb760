/** The only SQL of the marketplace: the service list, intermediaries, offers, needs, quotes, engagements. */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '../../db/schema';
import type {
  ComplaintStatus,
  EngagementStatus,
  IntermediaryStatus,
  MarketEngagementTable,
  MarketIntermediaryTable,
  MarketNeedTable,
  MarketOfferTable,
  MarketServiceTable,
  ServiceList,
} from './marketplace.tables';

type Db = Kysely<DB> | Transaction<DB>;

// ---- the list

export function listServices(db: Db, filter: { list?: ServiceList; activeOnly?: boolean } = {}) {
  let q = db.selectFrom('marketService').selectAll().orderBy('list').orderBy('code');
  if (filter.list) q = q.where('list', '=', filter.list);
  if (filter.activeOnly) q = q.where('active', '=', true);
  return q.execute();
}

export function findService(db: Db, code: string) {
  return db.selectFrom('marketService').selectAll().where('code', '=', code).executeTakeFirst();
}

export function upsertService(trx: Db, row: Insertable<MarketServiceTable>) {
  const { code: _code, ...rest } = row;
  return trx
    .insertInto('marketService')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet(rest))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Installs the entries not yet on the lists (revisions by 政务办 stay). */
export async function insertMissingServices(trx: Db, rows: Insertable<MarketServiceTable>[]) {
  if (rows.length === 0) return 0;
  const added = await trx
    .insertInto('marketService')
    .values(rows)
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .execute();
  return added.length;
}

// ---- intermediaries

export function insertIntermediary(trx: Db, row: Insertable<MarketIntermediaryTable>) {
  return trx
    .insertInto('marketIntermediary')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findIntermediary(db: Db, id: string) {
  return db.selectFrom('marketIntermediary').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockIntermediary(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('marketIntermediary').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findIntermediaryByEnterprise(db: Db, enterpriseId: string) {
  return db
    .selectFrom('marketIntermediary')
    .selectAll()
    .where('enterpriseId', '=', enterpriseId)
    .executeTakeFirst();
}

export function listIntermediaries(db: Db, status?: IntermediaryStatus[]) {
  let q = db.selectFrom('marketIntermediary').selectAll().orderBy('createdAt');
  if (status) q = q.where('status', 'in', status);
  return q.execute();
}

export function updateIntermediary(trx: Db, id: string, set: Updateable<MarketIntermediaryTable>) {
  return trx.updateTable('marketIntermediary').set(set).where('id', '=', id).execute();
}

// ---- qualifications and offers

export function insertQualification(trx: Db, row: Insertable<DB['marketQualification']>) {
  return trx
    .insertInto('marketQualification')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function qualificationsOf(db: Db, intermediaryIds: string[]) {
  if (intermediaryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('marketQualification')
    .selectAll()
    .where('intermediaryId', 'in', intermediaryIds)
    .orderBy('name')
    .execute();
}

export function upsertOffer(trx: Db, row: Insertable<MarketOfferTable>) {
  return trx
    .insertInto('marketOffer')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['intermediaryId', 'serviceCode']).doUpdateSet({
        qualificationId: row.qualificationId,
        feeYuan: row.feeYuan,
        committedDays: row.committedDays,
        commitment: row.commitment,
        status: row.status,
        unlistedReason: null,
        updatedAt: row.updatedAt,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function offersOf(db: Db, intermediaryIds: string[]) {
  if (intermediaryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('marketOffer')
    .selectAll()
    .where('intermediaryId', 'in', intermediaryIds)
    .orderBy('serviceCode')
    .execute();
}

export function findOffer(db: Db, id: string) {
  return db.selectFrom('marketOffer').selectAll().where('id', '=', id).executeTakeFirst();
}

export function setOfferStatus(
  trx: Db,
  ids: string[],
  status: MarketOfferTable['status'],
  reason: string | null,
  now: Date,
) {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .updateTable('marketOffer')
    .set({ status, unlistedReason: reason, updatedAt: now })
    .where('id', 'in', ids)
    .returning(['id', 'intermediaryId', 'serviceCode'])
    .execute();
}

/** Every offer of a service with what selection needs to know of its intermediary and qualification. */
export function candidatesFor(db: Db, serviceCode: string) {
  return db
    .selectFrom('marketOffer as o')
    .innerJoin('marketIntermediary as i', 'i.id', 'o.intermediaryId')
    .innerJoin('marketQualification as q', 'q.id', 'o.qualificationId')
    .select([
      'o.id as offerId',
      'o.intermediaryId',
      'i.name',
      'i.creditCode',
      'o.status as offerStatus',
      'o.unlistedReason',
      'i.status as intermediaryStatus',
      'q.expiresOn as qualificationExpiresOn',
      'o.feeYuan',
      'o.committedDays',
    ])
    .where('o.serviceCode', '=', serviceCode)
    .orderBy('o.id')
    .execute();
}

/** Listed offers whose qualification expired before `today` (the sweep unlists them). */
export function offersWithExpiredQualification(db: Db, today: string) {
  return db
    .selectFrom('marketOffer as o')
    .innerJoin('marketQualification as q', 'q.id', 'o.qualificationId')
    .select(['o.id', 'q.name', 'q.certificateNo', 'q.expiresOn'])
    .where('o.status', '=', 'listed')
    .where('q.expiresOn', '<', today)
    .execute();
}

// ---- needs and quotes

export function insertNeed(trx: Db, row: Insertable<MarketNeedTable>) {
  return trx.insertInto('marketNeed').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findNeed(db: Db, id: string) {
  return db.selectFrom('marketNeed').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockNeed(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('marketNeed').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateNeed(trx: Db, id: string, set: Updateable<MarketNeedTable>) {
  return trx.updateTable('marketNeed').set(set).where('id', '=', id).execute();
}

export function listNeeds(
  db: Db,
  filter: { enterpriseId?: string; status?: MarketNeedTable['status'][]; serviceCodes?: string[] },
) {
  let q = db.selectFrom('marketNeed').selectAll().orderBy('createdAt', 'desc').limit(200);
  if (filter.enterpriseId) q = q.where('enterpriseId', '=', filter.enterpriseId);
  if (filter.status) q = q.where('status', 'in', filter.status);
  if (filter.serviceCodes) {
    if (filter.serviceCodes.length === 0) return Promise.resolve([]);
    q = q.where('serviceCode', 'in', filter.serviceCodes);
  }
  return q.execute();
}

/** Needs whose sealed quotes reached their opening time and were not opened yet. */
export function needsWithDueQuotes(db: Db, now: Date) {
  return db
    .selectFrom('marketNeed')
    .select('id')
    .where('status', '=', 'quoting')
    .where('quoteOpensAt', '<=', now)
    .execute();
}

export function insertQuote(trx: Db, row: Insertable<DB['marketQuote']>) {
  return trx
    .insertInto('marketQuote')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function quotesOf(db: Db, needId: string) {
  return db
    .selectFrom('marketQuote as q')
    .innerJoin('marketOffer as o', 'o.id', 'q.offerId')
    .innerJoin('marketIntermediary as i', 'i.id', 'o.intermediaryId')
    .select([
      'q.id',
      'q.offerId',
      'o.intermediaryId',
      'i.name',
      'q.amountYuan',
      'q.committedDays',
      'q.note',
      'q.submittedAt',
    ])
    .where('q.needId', '=', needId)
    .orderBy('q.submittedAt')
    .execute();
}

export async function quoteCount(db: Db, needId: string): Promise<number> {
  const row = await db
    .selectFrom('marketQuote')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('needId', '=', needId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- engagements

export function insertEngagement(trx: Db, row: Insertable<MarketEngagementTable>) {
  return trx
    .insertInto('marketEngagement')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findEngagement(db: Db, id: string) {
  return db.selectFrom('marketEngagement').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findEngagementByNeed(db: Db, needId: string) {
  return db.selectFrom('marketEngagement').selectAll().where('needId', '=', needId).executeTakeFirst();
}

export function lockEngagement(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('marketEngagement').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateEngagement(trx: Db, id: string, set: Updateable<MarketEngagementTable>) {
  return trx.updateTable('marketEngagement').set(set).where('id', '=', id).execute();
}

export function listEngagements(
  db: Db,
  filter: { intermediaryId?: string; enterpriseId?: string; status?: EngagementStatus[] },
) {
  let q = db
    .selectFrom('marketEngagement as e')
    .innerJoin('marketNeed as n', 'n.id', 'e.needId')
    .selectAll('e')
    .select(['n.projectId', 'n.enterpriseId', 'n.serviceCode'])
    .orderBy('e.createdAt', 'desc')
    .limit(200);
  if (filter.intermediaryId) q = q.where('e.intermediaryId', '=', filter.intermediaryId);
  if (filter.enterpriseId) q = q.where('n.enterpriseId', '=', filter.enterpriseId);
  if (filter.status) q = q.where('e.status', 'in', filter.status);
  return q.execute();
}

export function runningEngagementIds(db: Db) {
  return db.selectFrom('marketEngagement').select('id').where('status', '=', 'in_service').execute();
}

/** 满意度代码 given to each intermediary's services. */
export function ratingsOf(db: Db, intermediaryIds: string[]) {
  if (intermediaryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('marketEngagement')
    .select(['intermediaryId', 'satisfactionCode'])
    .where('intermediaryId', 'in', intermediaryIds)
    .where('satisfactionCode', 'is not', null)
    .execute();
}

// ---- complaints

export function insertComplaint(trx: Db, row: Insertable<DB['marketComplaint']>) {
  return trx
    .insertInto('marketComplaint')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function lockComplaint(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('marketComplaint').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function decideComplaint(
  trx: Db,
  id: string,
  set: { status: ComplaintStatus; decisionNote: string; decidedBy: string; decidedAt: Date },
) {
  return trx
    .updateTable('marketComplaint')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'filed')
    .execute();
}

export function complaintsOf(db: Db, engagementIds: string[]) {
  if (engagementIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('marketComplaint')
    .selectAll()
    .where('engagementId', 'in', engagementIds)
    .orderBy('createdAt')
    .execute();
}

export function listComplaints(db: Db, status?: ComplaintStatus[]) {
  let q = db.selectFrom('marketComplaint').selectAll().orderBy('createdAt', 'desc').limit(200);
  if (status) q = q.where('status', 'in', status);
  return q.execute();
}

// ---- the exchange rows (中介服务事项办理信息表 / 办理过程信息表)

export function upsertExchangeRow(trx: Db, row: Insertable<DB['marketExchangeRow']>) {
  return trx
    .insertInto('marketExchangeRow')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['tableName', 'localKey']).doUpdateSet({ row: row.row, writtenAt: row.writtenAt }),
    )
    .execute();
}

export function exchangeRowsOf(db: Db, engagementId: string) {
  return db
    .selectFrom('marketExchangeRow')
    .selectAll()
    .where('engagementId', '=', engagementId)
    .orderBy('id')
    .execute();
}
