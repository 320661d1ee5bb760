/** The only SQL of 帮办代办 consents. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { AgencyConsentTable } from './agency.tables';

type Db = Kysely<DB> | Transaction<DB>;

const COLUMNS = [
  'id',
  'enterpriseId',
  'agentUserId',
  'mayRegisterProject',
  'mayApplyStage',
  'validUntil',
  'note',
  'grantedBy',
  'grantedAt',
  'revokedAt',
  'revokedBy',
  'revokeReason',
] as const;

export type ConsentRow = Awaited<ReturnType<typeof findConsent>> & object;

export function findConsent(db: Db, id: string) {
  return db.selectFrom('agencyConsent').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function lockConsent(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('agencyConsent').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listConsents(db: Db, f: { enterpriseId?: string; agentUserId?: string }) {
  let q = db.selectFrom('agencyConsent').select(COLUMNS);
  if (f.enterpriseId) q = q.where('enterpriseId', '=', f.enterpriseId);
  if (f.agentUserId) q = q.where('agentUserId', '=', f.agentUserId);
  return q.orderBy('grantedAt', 'desc').orderBy('id', 'desc').limit(1000).execute();
}

/** The unrevoked consent of this pair, locked: a new grant supersedes it. */
export function lockStanding(trx: Transaction<DB>, enterpriseId: string, agentUserId: string) {
  return trx
    .selectFrom('agencyConsent')
    .select(COLUMNS)
    .where('enterpriseId', '=', enterpriseId)
    .where('agentUserId', '=', agentUserId)
    .where('revokedAt', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function insertConsent(trx: Transaction<DB>, row: Insertable<AgencyConsentTable>) {
  return trx.insertInto('agencyConsent').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Conditional: only an unrevoked consent is revoked (a concurrent revoke finds none). */
export async function revokeConsent(
  trx: Transaction<DB>,
  id: string,
  by: string,
  at: Date,
  reason: string | null,
): Promise<boolean> {
  const r = await trx
    .updateTable('agencyConsent')
    .set({ revokedAt: at, revokedBy: by, revokeReason: reason })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
