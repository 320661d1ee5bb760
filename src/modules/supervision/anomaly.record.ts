/**
 * For other modules: record an event supervisors must see as an anomaly (e.g. a decision corrected by a
 * supervised reopening), in the caller's transaction.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { insertHit, type Hit } from './anomaly.repository';

export function recordAnomaly(trx: Transaction<DB>, hit: Hit, at: Date) {
  return insertHit(trx, hit, at);
}
