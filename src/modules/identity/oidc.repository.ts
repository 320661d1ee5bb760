/** 统一身份认证's SQL: login states, identity links, and the accounts they lead to (identity's own tables). */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertLoginState(trx: Transaction<DB>, row: Insertable<DB['oidcLoginState']>) {
  await trx.insertInto('oidcLoginState').values(row).execute();
}

/** Expired states are of no use to anyone: swept whenever a new login starts. */
export async function deleteExpiredStates(trx: Transaction<DB>, now: Date) {
  await trx.deleteFrom('oidcLoginState').where('expiresAt', '<=', now).execute();
}

/** Takes the state once: the row is gone for whoever comes with it next (a replay finds nothing). */
export function takeLoginState(db: Db, stateHash: string) {
  return db.deleteFrom('oidcLoginState').where('stateHash', '=', stateHash).returningAll().executeTakeFirst();
}

const accountColumns = [
  'appUser.id',
  'appUser.username',
  'appUser.displayName',
  'appUser.role',
  'appUser.departmentCode',
  'appUser.enterpriseId',
  'appUser.districtCode',
  'appUser.disabled',
  'appUser.totpSecret',
  'appUser.mfaRequired',
  'enterprise.creditCode as enterpriseCreditCode',
] as const;

export function findLinkedAccount(trx: Transaction<DB>, issuer: string, subject: string) {
  return trx
    .selectFrom('userIdentityLink')
    .innerJoin('appUser', 'appUser.id', 'userIdentityLink.userId')
    .leftJoin('enterprise', 'enterprise.id', 'appUser.enterpriseId')
    .select(accountColumns)
    .where('userIdentityLink.issuer', '=', issuer)
    .where('userIdentityLink.subject', '=', subject)
    .executeTakeFirst();
}

export function findAccountByUsername(trx: Transaction<DB>, username: string) {
  return trx
    .selectFrom('appUser')
    .leftJoin('enterprise', 'enterprise.id', 'appUser.enterpriseId')
    .select(accountColumns)
    .where((eb) => eb(eb.fn('lower', ['appUser.username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

export function findAccountById(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('appUser')
    .leftJoin('enterprise', 'enterprise.id', 'appUser.enterpriseId')
    .select(accountColumns)
    .where('appUser.id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function userHasLink(trx: Transaction<DB>, userId: string, issuer: string) {
  const row = await trx
    .selectFrom('userIdentityLink')
    .select('id')
    .where('userId', '=', userId)
    .where('issuer', '=', issuer)
    .executeTakeFirst();
  return !!row;
}

export function findEnterpriseByCreditCode(trx: Transaction<DB>, creditCode: string) {
  return trx
    .selectFrom('enterprise')
    .select(['id', 'name', 'status'])
    .where('creditCode', '=', creditCode)
    .executeTakeFirst();
}

/**
 * Links an account to (issuer, subject). False when either unique constraint already holds another
 * pairing (a concurrent first login of the same person, or the account linked meanwhile).
 */
export async function insertLink(
  trx: Transaction<DB>,
  row: { userId: string; issuer: string; subject: string; at: Date },
): Promise<boolean> {
  const r = await trx
    .insertInto('userIdentityLink')
    .values({
      userId: row.userId,
      issuer: row.issuer,
      subject: row.subject,
      createdAt: row.at,
      lastLoginAt: row.at,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function touchLink(trx: Transaction<DB>, issuer: string, subject: string, at: Date) {
  await trx
    .updateTable('userIdentityLink')
    .set({ lastLoginAt: at })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
}

/** The new account's id; undefined when its user name was taken meanwhile (the same person's login racing). */
export async function insertApplicant(
  trx: Transaction<DB>,
  row: { username: string; displayName: string; enterpriseId: string; passwordHash: string; at: Date },
) {
  return trx
    .insertInto('appUser')
    .values({
      username: row.username,
      displayName: row.displayName,
      role: 'applicant',
      departmentCode: null,
      enterpriseId: row.enterpriseId,
      passwordHash: row.passwordHash,
      passwordChangedAt: row.at,
      createdAt: row.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
}
