/** The only SQL of the blueprint context (PostGIS on PGlite 3.6 and PostgreSQL 15 / PostGIS 3.3). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { LayerKind, ParsedFeature } from './blueprint.rules';
import type { LayerAudience } from './blueprint.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** GeoJSON text → stored geometry: 2-D MultiPolygon, CGCS2000 (EPSG:4490). */
const stored = (geojson: string) =>
  sql<string>`ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4490)))`;
/** Ellipsoidal area in m²: geography needs 4326; CGCS2000 and WGS84 agree to centimetres. */
const areaOf = (g: ReturnType<typeof sql>) => sql<number>`ST_Area(ST_SetSRID(${g}, 4326)::geography)`;

// ---------------------------------------------------------------------------------------------
// Layers

export async function lockLayerVersions(trx: Transaction<DB>, name: string, kind: LayerKind) {
  return trx
    .selectFrom('blueprintLayer')
    .select(['id', 'version', 'isCurrent'])
    .where('name', '=', name)
    .where('kind', '=', kind)
    .forUpdate()
    .execute();
}

export async function retireCurrent(trx: Transaction<DB>, name: string, kind: LayerKind) {
  await trx
    .updateTable('blueprintLayer')
    .set({ isCurrent: false })
    .where('name', '=', name)
    .where('kind', '=', kind)
    .execute();
}

export async function insertLayer(
  trx: Transaction<DB>,
  l: {
    name: string;
    kind: LayerKind;
    version: number;
    audience: LayerAudience;
    createdBy: string | null;
    createdAt: Date;
  },
) {
  return (await trx.insertInto('blueprintLayer').values(l).returning('id').executeTakeFirstOrThrow()).id;
}

/** One batch of features in one statement (the CLI streams large files through this). */
export async function insertFeatures(trx: Transaction<DB>, layerId: string, features: ParsedFeature[]) {
  if (features.length === 0) return;
  const payload = JSON.stringify(
    features.map((f) => ({
      no: f.no,
      name: f.name,
      landUse: f.landUse,
      unitCode: f.unitCode,
      assessments: f.assessments,
      properties: f.properties,
      geometry: f.geometry,
    })),
  );
  await sql`
    INSERT INTO blueprint_feature (layer_id, feature_no, name, land_use, unit_code, assessments, properties, geom)
    SELECT ${layerId}::uuid, (e->>'no')::int, e->>'name', e->>'landUse', e->>'unitCode',
           ARRAY(SELECT jsonb_array_elements_text(e->'assessments')), e->'properties',
           ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(e->>'geometry'), 4490)))
    FROM jsonb_array_elements(${payload}::jsonb) AS e`.execute(trx);
}

/** The first invalid feature of a layer (ST_IsValidReason), or undefined when all are valid. */
export async function firstInvalidFeature(trx: Transaction<DB>, layerId: string) {
  const { rows } = await sql<{ featureNo: number; reason: string }>`
    SELECT feature_no, ST_IsValidReason(geom) AS reason FROM blueprint_feature
    WHERE layer_id = ${layerId} AND NOT ST_IsValid(geom) ORDER BY feature_no LIMIT 1`.execute(trx);
  return rows[0];
}

export async function finishLayer(trx: Transaction<DB>, layerId: string) {
  const row = await trx
    .updateTable('blueprintLayer')
    .set({ featureCount: sql<number>`(SELECT count(*) FROM blueprint_feature WHERE layer_id = ${layerId})` })
    .where('id', '=', layerId)
    .returning(['id', 'featureCount', 'version'])
    .executeTakeFirstOrThrow();
  return row;
}

const layerColumns = [
  'id',
  'name',
  'kind',
  'version',
  'isCurrent',
  'featureCount',
  'audience',
  'createdAt',
] as const;

export function listCurrentLayers(db: Db) {
  return db
    .selectFrom('blueprintLayer')
    .select(layerColumns)
    .where('isCurrent', '=', true)
    .orderBy('kind')
    .orderBy('name')
    .execute();
}

export function findLayer(db: Db, id: string) {
  return db.selectFrom('blueprintLayer').select(layerColumns).where('id', '=', id).executeTakeFirst();
}

export async function featuresInBox(
  db: Db,
  layerId: string,
  bbox: [number, number, number, number] | null,
  limit: number,
  /** Map paging and generalisation: features after this id; simplified to `tolerance` degrees. */
  page: { after?: number; tolerance?: number; digits?: number } = {},
) {
  const box = bbox
    ? sql`AND geom && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4490)`
    : sql``;
  const after = page.after !== undefined ? sql`AND id > ${page.after}` : sql``;
  const tol = page.tolerance;
  // Below one pixel a polygon cannot be seen: it is left out rather than drawn as a dot.
  const visible =
    tol !== undefined
      ? sql`AND (ST_XMax(geom) - ST_XMin(geom) >= ${tol} OR ST_YMax(geom) - ST_YMin(geom) >= ${tol})`
      : sql``;
  const geometry =
    tol !== undefined
      ? sql`ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, ${tol}::float8), ${page.digits ?? 7}::int)`
      : sql`ST_AsGeoJSON(geom, 7)`;
  const { rows } = await sql<{
    id: number;
    name: string | null;
    landUse: string | null;
    unitCode: string | null;
    assessments: string[];
    geometry: string;
  }>`
    SELECT id, name, land_use, unit_code, assessments, ${geometry} AS geometry
    FROM blueprint_feature WHERE layer_id = ${layerId} ${box} ${after} ${visible}
    ORDER BY id LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * How many features lie in a view's box, counted up to `cap` + 1 only: the map asks this before paging,
 * so a dense view is summarised instead of loaded (sub-pixel ones included: they appear in the summary).
 */
export async function countInBox(
  db: Db,
  layerId: string,
  bbox: [number, number, number, number],
  cap: number,
) {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM blueprint_feature
      WHERE layer_id = ${layerId}
        AND geom && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4490)
      LIMIT ${cap + 1}) v`.execute(db);
  return rows[0]!.n;
}

/**
 * A dense view summarised (issue 18: a 100,000-polygon layer at city zoom): the features of the box
 * grouped by a grid of `cell` degrees (by their centroid), each group drawn as the envelope of its
 * members with their count. Aggregate ids are negative so they never collide with feature ids.
 */
export async function featureCellsInBox(
  db: Db,
  layerId: string,
  bbox: [number, number, number, number],
  cell: number,
  digits: number,
) {
  const { rows } = await sql<{ id: number; count: number; geometry: string }>`
    SELECT -row_number() OVER (ORDER BY min(id))::int AS id, count(*)::int AS count,
           ST_AsGeoJSON(ST_Envelope(ST_Collect(geom)), ${digits}::int) AS geometry
    FROM blueprint_feature
    WHERE layer_id = ${layerId}
      AND geom && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4490)
    GROUP BY floor(ST_X(ST_Centroid(geom)) / ${cell}::float8), floor(ST_Y(ST_Centroid(geom)) / ${cell}::float8)`.execute(
    db,
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Site check

export interface ConflictRow {
  layerKind: string;
  layerId: string;
  layerName: string;
  featureId: number;
  featureName: string | null;
  overlapAreaM2: number;
}

export async function siteFacts(db: Db, siteGeoJson: string) {
  const { rows } = await sql<{ valid: boolean; reason: string; areaM2: number }>`
    SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ${areaOf(sql`g`)} AS area_m2
    FROM (SELECT ${stored(siteGeoJson)} AS g) s`.execute(db);
  return rows[0]!;
}

/** Overlaps of the site with current features of the given kinds (GiST index via ST_Intersects). */
export async function overlaps(db: Db, siteGeoJson: string, kinds: readonly LayerKind[]) {
  const { rows } = await sql<ConflictRow>`
    WITH site AS (SELECT ${stored(siteGeoJson)} AS g)
    SELECT l.kind AS layer_kind, l.id AS layer_id, l.name AS layer_name, f.id AS feature_id, f.name AS feature_name,
           ${areaOf(sql`ST_Intersection(f.geom, site.g)`)} AS overlap_area_m2
    FROM site
    JOIN blueprint_feature f ON ST_Intersects(f.geom, site.g)
    JOIN blueprint_layer l ON l.id = f.layer_id AND l.is_current
    WHERE l.kind IN (${sql.join(kinds.map((k) => sql`${k}`))})
    ORDER BY overlap_area_m2 DESC`.execute(db);
  return rows;
}

/** Whether an urban boundary is loaded, and how much of the site (m²) lies outside it. */
export async function outsideUrbanBoundary(db: Db, siteGeoJson: string) {
  const { rows } = await sql<{ layers: number; outsideM2: number }>`
    WITH site AS (SELECT ${stored(siteGeoJson)} AS g),
         ub AS (SELECT ST_Union(f.geom) AS u FROM site
                JOIN blueprint_feature f ON ST_Intersects(f.geom, site.g)
                JOIN blueprint_layer l ON l.id = f.layer_id AND l.is_current AND l.kind = 'urban_boundary')
    SELECT (SELECT count(*) FROM blueprint_layer WHERE is_current AND kind = 'urban_boundary')::int AS layers,
           CASE WHEN ub.u IS NULL THEN ${areaOf(sql`site.g`)}
                ELSE ${areaOf(sql`ST_Difference(site.g, ub.u)`)} END AS outside_m2
    FROM site, ub`.execute(db);
  return rows[0]!;
}

/** Regional-assessment units touching the site, and per assessment code the m² of the site covered. */
export async function regionalUnits(db: Db, siteGeoJson: string) {
  const units = await sql<{ unitCode: string | null; assessments: string[]; overlapAreaM2: number }>`
    WITH site AS (SELECT ${stored(siteGeoJson)} AS g)
    SELECT f.unit_code, f.assessments, ${areaOf(sql`ST_Intersection(f.geom, site.g)`)} AS overlap_area_m2
    FROM site
    JOIN blueprint_feature f ON ST_Intersects(f.geom, site.g)
    JOIN blueprint_layer l ON l.id = f.layer_id AND l.is_current AND l.kind = 'regional_assessment'
    ORDER BY f.unit_code`.execute(db);
  const coverage = await sql<{ code: string; coveredM2: number }>`
    WITH site AS (SELECT ${stored(siteGeoJson)} AS g),
         per_code AS (
           SELECT a.code, ST_Union(f.geom) AS u FROM site
           JOIN blueprint_feature f ON ST_Intersects(f.geom, site.g)
           JOIN blueprint_layer l ON l.id = f.layer_id AND l.is_current AND l.kind = 'regional_assessment'
           CROSS JOIN LATERAL unnest(f.assessments) AS a(code)
           GROUP BY a.code)
    SELECT per_code.code, ${areaOf(sql`ST_Intersection(site.g, per_code.u)`)} AS covered_m2
    FROM site, per_code ORDER BY per_code.code`.execute(db);
  return { units: units.rows, coverage: coverage.rows };
}

/**
 * The district's boundary as loaded (current district_boundary layers, features whose adcode matches):
 * how many features there are, and how much of the site (m²) lies outside their union.
 */
export async function outsideDistrictBoundary(db: Db, siteGeoJson: string, adcode: string) {
  const { rows } = await sql<{ features: number; outsideM2: number }>`
    WITH site AS (SELECT ${stored(siteGeoJson)} AS g),
         b AS (SELECT ST_Union(f.geom) AS u, count(*)::int AS n FROM blueprint_feature f
               JOIN blueprint_layer l ON l.id = f.layer_id AND l.is_current AND l.kind = 'district_boundary'
               WHERE f.unit_code = ${adcode})
    SELECT b.n AS features,
           CASE WHEN b.u IS NULL THEN ${areaOf(sql`site.g`)}
                ELSE ${areaOf(sql`ST_Difference(site.g, b.u)`)} END AS outside_m2
    FROM site, b`.execute(db);
  return rows[0]!;
}

/** The adcodes that have a boundary in a current district_boundary layer. */
export async function districtBoundaryCodes(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectFrom('blueprintFeature as f')
    .innerJoin('blueprintLayer as l', 'l.id', 'f.layerId')
    .select('f.unitCode')
    .distinct()
    .where('l.isCurrent', '=', true)
    .where('l.kind', '=', 'district_boundary')
    .where('f.unitCode', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.unitCode as string));
}

export async function projectSite(db: Db, projectId: string) {
  const { rows } = await sql<{
    site: string;
  }>`SELECT ST_AsGeoJSON(site) AS site FROM project WHERE id = ${projectId}`.execute(db);
  return rows[0]?.site;
}

export async function insertSiteCheck(
  trx: Transaction<DB>,
  c: {
    projectId: string;
    verdict: string;
    siteAreaM2: number;
    conflicts: unknown[];
    regionalAssessments: unknown;
    districtCheck: unknown;
    checkedAt: Date;
  },
) {
  return (
    await trx
      .insertInto('projectSiteCheck')
      .values({
        ...c,
        conflicts: JSON.stringify(c.conflicts),
        regionalAssessments: JSON.stringify(c.regionalAssessments),
        districtCheck: JSON.stringify(c.districtCheck),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export function latestSiteCheck(db: Db, projectId: string) {
  return db
    .selectFrom('projectSiteCheck')
    .selectAll()
    .where('projectId', '=', projectId)
    .orderBy('checkedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every version of a layer (same name and kind), oldest first. */
export function layerVersions(db: Db, name: string, kind: string) {
  return db
    .selectFrom('blueprintLayer')
    .select(layerColumns)
    .where('name', '=', name)
    .where('kind', '=', kind)
    .orderBy('version')
    .execute();
}
