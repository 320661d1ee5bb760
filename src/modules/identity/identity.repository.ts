import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { SessionRestriction } from './password-policy.rules';

type Db = Kysely<DB> | Transaction<DB>;

export function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('appUser')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

/** Locks the user row so concurrent failed logins count correctly. */
export function lockUserByUsername(trx: Transaction<DB>, username: string) {
  return trx
    .selectFrom('appUser')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .forUpdate()
    .executeTakeFirst();
}

export function lockUserById(trx: Transaction<DB>, userId: string) {
  return trx.selectFrom('appUser').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
}

/** The accepted TOTP time step, only if it moves forward: two logins cannot spend one code. */
export async function spendTotpStep(trx: Transaction<DB>, userId: string, step: number): Promise<boolean> {
  const r = await trx
    .updateTable('appUser')
    .set({ totpLastStep: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function setTotpPending(trx: Transaction<DB>, userId: string, secret: string) {
  return trx.updateTable('appUser').set({ totpPendingSecret: secret }).where('id', '=', userId).execute();
}

export function activateTotp(trx: Transaction<DB>, userId: string, at: Date, step: number) {
  return trx
    .updateTable('appUser')
    .set((eb) => ({
      totpSecret: eb.ref('totpPendingSecret'),
      totpPendingSecret: null,
      totpEnabledAt: at,
      totpLastStep: step,
    }))
    .where('id', '=', userId)
    .execute();
}

export function clearTotp(trx: Transaction<DB>, userId: string) {
  return trx
    .updateTable('appUser')
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where('id', '=', userId)
    .execute();
}

/** The most recent earlier password hashes, newest first. */
export function recentPasswordHashes(db: Db, userId: string, limit: number) {
  if (limit <= 0) return Promise.resolve([]);
  return db
    .selectFrom('passwordHistory')
    .select('passwordHash')
    .where('userId', '=', userId)
    .orderBy('retiredAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Replaces the password; the old hash joins the history, which keeps only the `keep` newest. */
export async function replacePassword(
  trx: Transaction<DB>,
  user: { id: string; passwordHash: string },
  newHash: string,
  at: Date,
  keep: number,
) {
  await trx
    .insertInto('passwordHistory')
    .values({ userId: user.id, passwordHash: user.passwordHash, retiredAt: at })
    .execute();
  await trx
    .deleteFrom('passwordHistory')
    .where('userId', '=', user.id)
    .where(
      'id',
      'not in',
      trx
        .selectFrom('passwordHistory')
        .select('id')
        .where('userId', '=', user.id)
        .orderBy('retiredAt', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.max(keep, 0)),
    )
    .execute();
  await trx
    .updateTable('appUser')
    .set({ passwordHash: newHash, passwordChangedAt: at, passwordTemporary: false })
    .where('id', '=', user.id)
    .execute();
}

export function setSessionRestriction(
  trx: Transaction<DB>,
  tokenHash: string,
  restriction: SessionRestriction | null,
) {
  return trx.updateTable('userSession').set({ restriction }).where('tokenHash', '=', tokenHash).execute();
}

/** Ends the user's other sessions (after a password change, or a second factor being enabled). */
export function deleteOtherSessions(trx: Transaction<DB>, userId: string, keepTokenHash: string) {
  return trx
    .deleteFrom('userSession')
    .where('userId', '=', userId)
    .where('tokenHash', '<>', keepTokenHash)
    .execute();
}

export function insertSession(db: Db, row: Insertable<DB['userSession']>) {
  return db.insertInto('userSession').values(row).execute();
}

export function findSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('userSession')
    .innerJoin('appUser', 'appUser.id', 'userSession.userId')
    .leftJoin('enterprise', 'enterprise.id', 'appUser.enterpriseId')
    .select([
      'userSession.tokenHash',
      'userSession.csrfToken',
      'userSession.createdAt',
      'userSession.lastSeenAt',
      'userSession.expiresAt',
      'userSession.restriction',
      'appUser.id as userId',
      'appUser.username',
      'appUser.displayName',
      'appUser.role',
      'appUser.departmentCode',
      'appUser.enterpriseId',
      'appUser.districtCode',
      'appUser.disabled',
      'enterprise.name as enterpriseName',
    ])
    .where('userSession.tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

export function touchSession(db: Db, tokenHash: string, at: Date) {
  return db.updateTable('userSession').set({ lastSeenAt: at }).where('tokenHash', '=', tokenHash).execute();
}

export function deleteSession(db: Db, tokenHash: string) {
  return db.deleteFrom('userSession').where('tokenHash', '=', tokenHash).executeTakeFirst();
}

export function listDepartments(db: Db) {
  return db
    .selectFrom('department')
    .select(['code', 'name', 'kind', 'leadsStages'])
    .orderBy('code')
    .execute();
}

export function getEnterpriseName(db: Db, enterpriseId: string) {
  return db.selectFrom('enterprise').select('name').where('id', '=', enterpriseId).executeTakeFirst();
}

/** An enterprise's name and 统一社会信用代码 (the credit module makes it a credit subject). */
export function getEnterprise(db: Db, enterpriseId: string) {
  return db
    .selectFrom('enterprise')
    .select(['id', 'name', 'creditCode'])
    .where('id', '=', enterpriseId)
    .executeTakeFirst();
}

/** Display names of some users (for records that name who acted). */
export function findUserNames(db: Db, ids: string[]) {
  return db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'role', 'disabled'])
    .where('id', 'in', ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000'])
    .execute();
}

/** Ids of a department's staff, of everyone in a role, or of an enterprise's people (whom to tell). */
export function findUserIds(
  db: Db,
  who: { departmentCode: string } | { role: string } | { enterpriseId: string },
) {
  let q = db.selectFrom('appUser').select(['id']);
  if ('departmentCode' in who) q = q.where('departmentCode', '=', who.departmentCode);
  if ('role' in who) q = q.where('role', '=', who.role);
  if ('enterpriseId' in who) q = q.where('enterpriseId', '=', who.enterpriseId);
  return q.orderBy('username').execute();
}
