/**
 * Coordinate systems of the city's files (issue 18): a Shapefile's `.prj` (WKT 1, ESRI or OGC flavour;
 * WKT 2 with an EPSG id) or a GeoJSON `crs` member names the system; the supported ones are reprojected
 * to CGCS2000 geographic (SRID 4490) with proj4 before anything is stored. Pure.
 *
 * Supported: CGCS2000 geographic (EPSG:4490); CGCS2000 Gauss-Krüger 3° zones (EPSG:4513–4533 with the
 * zone number in the false easting, 4534–4554 "CM 75E–135E" without) and 6° zones (4491–4501,
 * 4502–4512); WGS 84 (4326) and Web Mercator (3857). CGCS2000 and WGS 84 differ by centimetres, below
 * any planning layer's accuracy, so WGS 84 degrees are taken as they are (as the national rules allow).
 * Anything else — Beijing 1954, Xian 1980, local city grids, Lambert or Albers — needs parameters the
 * file does not carry: a clear error naming the system, never a silent guess.
 */
import proj4 from 'proj4';
import { DomainError } from '../../shared/errors';

export interface Crs {
  /** The EPSG code the system is known by. */
  srid: number;
  /** A human name for messages (简体中文 first). */
  name: string;
  /** proj4 definition of the source; null for geographic degrees taken as they are. */
  proj: string | null;
}

const CGCS2000_DEGREES = '+proj=longlat +ellps=GRS80 +no_defs';
const WGS84_DEGREES = '+proj=longlat +datum=WGS84 +no_defs';
const WEB_MERCATOR =
  '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, { field });

const SUPPORTED =
  'CGCS2000 经纬度 (EPSG:4490)、CGCS2000 高斯-克吕格 3° 带 (EPSG:4513–4554) 与 6° 带 (EPSG:4491–4512)、WGS 84 (EPSG:4326)、Web Mercator (EPSG:3857)';

function tmerc(cm: number, falseEasting: number): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=${falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}

/** The system of an EPSG code, or null when it is not one we can reproject. */
export function crsFromEpsg(code: number): Crs | null {
  if (code === 4490) return { srid: 4490, name: 'CGCS2000 经纬度', proj: null };
  if (code === 4326) return { srid: 4326, name: 'WGS 84 经纬度', proj: null };
  if (code === 3857 || code === 900913 || code === 102100) {
    return { srid: 3857, name: 'Web Mercator', proj: WEB_MERCATOR };
  }
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4513 + 25;
    return {
      srid: code,
      name: `CGCS2000 3° 带第 ${zone} 带 (中央经线 ${zone * 3}°E)`,
      proj: tmerc(zone * 3, zone * 1e6 + 500000),
    };
  }
  if (code >= 4534 && code <= 4554) {
    const cm = 75 + (code - 4534) * 3;
    return { srid: code, name: `CGCS2000 3° 带 (中央经线 ${cm}°E)`, proj: tmerc(cm, 500000) };
  }
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4491 + 13;
    return {
      srid: code,
      name: `CGCS2000 6° 带第 ${zone} 带 (中央经线 ${zone * 6 - 3}°E)`,
      proj: tmerc(zone * 6 - 3, zone * 1e6 + 500000),
    };
  }
  if (code >= 4502 && code <= 4512) {
    const cm = 75 + (code - 4502) * 6;
    return { srid: code, name: `CGCS2000 6° 带 (中央经线 ${cm}°E)`, proj: tmerc(cm, 500000) };
  }
  return null;
}

function unsupported(what: string, field: string): DomainError {
  return invalid(
    field,
    `不支持的坐标系 ${what}：可接受 ${SUPPORTED}；北京54、西安80 及地方坐标系请先转换为 CGCS2000 (unsupported coordinate system)`,
  );
}

function epsgOrError(code: number, field: string): Crs {
  const crs = crsFromEpsg(code);
  if (!crs) throw unsupported(`EPSG:${code}`, field);
  return crs;
}

// ---------------------------------------------------------------------------------------------
// WKT (the .prj file).

interface WktNode {
  keyword: string;
  args: (string | number | WktNode)[];
}

/** A small WKT parser: KEYWORD[ "text", 1.5, CHILD[...] ] (square or round brackets). */
export function parseWkt(text: string): WktNode {
  let at = 0;
  const skip = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const fail = (): never => {
    throw new Error(`bad WKT at ${at}`);
  };
  const node = (): WktNode => {
    skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at));
    if (!m) fail();
    const keyword = m![0].toUpperCase();
    at += m![0].length;
    skip();
    const args: WktNode['args'] = [];
    if (text[at] !== '[' && text[at] !== '(') return { keyword, args };
    const close = text[at] === '[' ? ']' : ')';
    at++;
    for (;;) {
      skip();
      const ch = text[at];
      if (ch === undefined) fail();
      if (ch === close) {
        at++;
        return { keyword, args };
      }
      if (ch === ',') {
        at++;
        continue;
      }
      if (ch === '"') {
        const end = text.indexOf('"', at + 1);
        if (end < 0) fail();
        args.push(text.slice(at + 1, end));
        at = end + 1;
      } else if (/[-+\d.]/.test(ch!)) {
        const n = /^[-+]?\d*\.?\d+([eE][-+]?\d+)?/.exec(text.slice(at));
        if (!n) fail();
        args.push(Number(n![0]));
        at += n![0].length;
      } else {
        args.push(node());
      }
    }
  };
  const root = node();
  skip();
  if (at < text.length || root.args.length === 0) fail();
  return root;
}

const children = (n: WktNode, keyword: string) =>
  n.args.filter((a): a is WktNode => typeof a === 'object' && a.keyword === keyword);
const child = (n: WktNode, ...keywords: string[]) =>
  keywords.map((k) => children(n, k)[0]).find((c) => c !== undefined);
const nameOf = (n: WktNode | undefined) => (n && typeof n.args[0] === 'string' ? n.args[0] : '');

function epsgId(n: WktNode): number | null {
  const id = child(n, 'AUTHORITY', 'ID');
  if (!id || String(id.args[0]).toUpperCase() !== 'EPSG') return null;
  const code = Number(id.args[1]);
  return Number.isInteger(code) ? code : null;
}

function datumOf(geog: WktNode | undefined): 'cgcs2000' | 'wgs84' | 'other' {
  const datum = geog && child(geog, 'DATUM');
  const text = `${nameOf(datum)} ${nameOf(geog)}`.toLowerCase().replace(/[\s_-]/g, '');
  if (/cgcs2000|china2000|chinageodeticcoordinatesystem2000/.test(text)) return 'cgcs2000';
  if (/wgs84|wgs1984|worldgeodeticsystem1984/.test(text)) return 'wgs84';
  return 'other';
}

function parameters(projcs: WktNode): Map<string, number> {
  const map = new Map<string, number>();
  for (const p of children(projcs, 'PARAMETER')) {
    if (typeof p.args[1] === 'number') map.set(nameOf(p).toLowerCase().replace(/[\s-]/g, '_'), p.args[1]);
  }
  return map;
}

/**
 * The system a `.prj` describes. An EPSG authority on the whole system wins; otherwise the datum,
 * projection and parameters are read (ESRI's .prj carries no authority): a CGCS2000 Gauss-Krüger /
 * transverse Mercator with scale 1 becomes the matching zone, whatever the zone's name says.
 */
export function crsFromPrj(text: string, field = 'file.prj'): Crs {
  let root: WktNode;
  try {
    root = parseWkt(text.trim());
  } catch {
    throw invalid(field, `.prj 文件不是合法的 WKT 坐标系定义 (the .prj is not WKT)`);
  }
  const kind = root.keyword;
  const code = epsgId(root);
  if (code !== null) return epsgOrError(code, field);
  const label = nameOf(root) || kind;
  if (kind === 'GEOGCS' || kind === 'GEOGCRS' || kind === 'GEODCRS') {
    const datum = datumOf(root);
    if (datum === 'cgcs2000') return { srid: 4490, name: 'CGCS2000 经纬度', proj: null };
    if (datum === 'wgs84') return { srid: 4326, name: 'WGS 84 经纬度', proj: null };
    throw unsupported(label, field);
  }
  if (kind !== 'PROJCS' && kind !== 'PROJCRS') throw unsupported(label, field);
  const geog = child(root, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS');
  const datum = datumOf(geog);
  const projection = nameOf(child(root, 'PROJECTION')).toLowerCase();
  const params = parameters(root);
  const lowerLabel = label.toLowerCase();
  if (
    datum === 'wgs84' &&
    (/pseudo_mercator|auxiliary_sphere|web_mercator|popular_visualisation/.test(lowerLabel) ||
      /auxiliary_sphere|popular_visualisation|pseudo/.test(projection))
  ) {
    return { srid: 3857, name: 'Web Mercator', proj: WEB_MERCATOR };
  }
  if (datum !== 'cgcs2000' || !/gauss|transverse_mercator|tmerc/.test(projection)) {
    throw unsupported(label, field);
  }
  const cm = params.get('central_meridian') ?? params.get('longitude_of_origin');
  const fe = params.get('false_easting') ?? 0;
  const fn = params.get('false_northing') ?? 0;
  const k = params.get('scale_factor') ?? 1;
  const lat0 = params.get('latitude_of_origin') ?? 0;
  const unit = child(root, 'UNIT');
  const metres = !unit || typeof unit.args[1] !== 'number' || Math.abs(unit.args[1] - 1) < 1e-9;
  if (cm === undefined || fn !== 0 || Math.abs(k - 1) > 1e-12 || lat0 !== 0 || !metres) {
    throw unsupported(`${label} (中央经线 ${cm ?? '?'}, 比例 ${k}, 北偏移 ${fn})`, field);
  }
  const zonePrefix = Math.floor(fe / 1e6);
  if (fe - zonePrefix * 1e6 !== 500000) throw unsupported(`${label} (东偏移 ${fe})`, field);
  // The EPSG code of the zone: 3° zones first (CM a multiple of 3), 6° ones otherwise.
  let srid: number | null = null;
  if (zonePrefix === 0 && cm % 3 === 0 && cm >= 75 && cm <= 135) srid = 4534 + (cm - 75) / 3;
  else if (zonePrefix >= 25 && zonePrefix <= 45 && cm === zonePrefix * 3) srid = 4513 + zonePrefix - 25;
  else if (zonePrefix >= 13 && zonePrefix <= 23 && cm === zonePrefix * 6 - 3) srid = 4491 + zonePrefix - 13;
  if (srid === null) throw unsupported(`${label} (中央经线 ${cm}°, 东偏移 ${fe})`, field);
  return crsFromEpsg(srid)!;
}

/**
 * The system a GeoJSON `crs` member names (GeoJSON 2008; RFC 7946 dropped it but GIS tools still
 * write it): {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4547"}}, "EPSG:4547" or
 * OGC CRS84. Absent → CGCS2000 degrees, as before. Axis order is always x/easting first, as GDAL writes.
 */
export function crsFromGeoJsonMember(crs: unknown, field = 'body.geojson.crs'): Crs {
  if (crs === undefined || crs === null) return crsFromEpsg(4490)!;
  const name =
    typeof crs === 'object' &&
    (crs as { type?: unknown }).type === 'name' &&
    typeof (crs as { properties?: { name?: unknown } }).properties?.name === 'string'
      ? (crs as { properties: { name: string } }).properties.name
      : null;
  if (!name) {
    throw invalid(
      field,
      'crs 须为 {"type":"name","properties":{"name":"EPSG:4547"}} 形式 (malformed crs member)',
    );
  }
  if (/CRS84$/i.test(name)) return crsFromEpsg(4326)!;
  const m = /EPSG:(?:[\d.]*:)?:?(\d+)$/i.exec(name.trim());
  if (!m) throw unsupported(name, field);
  return epsgOrError(Number(m[1]), field);
}

export type Transform = (p: number[]) => number[];

/** Position → CGCS2000 [lon, lat] for a system; identity for geographic degrees. */
export function toCgcs2000(crs: Crs): Transform | null {
  if (!crs.proj) return null;
  const target = crs.srid === 3857 ? WGS84_DEGREES : CGCS2000_DEGREES;
  const converter = proj4(crs.proj, target);
  return (p) => {
    const [x, y] = converter.forward([p[0]!, p[1]!]);
    return [x, y];
  };
}

/** Reprojects a geometry's coordinates (any nesting of positions) in place of a copy. */
export function transformCoordinates(coords: unknown, t: Transform): unknown {
  if (!Array.isArray(coords)) return coords;
  if (coords.length >= 2 && typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    if (!coords.every((n) => typeof n === 'number' && Number.isFinite(n))) return coords;
    return t(coords as number[]);
  }
  return coords.map((c) => transformCoordinates(c, t));
}

/** A GeoJSON Feature (or geometry) with its geometry reprojected; anything else is returned as is. */
export function reprojectFeature(feature: unknown, t: Transform | null): unknown {
  if (!t || typeof feature !== 'object' || feature === null) return feature;
  const f = feature as { type?: unknown; geometry?: unknown; coordinates?: unknown };
  if (f.type === 'Feature' && typeof f.geometry === 'object' && f.geometry !== null) {
    const g = f.geometry as { coordinates?: unknown };
    return { ...f, geometry: { ...g, coordinates: transformCoordinates(g.coordinates, t) } };
  }
  if ('coordinates' in f) return { ...f, coordinates: transformCoordinates(f.coordinates, t) };
  return feature;
}
