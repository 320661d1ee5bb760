import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { chainHash, GENESIS_HASH, type ChainedFields, type StoredEvent } from './audit.rules';

/** Serialises appends to the chain; held only until the surrounding transaction ends. */
const AUDIT_CHAIN_LOCK = 720_101;

export async function appendEvent(trx: Transaction<DB>, event: ChainedFields): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('auditEvent')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = await trx
    .insertInto('auditEvent')
    .values({
      ...event,
      detail: JSON.stringify(event.detail),
      prevHash,
      hash: chainHash(prevHash, event),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function* streamEvents(db: Kysely<DB>, batch = 5000): AsyncGenerator<StoredEvent> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('auditEvent')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    for (const r of rows) yield r;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.id;
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
