/**
 * Site check against the blueprint (tasks 43, 51) and regional assessment cover (task 44).
 * Exported for project registration: checkSite + storeSiteCheck; for the stage guide:
 * regionalAssessmentsForProject.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import type { RegionalAssessment } from '../catalog/catalog.schemas';
import * as repo from './blueprint.repository';
import { runSiteCheck, type SiteCheckRow } from './site-check.repository';
import { assessmentName, layerKindName } from './vocabulary.rules';
import {
  blockingKinds,
  COVERAGE_RATIO,
  MIN_OVERLAP_M2,
  parsePolygonGeometry,
  siteVerdict,
  URBAN_TOLERANCE_M2,
  type Verdict,
} from './blueprint.rules';

type Db = Kysely<DB> | Transaction<DB>;

export interface SiteConflict {
  layerKind: string;
  /** 生态保护红线 …: what a person reads for layerKind. */
  layerKindName: string;
  layerId: string;
  layerName: string;
  featureId: number;
  featureName: string | null;
  overlapAreaM2: number;
  overlapRatio: number;
}

export interface RegionalCover {
  /** Units touching the site, with the assessments done there. */
  units: {
    unitCode: string | null;
    assessments: string[];
    assessmentNames: string[];
    overlapRatio: number;
  }[];
  /** Assessments whose units cover (≥ 99.9 %) the whole site: these items go under 告知承诺 or are not required. */
  covered: RegionalAssessment[];
}

/**
 * Whether the site lies inside the boundary of the district it is registered under. Without a loaded
 * boundary for that district the check cannot be made: registration goes ahead and the check says so
 * (a city loads its boundaries through the layer import, kind district_boundary).
 */
export interface DistrictCheck {
  code: string;
  name: string;
  boundaryLoaded: boolean;
  /** null when no boundary is loaded. */
  inside: boolean | null;
  outsideAreaM2: number;
  warning: string | null;
}

export interface SiteCheckResult {
  verdict: Verdict;
  district: DistrictCheck | null;
  siteAreaM2: number;
  conflicts: SiteConflict[];
  urbanBoundary: { loaded: boolean; outsideAreaM2: number };
  regionalAssessments: RegionalCover['units'];
  coveredAssessments: RegionalAssessment[];
  /** The official names of coveredAssessments, in the same order. */
  coveredAssessmentNames: string[];
}

/** Shape, extent and PostGIS validity of a site; returns the GeoJSON text and its area. */
export async function validateSite(db: Db, site: unknown, field = 'body.site') {
  const geometry = parsePolygonGeometry(site, field);
  const text = JSON.stringify(geometry);
  const facts = await repo.siteFacts(db, text);
  assertUsable(facts, field);
  return { text, areaM2: facts.areaM2 };
}

function assertUsable(facts: { valid: boolean; reason: string; areaM2: number }, field: string) {
  if (!facts.valid) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `用地范围多边形无效：${facts.reason} (invalid site polygon, ST_IsValidReason: ${facts.reason})`,
      {
        field,
      },
    );
  }
  if (!(facts.areaM2 > 0))
    throw new DomainError('VALIDATION_FAILED', '用地范围面积为零 (site has no area)', { field });
}

function regionalCover(row: SiteCheckRow): RegionalCover {
  const siteAreaM2 = row.areaM2;
  return {
    units: row.units
      .filter((u) => u.overlapAreaM2 > MIN_OVERLAP_M2)
      .map((u) => ({
        unitCode: u.unitCode,
        assessments: u.assessments,
        assessmentNames: u.assessments.map(assessmentName),
        overlapRatio: u.overlapAreaM2 / siteAreaM2,
      })),
    covered: row.coverage
      .filter((c) => c.coveredM2 / siteAreaM2 >= COVERAGE_RATIO)
      .map((c) => c.code as RegionalAssessment),
  };
}

function districtCheck(row: SiteCheckRow, district: { code: string; name: string }): DistrictCheck {
  const features = row.districtFeatures ?? 0;
  const outsideM2 = row.districtOutsideM2 ?? 0;
  if (features === 0) {
    return {
      ...district,
      boundaryLoaded: false,
      inside: null,
      outsideAreaM2: 0,
      warning: `尚未载入 ${district.name} (${district.code}) 的行政区界，未核对用地是否位于该区划内 (no boundary loaded for the district)`,
    };
  }
  // Shared edges digitised twice leave slivers; the same share as regional cover counts as inside.
  const inside = outsideM2 <= row.areaM2 * (1 - COVERAGE_RATIO);
  return { ...district, boundaryLoaded: true, inside, outsideAreaM2: outsideM2, warning: null };
}

/**
 * Checks a site (GeoJSON Polygon / MultiPolygon, CGCS2000 degrees) against the current layers, and,
 * when the district it is registered under is given, against that district's boundary. One SQL
 * statement (site-check.repository.ts): validity, overlaps, urban boundary, regional units, district.
 */
export async function checkSite(
  db: Db,
  site: unknown,
  opts: { district?: { code: string; name: string } } = {},
): Promise<SiteCheckResult> {
  const text = JSON.stringify(parsePolygonGeometry(site, 'body.site'));
  const row = await runSiteCheck(db, { geojson: text }, blockingKinds, opts.district?.code ?? null);
  assertUsable(row, 'body.site');
  const areaM2 = row.areaM2;
  const conflicts = row.conflicts
    .filter((r) => r.overlapAreaM2 > MIN_OVERLAP_M2)
    .map((r) => ({
      ...r,
      layerKindName: layerKindName(r.layerKind),
      overlapRatio: r.overlapAreaM2 / areaM2,
    }));
  const loaded = row.urbanLayers > 0;
  const outside = loaded && row.urbanOutsideM2 > URBAN_TOLERANCE_M2;
  const cover = regionalCover(row);
  return {
    verdict: siteVerdict(conflicts.length, outside),
    district: opts.district ? districtCheck(row, opts.district) : null,
    siteAreaM2: areaM2,
    conflicts,
    urbanBoundary: { loaded, outsideAreaM2: loaded ? row.urbanOutsideM2 : 0 },
    regionalAssessments: cover.units,
    coveredAssessments: cover.covered,
    coveredAssessmentNames: cover.covered.map(assessmentName),
  };
}

/** Keeps the check with the project (call inside the registration transaction). */
export function storeSiteCheck(
  trx: Transaction<DB>,
  projectId: string,
  result: SiteCheckResult,
  checkedAt: Date,
) {
  return repo.insertSiteCheck(trx, {
    projectId,
    verdict: result.verdict,
    siteAreaM2: result.siteAreaM2,
    conflicts: result.conflicts,
    regionalAssessments: { units: result.regionalAssessments, covered: result.coveredAssessments },
    districtCheck: result.district,
    checkedAt,
  });
}

/** Task 44: the regional assessments covering a registered project's site (one statement). */
export async function regionalAssessmentsForProject(db: Db, projectId: string): Promise<RegionalCover> {
  const row = await runSiteCheck(db, { projectId }, [], null);
  if (!row.found) throw notFound('项目 project', projectId);
  return regionalCover(row);
}

export async function latestSiteCheck(db: Db, projectId: string) {
  const row = await repo.latestSiteCheck(db, projectId);
  return row
    ? {
        verdict: row.verdict as SiteCheckResult['verdict'],
        conflicts: row.conflicts as unknown as Record<string, unknown>[],
        regionalAssessments: row.regionalAssessments as unknown,
        district: (row.districtCheck as DistrictCheck | null) ?? null,
        checkedAt: row.checkedAt.toISOString(),
      }
    : null;
}
