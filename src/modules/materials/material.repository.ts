import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { MaterialFileTable } from './material.tables';

type Db = Kysely<DB> | Transaction<DB>;

const fileColumns = [
  'id',
  'sha256',
  'sizeBytes',
  'mediaType',
  'originalName',
  'materialCode',
  'enterpriseId',
  'uploadedBy',
  'uploadedAt',
] as const;

export function insertFile(trx: Transaction<DB>, row: Insertable<MaterialFileTable>) {
  return trx.insertInto('materialFile').values(row).returning(fileColumns).executeTakeFirstOrThrow();
}

export function findFile(db: Db, id: string) {
  return db.selectFrom('materialFile').select(fileColumns).where('id', '=', id).executeTakeFirst();
}

export function findFiles(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('materialFile')
    .select(fileColumns)
    .where('id', 'in', [...ids])
    .execute();
}

export async function enterpriseExists(db: Db, id: string): Promise<boolean> {
  return !!(await db.selectFrom('enterprise').select('id').where('id', '=', id).executeTakeFirst());
}

/** True when the department has a task on an application that uses the file (as material or 容缺 supply). */
export async function fileUsedByDepartment(db: Db, fileId: string, departmentCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('itemTask')
    .select('itemTask.id')
    .where('itemTask.departmentCode', '=', departmentCode)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('applicationMaterial')
            .select('applicationMaterial.fileId')
            .whereRef('applicationMaterial.applicationId', '=', 'itemTask.applicationId')
            .where('applicationMaterial.fileId', '=', fileId),
        ),
        eb.exists(
          eb
            .selectFrom('deficiency')
            .select('deficiency.fileId')
            .whereRef('deficiency.applicationId', '=', 'itemTask.applicationId')
            .where('deficiency.fileId', '=', fileId),
        ),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export async function upsertProjectMaterials(
  trx: Transaction<DB>,
  projectId: string,
  rows: readonly { materialCode: string; fileId: string }[],
  now: Date,
) {
  if (rows.length === 0) return;
  await trx
    .insertInto('projectMaterial')
    .values(
      rows.map((r) => ({ projectId, materialCode: r.materialCode, fileId: r.fileId, submittedAt: now })),
    )
    .onConflict((oc) =>
      oc.columns(['projectId', 'materialCode']).doUpdateSet((eb) => ({
        fileId: eb.ref('excluded.fileId'),
        submittedAt: eb.ref('excluded.submittedAt'),
      })),
    )
    .execute();
}

export function listProjectMaterials(db: Db, projectId: string) {
  return db
    .selectFrom('projectMaterial')
    .select(['materialCode', 'fileId', 'submittedAt'])
    .where('projectId', '=', projectId)
    .orderBy('materialCode')
    .execute();
}

/**
 * Serialises the uploads of one enterprise until the transaction ends, so two concurrent uploads
 * cannot both fit under the quota that only one fits under.
 */
export async function lockEnterpriseStorage(trx: Transaction<DB>, enterpriseId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`zz_storage:${enterpriseId}`}))`.execute(trx);
}

/** Serialises work on one stored blob (an upload that reuses it, the sweep that may remove it). */
export async function lockBlob(trx: Transaction<DB>, sha256: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`zz_blob:${sha256}`}))`.execute(trx);
}

/** Bytes the enterprise stores (each distinct content once) and whether it already has these bytes. */
export async function enterpriseUsage(trx: Transaction<DB>, enterpriseId: string, sha256: string) {
  const row = await trx
    .selectFrom((eb) =>
      eb
        .selectFrom('materialFile')
        .select(['sha256', 'sizeBytes'])
        .distinctOn('sha256')
        .where('enterpriseId', '=', enterpriseId)
        .as('blob'),
    )
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('blob.sizeBytes'), sql<number>`0`).as('bytes'),
      eb.fn.countAll<number>().filterWhere('blob.sha256', '=', sha256).as('same'),
    ])
    .executeTakeFirstOrThrow();
  return { bytes: Number(row.bytes), hasBlob: Number(row.same) > 0 };
}

/** Tables whose rows attach a file to an application or a project (keep this list complete). */
const attachments = ['applicationMaterial', 'deficiency', 'projectMaterial', 'preconditionEvidence'] as const;

/** No attachment table refers to this file row. */
function unattached(eb: ExpressionBuilder<DB, 'materialFile'>) {
  return eb.and([
    // An intermediary's delivered report (issue 13) is attached to its engagement.
    eb.not(
      eb.exists(
        eb
          .selectFrom('marketEngagement')
          .select(sql`1`.as('one'))
          .whereRef('marketEngagement.reportFileId', '=', 'materialFile.id'),
      ),
    ),
    ...attachments.map((t) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom(t)
            .select(sql`1`.as('one'))
            .whereRef(`${t}.fileId`, '=', 'materialFile.id'),
        ),
      ),
    ),
  ]);
}

/** Files uploaded before `before` that nothing attaches (oldest first, at most `limit`). */
export function findUnattachedFiles(db: Db, before: Date, limit: number) {
  return db
    .selectFrom('materialFile')
    .select(['id', 'sha256', 'sizeBytes', 'enterpriseId'])
    .where('uploadedAt', '<', before)
    .where(unattached)
    .orderBy('uploadedAt')
    .limit(limit)
    .execute();
}

/** Deletes the files among `ids` that are still unattached (checked again in the same statement). */
export async function deleteUnattachedFiles(trx: Transaction<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return trx
    .deleteFrom('materialFile')
    .where('id', 'in', [...ids])
    .where(unattached)
    .returning(['id', 'sha256'])
    .execute();
}

/** True when some file row still refers to the bytes. */
export async function blobReferenced(db: Db, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom('materialFile')
    .select('id')
    .where('sha256', '=', sha256)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}
