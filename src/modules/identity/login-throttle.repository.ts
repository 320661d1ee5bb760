/** Failed-login counts and throttles (login_failure, login_throttle): shared by every API process. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { ThrottleScope } from './password-policy.rules';

type Db = Kysely<DB> | Transaction<DB>;

/** Arbitrary, distinct from other advisory locks (audit chain, migrations). */
const LOGIN_FAILURE_LOCK = 720_430;

/** The throttle in force for this name from this address (or for the whole address), if any. */
export function activeThrottle(db: Db, accountKey: string, address: string, now: Date) {
  return db
    .selectFrom('loginThrottle')
    .select(['id', 'scope'])
    .where('address', '=', address)
    .where('clearedAt', 'is', null)
    .where('endsAt', '>', now)
    .where((eb) => eb.or([eb('scope', '=', 'address'), eb('accountKey', '=', accountKey)]))
    .limit(1)
    .executeTakeFirst();
}

/**
 * Serialises the counting of failures from one address across processes (PostgreSQL) — the count and
 * the throttle it may start must agree. On PGlite the single connection serialises anyway.
 */
export async function lockAddress(trx: Transaction<DB>, address: string) {
  await sql`SELECT pg_advisory_xact_lock(${LOGIN_FAILURE_LOCK}, hashtext(${address}))`.execute(trx);
}

export async function recordFailure(
  trx: Transaction<DB>,
  row: { accountKey: string; address: string; failedAt: Date },
  windowStart: Date,
) {
  // Rows older than the window count for nothing any more; pruning here keeps the table small.
  await trx
    .deleteFrom('loginFailure')
    .where('address', '=', row.address)
    .where('failedAt', '<=', windowStart)
    .execute();
  await trx.insertInto('loginFailure').values(row).execute();
}

export async function countFailures(
  trx: Transaction<DB>,
  accountKey: string,
  address: string,
  windowStart: Date,
) {
  const row = await trx
    .selectFrom('loginFailure')
    .select((eb) => [
      eb.fn.countAll<number>().as('address'),
      eb.fn.countAll<number>().filterWhere('accountKey', '=', accountKey).as('pair'),
    ])
    .where('address', '=', address)
    .where('failedAt', '>', windowStart)
    .executeTakeFirstOrThrow();
  return { address: Number(row.address), pair: Number(row.pair) };
}

export function insertThrottle(
  trx: Transaction<DB>,
  row: {
    scope: ThrottleScope;
    accountKey: string | null;
    address: string;
    failures: number;
    startedAt: Date;
    endsAt: Date;
  },
) {
  return trx.insertInto('loginThrottle').values(row).returning('id').executeTakeFirstOrThrow();
}

/** A successful login forgets that name's failures from that address (the address count stays). */
export function forgetPairFailures(db: Db, accountKey: string, address: string) {
  return db
    .deleteFrom('loginFailure')
    .where('accountKey', '=', accountKey)
    .where('address', '=', address)
    .execute();
}

export function listActiveThrottles(db: Db, now: Date) {
  return db
    .selectFrom('loginThrottle')
    .select(['id', 'scope', 'accountKey', 'address', 'failures', 'startedAt', 'endsAt'])
    .where('clearedAt', 'is', null)
    .where('endsAt', '>', now)
    .orderBy('startedAt', 'desc')
    .orderBy('id')
    .execute();
}

export function lockThrottle(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('loginThrottle')
    .select(['id', 'scope', 'accountKey', 'address', 'failures', 'startedAt', 'endsAt', 'clearedAt'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Clears a throttle and the failures that led to it, so the next attempt starts from zero. */
export async function clearThrottle(
  trx: Transaction<DB>,
  t: { id: string; scope: ThrottleScope; accountKey: string | null; address: string },
  by: string,
  at: Date,
) {
  await trx
    .updateTable('loginThrottle')
    .set({ clearedAt: at, clearedBy: by })
    .where('id', '=', t.id)
    .execute();
  let q = trx.deleteFrom('loginFailure').where('address', '=', t.address);
  if (t.scope === 'account_address' && t.accountKey !== null) q = q.where('accountKey', '=', t.accountKey);
  await q.execute();
}
