import type { Insertable, Kysely, Transaction } from 'kysely';
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
