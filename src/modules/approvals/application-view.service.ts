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
import { missingMaterials } from './approval.rules';
import { applicationBlzt, applicationStateNames, taskBlzt, taskStateNames } from './lifecycle.rules';
import { limitToItems, resolveStage } from './stage';
import { stageMaterials } from './submit.service';
import { listDistricts } from '../blueprint/district.service';
import { STAGE_NAMES } from '../templates/template.data';

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

/** An application with everything a clerk or the applicant needs to see. */
export async function getApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
) {
  const app = await appRepo.findApplication(db, applicationId);
  if (!app) throw notFound('申报 application', applicationId);
  // The scope check and the project row do not depend on each other: one round trip's wait, not two.
  const [project] = await Promise.all([
    appRepo.findProject(db, app.projectId),
    assertCanSeeProject(db, actor, { id: app.projectId }),
  ]);
  const [tasks, materials, deficiencies, corrections, commitments, stage] = await Promise.all([
    taskRepo.listApplicationTasks(db, applicationId),
    appRepo.listApplicationMaterials(db, applicationId),
    appRepo.listDeficiencies(db, applicationId),
    appRepo.listCorrections(db, applicationId),
    appRepo.listCommitments(db, applicationId),
    resolveStage(db, project!, app.stage)
      .then((s) => limitToItems(s, app.itemCodes))
      .catch(() => null),
  ]);
  const [clocks, extensions] = await Promise.all([
    taskClocks(db, deps, tasks),
    taskRepo.listExtensions(
      db,
      tasks.map((t) => t.id),
    ),
  ]);
  // What the window still lacks before acceptance: blocking ones, and those it may accept under 容缺.
  const needs = stage ? await stageMaterials(db, project!, stage, deps.clock.now()) : [];
  const missing = missingMaterials(needs, new Set(materials.map((m) => m.materialCode)));
  const today = beijingDate(deps.clock.now());
  return {
    id: app.id,
    projectId: app.projectId,
    projectCode: project!.code,
    projectName: project!.name,
    enterpriseName: project!.enterpriseName,
    enterpriseId: project!.enterpriseId,
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
      extension:
        extensions
          .filter((e) => e.taskId === t.id && e.status === 'approved')
          .map((e) => ({ workingDays: e.workingDays, reason: e.reason, decidedAt: e.decidedAt }))[0] ?? null,
      viaCommitment: t.viaCommitment,
      simulated: t.simulated,
      outcome: t.outcome,
      opinion: t.opinion,
      endedReason: t.endedReason,
      decidedAt: t.decidedAt,
    })),
  };
}
