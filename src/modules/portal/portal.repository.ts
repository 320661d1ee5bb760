/** The only SQL of the portal module: query codes and consultations. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { PortalConsultationTable } from './portal.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** Stores (or replaces) the project's one current query code hash. */
export async function upsertQueryCode(trx: Db, projectId: string, codeHash: string, at: Date) {
  await trx
    .insertInto('portalQueryCode')
    .values({ projectId, codeHash, issuedAt: at })
    .onConflict((oc) => oc.column('projectId').doUpdateSet({ codeHash, issuedAt: at }))
    .execute();
}

export async function queryCodeHash(db: Db, projectId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('portalQueryCode')
    .select('codeHash')
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  return row?.codeHash;
}

const consultationColumns = [
  'id',
  'routedTo',
  'topic',
  'question',
  'askerName',
  'askerContact',
  'ticketHash',
  'askedAt',
  'dueOn',
  'status',
  'answer',
  'answeredAt',
  'answeredBy',
  'published',
  'version',
] as const;

export function insertConsultation(trx: Db, row: Insertable<PortalConsultationTable>) {
  return trx
    .insertInto('portalConsultation')
    .values(row)
    .returning(consultationColumns)
    .executeTakeFirstOrThrow();
}

export function findConsultation(db: Db, id: string) {
  return db
    .selectFrom('portalConsultation')
    .select(consultationColumns)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function lockConsultation(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('portalConsultation')
    .select(consultationColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export type ConsultationRow = NonNullable<Awaited<ReturnType<typeof findConsultation>>>;

export function updateConsultation(
  trx: Transaction<DB>,
  id: string,
  version: number,
  set: Partial<Pick<ConsultationRow, 'status' | 'answer' | 'answeredAt' | 'answeredBy' | 'published'>>,
) {
  return trx
    .updateTable('portalConsultation')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(consultationColumns)
    .executeTakeFirst();
}

/** Consultations for staff: those routed to one of `routes` (the window or a department), newest first. */
export function listConsultations(
  db: Db,
  filter: { routes: readonly string[] | null; status?: string },
  page: { limit: number; offset: number },
) {
  let q = db.selectFrom('portalConsultation').select(consultationColumns);
  if (filter.routes) q = q.where('routedTo', 'in', filter.routes.length ? filter.routes : ['-']);
  if (filter.status) q = q.where('status', '=', filter.status as ConsultationRow['status']);
  return q.orderBy('askedAt', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

/** Published answers (常见问题), newest first; optionally of one topic. */
export function listFaq(db: Db, page: { limit: number; offset: number }, topic?: string) {
  let q = db
    .selectFrom('portalConsultation')
    .select(['id', 'routedTo', 'topic', 'question', 'answer', 'answeredAt'])
    .where('published', '=', true)
    .where('answer', 'is not', null);
  if (topic) q = q.where('topic', '=', topic);
  return q.orderBy('answeredAt', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
}
