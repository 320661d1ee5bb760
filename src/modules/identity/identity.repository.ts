import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

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

export function updateLoginState(
  trx: Transaction<DB>,
  userId: string,
  state: { failedLoginCount: number; lockedUntil: Date | null },
) {
  return trx.updateTable('appUser').set(state).where('id', '=', userId).execute();
}

export function insertSession(db: Db, row: DB['userSession'] extends infer T ? T : never) {
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
      'appUser.id as userId',
      'appUser.username',
      'appUser.displayName',
      'appUser.role',
      'appUser.departmentCode',
      'appUser.enterpriseId',
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
