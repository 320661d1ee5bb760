/**
 * 策划生成 (tasks 43, 51): a planned project on the blueprint; each named department gives its early
 * opinion and 建设条件 by a working-day deadline; registration later carries them into the project.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import { departmentScopedRoles, type Actor, type Role } from '../identity/identity.rules';
import { PLANNED_SITE_TOLERANCE, plannedSiteProblem } from './blueprint.rules';
import * as repo from './planned.repository';
import { checkSite, validateSite } from './site-check.service';

type Db = Kysely<DB>;

/**
 * Planning staff (策划生成 is a government task: the project is generated on the blueprint and the
 * departments are asked for their early opinions before the enterprise applies — domain.md 一张蓝图):
 * 帮办代办 (agent), the administrator, and the staff of the planning (自然资源和规划局 zrzy) and
 * development (发展改革委 fgw) departments. Applicants are not: an enterprise could otherwise send opinion
 * requests with deadlines to any department (issue 9).
 */
export const planningRoles: readonly Role[] = ['agent', 'admin', ...departmentScopedRoles];

export function canPlan(actor: Actor): boolean {
  if (actor.role === 'agent' || actor.role === 'admin') return true;
  return (
    departmentScopedRoles.includes(actor.role) &&
    (actor.departmentCode === 'zrzy' || actor.departmentCode === 'fgw')
  );
}

export async function createPlannedProject(
  db: Db,
  calendar: CalendarProvider,
  actor: Actor,
  now: Date,
  input: {
    name: string;
    site: unknown;
    departments: string[];
    workingDays: number;
    enterpriseId: string;
    planYear?: number;
  },
) {
  if (!canPlan(actor))
    throw new DomainError(
      'FORBIDDEN_ROLE',
      '只有帮办代办、自然资源和规划局、发展改革委人员或管理员可以策划项目 (planning staff only)',
    );
  const departments = [...new Set(input.departments)];
  const known = await repo.existingDepartments(db, departments);
  const unknown = departments.find((d) => !known.has(d));
  if (unknown)
    throw new DomainError('VALIDATION_FAILED', `未知的部门 ${unknown} (unknown department)`, {
      field: 'body.departments',
    });
  if (!(await repo.enterpriseExists(db, input.enterpriseId)))
    throw new DomainError('NOT_FOUND', `建设单位 ${input.enterpriseId} 不存在 (enterprise not found)`, {
      field: 'body.enterpriseId',
    });
  const { text, areaM2 } = await validateSite(db, input.site);
  const check = await checkSite(db, input.site);
  const deadline = (await calendar.get()).addWorkingDays(beijingDate(now), input.workingDays).deadline;
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertPlannedProject(trx, {
      enterpriseId: input.enterpriseId,
      planYear: input.planYear ?? Number(beijingDate(now).slice(0, 4)),
      name: input.name,
      siteGeoJson: text,
      siteAreaM2: areaM2,
      siteCheck: check,
      workingDays: input.workingDays,
      createdBy: actor.userId,
      createdAt: now,
    });
    await repo.insertOpinionRequests(
      trx,
      id,
      departments.map((departmentCode) => ({ departmentCode, deadline })),
    );
    await recordEvent(trx, actor, now, {
      action: 'blueprint.planned.created',
      objectType: 'planned_project',
      objectId: id,
      toState: 'consulting',
      detail: {
        name: input.name,
        departments,
        deadline,
        verdict: check.verdict,
        enterpriseId: input.enterpriseId,
      },
    });
    return getPlannedProjectUnchecked(trx, id, now);
  });
}

async function getPlannedProjectUnchecked(db: Db, id: string, now: Date) {
  const p = await repo.findPlannedProject(db, id);
  if (!p) throw notFound('策划项目 planned project', id);
  const today = beijingDate(now);
  const opinions = (await repo.listOpinions(db, id)).map((o) => ({
    departmentCode: o.departmentCode,
    departmentName: o.departmentName,
    deadline: o.deadline,
    status:
      o.opinion !== null
        ? ('answered' as const)
        : o.deadline < today
          ? ('overdue' as const)
          : ('pending' as const),
    opinion: o.opinion,
    conditions: o.conditions ?? [],
    answeredAt: o.answeredAt,
  }));
  return {
    id: p.id,
    name: p.name,
    site: JSON.parse(p.siteGeoJson) as unknown,
    siteAreaM2: p.siteAreaM2,
    siteCheck: p.siteCheck,
    workingDays: p.workingDays,
    createdAt: p.createdAt,
    createdBy: p.createdBy,
    enterpriseId: p.enterpriseId,
    planYear: p.planYear,
    usedByProjectId: p.usedByProjectId,
    usedAt: p.usedAt,
    opinions,
  };
}

/** Staff see every planned project; an applicant only the ones planned for their enterprise. */
export async function getPlannedProject(db: Db, actor: Actor, now: Date, id: string) {
  const p = await getPlannedProjectUnchecked(db, id, now);
  if (actor.role === 'applicant' && p.createdBy !== actor.userId && p.enterpriseId !== actor.enterpriseId)
    throw notFound('策划项目 planned project', id);
  return p;
}

export async function answerOpinion(
  db: Db,
  actor: Actor,
  now: Date,
  id: string,
  input: { opinion: string; conditions: string[] },
) {
  if (!departmentScopedRoles.includes(actor.role) || !actor.departmentCode) {
    throw new DomainError('FORBIDDEN_ROLE', '只有部门审批人员可以提出意见 (department staff only)');
  }
  const departmentCode = actor.departmentCode;
  if (!(await repo.findPlannedProject(db, id))) throw notFound('策划项目 planned project', id);
  return db.transaction().execute(async (trx) => {
    const request = await repo.opinionExists(trx, id, departmentCode);
    if (!request)
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        `未征求 ${departmentCode} 的意见 (your department was not asked)`,
      );
    const answered = await repo.answerOpinion(trx, {
      plannedProjectId: id,
      departmentCode,
      opinion: input.opinion,
      conditions: input.conditions,
      answeredBy: actor.userId,
      answeredAt: now,
    });
    if (!answered)
      throw new DomainError('CONFLICT_STATE', '本部门已提出意见，不能重复提交 (opinion already given)');
    await recordEvent(trx, actor, now, {
      action: 'blueprint.planned.opinion',
      objectType: 'planned_project',
      objectId: id,
      reason: input.opinion,
      detail: { departmentCode, conditions: input.conditions, late: answered.deadline < beijingDate(now) },
    });
    return getPlannedProjectUnchecked(trx, id, now);
  });
}

/**
 * For project registration: the early opinions and 建设条件 to carry into the project (task 43).
 * `conditions` is flattened as "部门: 条件"; `pending` lists departments that have not answered.
 */
export async function plannedProjectConditions(db: Db, plannedProjectId: string) {
  const p = await repo.findPlannedProject(db, plannedProjectId);
  if (!p) throw notFound('策划项目 planned project', plannedProjectId);
  const opinions = await repo.listOpinions(db, plannedProjectId);
  return {
    plannedProjectId,
    name: p.name,
    site: JSON.parse(p.siteGeoJson) as unknown,
    opinions: opinions
      .filter((o) => o.opinion !== null)
      .map((o) => ({
        departmentCode: o.departmentCode,
        departmentName: o.departmentName,
        opinion: o.opinion!,
        conditions: o.conditions ?? [],
        answeredAt: o.answeredAt,
      })),
    conditions: opinions.flatMap((o) => (o.conditions ?? []).map((c) => `${o.departmentName}: ${c}`)),
    pending: opinions.filter((o) => o.opinion === null).map((o) => o.departmentCode),
  };
}

/**
 * Registration from a planned project (issue 18): it is for one enterprise and one site, and is used
 * once. Locks the row (two registrations of one planned project queue here), checks the enterprise,
 * that it is unused and that the site is within PLANNED_SITE_TOLERANCE of the planned one, and returns
 * the conditions to carry. `markPlannedProjectUsed` then binds it to the new project in the same
 * transaction. A planned project from before the enterprise was recorded binds to the first user.
 */
export async function claimPlannedProject(
  trx: Transaction<DB>,
  plannedProjectId: string,
  registration: { enterpriseId: string; siteGeoJson: string },
) {
  const row = await repo.lockForUse(trx, plannedProjectId, registration.siteGeoJson);
  if (!row) throw notFound('策划项目 planned project', plannedProjectId);
  if (row.usedByProjectId) {
    throw new DomainError(
      'CONFLICT_STATE',
      '该策划项目已用于登记另一个项目，不能再次使用 (planned project already used)',
      { field: 'body.plannedProjectId', details: { usedByProjectId: row.usedByProjectId } },
    );
  }
  if (row.enterpriseId && row.enterpriseId !== registration.enterpriseId) {
    throw new DomainError(
      'RULE_VIOLATION',
      '该策划项目是为其他建设单位策划的，不能用于本单位的项目 (planned for another enterprise)',
      { field: 'body.plannedProjectId' },
    );
  }
  const siteProblem = plannedSiteProblem(row.differenceM2, row.siteAreaM2);
  if (siteProblem) {
    throw new DomainError('RULE_VIOLATION', siteProblem, {
      field: 'body.site',
      details: {
        differenceM2: row.differenceM2,
        plannedAreaM2: row.siteAreaM2,
        tolerance: PLANNED_SITE_TOLERANCE,
      },
    });
  }
  return plannedProjectConditions(trx, plannedProjectId);
}

export async function markPlannedProjectUsed(
  trx: Transaction<DB>,
  actor: Actor,
  now: Date,
  use: { plannedProjectId: string; projectId: string; enterpriseId: string },
) {
  const marked = await repo.markUsed(trx, {
    id: use.plannedProjectId,
    projectId: use.projectId,
    enterpriseId: use.enterpriseId,
    usedAt: now,
  });
  if (!marked)
    throw new DomainError('CONFLICT_STATE', '该策划项目已被使用 (planned project already used)', {
      field: 'body.plannedProjectId',
    });
  await recordEvent(trx, actor, now, {
    action: 'blueprint.planned.used',
    objectType: 'planned_project',
    objectId: use.plannedProjectId,
    toState: 'used',
    detail: { projectId: use.projectId, enterpriseId: use.enterpriseId },
  });
}

/**
 * For the provincial exchange (项目前期意见): the planned project's use and its opinions, read as the
 * system; undefined when the id is unknown.
 */
export async function plannedProjectRecord(db: Kysely<DB> | Transaction<DB>, id: string) {
  const planned = await repo.findPlannedProject(db, id);
  if (!planned) return undefined;
  return {
    id,
    usedByProjectId: planned.usedByProjectId,
    opinions: await repo.listOpinions(db, id),
  };
}
