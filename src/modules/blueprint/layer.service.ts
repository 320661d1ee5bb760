/**
 * Planning layers (tasks 51, 53): upload as a new version of name + kind, validate every geometry in
 * PostGIS, keep the old versions. One transaction per upload: a bad feature leaves nothing behind.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import * as repo from './blueprint.repository';
import { parseLayerGeoJson, type LayerKind, type ParsedFeature } from './blueprint.rules';
import { layerKindName, parseLayerKind } from './vocabulary.rules';
import type { LayerAudience } from './blueprint.tables';

/**
 * Control lines and plans are working data of the departments (staff only); what the city publishes —
 * district boundaries by default, any layer uploaded as `public` — every logged-in user sees.
 */
export function defaultAudience(kind: LayerKind): LayerAudience {
  return kind === 'district_boundary' ? 'public' : 'staff';
}

/** Applicants (enterprises) see public layers only; every other role is government staff. */
const seesStaffLayers = (actor: Actor) => actor.role !== 'applicant';

export const FEATURE_BATCH = 500;
/** Features returned to the map per request (the browser draws them all). */
export const MAP_FEATURE_CAP = 5000;

/** A layer kind as the bureau writes it (区域评估, 生态红线, or the code): vocabulary.rules. */
export function parseKind(kind: string, field = 'body.kind'): LayerKind {
  return parseLayerKind(kind, field);
}

/** PostGIS refuses GeoJSON it cannot parse with an error; the uploader gets it as a validation failure. */
function asValidation(err: unknown): never {
  if (err instanceof DomainError) throw err;
  const message = err instanceof Error ? err.message : String(err);
  throw new DomainError('VALIDATION_FAILED', `GeoJSON 几何无法解析 (malformed geometry): ${message}`, {
    field: 'body.geojson',
    cause: err,
  });
}

export interface LayerSource {
  name: string;
  kind: LayerKind;
  /** Defaults by kind (defaultAudience). */
  audience?: LayerAudience;
  /** Batches of parsed features, in order (an array for the API, a stream for the CLI). */
  batches: AsyncIterable<ParsedFeature[]> | Iterable<ParsedFeature[]>;
  onProgress?: (featuresStored: number) => void;
}

export async function storeLayer(db: Kysely<DB>, actor: Actor | null, now: Date, source: LayerSource) {
  const name = source.name.trim();
  if (!name)
    throw new DomainError('VALIDATION_FAILED', '图层名称不能为空 (name required)', { field: 'body.name' });
  return db.transaction().execute(async (trx) => {
    const existing = await repo.lockLayerVersions(trx, name, source.kind);
    const version = existing.reduce((max, l) => Math.max(max, l.version), 0) + 1;
    await repo.retireCurrent(trx, name, source.kind);
    const layerId = await repo.insertLayer(trx, {
      name,
      kind: source.kind,
      version,
      audience: source.audience ?? defaultAudience(source.kind),
      createdBy: actor?.userId ?? null,
      createdAt: now,
    });
    let stored = 0;
    for await (const batch of source.batches) {
      await repo.insertFeatures(trx, layerId, batch).catch(asValidation);
      stored += batch.length;
      source.onProgress?.(stored);
    }
    if (stored === 0)
      throw new DomainError('VALIDATION_FAILED', '图层没有要素 (the layer has no features)', {
        field: 'body.geojson',
      });
    await checkValidity(trx, layerId);
    const layer = await repo.finishLayer(trx, layerId);
    await recordEvent(trx, actor, now, {
      action: 'blueprint.layer.uploaded',
      objectType: 'blueprint_layer',
      objectId: layerId,
      toState: `v${version}`,
      detail: { name, kind: source.kind, featureCount: layer.featureCount },
    });
    return { id: layer.id, featureCount: layer.featureCount, version: layer.version };
  });
}

async function checkValidity(trx: Transaction<DB>, layerId: string) {
  const bad = await repo.firstInvalidFeature(trx, layerId);
  if (bad) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `第 ${bad.featureNo} 个要素的几何无效：${bad.reason} (invalid geometry, ST_IsValidReason: ${bad.reason})`,
      { field: `body.geojson.features.${bad.featureNo - 1}.geometry` },
    );
  }
}

function* inBatches(features: ParsedFeature[]) {
  for (let i = 0; i < features.length; i += FEATURE_BATCH) yield features.slice(i, i + FEATURE_BATCH);
}

/** POST /api/blueprint/layers: a whole GeoJSON object in the request body. */
export async function uploadLayer(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  input: { name: string; kind: string; audience?: LayerAudience; geojson: unknown },
) {
  const kind = parseKind(input.kind);
  const features = parseLayerGeoJson(input.geojson, kind);
  return storeLayer(db, actor, now, {
    name: input.name,
    kind,
    audience: input.audience,
    batches: inBatches(features),
  });
}

/** Current layers this actor may open. */
export async function listLayers(db: Kysely<DB>, actor: Actor) {
  const layers = (await repo.listCurrentLayers(db)).map((l) => ({ ...l, kindName: layerKindName(l.kind) }));
  return seesStaffLayers(actor) ? layers : layers.filter((l) => l.audience === 'public');
}

/** Features per page when the map pages through a layer (`zoom` or `after` given). */
export const MAP_PAGE_SIZE = 2000;
/**
 * Above this many features in one view the map gets a summary (grid cells with counts) until
 * the user zooms in: canvas rendering of more stops panning smoothly on an office PC.
 */
export const DENSE_VIEW_FEATURES = 10_000;
/** Side of a summary cell, in screen pixels. */
export const SUMMARY_CELL_PIXELS = 24;

export async function layerFeatures(
  db: Kysely<DB>,
  actor: Actor,
  layerId: string,
  bbox: [number, number, number, number] | null,
  view: { zoom?: number; after?: number } = {},
  /** Features in the box above which a first page is summarised (tests lower it). */
  denseViewFeatures = DENSE_VIEW_FEATURES,
) {
  const layer = await repo.findLayer(db, layerId);
  if (!layer) throw notFound('图层 layer', layerId);
  if (layer.audience !== 'public' && !seesStaffLayers(actor)) {
    throw new DomainError('FORBIDDEN_ROLE', '该图层仅限工作人员查看 (staff-only layer)');
  }
  const paged = view.zoom !== undefined || view.after !== undefined;
  const cap = paged ? MAP_PAGE_SIZE : MAP_FEATURE_CAP;
  const generalised = view.zoom !== undefined ? generalisation(view.zoom) : {};
  const layerInfo = { id: layer.id, name: layer.name, kind: layer.kind, version: layer.version };
  // A first page of a view that would draw more than a browser pans smoothly gets the summary instead.
  if (view.zoom !== undefined && view.after === undefined && bbox) {
    const { tolerance, digits } = generalisation(view.zoom);
    const inView = await repo.countInBox(db, layerId, bbox, denseViewFeatures);
    if (inView > denseViewFeatures) {
      const cells = await repo.featureCellsInBox(db, layerId, bbox, tolerance * SUMMARY_CELL_PIXELS, digits);
      return {
        type: 'FeatureCollection' as const,
        layer: layerInfo,
        truncated: false,
        summarised: true,
        nextAfter: null,
        features: cells.map((c) => ({
          type: 'Feature' as const,
          id: c.id,
          properties: { count: c.count },
          geometry: JSON.parse(c.geometry) as unknown,
        })),
      };
    }
  }
  const rows = await repo.featuresInBox(db, layerId, bbox, cap + 1, { after: view.after, ...generalised });
  const truncated = rows.length > cap;
  const page = rows.slice(0, cap);
  return {
    type: 'FeatureCollection' as const,
    layer: layerInfo,
    truncated,
    summarised: false,
    nextAfter: paged && truncated ? page.at(-1)!.id : null,
    features: page.map((r) => ({
      type: 'Feature' as const,
      id: r.id,
      properties: { name: r.name, landUse: r.landUse, unitCode: r.unitCode, assessments: r.assessments },
      geometry: JSON.parse(r.geometry) as unknown,
    })),
  };
}

/**
 * What one screen pixel is worth at a Web Mercator zoom level, in degrees (256-pixel tiles, at the
 * equator: generous at Zhengzhou's latitude): geometries are simplified to it and the coordinates
 * rounded to a tenth of it, so a whole-city view carries outlines, not survey points.
 */
export function generalisation(zoom: number) {
  const tolerance = 360 / (256 * 2 ** zoom);
  const digits = Math.min(7, Math.max(3, Math.ceil(-Math.log10(tolerance)) + 1));
  return { tolerance, digits };
}

/**
 * For the provincial exchange (规划控制线): a layer and every version of it, read as the system; undefined
 * when the id is unknown.
 */
export async function layerWithVersions(db: Kysely<DB> | Transaction<DB>, id: string) {
  const layer = await repo.findLayer(db, id);
  if (!layer) return undefined;
  return { layer, versions: await repo.layerVersions(db, layer.name, layer.kind) };
}
