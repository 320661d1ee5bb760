/**
 * Administration's SQL (issue 15): users, departments (city and district), enterprises.
 */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '../../db/schema';
import type { AppUserTable, DepartmentTable, EnterpriseTable } from './identity.tables';
import { containingPattern } from '../../shared/like';

type Db = Kysely<DB> | Transaction<DB>;

const USER_COLUMNS = [
  'appUser.id',
  'appUser.username',
  'appUser.displayName',
  'appUser.role',
  'appUser.departmentCode',
  'appUser.districtCode',
  'appUser.enterpriseId',
  'appUser.disabled',
  'appUser.mfaRequired',
  'appUser.lockedUntil',
  'appUser.createdAt',
  'appUser.passwordChangedAt',
  'appUser.passwordTemporary',
  'appUser.totpEnabledAt',
] as const;

export function listUsers(
  db: Db,
  f: { role?: string; departmentCode?: string; districtCode?: string; q?: string; limit: number },
) {
  let q = db
    .selectFrom('appUser')
    .leftJoin('department', 'department.code', 'appUser.departmentCode')
    .leftJoin('enterprise', 'enterprise.id', 'appUser.enterpriseId')
    .select([...USER_COLUMNS, 'department.name as departmentName', 'enterprise.name as enterpriseName']);
  if (f.role) q = q.where('appUser.role', '=', f.role);
  if (f.departmentCode) q = q.where('appUser.departmentCode', '=', f.departmentCode);
  if (f.districtCode) q = q.where('appUser.districtCode', '=', f.districtCode);
  if (f.q) {
    const like = containingPattern(f.q);
    q = q.where((eb) =>
      eb.or([eb('appUser.username', 'ilike', like), eb('appUser.displayName', 'ilike', like)]),
    );
  }
  return q.orderBy('appUser.username').limit(f.limit).execute();
}

export function findUser(db: Db, id: string) {
  return db
    .selectFrom('appUser')
    .leftJoin('department', 'department.code', 'appUser.departmentCode')
    .leftJoin('enterprise', 'enterprise.id', 'appUser.enterpriseId')
    .select([...USER_COLUMNS, 'department.name as departmentName', 'enterprise.name as enterpriseName'])
    .where('appUser.id', '=', id)
    .executeTakeFirst();
}

export function usernameTaken(db: Db, username: string) {
  return db
    .selectFrom('appUser')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

export function insertUser(trx: Transaction<DB>, row: Insertable<AppUserTable>) {
  return trx.insertInto('appUser').values(row).returning('id').executeTakeFirstOrThrow();
}

export function updateUser(trx: Transaction<DB>, id: string, patch: Updateable<AppUserTable>) {
  return trx.updateTable('appUser').set(patch).where('id', '=', id).execute();
}

export function deleteSessions(trx: Transaction<DB>, userId: string) {
  return trx.deleteFrom('userSession').where('userId', '=', userId).execute();
}

export function listAllDepartments(db: Db) {
  return db
    .selectFrom('department')
    .select(['code', 'name', 'kind', 'leadsStages', 'districtCode', 'parentCode', 'active'])
    .orderBy('districtCode', (o) => o.nullsFirst())
    .orderBy('code')
    .execute();
}

export function findDepartment(db: Db, code: string) {
  return db
    .selectFrom('department')
    .select(['code', 'name', 'kind', 'leadsStages', 'districtCode', 'parentCode', 'active'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export function lockDepartment(trx: Transaction<DB>, code: string) {
  return trx
    .selectFrom('department')
    .select(['code', 'name', 'kind', 'leadsStages', 'districtCode', 'parentCode', 'active'])
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

export function findDistrictLine(db: Db, districtCode: string, parentCode: string) {
  return db
    .selectFrom('department')
    .select('code')
    .where('districtCode', '=', districtCode)
    .where('parentCode', '=', parentCode)
    .executeTakeFirst();
}

/** The active departments of a district: city department code → the district's one. */
export function districtDepartments(db: Db, districtCode: string) {
  return db
    .selectFrom('department')
    .select(['code', 'parentCode'])
    .where('districtCode', '=', districtCode)
    .where('active', '=', true)
    .execute();
}

export function insertDepartment(trx: Transaction<DB>, row: Insertable<DepartmentTable>) {
  return trx.insertInto('department').values(row).execute();
}

export function updateDepartment(trx: Transaction<DB>, code: string, patch: Updateable<DepartmentTable>) {
  return trx.updateTable('department').set(patch).where('code', '=', code).execute();
}

/** Users of a department get its district (district staff see their district only). */
export function setDepartmentUsersDistrict(trx: Transaction<DB>, code: string, districtCode: string | null) {
  return trx.updateTable('appUser').set({ districtCode }).where('departmentCode', '=', code).execute();
}

export function listEnterprises(db: Db, f: { status?: string; q?: string; limit: number }) {
  let q = db
    .selectFrom('enterprise')
    .select([
      'id',
      'name',
      'creditCode',
      'legalPerson',
      'contactPhone',
      'status',
      'createdAt',
      'reviewedAt',
      'reviewNote',
    ]);
  if (f.status) q = q.where('status', '=', f.status as 'pending' | 'confirmed' | 'rejected');
  if (f.q) {
    const like = containingPattern(f.q);
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('creditCode', 'ilike', like)]));
  }
  return q.orderBy('createdAt', 'desc').limit(f.limit).execute();
}

export function findEnterpriseByCreditCode(db: Db, creditCode: string) {
  return db
    .selectFrom('enterprise')
    .select(['id', 'status'])
    .where('creditCode', '=', creditCode)
    .executeTakeFirst();
}

export function lockEnterprise(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('enterprise').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertEnterprise(trx: Transaction<DB>, row: Insertable<EnterpriseTable>) {
  return trx.insertInto('enterprise').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateEnterprise(trx: Transaction<DB>, id: string, patch: Updateable<EnterpriseTable>) {
  return trx
    .updateTable('enterprise')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function setEnterpriseUsersDisabled(trx: Transaction<DB>, enterpriseId: string, disabled: boolean) {
  return trx.updateTable('appUser').set({ disabled }).where('enterpriseId', '=', enterpriseId).execute();
}
