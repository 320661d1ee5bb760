/**
 * Project rules (pure): the national project code, district codes, the site's shape checks that need no
 * database, and which stages of a project are open (task 35 四个阶段 + 并行推进; task 58 one application
 * per stage).
 */
import type { ApplicationStatus } from '../approvals/lifecycle.rules';
import {
  attributeLabel,
  investmentSourceNames,
  landSupplyMethodNames,
  NOT_ASKED,
  templateKind,
} from '../templates/template.questions';
import {
  defaultProjectAttributes,
  type ProjectAttributeKey,
  type ProjectAttributes,
  type TemplateDefinition,
} from '../templates/template.schemas';

// ---------------------------------------------------------------------------------------------
// Codes.

/** 行政区划代码: 6 digits, the first two a province (11 北京 … 65 新疆). Zhengzhou is 4101xx. */
export function districtCodeProblem(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return '行政区划代码须为 6 位数字 (district code must be 6 digits)';
  const province = Number(code.slice(0, 2));
  if (province < 11 || province > 65) {
    return `行政区划代码的省级代码 ${code.slice(0, 2)} 不在 11–65 之间 (province part must be 11–65, e.g. 410102 中原区)`;
  }
  if (code.slice(2, 4) === '00' && code.slice(4) !== '00') {
    return '行政区划代码的地市级代码不能为 00 (city part 00 only for a whole province: xx0000)';
  }
  return null;
}

export type ApprovalType = '01' | '02' | '03';
export const approvalTypeNames: Record<ApprovalType, string> = { '01': '审批', '02': '核准', '03': '备案' };

/**
 * The approval type the investment source calls for: government investment is 审批 (01, 《政府投资条例》);
 * enterprise investment is 核准 (02) when listed in the 《政府核准的投资项目目录》, else 备案 (03)
 * (《企业投资项目核准和备案管理条例》第三条).
 */
export function defaultApprovalType(investmentSource: unknown, requiresVerification = false): ApprovalType {
  if (investmentSource === 'government') return '01';
  return requiresVerification ? '02' : '03';
}

// ---------------------------------------------------------------------------------------------
// Registration that cannot contradict itself (issue 8).

export interface RegistrationProblem {
  field: string;
  message: string;
}

/**
 * The project's attributes from what the applicant answered: the investment source and land supply
 * default from the template and must be among the values it allows; every other attribute defaults
 * (defaultProjectAttributes); the total investment is body.totalInvestment and whether the site lies in
 * a regional-assessment unit comes from the site check, whatever the payload says (older clients still
 * send both, and attributes nothing reads: accepted, typed by the schema, kept).
 * An 核准 approval type stated without requiresVerification answers it.
 */
export function resolveAttributes(
  def: TemplateDefinition,
  given: Partial<ProjectAttributes>,
  facts: { totalInvestment: number; withinRegionalAssessment: boolean; approvalType?: string },
): { attributes: ProjectAttributes; problems: RegistrationProblem[] } {
  const kind = templateKind(def);
  const problems: RegistrationProblem[] = [];
  const pick = <K extends 'investmentSource' | 'landSupplyMethod'>(
    key: K,
    names: Record<ProjectAttributes[K], string>,
  ): ProjectAttributes[K] => {
    const allowed = kind[key] as ProjectAttributes[K][];
    const value = given[key];
    if (value === undefined) return allowed[0]!;
    if (!allowed.includes(value)) {
      problems.push({
        field: `body.attributes.${key}`,
        message:
          `审批流程“${def.name}”只适用于${allowed.map((v) => names[v]).join('或')}的项目，` +
          `所填${attributeLabel(key)}“${names[value]}”与之矛盾 (${key} ${value} contradicts the template)`,
      });
    }
    return value;
  };
  const investmentSource = pick('investmentSource', investmentSourceNames);
  const landSupplyMethod = pick('landSupplyMethod', landSupplyMethodNames);
  const requiresVerification =
    given.requiresVerification ?? (investmentSource === 'social' && facts.approvalType === '02');
  const attributes: ProjectAttributes = {
    ...defaultProjectAttributes,
    ...Object.fromEntries(
      Object.entries(given).filter(([k, v]) => v !== undefined && !NOT_ASKED.has(k as ProjectAttributeKey)),
    ),
    investmentSource,
    landSupplyMethod,
    requiresVerification,
    totalInvestment: facts.totalInvestment,
    withinRegionalAssessment: facts.withinRegionalAssessment,
  };
  return { attributes, problems };
}

/** The approval type must be the one the investment source calls for (defaultApprovalType). */
export function approvalTypeProblem(
  approvalType: string,
  attributes: Pick<ProjectAttributes, 'investmentSource' | 'requiresVerification'>,
): RegistrationProblem | null {
  const expected = defaultApprovalType(attributes.investmentSource, attributes.requiresVerification);
  if (approvalType === expected) return null;
  const name = (code: string) => approvalTypeNames[code as ApprovalType] ?? code;
  const why =
    attributes.investmentSource === 'government'
      ? '政府投资项目实行审批'
      : attributes.requiresVerification
        ? '列入《政府核准的投资项目目录》的企业投资项目实行核准'
        : '未列入核准目录的企业投资项目实行备案';
  return {
    field: 'body.approvalType',
    message: `${why}，审批类型应为 ${expected} ${name(expected)}，不能为 ${approvalType} ${name(approvalType)} (approval type does not fit the investment source)`,
  };
}

/** Planned start may be today (Beijing date) or later, never in the past. */
export function plannedStartProblem(plannedStart: string, today: string): RegistrationProblem | null {
  if (plannedStart >= today) return null;
  return {
    field: 'body.plannedStart',
    message: `计划开工日期 ${plannedStart} 早于今天 ${today}，不能登记已过去的开工日期 (planned start is in the past)`,
  };
}

export const MAX_SERIAL = 999_999;

/** 项目代码 年份-行政区划-行业-类型-流水号, e.g. 2026-410122-47-03-000123. */
export function projectCode(parts: {
  year: number;
  districtCode: string;
  industryCode: string;
  approvalType: string;
  serial: number;
}): string {
  if (!Number.isInteger(parts.serial) || parts.serial < 1 || parts.serial > MAX_SERIAL) {
    throw new RangeError(`serial out of range: ${parts.serial}`);
  }
  const serial = String(parts.serial).padStart(6, '0');
  return `${parts.year}-${parts.districtCode}-${parts.industryCode}-${parts.approvalType}-${serial}`;
}

export const PROJECT_CODE_PATTERN = /^\d{4}-\d{6}-\d{2}-0[123]-\d{6}$/;

// ---------------------------------------------------------------------------------------------
// Site shape (GeoJSON), checked before the database sees it so the message can be specific.

export type Position = number[];
export type SiteGeometry =
  { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** China's bounding box (lon 73–136 E, lat 3–54 N). */
export const CHINA_BOX = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 } as const;

const inChina = (lon: number, lat: number) =>
  lon >= CHINA_BOX.minLon && lon <= CHINA_BOX.maxLon && lat >= CHINA_BOX.minLat && lat <= CHINA_BOX.maxLat;

function polygonsOf(site: SiteGeometry): Position[][][] {
  return site.type === 'Polygon' ? [site.coordinates] : site.coordinates;
}

/** The first problem with the site's rings and coordinates, or null. */
export function siteShapeProblem(site: SiteGeometry): string | null {
  const polygons = polygonsOf(site);
  if (polygons.length === 0) return '用地范围不能为空 (site has no polygon)';
  for (const [p, rings] of polygons.entries()) {
    if (rings.length === 0) return `第 ${p + 1} 个多边形没有边界环 (polygon ${p + 1} has no ring)`;
    for (const [r, ring] of rings.entries()) {
      const where = `第 ${p + 1} 个多边形第 ${r + 1} 个环 (polygon ${p + 1}, ring ${r + 1})`;
      if (ring.length < 4)
        return `${where}至少需要 4 个坐标点（首尾相同） (a ring needs at least 4 positions)`;
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) {
        return `${where}未闭合：首尾坐标须相同 (ring is not closed: first and last positions must be equal)`;
      }
      for (const pos of ring) {
        const [lon, lat] = pos as [number, number];
        if (inChina(lon, lat)) continue;
        if (inChina(lat, lon)) {
          return `坐标 [${lon}, ${lat}] 不在中国境内；看起来经纬度顺序颠倒了，GeoJSON 要求 [经度, 纬度] (looks like lat/lon are swapped: GeoJSON is [lon, lat])`;
        }
        return `坐标 [${lon}, ${lat}] 不在中国范围内（经度 73–136，纬度 3–54） (position outside China's bounding box)`;
      }
    }
  }
  return null;
}

/** Area bounds for a construction site: > 0 and < 100 km². */
export const MAX_SITE_AREA_M2 = 100_000_000;

export function siteAreaProblem(areaM2: number): string | null {
  if (!(areaM2 > 0)) return '用地面积为 0：多边形退化为线或点 (site area is zero)';
  if (areaM2 >= MAX_SITE_AREA_M2) {
    return `用地面积 ${(areaM2 / 1e6).toFixed(1)} km² 超过 100 km² 上限 (site area must be below 100 km²)`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Stage states.

export type StageStatus = 'locked' | 'open' | ApplicationStatus;

export interface StageShape {
  nationalStage: number;
  /** A 带方案出让 stage that counts as several national stages at once, e.g. [2, 3]. */
  mergedStages?: readonly number[];
  parallelWithPrevious?: boolean;
}

export interface ApplicationShape {
  id: string;
  stage: number;
  status: ApplicationStatus;
  submittedAt: Date;
}

export interface StageState {
  nationalStage: number;
  status: StageStatus;
  applicationId: string | null;
}

/** 并行推进 (virtual stage 5): side-line services may run from the very start. */
export const PARALLEL_STAGE = 5;

const RUNNING_APPLICATION: ReadonlySet<ApplicationStatus> = new Set([
  'submitted',
  'correction_requested',
  'accepted',
]);

/** Ended without completing: the stage may be applied for again (不予受理, 不予许可, 撤回, 终止). */
export const REAPPLICABLE: ReadonlySet<StageStatus> = new Set([
  'refused',
  'rejected',
  'withdrawn',
  'terminated',
]);

/** The application that speaks for a stage: a completed one, else a running one, else the newest. */
function currentApplication(apps: readonly ApplicationShape[]): ApplicationShape | undefined {
  const newestFirst = [...apps].sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  return (
    newestFirst.find((a) => a.status === 'completed') ??
    newestFirst.find((a) => RUNNING_APPLICATION.has(a.status)) ??
    newestFirst[0]
  );
}

/**
 * The state of every template stage for one project:
 * - a stage with an application shows that application's status ('refused' = the last one was refused;
 *   a new application may be submitted);
 * - otherwise stage 5 and the first main-line stage are 'open';
 * - a later main-line stage is 'open' when the previous main-line stage is completed, or when it is
 *   marked parallelWithPrevious and the previous stage is itself no longer locked;
 * - a merged stage (mergedStages [2,3]) counts as each of its national stages.
 */
export function stageStates(
  templateStages: readonly StageShape[],
  applications: readonly ApplicationShape[],
): StageState[] {
  const states: StageState[] = [];
  let previous: StageState | undefined;
  for (const stage of templateStages) {
    const covers = new Set([stage.nationalStage, ...(stage.mergedStages ?? [])]);
    const app = currentApplication(applications.filter((a) => covers.has(a.stage)));
    let status: StageStatus;
    if (app) status = app.status;
    else if (stage.nationalStage === PARALLEL_STAGE || !previous) status = 'open';
    else if (previous.status === 'completed') status = 'open';
    else if (stage.parallelWithPrevious && previous.status !== 'locked') status = 'open';
    else status = 'locked';
    const state: StageState = { nationalStage: stage.nationalStage, status, applicationId: app?.id ?? null };
    states.push(state);
    if (stage.nationalStage !== PARALLEL_STAGE) previous = state;
  }
  return states;
}

/**
 * Whether a new application may be submitted for a stage in this state: an open stage, or one whose last
 * application ended without completing. (并行推进 is applied for one service at a time: the submission
 * checks that no application for the same service is running or done.)
 */
export function acceptsNewApplication(status: StageStatus): boolean {
  return status === 'open' || REAPPLICABLE.has(status);
}
