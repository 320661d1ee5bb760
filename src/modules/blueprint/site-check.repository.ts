/**
 * The whole site check as ONE SQL statement (issue 10, item 5): site facts (validity, area), overlaps with
 * blocking layers, the part outside the urban development boundary, regional-assessment units and per-code
 * cover, and optionally the part outside a district's boundary. Four or five round trips became one: on
 * PGlite every round trip also takes the single connection's mutex, on PostgreSQL each is a network hop
 * and a pool checkout. Same PostGIS expressions as the separate queries in blueprint.repository.ts, so
 * the answer is the same; thresholds stay in blueprint.rules.ts (the service applies them).
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { LayerKind } from './blueprint.rules';
import type { ConflictRow } from './blueprint.repository';

type Db = Kysely<DB> | Transaction<DB>;

export interface SiteCheckRow {
  /** false when the site was not found (project source) — the rest is then meaningless. */
  found: boolean;
  valid: boolean;
  reason: string;
  areaM2: number;
  conflicts: ConflictRow[];
  urbanLayers: number;
  urbanOutsideM2: number;
  units: { unitCode: string | null; assessments: string[]; overlapAreaM2: number }[];
  coverage: { code: string; coveredM2: number }[];
  /** Only when a district adcode is asked for. */
  districtFeatures: number | null;
  districtOutsideM2: number | null;
}

/** Where the site comes from: GeoJSON text from a request, or a registered project's stored site. */
export type SiteSource = { geojson: string } | { projectId: string };

const siteExpr = (source: SiteSource): RawBuilder<unknown> =>
  'geojson' in source
    ? sql`SELECT ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${source.geojson}), 4490))) AS g`
    : sql`SELECT site AS g FROM project WHERE id = ${source.projectId}`;

/** Ellipsoidal area in m² (geography needs 4326; CGCS2000 and WGS84 agree to centimetres). */
const area = (g: RawBuilder<unknown>) => sql`ST_Area(ST_SetSRID(${g}, 4326)::geography)`;

/**
 * One round trip. Every spatial step runs only for a valid site (`s.valid` gates the joins), so an
 * invalid polygon reports its ST_IsValidReason instead of a GEOS topology exception. The candidate
 * features of all checked kinds are found once through the GiST index and shared by the parts.
 */
export async function runSiteCheck(
  db: Db,
  source: SiteSource,
  blocking: readonly LayerKind[],
  districtAdcode: string | null,
): Promise<SiteCheckRow> {
  const kinds = [...new Set<string>([...blocking, 'urban_boundary', 'regional_assessment'])];
  const blockingFilter = blocking.length
    ? sql`h.kind IN (${sql.join(blocking.map((k) => sql`${k}`))})`
    : sql`false`;
  const district =
    districtAdcode === null
      ? sql`NULL::int AS district_features, NULL::float8 AS district_outside_m2`
      : sql`d.n AS district_features,
            CASE WHEN d.u IS NULL THEN ${area(sql`s.g`)} ELSE ${area(sql`ST_Difference(s.g, d.u)`)} END
              AS district_outside_m2`;
  const districtFrom =
    districtAdcode === null
      ? sql``
      : sql`, (SELECT ST_Union(f.geom) AS u, count(*)::int AS n FROM blueprint_feature f
               JOIN blueprint_layer l ON l.id = f.layer_id AND l.is_current AND l.kind = 'district_boundary'
               WHERE f.unit_code = ${districtAdcode} AND (SELECT valid FROM s)) d`;
  const { rows } = await sql<SiteCheckRow>`
    WITH s AS MATERIALIZED (
           SELECT raw.g, v.valid, CASE WHEN v.valid THEN '' ELSE ST_IsValidReason(raw.g) END AS reason,
                  ${area(sql`raw.g`)} AS area_m2
           FROM (${siteExpr(source)}) raw, LATERAL (SELECT ST_IsValid(raw.g) AS valid) v),
         hit AS MATERIALIZED (
           SELECT l.kind, l.id AS layer_id, l.name AS layer_name, f.id AS feature_id, f.name AS feature_name,
                  f.unit_code, f.assessments, f.geom
           FROM s
           JOIN blueprint_feature f ON s.valid AND ST_Intersects(f.geom, s.g)
           JOIN blueprint_layer l ON l.id = f.layer_id AND l.is_current
           WHERE l.kind IN (${sql.join(kinds.map((k) => sql`${k}`))})),
         conflict AS (
           SELECT h.kind AS "layerKind", h.layer_id AS "layerId", h.layer_name AS "layerName",
                  h.feature_id AS "featureId", h.feature_name AS "featureName",
                  ${area(sql`ST_Intersection(h.geom, s.g)`)} AS "overlapAreaM2"
           FROM hit h, s WHERE ${blockingFilter}),
         unit AS (
           SELECT h.unit_code AS "unitCode", h.assessments,
                  ${area(sql`ST_Intersection(h.geom, s.g)`)} AS "overlapAreaM2"
           FROM hit h, s WHERE h.kind = 'regional_assessment'),
         per_code AS (
           SELECT a.code, ST_Union(h.geom) AS u FROM hit h
           CROSS JOIN LATERAL unnest(h.assessments) AS a(code)
           WHERE h.kind = 'regional_assessment' GROUP BY a.code),
         ub AS (SELECT ST_Union(h.geom) AS u FROM hit h WHERE h.kind = 'urban_boundary')
    SELECT true AS found, s.valid, s.reason, s.area_m2,
           COALESCE((SELECT json_agg(cf ORDER BY cf."overlapAreaM2" DESC) FROM conflict cf), '[]'::json) AS conflicts,
           (SELECT count(*) FROM blueprint_layer WHERE is_current AND kind = 'urban_boundary')::int AS urban_layers,
           CASE WHEN NOT s.valid THEN 0::float8
                WHEN ub.u IS NULL THEN s.area_m2 ELSE ${area(sql`ST_Difference(s.g, ub.u)`)} END AS urban_outside_m2,
           COALESCE((SELECT json_agg(un ORDER BY un."unitCode") FROM unit un), '[]'::json) AS units,
           COALESCE((SELECT json_agg(json_build_object('code', p.code, 'coveredM2', p.covered_m2) ORDER BY p.code)
                     FROM (SELECT per_code.code, ${area(sql`ST_Intersection(s.g, per_code.u)`)} AS covered_m2
                           FROM per_code) p), '[]'::json) AS coverage,
           ${district}
    FROM s, ub ${districtFrom}`.execute(db);
  const row = rows[0];
  if (!row) {
    return {
      found: false,
      valid: false,
      reason: '',
      areaM2: 0,
      conflicts: [],
      urbanLayers: 0,
      urbanOutsideM2: 0,
      units: [],
      coverage: [],
      districtFeatures: null,
      districtOutsideM2: null,
    };
  }
  // json_agg gives bigint ids as JSON numbers already; the keys are written camelCase above because
  // the CamelCasePlugin maps column names, not keys inside JSON values.
  return row;
}
