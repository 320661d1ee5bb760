/** The only SQL of credit: subjects, records, listings and their procedure, grades, measures, exports. */
import { containingPattern } from '../../shared/like';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Insertable } from 'kysely';
import type {
  CreditListingTable,
  CreditRecordTable,
  CreditSubjectTable,
  ListKind,
  ListingStatus,
  MeasureEffect,
  MeasureTrigger,
  SubjectKind,
} from './credit.tables';

type Db = Kysely<DB> | Transaction<DB>;

// ---- subjects

export function findSubject(db: Db, id: string) {
  return db.selectFrom('creditSubject').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSubjectByEnterprise(db: Db, enterpriseId: string) {
  return db
    .selectFrom('creditSubject')
    .selectAll()
    .where('enterpriseId', '=', enterpriseId)
    .executeTakeFirst();
}

export function findSubjectByCode(db: Db, kind: SubjectKind, creditCode: string) {
  return db
    .selectFrom('creditSubject')
    .selectAll()
    .where('kind', '=', kind)
    .where('creditCode', '=', creditCode)
    .executeTakeFirst();
}

/** A practitioner by certificate number, or an organisation of this kind by 统一社会信用代码. */
export function findSubjectByIdentity(
  db: Db,
  identity: { kind: CreditSubjectTable['kind']; creditCode?: string | null; certificateNo?: string | null },
) {
  const q = db.selectFrom('creditSubject').selectAll();
  if (identity.kind === 'practitioner')
    return q.where('certificateNo', '=', identity.certificateNo ?? '').executeTakeFirst();
  return q
    .where('kind', '=', identity.kind)
    .where('creditCode', '=', identity.creditCode ?? '')
    .executeTakeFirst();
}

/** Subjects of many enterprises at once (the inbox's standings). */
export function subjectsByEnterprises(db: Db, enterpriseIds: string[]) {
  if (enterpriseIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('creditSubject').selectAll().where('enterpriseId', 'in', enterpriseIds).execute();
}

export async function insertSubject(trx: Db, row: Insertable<CreditSubjectTable>) {
  return trx
    .insertInto('creditSubject')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function listSubjects(db: Db, filter: { q?: string; kind?: string }) {
  let q = db.selectFrom('creditSubject').selectAll();
  if (filter.kind) q = q.where('kind', '=', filter.kind as never);
  if (filter.q) {
    const like = containingPattern(filter.q);
    q = q.where((eb) =>
      eb.or([eb('name', 'like', like), eb('creditCode', 'like', like), eb('certificateNo', 'like', like)]),
    );
  }
  return q.orderBy('name').limit(200).execute();
}

// ---- records

/** Inserts a record; a second record of the same source event is ignored (undefined). */
export function insertRecord(trx: Db, row: Insertable<CreditRecordTable>) {
  return trx
    .insertInto('creditRecord')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['kind', 'sourceType', 'sourceId']).where('sourceId', 'is not', null).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

export function listRecords(db: Db, subjectId: string) {
  return db
    .selectFrom('creditRecord')
    .selectAll()
    .where('subjectId', '=', subjectId)
    .orderBy('validFrom', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
}

/** The record a flow event wrote (by its source), locked: the one a correction withdraws. */
export function lockRecordBySource(
  trx: Transaction<DB>,
  source: { kind: CreditRecordTable['kind']; sourceType: string; sourceId: string },
) {
  return trx
    .selectFrom('creditRecord')
    .selectAll()
    .where('kind', '=', source.kind)
    .where('sourceType', '=', source.sourceType)
    .where('sourceId', '=', source.sourceId)
    .forUpdate()
    .executeTakeFirst();
}

export function markRecordWithdrawn(trx: Db, id: string, on: string, reason: string) {
  return trx
    .updateTable('creditRecord')
    .set({ withdrawnOn: on, withdrawnReason: reason })
    .where('id', '=', id)
    .where('withdrawnOn', 'is', null)
    .executeTakeFirst();
}

export function markRecordsRepaired(trx: Db, ids: string[], on: string) {
  if (ids.length === 0) return Promise.resolve();
  return trx
    .updateTable('creditRecord')
    .set({ repairedOn: on })
    .where('id', 'in', ids)
    .where('repairedOn', 'is', null)
    .execute();
}

/** Subjects with any record valid on `today` or any open listing: the ones the sweep evaluates. */
export async function subjectsToEvaluate(db: Db, today: string) {
  const rows = await db
    .selectFrom('creditRecord')
    .select('subjectId')
    .where((eb) => eb.or([eb('expiresOn', 'is', null), eb('expiresOn', '>=', today)]))
    .union(db.selectFrom('creditListing').select('subjectId').where('status', 'in', ['noticed', 'listed']))
    .execute();
  return rows.map((r) => r.subjectId);
}

/** Published dishonest acts (失信行为): published, unrepaired, not withdrawn, valid records that are not good ones. */
export function publishedBadRecords(db: Db, today: string) {
  return db
    .selectFrom('creditRecord')
    .innerJoin('creditSubject', 'creditSubject.id', 'creditRecord.subjectId')
    .select([
      'creditRecord.id',
      'creditRecord.kind',
      'creditRecord.severity',
      'creditRecord.reason',
      'creditRecord.basis',
      'creditRecord.validFrom',
      'creditRecord.expiresOn',
      'creditRecord.departmentCode',
      'creditSubject.name as subjectName',
      'creditSubject.creditCode',
      'creditSubject.certificateNo',
      'creditSubject.kind as subjectKind',
    ])
    .where('creditRecord.published', '=', true)
    .where('creditRecord.severity', '!=', 'good')
    .where('creditRecord.repairedOn', 'is', null)
    .where('creditRecord.withdrawnOn', 'is', null)
    .where((eb) =>
      eb.or([eb('creditRecord.expiresOn', 'is', null), eb('creditRecord.expiresOn', '>=', today)]),
    )
    .orderBy('creditRecord.validFrom', 'desc')
    .limit(1000)
    .execute();
}

// ---- listing rules, grade rule, measures

/** The newest version of every active rule code. */
export async function activeListingRules(db: Db) {
  const rows = await db
    .selectFrom('creditListingRule')
    .selectAll()
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => {
    if (seen.has(r.code)) return false;
    seen.add(r.code);
    return r.active;
  });
}

export function listListingRules(db: Db) {
  return db.selectFrom('creditListingRule').selectAll().orderBy('code').orderBy('version', 'desc').execute();
}

export function insertListingRule(trx: Db, row: Insertable<DB['creditListingRule']>) {
  return trx.insertInto('creditListingRule').values(row).returningAll().executeTakeFirstOrThrow();
}

export function latestRuleVersion(trx: Db, code: string) {
  return trx
    .selectFrom('creditListingRule')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('code', '=', code)
    .executeTakeFirst()
    .then((r) => (r?.version as number | null) ?? 0);
}

export function findListingRule(db: Db, id: string) {
  return db.selectFrom('creditListingRule').selectAll().where('id', '=', id).executeTakeFirst();
}

export function currentGradeRule(db: Db) {
  return db
    .selectFrom('creditGradeRule')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

export function listGradeRules(db: Db) {
  return db.selectFrom('creditGradeRule').selectAll().orderBy('version', 'desc').execute();
}

export function insertGradeRule(trx: Db, row: Insertable<DB['creditGradeRule']>) {
  return trx.insertInto('creditGradeRule').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listMeasures(db: Db, activeOnly: boolean) {
  let q = db.selectFrom('creditMeasure').selectAll();
  if (activeOnly) q = q.where('active', '=', true);
  return q.orderBy('code').execute();
}

export function upsertMeasure(
  trx: Db,
  row: {
    code: string;
    trigger: MeasureTrigger;
    effect: MeasureEffect;
    value: number | null;
    basis: string;
    active: boolean;
    updatedAt: Date;
  },
) {
  return trx
    .insertInto('creditMeasure')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        trigger: row.trigger,
        effect: row.effect,
        value: row.value,
        basis: row.basis,
        active: row.active,
        updatedAt: row.updatedAt,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- listings

export function openListings(db: Db, subjectId: string) {
  return db
    .selectFrom('creditListing')
    .selectAll()
    .where('subjectId', '=', subjectId)
    .where('status', 'in', ['noticed', 'listed'])
    .execute();
}

export function subjectListings(db: Db, subjectId: string) {
  return db
    .selectFrom('creditListing')
    .selectAll()
    .where('subjectId', '=', subjectId)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** Inserts a notice unless one is open for the subject and list already (unique index). */
export function insertListing(trx: Db, row: Insertable<CreditListingTable>) {
  return trx
    .insertInto('creditListing')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['subjectId', 'list']).where('status', 'in', ['noticed', 'listed']).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

export function lockListing(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('creditListing').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findListing(db: Db, id: string) {
  return db.selectFrom('creditListing').selectAll().where('id', '=', id).executeTakeFirst();
}

export function updateListing(
  trx: Db,
  id: string,
  version: number,
  set: Partial<{
    status: ListingStatus;
    listedOn: string | null;
    expiresOn: string | null;
    endedOn: string | null;
    endReason: string | null;
  }>,
) {
  return trx
    .updateTable('creditListing')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function listListings(db: Db, filter: { list?: ListKind; status?: ListingStatus[] }) {
  let q = db
    .selectFrom('creditListing')
    .innerJoin('creditSubject', 'creditSubject.id', 'creditListing.subjectId')
    .selectAll('creditListing')
    .select([
      'creditSubject.name as subjectName',
      'creditSubject.kind as subjectKind',
      'creditSubject.creditCode',
      'creditSubject.certificateNo',
    ]);
  if (filter.list) q = q.where('creditListing.list', '=', filter.list);
  if (filter.status?.length) q = q.where('creditListing.status', 'in', filter.status);
  return q.orderBy('creditListing.createdAt', 'desc').limit(1000).execute();
}

/** Notices whose objection window has ended with no objection pending: due to be listed. */
export function noticesDue(db: Db, today: string) {
  return db
    .selectFrom('creditListing')
    .select(['id'])
    .where('status', '=', 'noticed')
    .where('objectionUntil', '<', today)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('creditObjection')
            .select('creditObjection.id')
            .whereRef('creditObjection.listingId', '=', 'creditListing.id')
            .where('creditObjection.status', '=', 'pending'),
        ),
      ),
    )
    .execute();
}

export function listingsExpired(db: Db, today: string) {
  return db
    .selectFrom('creditListing')
    .select(['id'])
    .where('status', '=', 'listed')
    .where('expiresOn', '<', today)
    .execute();
}

// ---- objections and repairs

export function insertObjection(trx: Db, row: Insertable<DB['creditObjection']>) {
  return trx.insertInto('creditObjection').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockObjection(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('creditObjection').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function decideObjection(
  trx: Db,
  id: string,
  set: { status: 'upheld' | 'rejected'; decidedBy: string; decision: string; decidedAt: Date },
) {
  return trx
    .updateTable('creditObjection')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export function insertRepair(trx: Db, row: Insertable<DB['creditRepair']>) {
  return trx.insertInto('creditRepair').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockRepair(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('creditRepair').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function decideRepair(
  trx: Db,
  id: string,
  set: { status: 'approved' | 'rejected'; decidedBy: string; decision: string; decidedAt: Date },
) {
  return trx
    .updateTable('creditRepair')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export function objectionsOf(db: Db, listingIds: string[]) {
  if (listingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('creditObjection')
    .selectAll()
    .where('listingId', 'in', listingIds)
    .orderBy('submittedAt')
    .execute();
}

export function repairsOf(db: Db, listingIds: string[]) {
  if (listingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('creditRepair')
    .selectAll()
    .where('listingId', 'in', listingIds)
    .orderBy('submittedAt')
    .execute();
}

/** Pending objections and repairs (the department's desk). */
export async function pendingRequests(db: Db) {
  const [objections, repairs] = await Promise.all([
    db
      .selectFrom('creditObjection')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('submittedAt')
      .execute(),
    db
      .selectFrom('creditRepair')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('submittedAt')
      .execute(),
  ]);
  return { objections, repairs };
}

// ---- exports

export function insertExport(trx: Db, row: Insertable<DB['creditExport']>) {
  return trx.insertInto('creditExport').values(row).returningAll().executeTakeFirstOrThrow();
}

export function finishExport(
  trx: Db,
  id: string,
  set: { status: 'done' | 'failed'; rowCount: number | null; content: string | null; finishedAt: Date },
) {
  return trx
    .updateTable('creditExport')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

export function findExport(db: Db, id: string) {
  return db.selectFrom('creditExport').selectAll().where('id', '=', id).executeTakeFirst();
}

export function queuedExports(db: Db) {
  return db.selectFrom('creditExport').select('id').where('status', '=', 'queued').execute();
}
