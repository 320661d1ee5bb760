/**
 * 一张蓝图 rules (tasks 43, 44, 51, 52): layer kinds, GeoJSON checks an uploader can act on, and the
 * site-check verdict. Pure: PostGIS does the geometry, these decide what is acceptable and what it means.
 */
import { DomainError } from '../../shared/errors';
import type { RegionalAssessment } from '../catalog/catalog.schemas';
import { crsFromGeoJsonMember, reprojectFeature, toCgcs2000, type Transform } from './crs.rules';
import { parseAssessments, type LayerKind } from './vocabulary.rules';

export { layerKindNames, layerKinds, type LayerKind } from './vocabulary.rules';

/** Control lines a project may not overlap at all (task 51). */
export const blockingKinds: readonly LayerKind[] = ['ecological_redline', 'basic_farmland'];

/** China's extent (with a margin): anything outside is a wrong CRS or swapped axes. */
export const CHINA = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 } as const;

export type Position = number[];
export type PolygonCoords = Position[][];
export interface PolygonGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: PolygonCoords | PolygonCoords[];
}

export interface ParsedFeature {
  no: number;
  name: string | null;
  landUse: string | null;
  unitCode: string | null;
  assessments: RegionalAssessment[];
  properties: Record<string, unknown>;
  /** The geometry as GeoJSON text, ready for ST_GeomFromGeoJSON. */
  geometry: string;
}

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, { field });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkPosition(p: unknown, field: string) {
  if (!Array.isArray(p) || p.length < 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw invalid(field, `坐标必须是 [经度, 纬度] 数字对 (a position must be [lon, lat] numbers): ${field}`);
  }
  const [lon, lat] = p as [number, number];
  const inside = (x: number, y: number) =>
    x >= CHINA.minLon && x <= CHINA.maxLon && y >= CHINA.minLat && y <= CHINA.maxLat;
  if (!inside(lon, lat)) {
    const hint = inside(lat, lon)
      ? '；看起来经纬度顺序颠倒了，GeoJSON 要求 [经度, 纬度] (looks like lat/lon are swapped: GeoJSON is [lon, lat])'
      : Math.abs(lon) > 1000 || Math.abs(lat) > 1000
        ? '；看起来是投影坐标 (米)，请在 GeoJSON 的 crs 中或随 Shapefile 的 .prj 注明坐标系，如 EPSG:4547 (looks like projected metres: name the system)'
        : '';
    throw new DomainError(
      'RULE_VIOLATION',
      `坐标 [${lon}, ${lat}] 不在中国范围内 (经度 73–136, 纬度 3–54)${hint} (coordinates outside China; CGCS2000 degrees expected)`,
      { field },
    );
  }
}

function checkPolygon(rings: unknown, field: string) {
  if (!Array.isArray(rings) || rings.length === 0)
    throw invalid(field, `多边形至少需要一个环 (a polygon needs at least one ring): ${field}`);
  rings.forEach((ring, r) => {
    const f = `${field}.${r}`;
    if (!Array.isArray(ring) || ring.length < 4) {
      throw invalid(f, `多边形的环至少需要 4 个坐标点且首尾相同 (a ring needs at least 4 positions): ${f}`);
    }
    ring.forEach((p, i) => checkPosition(p, `${f}.${i}`));
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      throw invalid(f, `多边形的环未闭合：首尾坐标必须相同 (ring not closed): ${f}`);
    }
  });
}

/** A Polygon / MultiPolygon geometry, checked for shape and extent (validity is PostGIS's job). */
export function parsePolygonGeometry(g: unknown, field: string): PolygonGeometry {
  if (!isRecord(g) || typeof g.type !== 'string')
    throw invalid(field, `不是 GeoJSON 几何对象 (not a GeoJSON geometry): ${field}`);
  if (g.type === 'Polygon') {
    checkPolygon(g.coordinates, `${field}.coordinates`);
  } else if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
      throw invalid(`${field}.coordinates`, `MultiPolygon 没有多边形 (empty MultiPolygon): ${field}`);
    }
    g.coordinates.forEach((poly, i) => checkPolygon(poly, `${field}.coordinates.${i}`));
  } else {
    throw invalid(
      `${field}.type`,
      `只接受 Polygon / MultiPolygon，收到 ${g.type} (only polygons are accepted)`,
    );
  }
  return { type: g.type, coordinates: g.coordinates as PolygonCoords };
}

function optionalString(v: unknown): string | null {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number') return String(v);
  return null;
}

/**
 * One GeoJSON Feature of a layer upload, with the properties the kind needs; `toDegrees` reprojects
 * its coordinates first when the file is in another system (crs.rules).
 */
export function parseFeature(
  raw: unknown,
  no: number,
  kind: LayerKind,
  field: string,
  toDegrees: Transform | null = null,
): ParsedFeature {
  if (!isRecord(raw) || raw.type !== 'Feature')
    throw invalid(field, `不是 GeoJSON Feature (not a Feature): ${field}`);
  const f = reprojectFeature(raw, toDegrees) as Record<string, unknown>;
  const geometry = parsePolygonGeometry(f.geometry, `${field}.geometry`);
  const properties = isRecord(f.properties) ? f.properties : {};
  const landUse = optionalString(properties.landUse ?? properties.DLBM ?? properties.YDDM);
  if ((kind === 'urban_plan' || kind === 'land_use_plan') && !landUse) {
    throw invalid(
      `${field}.properties.landUse`,
      `规划图层的要素必须有用地分类代码 landUse (plan features need a landUse code): ${field}`,
    );
  }
  let assessments: RegionalAssessment[] = [];
  if (kind === 'regional_assessment') {
    // 评估类型 / PGLX are the names bureau files (and DBF columns) use for the same list.
    const key = ['assessments', '评估类型', '评估事项', 'PGLX', 'PGSX'].find((k) => properties[k] != null);
    assessments = parseAssessments(
      key ? properties[key] : undefined,
      `${field}.properties.${key ?? 'assessments'}`,
    );
  }
  const name = optionalString(properties.name ?? properties.NAME ?? properties.MC ?? properties.XZQMC);
  let unitCode = optionalString(properties.unitCode ?? properties.QYPGDYBM);
  if (kind === 'district_boundary') {
    // The division's 6-digit code (adcode; XZQDM in 国土调查 data) is what registration matches on.
    const adcode = optionalString(properties.adcode ?? properties.XZQDM);
    if (!adcode || !/^\d{6}$/.test(adcode)) {
      throw invalid(
        `${field}.properties.adcode`,
        `行政区界要素必须有 6 位行政区划代码 adcode (district features need a 6-digit adcode, e.g. 410102): ${field}`,
      );
    }
    if (!name) {
      throw invalid(
        `${field}.properties.name`,
        `行政区界要素必须有名称 name (district features need a name): ${field}`,
      );
    }
    unitCode = adcode;
  }
  return {
    no,
    name,
    landUse,
    unitCode,
    assessments,
    properties,
    geometry: JSON.stringify(geometry),
  };
}

/** The features of an uploaded GeoJSON object (FeatureCollection, Feature, or a bare geometry). */
export function parseLayerGeoJson(
  geojson: unknown,
  kind: LayerKind,
  field = 'body.geojson',
): ParsedFeature[] {
  if (!isRecord(geojson))
    throw invalid(field, 'GeoJSON 格式错误：需要一个对象 (malformed GeoJSON: an object is expected)');
  let features: unknown[];
  if (geojson.type === 'FeatureCollection') {
    if (!Array.isArray(geojson.features))
      throw invalid(`${field}.features`, 'FeatureCollection 缺少 features 数组 (features missing)');
    features = geojson.features;
  } else if (geojson.type === 'Feature') {
    features = [geojson];
  } else if (geojson.type === 'Polygon' || geojson.type === 'MultiPolygon') {
    features = [{ type: 'Feature', properties: {}, geometry: geojson }];
  } else {
    throw invalid(
      `${field}.type`,
      `GeoJSON 格式错误：不支持的类型 ${String(geojson.type)} (malformed GeoJSON)`,
    );
  }
  if (features.length === 0) throw invalid(`${field}.features`, '图层没有要素 (the layer has no features)');
  const toDegrees = toCgcs2000(crsFromGeoJsonMember(geojson.crs, `${field}.crs`));
  return features.map((f, i) => parseFeature(f, i + 1, kind, `${field}.features.${i}`, toDegrees));
}

export type Verdict = 'clear' | 'warning' | 'blocked';

/**
 * Red line or basic farmland overlap blocks the site (task 51: 管控边界清晰); lying (partly) outside
 * the urban development boundary, where one is loaded, warns.
 */
export function siteVerdict(blockingConflicts: number, outsideUrbanBoundary: boolean): Verdict {
  if (blockingConflicts > 0) return 'blocked';
  return outsideUrbanBoundary ? 'warning' : 'clear';
}

/**
 * 策划生成 (issue 18): the registered site may differ from the planned one by survey corrections, not
 * by moving: the area where they differ (symmetric difference) may be at most this share of the
 * planned area.
 */
export const PLANNED_SITE_TOLERANCE = 0.05;

/** The planned-site message, or null when the site is within the tolerance. */
export function plannedSiteProblem(differenceM2: number, plannedAreaM2: number): string | null {
  const ratio = plannedAreaM2 > 0 ? differenceM2 / plannedAreaM2 : Infinity;
  if (ratio <= PLANNED_SITE_TOLERANCE) return null;
  return (
    `用地范围与策划选址相差 ${Math.round(differenceM2)} m²（策划用地 ${Math.round(plannedAreaM2)} m² 的 ` +
    `${(ratio * 100).toFixed(1)}%），超过 ${PLANNED_SITE_TOLERANCE * 100}% 的容差 (site differs from the planned site)`
  );
}

/** Overlap slivers below this (m²) are digitising noise along shared edges, not conflicts. */
export const MIN_OVERLAP_M2 = 0.01;
/** The site counts as outside the urban boundary when more than this (m²) lies outside it. */
export const URBAN_TOLERANCE_M2 = 1;
/** An assessment covers the site when its units cover at least this share of it (task 44). */
export const COVERAGE_RATIO = 0.999;
