/** The only SQL of the certificates module. */
import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { DB } from '../../db/schema';
import type { CertificateTable, SigningKeyTable } from './certificate.tables';

type Db = Kysely<DB> | Transaction<DB>;

export type CertificateRow = Selectable<CertificateTable>;
export type SigningKeyRow = Selectable<SigningKeyTable>;

export function findKey(db: Db, id: string): Promise<SigningKeyRow | undefined> {
  return db.selectFrom('signingKey').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listKeys(db: Db): Promise<SigningKeyRow[]> {
  return db.selectFrom('signingKey').selectAll().orderBy('createdAt').orderBy('id').execute();
}

/**
 * Records the public half of the key file's certificate key once: it becomes the active one
 * (signing_key_one_active_uq). Concurrent first uses: the loser's insert does nothing.
 */
export async function registerPublicKey(
  trx: Transaction<DB>,
  key: { id: string; publicKey: string; createdAt: Date },
): Promise<void> {
  const known = await trx
    .selectFrom('signingKey')
    .select('active')
    .where('id', '=', key.id)
    .executeTakeFirst();
  if (known) return;
  await trx.updateTable('signingKey').set({ active: false }).where('active', '=', true).execute();
  await trx
    .insertInto('signingKey')
    .values({
      id: key.id,
      algorithm: 'SM2',
      publicKey: key.publicKey,
      active: true,
      createdAt: key.createdAt,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function nextSerialValue(trx: Transaction<DB>): Promise<number> {
  const { rows } = await sql<{
    value: string;
  }>`SELECT nextval('certificate_serial_seq')::text AS value`.execute(trx);
  return Number(rows[0]!.value);
}

/** What a certificate shows about its project (read inside the issuing transaction). */
export function findProjectFacts(trx: Transaction<DB>, projectId: string) {
  return trx
    .selectFrom('project')
    .select(['code', 'name', 'districtCode', 'siteAreaM2', 'enterpriseId'])
    .where('id', '=', projectId)
    .executeTakeFirst();
}

export function findProjectOwner(db: Db, projectId: string) {
  return db
    .selectFrom('project')
    .select(['id', 'enterpriseId'])
    .where('id', '=', projectId)
    .executeTakeFirst();
}

export function insertCertificate(trx: Transaction<DB>, row: Insertable<CertificateTable>) {
  return trx.insertInto('certificate').values(row).returning(['id', 'identifier']).executeTakeFirstOrThrow();
}

export function lockByTask(trx: Transaction<DB>, taskId: string): Promise<CertificateRow | undefined> {
  return trx
    .selectFrom('certificate')
    .selectAll()
    .where('taskId', '=', taskId)
    .where('revokedAt', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The task's certificate with this 证照标识, revoked or not, locked (the one a corrected revocation reinstates). */
export function lockTaskCertificate(trx: Transaction<DB>, taskId: string, identifier: string) {
  return trx
    .selectFrom('certificate')
    .selectAll()
    .where('taskId', '=', taskId)
    .where('identifier', '=', identifier)
    .forUpdate()
    .executeTakeFirst();
}

/** The task's certificate in force (a reopened and re-decided task may have revoked ones before it). */
export function findByTask(db: Db, taskId: string) {
  return db
    .selectFrom('certificate')
    .select('id')
    .where('taskId', '=', taskId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
}

export async function updateCertificate(
  trx: Transaction<DB>,
  id: string,
  patch: Updateable<CertificateTable>,
): Promise<void> {
  await trx.updateTable('certificate').set(patch).where('id', '=', id).execute();
}

/** A certificate with the department of the task that issued it (for department-scoped access). */
export function findWithDepartment(db: Db, id: string) {
  return db
    .selectFrom('certificate')
    .innerJoin('itemTask', 'itemTask.id', 'certificate.taskId')
    .selectAll('certificate')
    .select('itemTask.departmentCode')
    .where('certificate.id', '=', id)
    .executeTakeFirst();
}

/**
 * The certificate printed with this 证照标识, or — when the printed one is an earlier version of the same
 * certificate (a formalised 模拟审批 result keeps its id and bumps the version) — the current version of
 * it: same type, issuer and serial.
 */
export async function findIdByIdentifier(db: Db, identifier: string, sameSerialPrefix: string) {
  const exact = await db
    .selectFrom('certificate')
    .select('id')
    .where('identifier', '=', identifier)
    .executeTakeFirst();
  if (exact) return exact.id;
  const escaped = sameSerialPrefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  const later = await db
    .selectFrom('certificate')
    .select('id')
    .where('identifier', 'like', `${escaped}%`)
    .orderBy('identifier', 'desc')
    .executeTakeFirst();
  return later?.id;
}

/** 批后公开: formal certificates issued, newest first, with their project (public by law). */
export function listIssued(
  db: Db,
  filter: { projectCode?: string; since?: Date },
  page: { limit: number; offset: number },
) {
  let q = db
    .selectFrom('certificate')
    .innerJoin('project', 'project.id', 'certificate.projectId')
    .innerJoin('itemTask', 'itemTask.id', 'certificate.taskId')
    .select([
      'certificate.id',
      'certificate.identifier',
      'certificate.type',
      'certificate.title',
      'certificate.holderName',
      'certificate.issuedAt',
      'certificate.validUntil',
      'certificate.revokedAt',
      'project.code as projectCode',
      'project.name as projectName',
      'itemTask.departmentCode',
    ])
    .where('certificate.simulated', '=', false);
  if (filter.projectCode) q = q.where('project.code', '=', filter.projectCode);
  if (filter.since) q = q.where('certificate.issuedAt', '>=', filter.since);
  return q
    .orderBy('certificate.issuedAt', 'desc')
    .orderBy('certificate.identifier')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export function listByProject(db: Db, projectId: string, departmentCode?: string) {
  let q = db
    .selectFrom('certificate')
    .innerJoin('itemTask', 'itemTask.id', 'certificate.taskId')
    .selectAll('certificate')
    .select('itemTask.departmentCode')
    .where('certificate.projectId', '=', projectId);
  if (departmentCode) q = q.where('itemTask.departmentCode', '=', departmentCode);
  return q.orderBy('certificate.issuedAt').orderBy('certificate.identifier').execute();
}

/** The project's certificates not revoked, oldest first (the stage guide counts them as materials on file). */
export function listUnrevokedByProject(db: Db, projectId: string) {
  return db
    .selectFrom('certificate')
    .select(['id', 'identifier', 'type', 'title', 'taskId', 'issuedAt', 'validUntil', 'simulated'])
    .where('projectId', '=', projectId)
    .where('revokedAt', 'is', null)
    .orderBy('issuedAt')
    .orderBy('identifier')
    .execute();
}

/** The project's certificates neither revoked nor suspended, locked (a suspension cascade). */
export function lockActiveByProject(trx: Transaction<DB>, projectId: string) {
  return trx
    .selectFrom('certificate')
    .select(['id', 'identifier', 'type', 'taskId', 'holderCode', 'simulated'])
    .where('projectId', '=', projectId)
    .where('revokedAt', 'is', null)
    .where('suspendedAt', 'is', null)
    .orderBy('issuedAt')
    .forUpdate()
    .execute();
}

/** The project's certificates suspended (not revoked), locked (restoring after the conclusion is re-established). */
export function lockSuspendedByProject(trx: Transaction<DB>, projectId: string) {
  return trx
    .selectFrom('certificate')
    .select(['id', 'identifier', 'type', 'taskId', 'holderCode', 'simulated', 'suspendedReason'])
    .where('projectId', '=', projectId)
    .where('revokedAt', 'is', null)
    .where('suspendedAt', 'is not', null)
    .orderBy('issuedAt')
    .forUpdate()
    .execute();
}
