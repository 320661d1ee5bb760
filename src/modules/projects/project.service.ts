/**
 * Projects (项目): registration with the national project code, the project's stages and their state,
 * and the per-stage guide — one guide, one form, one material set (task 58).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { listItems } from '../catalog/catalog.service';
import type { Item } from '../catalog/catalog.schemas';
import { districtOf, type Actor } from '../identity/identity.rules';
import { pageOffset } from '../../shared/paging';
import * as templateService from '../templates/template.service';
import { applicableItems, stageTimeLimit } from '../templates/template.rules';
import type { ProjectAttributes, TemplateDefinition, TemplateStage } from '../templates/template.schemas';
import { claimPlannedProject, markPlannedProjectUsed } from '../blueprint/planned.service';
import { listDistricts, registrableDistrict } from '../blueprint/district.service';
import { checkSite, latestSiteCheck, storeSiteCheck } from '../blueprint/site-check.service';
import { taskClocks, type ClockDeps } from '../supervision/clock.service';
import type { TaskClock } from '../approvals/clock.rules';
import * as repo from './project.repository';
import {
  approvalTypeProblem,
  defaultApprovalType,
  PARALLEL_STAGE,
  plannedStartProblem,
  resolveAttributes,
  type RegistrationProblem,
  projectCode,
  siteAreaProblem,
  siteShapeProblem,
  stageStates,
  MAX_SERIAL,
  type SiteGeometry,
} from './project.rules';
import type { ListProjectsInput, RegisterProjectInput } from './project.schemas';
import { translateValidityReason } from './site.rules';
import { issueQueryCode } from '../portal/query-code.service';
import { enterpriseCreditCode } from './guide.repository';
import { requireConsent } from '../agency/agency.service';

type Db = Kysely<DB> | Transaction<DB>;

export async function itemsByCode(db: Db): Promise<Map<string, Item>> {
  const items = await listItems(db, { status: 'all' });
  return new Map(items.map((i) => [i.code, i]));
}

/** The stage's items that apply to this project (template conditions), with their current catalog
 *  versions; cancelled or merged items drop out. The time limit is computed over these items only,
 *  as the approvals service does when it accepts the application. */
export function projectStage(
  stage: TemplateStage,
  attributes: ProjectAttributes,
  catalog: ReadonlyMap<string, Item>,
) {
  const chosen = applicableItems(stage, attributes)
    .map((ti) => ({ ti, item: catalog.get(ti.itemCode) }))
    .filter((x): x is { ti: typeof x.ti; item: Item } => x.item !== undefined && x.item.status === 'active');
  const timeLimitWorkingDays = stageTimeLimit({ ...stage, items: chosen.map((x) => x.ti) }, catalog);
  return { chosen, timeLimitWorkingDays };
}

// ---------------------------------------------------------------------------------------------
// Visibility: applicants see their enterprise's projects; agent/window/supervisor/admin all;
// department staff the projects with a task in their department. A logged-in user outside that scope
// gets 403 FORBIDDEN_SCOPE (ids are random UUIDs, so the answer leaks nothing guessable); an id that
// does not exist gets 404.

function scopeOf(actor: Actor): repo.ProjectScope {
  if (actor.role === 'applicant') return { kind: 'enterprise', enterpriseId: actor.enterpriseId ?? '' };
  if (['reviewer', 'senior', 'head', 'coordinator'].includes(actor.role)) {
    return { kind: 'department', departmentCode: actor.departmentCode ?? '' };
  }
  // A district's window (issue 16 §6) works on its district's projects; the city's window on all.
  const district = actor.role === 'window' ? districtOf(actor) : null;
  if (district) return { kind: 'district', districtCode: district };
  return { kind: 'all' };
}

export async function visibleProject(db: Db, actor: Actor, id: string): Promise<repo.ProjectRow> {
  const scope = scopeOf(actor);
  const found = await repo.findProjectInScope(
    db,
    id,
    scope.kind === 'department' ? scope.departmentCode : null,
  );
  if (!found) throw notFound('项目 project', id);
  const { inDepartment, ...project } = found;
  assertVisible(scope, project, inDepartment);
  return project;
}

/** The one visibility rule (the row and the department-scope answer come from one statement). */
function assertVisible(
  scope: repo.ProjectScope,
  project: { enterpriseId: string; districtCode: string },
  inDepartment: boolean,
) {
  const visible =
    scope.kind === 'all' ||
    (scope.kind === 'district' && project.districtCode === scope.districtCode) ||
    (scope.kind === 'enterprise' && project.enterpriseId === scope.enterpriseId) ||
    (scope.kind === 'department' && inDepartment);
  if (!visible)
    throw new DomainError('FORBIDDEN_SCOPE', '无权查看该项目 (project of another enterprise or department)');
}

type ProjectChildren = {
  applications: Awaited<ReturnType<typeof repo.listApplications>>;
  tasks: Awaited<ReturnType<typeof repo.listTasks>>;
};

/** The project as the API shows it, with every stage of its own template version. */
async function projectView(db: Db, project: repo.ProjectRow, deps?: ClockDeps, loaded?: ProjectChildren) {
  // Everything that needs only the project row at once (each serial round trip is a wait per read);
  // the detail reads bring applications and tasks with the row (repo.findProjectView).
  const [def, items, applications, tasks, siteCheck] = await Promise.all([
    templateService.findDefinitionVersion(db, project.templateCode, project.templateVersion),
    itemsByCode(db),
    loaded?.applications ?? repo.listApplications(db, [project.id]),
    loaded?.tasks ?? repo.listTasks(db, project.id),
    latestSiteCheck(db, project.id),
  ]);
  if (!def)
    throw notFound('审批流程版本 template version', `${project.templateCode} v${project.templateVersion}`);
  const states = stageStates(def.stages, applications);
  // A project just registered has no tasks; every view that has them passes the clock.
  const clocks = deps ? await taskClocks(db as Kysely<DB>, deps, tasks) : new Map<string, TaskClock>();
  const stages = def.stages.map((s, i) => {
    const state = states[i]!;
    const covers = new Set([s.nationalStage, ...s.mergedStages]);
    // The stage's items: those of its current application, those approved by an earlier one (a
    // re-application does not decide them again), and for 并行推进 every service applied for.
    const ofStage = tasks.filter(
      (t) =>
        covers.has(t.stage) &&
        (t.applicationId === state.applicationId ||
          t.status === 'approved' ||
          s.nationalStage === PARALLEL_STAGE),
    );
    return {
      nationalStage: s.nationalStage,
      name: s.name,
      leadDepartmentCode: s.leadDepartmentCode,
      timeLimitWorkingDays: projectStage(s, project.attributes, items).timeLimitWorkingDays,
      status: state.status,
      applicationId: state.applicationId,
      tasks: ofStage.map((t) => {
        const clock = clocks.get(t.id);
        return {
          id: t.id,
          applicationId: t.applicationId,
          itemCode: t.itemCode,
          itemName: t.itemName ?? t.itemCode,
          departmentCode: t.departmentCode,
          status: t.status,
          deadline: clock?.deadline ?? t.deadline,
          clock: clock
            ? {
                deadline: clock.deadline,
                remainingWorkingDays: clock.remainingWorkingDays,
                overdueWorkingDays: clock.overdueWorkingDays,
                clockState: clock.clockState,
                paused: clock.paused,
                pausedWorkingDays: clock.pausedWorkingDays,
                extendedBy: clock.extendedBy,
              }
            : null,
        };
      }),
    };
  });
  const { siteGeoJson, industryCode, approvalType, createdAt, constructionConditions, ...rest } = project;
  return {
    ...rest,
    constructionConditions,
    siteCheck,
    industryCode,
    approvalType,
    site: JSON.parse(siteGeoJson) as { type: 'MultiPolygon'; coordinates: number[][][][] },
    attributes: project.attributes as unknown as Record<string, unknown>,
    createdAt: createdAt.toISOString(),
    stages,
  };
}

export type ProjectView = Awaited<ReturnType<typeof projectView>>;

/**
 * The facts the provincial exchange reports of a project (SPGL 项目基本信息): the row, the enterprise's
 * credit code, and when the last main stage completed if all have. Read as the system, no access check.
 */
export async function exchangeFacts(db: Db, id: string) {
  const project = await repo.findProject(db, id);
  if (!project) return undefined;
  const [def, applications, creditCode] = await Promise.all([
    templateService.findDefinitionVersion(db, project.templateCode, project.templateVersion),
    repo.listApplications(db, [id]),
    enterpriseCreditCode(db, project.enterpriseId),
  ]);
  const states = def ? stageStates(def.stages, applications) : [];
  const main = states.filter((s) => s.nationalStage !== PARALLEL_STAGE);
  const done = main.length > 0 && main.every((s) => s.status === 'completed');
  const completed = applications
    .filter((a) => a.status === 'completed' && a.completedAt)
    .map((a) => a.completedAt as Date)
    .sort((a, b) => a.getTime() - b.getTime());
  return {
    project,
    nationalProcessType: def?.nationalProcessType ?? null,
    creditCode,
    completedAt: done ? (completed.at(-1)?.toISOString() ?? null) : null,
  };
}

/**
 * The project with this national code as the API shows it, for the public portal's progress lookup
 * (which checks the query code and masks the result); undefined when no project has that code.
 */
export async function projectByCode(db: Db, code: string, deps: ClockDeps): Promise<ProjectView | undefined> {
  const found = await repo.findProjectView(db, { code }, null);
  return found ? projectView(db, found.project, deps, found) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Registration.

function ownerEnterprise(actor: Actor, requested: string | undefined): string {
  if (actor.role === 'applicant') {
    if (requested && requested !== actor.enterpriseId) {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '申请人只能为本企业登记项目 (applicants register for their own enterprise)',
        {
          field: 'body.enterpriseId',
        },
      );
    }
    return actor.enterpriseId!;
  }
  if (!requested) {
    throw new DomainError(
      'VALIDATION_FAILED',
      '帮办代办须指明建设单位 enterpriseId (agent must name the enterprise)',
      {
        field: 'body.enterpriseId',
      },
    );
  }
  return requested;
}

const siteError = (message: string) => new DomainError('VALIDATION_FAILED', message, { field: 'body.site' });

/** A contradictory registration: 422 naming the first field, every problem in the details. */
function contradiction(problems: RegistrationProblem[]): DomainError {
  const [first] = problems;
  return new DomainError('RULE_VIOLATION', problems.map((p) => p.message).join('；'), {
    field: first!.field,
    details: problems,
  });
}

export async function registerProject(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  input: RegisterProjectInput,
): Promise<ProjectView & { queryCode: string }> {
  const enterpriseId = ownerEnterprise(actor, input.enterpriseId);
  const startProblem = plannedStartProblem(input.plannedStart, beijingDate(now));
  if (startProblem) throw contradiction([startProblem]);
  if (input.plannedStart >= input.plannedCompletion) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `计划开工日期 ${input.plannedStart} 须早于计划竣工日期 ${input.plannedCompletion} (planned start must be before planned completion)`,
      { field: 'body.plannedCompletion' },
    );
  }
  const shapeProblem = siteShapeProblem(input.site as SiteGeometry);
  if (shapeProblem) throw siteError(shapeProblem);
  const siteGeoJson = JSON.stringify(input.site);
  const inspected = await repo.inspectSite(db, siteGeoJson);
  if (!inspected.valid) throw siteError(translateValidityReason(inspected.reason));
  const areaProblem = siteAreaProblem(inspected.areaM2);
  if (areaProblem) throw siteError(areaProblem);

  const year = Number(beijingDate(now).slice(0, 4));

  return db.transaction().execute(async (trx) => {
    // 帮办代办: only for an enterprise that consented to this agent registering its projects (403 why not).
    const consentId = await requireConsent(trx, actor, enterpriseId, 'register_project', now);
    const def: TemplateDefinition | undefined = await templateService.findCurrentDefinition(
      trx,
      input.templateCode,
    );
    if (!def) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `审批流程 ${input.templateCode} 不存在或已停用 (no current process template)`,
        {
          field: 'body.templateCode',
        },
      );
    }
    const district = await registrableDistrict(trx, input.districtCode);
    if (!(await repo.enterpriseName(trx, enterpriseId))) {
      throw new DomainError('NOT_FOUND', `建设单位 ${enterpriseId} 不存在 (enterprise not found)`, {
        field: 'body.enterpriseId',
      });
    }
    // 一张蓝图 (tasks 40, 51): a site on a red line or basic farmland is not generated as a project.
    const siteCheck = await checkSite(trx, input.site, { district });
    const { attributes, problems } = resolveAttributes(def, input.attributes, {
      totalInvestment: input.totalInvestment,
      // Task 44: covered by a regional assessment is a fact of the site, not the applicant's answer.
      withinRegionalAssessment: siteCheck.coveredAssessments.length > 0,
      approvalType: input.approvalType,
    });
    const approvalType =
      input.approvalType ?? defaultApprovalType(attributes.investmentSource, attributes.requiresVerification);
    const typeProblem = approvalTypeProblem(approvalType, attributes);
    if (typeProblem) problems.push(typeProblem);
    if (siteCheck.district?.inside === false) {
      problems.push({
        field: 'body.districtCode',
        message: `用地范围不在${district.name} (${district.code}) 的行政区界内（界外 ${Math.round(siteCheck.district.outsideAreaM2)} m²），请核对所属区县或用地范围 (site outside the district boundary)`,
      });
    }
    if (problems.length > 0) throw contradiction(problems);
    if (siteCheck.verdict === 'blocked') {
      const names = siteCheck.conflicts.map((c) => `${c.layerName}(${Math.round(c.overlapAreaM2)} m²)`);
      throw new DomainError(
        'RULE_VIOLATION',
        `项目选址与管控线冲突：${names.join('、')} (site conflicts with control lines)`,
        { field: 'body.site', details: siteCheck.conflicts },
      );
    }
    // 策划生成 (issue 18): the planned project's enterprise and site must match; it is used once.
    const planned = input.plannedProjectId
      ? await claimPlannedProject(trx, input.plannedProjectId, { enterpriseId, siteGeoJson })
      : undefined;
    const serial = await repo.nextSerial(trx, year, input.districtCode);
    if (serial > MAX_SERIAL) {
      throw new DomainError(
        'RULE_VIOLATION',
        `${year} 年 ${input.districtCode} 的项目流水号已用尽 (serial exhausted)`,
      );
    }
    const code = projectCode({
      year,
      districtCode: input.districtCode,
      industryCode: input.industryCode,
      approvalType,
      serial,
    });
    const id = await repo.insertProject(trx, {
      code,
      name: input.name,
      enterpriseId,
      templateCode: def.code,
      templateVersion: def.version,
      districtCode: input.districtCode,
      industryCode: input.industryCode,
      approvalType,
      totalInvestment: input.totalInvestment,
      attributes,
      siteGeoJson,
      siteAreaM2: inspected.areaM2,
      plannedStart: input.plannedStart,
      plannedCompletion: input.plannedCompletion,
      createdBy: actor.userId,
      createdAt: now,
      plannedProjectId: planned?.plannedProjectId ?? null,
      constructionConditions: planned?.conditions ?? [],
    });
    if (planned) {
      await markPlannedProjectUsed(trx, actor, now, {
        plannedProjectId: planned.plannedProjectId,
        projectId: id,
        enterpriseId,
      });
    }
    await storeSiteCheck(trx, id, siteCheck, now);
    await recordEvent(trx, actor, now, {
      action: 'project.registered',
      objectType: 'project',
      objectId: id,
      toState: 'registered',
      detail: {
        code,
        templateCode: def.code,
        templateVersion: def.version,
        enterpriseId,
        onBehalf: actor.role === 'agent',
        consentId,
      },
    });
    // 查询码 (public progress lookup): shown once, in this answer; only its hash is stored.
    const queryCode = await issueQueryCode(trx, id, now);
    return { ...(await projectView(trx, (await repo.findProject(trx, id))!)), queryCode };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading.

export async function getProject(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  deps: ClockDeps,
): Promise<ProjectView> {
  const scope = scopeOf(actor);
  const found = await repo.findProjectView(
    db,
    { id },
    scope.kind === 'department' ? scope.departmentCode : null,
  );
  if (!found) throw notFound('项目 project', id);
  assertVisible(scope, found.project, found.inDepartment);
  return projectView(db, found.project, deps, found);
}

/** The most projects one export lists. */
const EXPORT_LIMIT = 5000;

/**
 * 我的项目 / the projects in the actor's scope: searched, filtered, ordered and cut into a page in SQL,
 * each with its current stage. `limit`/`offset` (the first API's parameters) still cut the page when given.
 */
export async function listProjects(db: Kysely<DB>, actor: Actor, query: ListProjectsInput) {
  const pageSize = query.limit ?? query.pageSize;
  const offset = query.limit !== undefined ? (query.offset ?? 0) : pageOffset(query);
  const page = Math.floor(offset / pageSize) + 1;
  const { rows, total } = await repo.listProjects(db, scopeOf(actor), query, { limit: pageSize, offset });
  return { projects: await summaries(db, rows), total, page, pageSize };
}

/** Every project the list would show (up to EXPORT_LIMIT), for the Excel export. */
export async function exportProjects(
  db: Kysely<DB>,
  actor: Actor,
  query: Omit<ListProjectsInput, 'page' | 'pageSize' | 'limit' | 'offset'>,
) {
  const { rows, total } = await repo.listProjects(db, scopeOf(actor), query, {
    limit: EXPORT_LIMIT,
    offset: 0,
  });
  const names = new Map((await listDistricts(db, { includeInactive: true })).map((d) => [d.code, d.name]));
  const projects = (await summaries(db, rows)).map((p) => ({
    ...p,
    districtName: names.get(p.districtCode) ?? p.districtCode,
  }));
  return { projects, total };
}

async function summaries(db: Db, rows: Awaited<ReturnType<typeof repo.listProjects>>['rows']) {
  const applications = await repo.listApplications(
    db,
    rows.map((r) => r.id),
  );
  const defs = new Map<string, TemplateDefinition | undefined>();
  const projects = [];
  for (const row of rows) {
    const key = `${row.templateCode}@${row.templateVersion}`;
    if (!defs.has(key))
      defs.set(key, await templateService.findDefinitionVersion(db, row.templateCode, row.templateVersion));
    const def = defs.get(key);
    const states = def
      ? stageStates(
          def.stages,
          applications.filter((a) => a.projectId === row.id),
        )
      : [];
    const index = states.findIndex((s) => s.nationalStage !== PARALLEL_STAGE && s.status !== 'completed');
    const current =
      index >= 0
        ? {
            nationalStage: states[index]!.nationalStage,
            name: def!.stages[index]!.name,
            status: states[index]!.status,
          }
        : null;
    projects.push({
      id: row.id,
      code: row.code,
      name: row.name,
      templateCode: row.templateCode,
      enterpriseName: row.enterpriseName,
      districtCode: row.districtCode,
      createdAt: row.createdAt.toISOString(),
      currentStage: current,
    });
  }
  return projects;
}

/** The project row (with its enterprise's name) for another module's use case; no visibility check. */
export const findProjectRow = repo.findProject;
