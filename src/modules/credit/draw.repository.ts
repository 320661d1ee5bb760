/** SQL of 双随机一公开: inspector rosters and ties, draws and their results. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export function insertInspector(trx: Db, row: Insertable<DB['inspectionInspector']>) {
  return trx
    .insertInto('inspectionInspector')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findInspector(db: Db, id: string) {
  return db.selectFrom('inspectionInspector').selectAll().where('id', '=', id).executeTakeFirst();
}

export function setInspectorActive(trx: Db, id: string, active: boolean) {
  return trx.updateTable('inspectionInspector').set({ active }).where('id', '=', id).execute();
}

export function insertTie(trx: Db, row: Insertable<DB['inspectionInspectorTie']>) {
  return trx
    .insertInto('inspectionInspectorTie')
    .values(row)
    .onConflict((oc) => oc.columns(['inspectorId', 'subjectId']).doUpdateSet({ reason: row.reason }))
    .execute();
}

export async function roster(db: Db, departmentCode: string, activeOnly: boolean) {
  let q = db.selectFrom('inspectionInspector').selectAll().where('departmentCode', '=', departmentCode);
  if (activeOnly) q = q.where('active', '=', true);
  const inspectors = await q.orderBy('id').execute();
  const ties = inspectors.length
    ? await db
        .selectFrom('inspectionInspectorTie')
        .selectAll()
        .where(
          'inspectorId',
          'in',
          inspectors.map((i) => i.id),
        )
        .execute()
    : [];
  return inspectors.map((i) => ({ ...i, ties: ties.filter((t) => t.inspectorId === i.id) }));
}

export function insertDraw(trx: Db, row: Insertable<DB['inspectionDraw']>) {
  return trx.insertInto('inspectionDraw').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findDraw(db: Db, id: string) {
  return db.selectFrom('inspectionDraw').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listDraws(db: Db, departmentCode?: string) {
  let q = db
    .selectFrom('inspectionDraw')
    .select(['id', 'departmentCode', 'poolKind', 'seed', 'poolHash', 'drawnOn', 'publishBy', 'result']);
  if (departmentCode) q = q.where('departmentCode', '=', departmentCode);
  return q.orderBy('drawnAt', 'desc').limit(200).execute();
}

export function insertResult(trx: Db, row: Insertable<DB['inspectionDrawResult']>) {
  return trx
    .insertInto('inspectionDrawResult')
    .values(row)
    .onConflict((oc) => oc.columns(['drawId', 'objectId']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function resultsOf(db: Db, drawIds: string[]) {
  if (drawIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('inspectionDrawResult').selectAll().where('drawId', 'in', drawIds).execute();
}
