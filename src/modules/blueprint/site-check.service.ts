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
  layerId: string;
  layerName: string;
  featureId: number;
  featureName: string | null;
  overlapAreaM2: number;
  overlapRatio: number;
}

export interface RegionalCover {
  /** Units touching the site, with the assessments done there. */
  units: { unitCode: string | null; assessments: string[]; overlapRatio: number }[];
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
  regionalAssessments: { unitCode: string | null; assessments: string[]; overlapRatio: number }[];
  coveredAssessments: RegionalAssessment[];
}

/** Shape, extent and PostGIS validity of a site; returns the GeoJSON text and its area. */
export async function validateSite(db: Db, site: unknown, field = 'body.site') {
  const geometry = parsePolygonGeometry(site, field);
  const text = JSON.stringify(geometry);
  const facts = await repo.siteFacts(db, text);
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
  return { text, areaM2: facts.areaM2 };
}

async function regionalCover(db: Db, siteText: string, siteAreaM2: number): Promise<RegionalCover> {
  const { units, coverage } = await repo.regionalUnits(db, siteText);
  return {
    units: units
      .filter((u) => u.overlapAreaM2 > MIN_OVERLAP_M2)
      .map((u) => ({
        unitCode: u.unitCode,
        assessments: u.assessments,
        overlapRatio: u.overlapAreaM2 / siteAreaM2,
      })),
    covered: coverage
      .filter((c) => c.coveredM2 / siteAreaM2 >= COVERAGE_RATIO)
      .map((c) => c.code as RegionalAssessment),
  };
}

async function districtCheck(
  db: Db,
  siteText: string,
  siteAreaM2: number,
  district: { code: string; name: string },
): Promise<DistrictCheck> {
  const { features, outsideM2 } = await repo.outsideDistrictBoundary(db, siteText, district.code);
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
  const inside = outsideM2 <= siteAreaM2 * (1 - COVERAGE_RATIO);
  return { ...district, boundaryLoaded: true, inside, outsideAreaM2: outsideM2, warning: null };
}

/**
 * Checks a site (GeoJSON Polygon / MultiPolygon, CGCS2000 degrees) against the current layers, and,
 * when the district it is registered under is given, against that district's boundary.
 */
export async function checkSite(
  db: Db,
  site: unknown,
  opts: { district?: { code: string; name: string } } = {},
): Promise<SiteCheckResult> {
  const { text, areaM2 } = await validateSite(db, site);
  const rows = (await repo.overlaps(db, text, blockingKinds)).filter((r) => r.overlapAreaM2 > MIN_OVERLAP_M2);
  const conflicts = rows.map((r) => ({ ...r, overlapRatio: r.overlapAreaM2 / areaM2 }));
  const urban = await repo.outsideUrbanBoundary(db, text);
  const outside = urban.layers > 0 && urban.outsideM2 > URBAN_TOLERANCE_M2;
  const cover = await regionalCover(db, text, areaM2);
  return {
    verdict: siteVerdict(conflicts.length, outside),
    district: opts.district ? await districtCheck(db, text, areaM2, opts.district) : null,
    siteAreaM2: areaM2,
    conflicts,
    urbanBoundary: { loaded: urban.layers > 0, outsideAreaM2: urban.layers > 0 ? urban.outsideM2 : 0 },
    regionalAssessments: cover.units,
    coveredAssessments: cover.covered,
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

/** Task 44: the regional assessments covering a registered project's site. */
export async function regionalAssessmentsForProject(db: Db, projectId: string): Promise<RegionalCover> {
  const site = await repo.projectSite(db, projectId);
  if (!site) throw notFound('项目 project', projectId);
  const facts = await repo.siteFacts(db, site);
  return regionalCover(db, site, facts.areaM2);
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
