/** SQL of 差异图斑 analyses (task 52). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertAnalysis(
  trx: Transaction<DB>,
  a: { layerA: string; layerB: string; createdBy: string | null; createdAt: Date },
) {
  return (
    await trx
      .insertInto('differenceAnalysis')
      .values({ ...a, status: 'queued' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export function findAnalysis(db: Db, id: string) {
  return db.selectFrom('differenceAnalysis').selectAll().where('id', '=', id).executeTakeFirst();
}

/** queued → running, once: a second worker picking up the same job finds nothing to claim. */
export async function claimAnalysis(db: Db, id: string, total: number) {
  const row = await db
    .updateTable('differenceAnalysis')
    .set({ status: 'running', total, processed: 0 })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countFeatures(db: Db, layerId: string) {
  const row = await db
    .selectFrom('blueprintFeature')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('layerId', '=', layerId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next batch of layer-A feature ids after `after` (keyset paging). */
export async function featureIdsAfter(db: Db, layerId: string, after: number, limit: number) {
  const rows = await db
    .selectFrom('blueprintFeature')
    .select('id')
    .where('layerId', '=', layerId)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Patches for a batch of layer-A features: intersections with layer-B features of a different landUse,
 * polygonal part only, larger than minArea m².
 */
export async function insertPatches(
  trx: Transaction<DB>,
  analysisId: string,
  layerB: string,
  featureIds: number[],
  minArea: number,
) {
  const { rows } = await sql<{ n: number; area: number }>`
    WITH x AS (
      SELECT a.id AS fa, b.id AS fb, a.land_use AS lua, b.land_use AS lub,
             ST_Multi(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3)) AS g
      FROM blueprint_feature a
      JOIN blueprint_feature b ON b.layer_id = ${layerB} AND ST_Intersects(a.geom, b.geom)
      WHERE a.id IN (${sql.join(featureIds)})
        AND a.land_use IS NOT NULL AND b.land_use IS NOT NULL AND a.land_use <> b.land_use),
    measured AS (SELECT *, ST_Area(ST_SetSRID(g, 4326)::geography) AS area FROM x WHERE NOT ST_IsEmpty(g)),
    ins AS (
      INSERT INTO difference_patch (analysis_id, feature_a, feature_b, land_use_a, land_use_b, area_m2, geom)
      SELECT ${analysisId}, fa, fb, lua, lub, area, g FROM measured WHERE area > ${minArea}
      RETURNING area_m2)
    SELECT count(*)::int AS n, COALESCE(sum(area_m2), 0) AS area FROM ins`.execute(trx);
  return rows[0]!;
}

export async function addProgress(
  trx: Transaction<DB>,
  id: string,
  processed: number,
  patches: number,
  area: number,
) {
  await trx
    .updateTable('differenceAnalysis')
    .set({
      processed: sql`processed + ${processed}`,
      patchCount: sql`patch_count + ${patches}`,
      totalAreaM2: sql`total_area_m2 + ${area}`,
    })
    .where('id', '=', id)
    .execute();
}

export async function finishAnalysis(
  db: Db,
  id: string,
  status: 'done' | 'failed',
  at: Date,
  error: string | null = null,
) {
  await db
    .updateTable('differenceAnalysis')
    .set({ status, finishedAt: at, error })
    .where('id', '=', id)
    .execute();
}

export async function listPatches(db: Db, analysisId: string, limit: number) {
  const { rows } = await sql<{
    id: number;
    featureA: number;
    featureB: number;
    landUseA: string;
    landUseB: string;
    areaM2: number;
    geometry: string;
  }>`
    SELECT id, feature_a, feature_b, land_use_a, land_use_b, area_m2, ST_AsGeoJSON(geom, 7) AS geometry
    FROM difference_patch WHERE analysis_id = ${analysisId} ORDER BY id LIMIT ${limit}`.execute(db);
  return rows;
}
