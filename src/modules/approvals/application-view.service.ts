/**
 * What the window, the applicant and supervisors see of stage applications: the queue, and one
 * application with its state (and national 办理状态), materials still missing, 容缺, 补正 with due dates,
 * and every task with its clock, extension and reason for ending.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import { districtOf, type Actor } from '../identity/identity.rules';
import { pageOffset } from '../../shared/paging';
import type { ListApplicationsInput } from './approval.schemas';
import { assertCanSeeProject } from './approval.access';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import * as taskRepo from './task.repository';
import { taskClocks } from '../supervision/clock.service';
import { itemsByCode } from '../projects/project.service';
import { missingMaterials } from './approval.rules';
import { applicationBlzt, applicationStateNames, taskBlzt, taskStateNames } from './lifecycle.rules';
import { limitToItems, projectDefinition, stageFrom, type ResolvedStage } from './stage';
import { stageMaterials } from './submit.service';
import { listDistricts } from '../blueprint/district.service';
import { STAGE_NAMES } from '../templates/template.data';

/** A stage that no longer resolves (an item cancelled since) shows no missing materials. */
function resolvedOrNull(resolve: () => ResolvedStage): ResolvedStage | null {
  try {
    return resolve();
  } catch {
    return null;
  }
}

/** The window's queue and oversight; an applicant sees its own enterprise's applications only. */
/** The most applications one export lists. */
const EXPORT_LIMIT = 5000;

/**
 * 申报列表 / the window's queue: searched, filtered, ordered and cut into a page in SQL. Applicants see
 * their enterprise's; district staff their district's (asking for another district is refused); the
 * city's window, supervisors and agents every district's.
 */
export async function listApplications(
  db: Kysely<DB>,
  actor: Actor,
  query: Omit<ListApplicationsInput, 'page' | 'pageSize'> & { page?: number; pageSize?: number },
) {
  if (!['window', 'agent', 'supervisor', 'admin', 'applicant'].includes(actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', '申报列表仅供窗口、代办、监察和申请企业查看 (not for this role)');
  }
  const own = districtOf(actor);
  if (own && query.districtCode && query.districtCode !== own) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能查看本区县的申报 (your district only)', {
      field: 'query.districtCode',
    });
  }
  const status = query.status?.split(',').filter(Boolean);
  const pageSize = query.pageSize ?? EXPORT_LIMIT;
  const page = query.page ?? 1;
  const { rows, total } = await appRepo.listApplications(
    db,
    {
      ...(status ? { status } : {}),
      ...(actor.role === 'applicant' ? { enterpriseId: actor.enterpriseId ?? '' } : {}),
      q: query.q,
      stage: query.stage,
      districtCode: own ?? query.districtCode,
      sort: query.sort,
      order: query.order,
    },
    { limit: pageSize, offset: pageOffset({ page, pageSize }) },
  );
  return { applications: rows, total, page, pageSize };
}

/** The queue as the Excel export prints it: names for the stage, state and district. */
export async function exportApplications(
  db: Kysely<DB>,
  actor: Actor,
  query: Omit<ListApplicationsInput, 'page' | 'pageSize'>,
) {
  const { applications, total } = await listApplications(db, actor, query);
  const districts = new Map(
    (await listDistricts(db, { includeInactive: true })).map((d) => [d.code, d.name]),
  );
  return {
    total,
    rows: applications.map((a) => ({
      ...a,
      stageName: STAGE_NAMES[a.stage] ?? `第${a.stage}阶段`,
      statusName: applicationStateNames[a.status],
      districtName: districts.get(a.districtCode) ?? a.districtCode,
    })),
  };
}

/**
 * An application with everything a clerk or the applicant needs to see, in three round trips (issue 10
 * item 8): the application's own aggregate and its tasks; then, at once, the visibility check (which
 * returns the project row), the template version, the catalog and the clocks; then what is on file.
 */
export async function getApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
) {
  const [detail, tasks] = await Promise.all([
    appRepo.findApplicationDetail(db, applicationId),
    taskRepo.listApplicationTasks(db, applicationId),
  ]);
  if (!detail) throw notFound('申报 application', applicationId);
  const { app, materials, deficiencies, corrections, commitments, approvedExtensions } = detail;
  const [project, definition, catalog, clocks] = await Promise.all([
    assertCanSeeProject(db, actor, { id: app.projectId }),
    // A template version that cannot be read shows no missing materials, as a stage that no longer
    // resolves does (below); the view itself still answers.
    projectDefinition(db, app).catch(() => null),
    itemsByCode(db),
    taskClocks(db, deps, tasks),
  ]);
  const stage = definition
    ? resolvedOrNull(() => limitToItems(stageFrom(definition, project, app.stage, catalog), app.itemCodes))
    : null;
  // What the window still lacks before acceptance: blocking ones, and those it may accept under 容缺.
  const needs = stage ? await stageMaterials(db, project, stage, deps.clock.now(), catalog) : [];
  const missing = missingMaterials(needs, new Set(materials.map((m) => m.materialCode)));
  const extensionOf = new Map<string, (typeof approvedExtensions)[number]>();
  for (const e of approvedExtensions) if (!extensionOf.has(e.taskId)) extensionOf.set(e.taskId, e);
  const today = beijingDate(deps.clock.now());
  return {
    id: app.id,
    projectId: app.projectId,
    projectCode: project.code,
    projectName: project.name,
    enterpriseName: project.enterpriseName,
    enterpriseId: project.enterpriseId,
    stage: app.stage,
    status: app.status,
    statusName: applicationStateNames[app.status],
    blzt: applicationBlzt[app.status],
    endedAt: app.endedAt,
    endedReason: app.endedReason,
    form: app.form,
    itemCodes: app.itemCodes,
    submittedAt: app.submittedAt,
    acceptedAt: app.acceptedAt,
    completedAt: app.completedAt,
    expectedCompletion: app.expectedCompletion,
    refusedReason: app.refusedReason,
    materials,
    missingMaterials: [...missing.blocking, ...missing.deferrable].map((m) => ({
      code: m.code,
      name: m.name,
      deficiencyAllowed: m.deficiencyAllowed,
    })),
    deficiencies: deficiencies.map((d) => ({
      materialCode: d.materialCode,
      dueDate: d.dueDate,
      fulfilledAt: d.fulfilledAt,
      overdue: !d.fulfilledAt && compareDates(d.dueDate, today) < 0,
    })),
    corrections: corrections.map((c) => ({
      id: c.id,
      taskId: c.taskId,
      items: c.items,
      requestedAt: c.requestedAt,
      dueDate: c.dueDate,
      overdue: !c.answeredAt && c.dueDate !== null && compareDates(c.dueDate, today) < 0,
      answeredAt: c.answeredAt,
    })),
    commitments: commitments.map((c) => ({ itemCode: c.itemCode, text: c.text, signedAt: c.signedAt })),
    tasks: tasks.map((t) => ({
      id: t.id,
      itemCode: t.itemCode,
      departmentCode: t.departmentCode,
      status: t.status,
      statusName: taskStateNames[t.status],
      blzt: taskBlzt[t.status],
      round: t.round,
      currentStep: t.currentStep,
      deadline: clocks.get(t.id)!.deadline,
      clock: clocks.get(t.id)!,
      extension: extensionOf.has(t.id)
        ? {
            workingDays: extensionOf.get(t.id)!.workingDays,
            reason: extensionOf.get(t.id)!.reason,
            decidedAt: extensionOf.get(t.id)!.decidedAt,
          }
        : null,
      viaCommitment: t.viaCommitment,
      simulated: t.simulated,
      outcome: t.outcome,
      opinion: t.opinion,
      endedReason: t.endedReason,
      decidedAt: t.decidedAt,
    })),
  };
}
