/**
 * What reviewers and applicants see of item tasks: the inbox, one task with every round of decisions, its
 * clock (the one rule, from supervision's taskClocks), extensions, reopenings, and what it must not review
 * again (task 9); and the whole record of an application.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import * as catalog from '../catalog/catalog.service';
import type { Actor } from '../identity/identity.rules';
import { taskClocks } from '../supervision/clock.service';
import { assertCanSeeProject } from './approval.access';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import * as inspectionRepo from './inspection.repository';
import type { InboxQueryInput } from './approval.schemas';
import type { ReviewStep } from './approval.tables';
import { RUNNING_TASK_STATUSES } from './clock.rules';
import { taskBlzt, taskStateNames } from './lifecycle.rules';
import { visibleTask } from './task-access';
import * as taskRepo from './task.repository';
import { notFound } from '../../shared/errors';

/** The most tasks one inbox list or export considers when it must derive every clock to filter. */
const CLOCK_FILTER_LIMIT = 5000;

function inboxScope(actor: Actor) {
  const step: ReviewStep | null =
    actor.role === 'reviewer' ? 'initial' : actor.role === 'senior' ? 'final' : null;
  if (!step || !actor.departmentCode) {
    throw new DomainError('FORBIDDEN_ROLE', '待办箱仅供审批人员使用 (inbox is for reviewers)');
  }
  return { step, departmentCode: actor.departmentCode };
}

const inboxStatuses = {
  in_review: ['in_review'],
  correction: ['correction'],
  paused: ['paused'],
  running: RUNNING_TASK_STATUSES,
} as const;

/**
 * 待办箱: the department's tasks at the actor's step (a filing item, steps ['final'], is decided by 复核
 * directly, so both lists are by current step), searched, filtered, ordered and cut into a page in SQL.
 * Clocks are derived for the page only — except when filtering by clock state, which needs every
 * candidate's clock (the one rule, supervision's taskClocks) before the page is cut.
 */
export async function inbox(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  query: Omit<InboxQueryInput, 'page' | 'pageSize'> & { page?: number; pageSize?: number },
) {
  const scope = inboxScope(actor);
  const filter: taskRepo.InboxQuery = {
    ...scope,
    statuses: inboxStatuses[query.state],
    q: query.q,
    sort: query.sort,
    order: query.order,
  };
  const pageSize = query.pageSize ?? CLOCK_FILTER_LIMIT;
  const page = query.page ?? 1;
  const offset = (page - 1) * pageSize;
  const withNames = <T extends { status: string }>(r: T) => ({
    ...r,
    statusName: taskStateNames[r.status as keyof typeof taskStateNames] ?? r.status,
  });
  if (!query.clockState) {
    const { rows, total } = await taskRepo.listInbox(db, filter, { limit: pageSize, offset });
    const clocks = await taskClocks(db, deps, rows);
    return { tasks: rows.map((r) => withNames({ ...r, clock: clocks.get(r.id)! })), total, page, pageSize };
  }
  const { rows } = await taskRepo.listInbox(db, filter, { limit: CLOCK_FILTER_LIMIT, offset: 0 });
  const clocks = await taskClocks(db, deps, rows);
  const matching = rows.filter((r) => clocks.get(r.id)!.clockState === query.clockState);
  return {
    tasks: matching
      .slice(offset, offset + pageSize)
      .map((r) => withNames({ ...r, clock: clocks.get(r.id)! })),
    total: matching.length,
    page,
    pageSize,
  };
}

export async function getTask(db: Kysely<DB>, deps: ApprovalDeps, actor: Actor, taskId: string) {
  const { task, project } = await visibleTask(db, actor, taskId);
  const [item, decisions, pauses, materials, reviewed, app, extensions, reopenings, clocks, revocations] =
    await Promise.all([
      catalog.findCurrentItem(db, task.itemCode),
      taskRepo.listDecisions(db, task.id),
      taskRepo.listPauses(db, [task.id]),
      appRepo.listApplicationMaterials(db, task.applicationId),
      taskRepo.listReviewedElsewhere(db, task.projectId, task.id),
      appRepo.findApplication(db, task.applicationId),
      taskRepo.listExtensions(db, [task.id]),
      taskRepo.listReopenings(db, { taskIds: [task.id] }),
      taskClocks(db, deps, [task]),
      taskRepo.listRevocations(db, task.id),
    ]);
  const ownMaterials = new Set((item?.materials ?? []).map((m) => m.code));
  return {
    id: task.id,
    applicationId: task.applicationId,
    projectId: task.projectId,
    projectCode: project.code,
    projectName: project.name,
    enterpriseName: project.enterpriseName,
    enterpriseId: project.enterpriseId,
    // 策划生成 (task 43): the departments' construction conditions the project was generated with.
    constructionConditions: project.constructionConditions,
    itemCode: task.itemCode,
    itemName: item?.name ?? task.itemCode,
    departmentCode: task.departmentCode,
    stage: task.stage,
    status: task.status,
    statusName: taskStateNames[task.status],
    blzt: taskBlzt[task.status],
    round: task.round,
    endedReason: task.endedReason,
    steps: task.steps,
    currentStep: task.currentStep,
    startedOn: task.startedOn,
    deadline: task.deadline,
    clock: clocks.get(task.id)!,
    extensions: extensions.map((e) => ({
      id: e.id,
      workingDays: e.workingDays,
      reason: e.reason,
      status: e.status,
      requestedAt: e.requestedAt,
      decidedAt: e.decidedAt,
      opinion: e.opinion,
    })),
    reopenings: reopenings.map((r) => ({
      id: r.id,
      reason: r.reason,
      status: r.status,
      requestedAt: r.requestedAt,
      countersignedAt: r.countersignedAt,
      opinion: r.opinion,
      fromStatus: r.fromStatus,
    })),
    revocations: revocations.map((r) => ({
      id: r.id,
      reason: r.reason,
      legalBasis: r.legalBasis,
      sourceType: r.sourceType,
      certificateIdentifier: r.certificateIdentifier,
      revokedAt: r.revokedAt,
      correctedAt: r.correctedAt,
      correctedReason: r.correctedReason,
    })),
    viaCommitment: task.viaCommitment,
    simulated: task.simulated,
    simulatedUntil: task.simulatedUntil,
    outcome: task.outcome,
    opinion: task.opinion,
    document: task.document,
    decisions,
    pauses: pauses.map((p) => ({
      id: p.id,
      kind: p.kind,
      pausesClock: p.pausesClock,
      reason: p.reason,
      startedOn: p.startedOn,
      endedOn: p.endedOn,
    })),
    form: app?.form ?? {},
    materials: materials.filter((m) => ownMaterials.has(m.materialCode)),
    // 谁审查、谁负责 (task 9): material already examined by another approved item is not examined again.
    alreadyReviewed: reviewed
      .filter((r) => ownMaterials.has(r.materialCode))
      .map((r) => ({
        materialCode: r.materialCode,
        reviewedByItem: r.itemCode,
        departmentCode: r.departmentCode,
        decidedAt: r.decidedAt,
      })),
  };
}

export async function applicationEvents(db: Kysely<DB>, actor: Actor, applicationId: string) {
  const app = await appRepo.findApplication(db, applicationId);
  if (!app) throw notFound('申报 application', applicationId);
  const project = (await appRepo.findProject(db, app.projectId))!;
  await assertCanSeeProject(db, actor, project);
  const tasks = await taskRepo.listApplicationTasks(db, applicationId);
  return inspectionRepo.listEventsForApplication(
    db,
    applicationId,
    tasks.map((t) => t.id),
  );
}
