import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { ChainedFields, SealedEvent, SignedCheckpoint } from './audit.rules';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Inserts the event unsealed, inside the caller's transaction, and takes no lock: the transaction id
 * (column default pg_current_xact_id()) tells the sealer when the event can no longer be joined by an
 * earlier one.
 */
export async function appendEvent(trx: Transaction<DB>, event: ChainedFields): Promise<number> {
  const row = await trx
    .insertInto('auditEvent')
    .values({ ...event, detail: JSON.stringify(event.detail), prevHash: null, hash: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Only one sealer at a time, in any process; business transactions never take this lock. */
const AUDIT_SEALER_LOCK = 720_102;

export async function trySealerLock(trx: Transaction<DB>): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT pg_try_advisory_xact_lock(${AUDIT_SEALER_LOCK}) AS ok`.execute(trx);
  return rows[0]!.ok;
}

export function chainHead(db: Db) {
  return db
    .selectFrom('auditEvent')
    .select(['id', 'sealSeq', 'hash'])
    .where('sealSeq', 'is not', null)
    .orderBy('sealSeq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Sealed events after chain position `afterSeq`, in chain order. */
export async function sealedAfter(db: Db, afterSeq: number, limit: number): Promise<SealedEvent[]> {
  const rows = await db
    .selectFrom('auditEvent')
    .selectAll()
    .where('sealSeq', '>', afterSeq)
    .orderBy('sealSeq')
    .limit(limit)
    .execute();
  return rows as SealedEvent[];
}

/**
 * Unsealed events no earlier transaction can still join: their transaction id is below the oldest one
 * running (pg_snapshot_xmin). Ids at or past the snapshot's xmax cannot belong to a running transaction
 * of this server either: they come from a restored dump of another server. In id order.
 */
export function finishedUnsealed(trx: Transaction<DB>, limit: number) {
  return trx
    .selectFrom('auditEvent')
    .selectAll()
    .where('sealSeq', 'is', null)
    .where(
      sql<boolean>`(xid IS NULL OR xid < pg_snapshot_xmin(pg_current_snapshot()) OR xid >= pg_snapshot_xmax(pg_current_snapshot()))`,
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function sealRows(
  trx: Transaction<DB>,
  rows: Array<{ id: number; sealSeq: number; prevHash: string; hash: string; sealMac: string }>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.id}::bigint, ${r.sealSeq}::bigint, ${r.prevHash}::text, ${r.hash}::text, ${r.sealMac}::text)`,
    ),
  );
  const result = await sql`
    UPDATE audit_event AS a
       SET seal_seq = v.seal_seq, prev_hash = v.prev_hash, hash = v.hash, seal_mac = v.seal_mac
      FROM (VALUES ${values}) AS v (id, seal_seq, prev_hash, hash, seal_mac)
     WHERE a.id = v.id AND a.seal_seq IS NULL`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

export function lastCheckpoint(db: Db) {
  return db.selectFrom('auditCheckpoint').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export function listCheckpoints(db: Db) {
  return db.selectFrom('auditCheckpoint').selectAll().orderBy('seq').execute();
}

export async function insertCheckpoint(trx: Transaction<DB>, c: SignedCheckpoint): Promise<void> {
  await trx
    .insertInto('auditCheckpoint')
    .values({
      seq: c.seq,
      lastEventId: c.lastEventId,
      eventCount: c.count,
      headHash: c.headHash,
      at: new Date(c.at),
      keyId: c.keyId,
      signature: c.signature,
    })
    .execute();
}

export function unexportedCheckpoints(db: Db) {
  return db.selectFrom('auditCheckpoint').selectAll().where('exported', '=', false).orderBy('seq').execute();
}

export async function markExported(db: Db, seqs: number[]): Promise<void> {
  if (seqs.length === 0) return;
  await db.updateTable('auditCheckpoint').set({ exported: true }).where('seq', 'in', seqs).execute();
}

/** Sealed and unsealed counts, and how long the oldest unsealed event has waited (database time). */
export async function sealStats(db: Db) {
  const { rows } = await sql<{ sealed: string; unsealed: string; oldest: string | null }>`
    SELECT count(*) FILTER (WHERE seal_seq IS NOT NULL)::text AS sealed,
           count(*) FILTER (WHERE seal_seq IS NULL)::text AS unsealed,
           extract(epoch FROM now() - min(recorded_at) FILTER (WHERE seal_seq IS NULL))::text AS oldest
      FROM audit_event`.execute(db);
  const r = rows[0]!;
  return {
    sealed: Number(r.sealed),
    unsealed: Number(r.unsealed),
    oldestUnsealedSeconds: r.oldest === null ? null : Math.max(0, Math.round(Number(r.oldest) * 10) / 10),
  };
}

/** Sealed events in chain order, a batch at a time (a long chain never sits in memory). */
export async function* streamSealedEvents(db: Kysely<DB>, batch = 5000): AsyncGenerator<SealedEvent> {
  let after = 0;
  for (;;) {
    const rows = await sealedAfter(db, after, batch);
    for (const r of rows) yield r;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.sealSeq;
  }
}

export function listEventsFor(db: Kysely<DB>, objectType: string, objectId: string) {
  return db
    .selectFrom('auditEvent')
    .selectAll()
    .where('objectType', '=', objectType)
    .where('objectId', '=', objectId)
    .orderBy('id')
    .execute();
}
