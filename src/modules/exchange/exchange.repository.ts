/** The only SQL of the exchange module (local side): outbox, local SPGL rows, batches, reconciliations. */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { ExchangeOutboxTable, UploadState } from './exchange.tables';

type Db = Kysely<DB> | Transaction<DB>;

export function insertOutbox(trx: Transaction<DB>, row: Insertable<ExchangeOutboxTable>) {
  return trx.insertInto('exchangeOutbox').values(row).execute();
}

/** The oldest unprocessed changes, locked so that two processes never build the same change twice. */
export function claimOutbox(trx: Transaction<DB>, limit: number) {
  return trx
    .selectFrom('exchangeOutbox')
    .selectAll()
    .where('processedAt', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export type OutboxRow = Awaited<ReturnType<typeof claimOutbox>>[number];

export function markProcessed(trx: Transaction<DB>, ids: readonly string[], at: Date) {
  if (ids.length === 0) return Promise.resolve();
  return trx.updateTable('exchangeOutbox').set({ processedAt: at }).where('id', 'in', ids).execute();
}

export function countUnprocessed(db: Db) {
  return db
    .selectFrom('exchangeOutbox')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('processedAt', 'is', null)
    .executeTakeFirstOrThrow();
}

/**
 * Stores the row as it should now be in the province. An unchanged row (same checksum) already uploaded
 * stays as it is: replaying a change uploads nothing twice.
 */
export async function putRow(
  trx: Transaction<DB>,
  row: {
    tableCode: string;
    dfsjzj: string;
    projectId: string | null;
    payload: Record<string, unknown>;
    checksum: string;
    problems: unknown[];
    at: Date;
  },
) {
  const state: UploadState = row.problems.length > 0 ? 'invalid' : 'pending';
  await trx
    .insertInto('exchangeRow')
    .values({
      tableCode: row.tableCode,
      dfsjzj: row.dfsjzj,
      projectId: row.projectId,
      payload: JSON.stringify(row.payload),
      checksum: row.checksum,
      problems: JSON.stringify(row.problems),
      uploadState: state,
      attempts: 0,
      nextAttemptAt: row.at,
      changedAt: row.at,
    })
    .onConflict((oc) =>
      oc.columns(['tableCode', 'dfsjzj']).doUpdateSet({
        payload: JSON.stringify(row.payload),
        checksum: row.checksum,
        problems: JSON.stringify(row.problems),
        uploadState: sql<UploadState>`CASE WHEN exchange_row.uploaded_checksum = ${row.checksum} AND ${state} = 'pending' THEN 'uploaded' ELSE ${state} END`,
        attempts: 0,
        nextAttemptAt: row.at,
        lastError: null,
        changedAt: row.at,
      }),
    )
    .execute();
}

/** Rows due for upload, oldest change first, locked (SKIP LOCKED: one uploader per row). */
export function claimDueRows(trx: Transaction<DB>, now: Date, limit: number) {
  return trx
    .selectFrom('exchangeRow')
    .selectAll()
    .where('uploadState', '=', 'pending')
    .where('nextAttemptAt', '<=', now)
    .orderBy('changedAt')
    .orderBy('tableCode')
    .orderBy('dfsjzj')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export type LocalRow = Awaited<ReturnType<typeof claimDueRows>>[number];

export async function markUploaded(trx: Transaction<DB>, rows: readonly LocalRow[], at: Date) {
  for (const r of rows)
    await trx
      .updateTable('exchangeRow')
      .set({
        uploadState: 'uploaded',
        uploadedAt: at,
        uploadedChecksum: r.checksum,
        lastError: null,
        attempts: 0,
      })
      .where('tableCode', '=', r.tableCode)
      .where('dfsjzj', '=', r.dfsjzj)
      .where('checksum', '=', r.checksum)
      .execute();
}

export async function markFailed(
  trx: Transaction<DB>,
  rows: readonly LocalRow[],
  error: string,
  next: (attempts: number) => { state: UploadState; at: Date },
) {
  for (const r of rows) {
    const attempts = r.attempts + 1;
    const { state, at } = next(attempts);
    await trx
      .updateTable('exchangeRow')
      .set({ uploadState: state, attempts, nextAttemptAt: at, lastError: error.slice(0, 1000) })
      .where('tableCode', '=', r.tableCode)
      .where('dfsjzj', '=', r.dfsjzj)
      .execute();
  }
}

export function insertBatch(
  trx: Transaction<DB>,
  b: { at: Date; rowCount: number; tables: Record<string, number>; notify: boolean },
) {
  return trx
    .insertInto('exchangeBatch')
    .values({
      createdAt: b.at,
      rowCount: b.rowCount,
      tables: JSON.stringify(b.tables),
      notifyState: b.notify ? 'pending' : 'skipped',
      nextNotifyAt: b.at,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export function claimDueBatches(trx: Transaction<DB>, now: Date) {
  return trx
    .selectFrom('exchangeBatch')
    .selectAll()
    .where('notifyState', '=', 'pending')
    .where('nextNotifyAt', '<=', now)
    .orderBy('createdAt')
    .limit(50)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function updateBatch(
  trx: Transaction<DB>,
  id: string,
  set: {
    notifyState: 'pending' | 'delivered' | 'dead';
    notifyAttempts: number;
    nextNotifyAt?: Date;
    notifiedAt?: Date;
    lastError?: string | null;
  },
) {
  return trx.updateTable('exchangeBatch').set(set).where('id', '=', id).execute();
}

export function listRows(
  db: Db,
  filter: { states: readonly UploadState[]; tableCode?: string },
  page: { limit: number; offset: number },
) {
  let q = db.selectFrom('exchangeRow').selectAll().where('uploadState', 'in', filter.states);
  if (filter.tableCode) q = q.where('tableCode', '=', filter.tableCode);
  return q.orderBy('changedAt', 'desc').orderBy('dfsjzj').limit(page.limit).offset(page.offset).execute();
}

export function countByState(db: Db) {
  return db
    .selectFrom('exchangeRow')
    .select(['tableCode', 'uploadState', sql<number>`count(*)::int`.as('n')])
    .groupBy(['tableCode', 'uploadState'])
    .execute();
}

/** Dead letters (or one of them) back to pending, due now. */
export function requeueDead(trx: Transaction<DB>, now: Date, key?: { tableCode: string; dfsjzj: string }) {
  let q = trx
    .updateTable('exchangeRow')
    .set({ uploadState: 'pending', attempts: 0, nextAttemptAt: now })
    .where('uploadState', '=', 'dead');
  if (key) q = q.where('tableCode', '=', key.tableCode).where('dfsjzj', '=', key.dfsjzj);
  return q.executeTakeFirst();
}

/** The rows the province should hold (everything not held back as invalid), for reconciliation. */
export function expectedRows(db: Db, tableCode: string) {
  return db
    .selectFrom('exchangeRow')
    .select(['dfsjzj', 'checksum'])
    .where('tableCode', '=', tableCode)
    .where('uploadState', '!=', 'invalid')
    .execute();
}

export function insertReconciliation(
  db: Db,
  r: { at: Date; differences: number; tables: unknown[]; error: string | null },
) {
  return db
    .insertInto('exchangeReconciliation')
    .values({ runAt: r.at, differences: r.differences, tables: JSON.stringify(r.tables), error: r.error })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export function listReconciliations(db: Db, limit: number) {
  return db.selectFrom('exchangeReconciliation').selectAll().orderBy('runAt', 'desc').limit(limit).execute();
}

export function listBatches(db: Db, limit: number) {
  return db.selectFrom('exchangeBatch').selectAll().orderBy('createdAt', 'desc').limit(limit).execute();
}
