/**
 * Department review of one item (事项办理): the inbox, the task with what it must not review again
 * (task 9), decisions at no more than two steps (task 8), 补正 and special procedures that pause the
 * clock, and 模拟审批 turning formal when the precondition arrives.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import * as catalogRepo from '../catalog/catalog.repository';
import { formalizeCertificate } from '../certificates/certificate.service';
import { isStaffOf, reviewsFor, type Actor } from '../identity/identity.rules';
import { findFiles, recordProjectMaterials } from '../materials/material.service';
import { assertCanSeeProject } from './approval.access';
import type { ApprovalDeps } from './approval.context';
import * as repo from './approval.repository';
import {
  decisionEffect,
  NO_EXPIRY,
  specialProcedures,
  stepRole,
  type Outcome,
  type SpecialProcedureKind,
} from './approval.rules';
import type { CorrectionItem, ItemTaskTable, ReplyDocument, ReviewStep } from './approval.tables';
import { issueResultCertificate } from './certificate-link';
import { taskClock } from './clock.rules';
import { resolveStage } from './stage';
import { completeStageIfDone } from './stage-completion';

type Task = Selectable<ItemTaskTable>;

export async function inbox(db: Kysely<DB>, deps: ApprovalDeps, actor: Actor) {
  const step: ReviewStep | null =
    actor.role === 'reviewer' ? 'initial' : actor.role === 'senior' ? 'final' : null;
  if (!step || !actor.departmentCode) {
    throw new DomainError('FORBIDDEN_ROLE', '待办箱仅供审批人员使用 (inbox is for reviewers)');
  }
  // A filing item (steps ['final']) is decided by the 复核 role directly, so both lists are by current step.
  const rows = await repo.listInbox(db, actor.departmentCode, step, 500);
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const pauses = await repo.listPauses(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    clock: taskClock(
      calendar,
      { deadline: r.deadline, promisedDays: 0, finishedOn: null },
      pauses.filter((p) => p.taskId === r.id),
      today,
    ),
  }));
}

async function visibleTask(db: Kysely<DB>, actor: Actor, taskId: string) {
  const task = await repo.findTask(db, taskId);
  if (!task) throw notFound('办件 task', taskId);
  const project = await repo.findProject(db, task.projectId);
  if (!isStaffOf(actor, task.departmentCode)) await assertCanSeeProject(db, actor, project!);
  return { task, project: project! };
}

export async function getTask(db: Kysely<DB>, deps: ApprovalDeps, actor: Actor, taskId: string) {
  const { task, project } = await visibleTask(db, actor, taskId);
  const [item, decisions, pauses, materials, reviewed, app] = await Promise.all([
    catalogRepo.findCurrentItem(db, task.itemCode),
    repo.listDecisions(db, task.id),
    repo.listPauses(db, [task.id]),
    repo.listApplicationMaterials(db, task.applicationId),
    repo.listReviewedElsewhere(db, task.projectId, task.id),
    repo.findApplication(db, task.applicationId),
  ]);
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const ownMaterials = new Set((item?.materials ?? []).map((m) => m.code));
  const finishedOn = task.decidedAt ? beijingDate(task.decidedAt) : null;
  return {
    id: task.id,
    applicationId: task.applicationId,
    projectId: task.projectId,
    projectCode: project.code,
    projectName: project.name,
    enterpriseName: project.enterpriseName,
    itemCode: task.itemCode,
    itemName: item?.name ?? task.itemCode,
    departmentCode: task.departmentCode,
    stage: task.stage,
    status: task.status,
    steps: task.steps,
    currentStep: task.currentStep,
    startedOn: task.startedOn,
    deadline: task.deadline,
    clock: taskClock(
      calendar,
      { deadline: task.deadline, promisedDays: task.promisedDays, finishedOn },
      pauses,
      today,
    ),
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

export interface DecisionInput {
  step: ReviewStep;
  outcome: Outcome;
  opinion: string;
  document?: { number: string; title: string; date: string; validUntil?: string };
}

/**
 * Records a decision. The right role of the task's department only; a step already decided or not yet
 * reached is a conflict. The task row is locked and updated conditionally, and (task, step) is unique,
 * so of two concurrent decisions exactly one wins.
 */
export async function decide(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  input: DecisionInput,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const task = await repo.lockTask(trx, taskId);
    if (!task) throw notFound('办件 task', taskId);
    if (!reviewsFor(actor, task.departmentCode)) {
      throw new DomainError('FORBIDDEN_SCOPE', '只能办理本部门的事项 (task belongs to another department)');
    }
    if (!task.steps.includes(input.step)) {
      throw new DomainError('VALIDATION_FAILED', `该事项只有 ${task.steps.join('/')} 环节 (no such step)`, {
        field: 'body.step',
      });
    }
    if (actor.role !== stepRole[input.step]) {
      throw new DomainError(
        'FORBIDDEN_ROLE',
        `${input.step === 'initial' ? '初核' : '复核'}须由${input.step === 'initial' ? '初核' : '复核'}人员办理 (wrong role for this step)`,
      );
    }
    if (task.status !== 'in_review' || task.currentStep !== input.step) {
      throw new DomainError(
        'CONFLICT_STATE',
        task.currentStep === null || task.steps.indexOf(input.step) < task.steps.indexOf(task.currentStep)
          ? '该环节已办理 (step already decided)'
          : task.status === 'paused'
            ? '办件暂停中（补正或特别程序），不能作出决定 (task is paused)'
            : '尚未到达该环节 (step not reached yet)',
      );
    }
    const effect = decisionEffect(task.steps, input.step, input.outcome);
    // Only a decision that ends the task needs the catalog item (reply document, certificate).
    const item = effect.ends ? await catalogRepo.findCurrentItem(trx, task.itemCode) : undefined;
    if (effect.ends && input.outcome === 'approve') {
      await assertPrerequisitesApproved(trx, task);
      if (item?.certificateType) await assertNoOverdueDeficiency(trx, task.applicationId, today);
    }
    const document: ReplyDocument | null =
      effect.ends && input.outcome === 'approve'
        ? {
            number:
              input.document?.number ??
              `${task.departmentCode.toUpperCase()}〔${today.slice(0, 4)}〕${task.id.slice(0, 6)}号`,
            title: input.document?.title ?? item?.resultDocumentType ?? '审批决定',
            date: input.document?.date ?? today,
            validUntil: input.document?.validUntil ?? NO_EXPIRY,
          }
        : null;
    await repo.insertDecision(trx, {
      taskId,
      step: input.step,
      outcome: input.outcome,
      opinion: input.opinion,
      document: document ? JSON.stringify(document) : null,
      decidedBy: actor.userId,
      decidedAt: now,
    });
    const updated = await repo.updateTask(trx, taskId, task.version, {
      status: effect.status,
      currentStep: effect.currentStep,
      ...(effect.ends
        ? {
            outcome: input.outcome,
            opinion: input.opinion,
            document: document ? JSON.stringify(document) : null,
            decidedAt: now,
          }
        : {}),
    });
    if (Number(updated.numUpdatedRows) !== 1)
      throw new DomainError('CONFLICT_STATE', '办件已被他人更新 (task changed meanwhile)');

    let correctionId: string | null = null;
    if (effect.pausesForCorrection) {
      await repo.insertPause(trx, {
        taskId,
        kind: 'correction',
        pausesClock: true,
        reason: input.opinion,
        startedAt: now,
        startedOn: today,
        startedBy: actor.userId,
      });
      const items: CorrectionItem[] = [{ reason: input.opinion }];
      correctionId = (
        await repo.insertCorrection(trx, {
          applicationId: task.applicationId,
          taskId,
          items: JSON.stringify(items),
          requestedBy: actor.userId,
          requestedAt: now,
        })
      ).id;
    }
    await recordEvent(trx, actor, now, {
      action: `task.${input.step}_${input.outcome}`,
      objectType: 'item_task',
      objectId: taskId,
      fromState: `${task.status}:${task.currentStep}`,
      toState: `${effect.status}:${effect.currentStep ?? '-'}`,
      reason: input.opinion,
      detail: { applicationId: task.applicationId, itemCode: task.itemCode, document },
    });
    let certificate: { id: string; identifier: string } | null = null;
    if (effect.ends && effect.status === 'approved' && item?.certificateType) {
      const project = (await repo.findProject(trx, task.projectId))!;
      certificate = await issueResultCertificate(
        trx,
        { ...task, document: document as never, decidedAt: now },
        item,
        project,
        now,
      );
    }
    const stageCompleted = effect.ends
      ? await completeStageIfDone(trx, actor, now, task.applicationId)
      : false;
    return {
      taskId,
      step: input.step,
      outcome: input.outcome,
      status: effect.status,
      currentStep: effect.currentStep,
      document,
      correctionId,
      certificate,
      stageCompleted,
    };
  });
}

async function assertPrerequisitesApproved(trx: Transaction<DB>, task: Task) {
  const project = (await repo.findProject(trx, task.projectId))!;
  const stage = await resolveStage(trx, project, task.stage);
  const prerequisites = stage.templateItems.find((t) => t.itemCode === task.itemCode)?.prerequisites ?? [];
  if (prerequisites.length === 0) return;
  const siblings = await repo.listApplicationTasks(trx, task.applicationId);
  const waiting = siblings.filter((t) => prerequisites.includes(t.itemCode) && t.status !== 'approved');
  if (waiting.length > 0) {
    throw new DomainError(
      'PREREQUISITE_NOT_MET',
      `前置事项尚未办结：${waiting.map((t) => t.itemCode).join('、')} (prerequisite items not approved)`,
    );
  }
}

async function assertNoOverdueDeficiency(trx: Transaction<DB>, applicationId: string, today: string) {
  const overdue = (await repo.listDeficiencies(trx, applicationId)).filter(
    (d) => !d.fulfilledAt && compareDates(d.dueDate, today) < 0,
  );
  if (overdue.length > 0) {
    throw new DomainError(
      'DEFICIENCY_OVERDUE',
      `容缺材料逾期未补交：${overdue.map((d) => d.materialCode).join('、')}，暂不能出证 (overdue 容缺 materials block the certificate)`,
    );
  }
}

/**
 * The applicant answers a 补正 request: at the window (the application goes back to the window) or
 * from a department (the task's clock resumes). New form values and files are merged into what was kept.
 */
export async function answerCorrection(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  correctionId: string,
  input: {
    form?: Record<string, unknown>;
    materials?: { materialCode: string; fileId: string }[];
    note?: string;
  },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const correction = await repo.lockCorrection(trx, correctionId);
    if (!correction) throw notFound('补正通知 correction', correctionId);
    if (correction.answeredAt) throw new DomainError('CONFLICT_STATE', '该补正已答复 (already answered)');
    const app = (await repo.lockApplication(trx, correction.applicationId))!;
    const project = (await repo.lockProject(trx, app.projectId))!;
    if (actor.role === 'applicant' ? actor.enterpriseId !== project.enterpriseId : actor.role !== 'agent') {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '只能由申请企业或帮办代办答复补正 (only the applicant answers)',
      );
    }
    await findFiles(
      trx,
      (input.materials ?? []).map((m) => m.fileId),
      project.enterpriseId,
    );
    await repo.answerCorrection(trx, correctionId, now, JSON.stringify(input));
    if (input.form)
      await repo.updateApplication(trx, app.id, { form: JSON.stringify({ ...app.form, ...input.form }) });
    await repo.insertApplicationMaterials(
      trx,
      (input.materials ?? []).map((m) => ({ applicationId: app.id, ...m })),
    );
    await recordProjectMaterials(trx, app.projectId, input.materials ?? [], now);
    if (correction.taskId) {
      const task = (await repo.lockTask(trx, correction.taskId))!;
      await repo.endOpenPauses(trx, task.id, 'correction', now, today);
      if (task.status === 'paused')
        await repo.updateTask(trx, task.id, task.version, { status: 'in_review' });
    } else if (app.status === 'correction_requested') {
      await repo.updateApplication(trx, app.id, { status: 'submitted' });
    }
    await recordEvent(trx, actor, now, {
      action: 'correction.answered',
      objectType: correction.taskId ? 'item_task' : 'stage_application',
      objectId: correction.taskId ?? app.id,
      fromState: correction.taskId ? 'paused' : 'correction_requested',
      toState: correction.taskId ? 'in_review' : 'submitted',
      detail: {
        applicationId: app.id,
        correctionId,
        materials: (input.materials ?? []).map((m) => m.materialCode),
      },
    });
    return { correctionId, answeredAt: now };
  });
}

/** Starts a special procedure (特别程序); only the legally prescribed kinds stop the clock. */
export async function startSpecialProcedure(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  input: { kind: SpecialProcedureKind; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const task = await lockOwnTask(trx, actor, taskId);
    if (task.status !== 'in_review')
      throw new DomainError(
        'CONFLICT_STATE',
        `办件状态为 ${task.status}，不能启动特别程序 (task not in review)`,
      );
    const spec = specialProcedures[input.kind];
    const pause = await repo.insertPause(trx, {
      taskId,
      kind: input.kind,
      pausesClock: spec.pausesClock,
      reason: input.reason,
      startedAt: now,
      startedOn: beijingDate(now),
      startedBy: actor.userId,
    });
    if (spec.pausesClock) await repo.updateTask(trx, taskId, task.version, { status: 'paused' });
    await recordEvent(trx, actor, now, {
      action: 'task.special_procedure_started',
      objectType: 'item_task',
      objectId: taskId,
      fromState: task.status,
      toState: spec.pausesClock ? 'paused' : task.status,
      reason: input.reason,
      detail: {
        applicationId: task.applicationId,
        kind: input.kind,
        pausesClock: spec.pausesClock,
        pauseId: pause.id,
      },
    });
    return {
      id: pause.id,
      kind: input.kind,
      name: spec.name,
      pausesClock: spec.pausesClock,
      startedOn: pause.startedOn,
    };
  });
}

export async function endSpecialProcedure(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  pauseId: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const task = await lockOwnTask(trx, actor, taskId);
    const pause = await repo.lockPause(trx, pauseId);
    if (!pause || pause.taskId !== taskId || pause.kind === 'correction')
      throw notFound('特别程序 special procedure', pauseId);
    if (pause.endedAt) throw new DomainError('CONFLICT_STATE', '特别程序已结束 (already ended)');
    await repo.endPause(trx, pauseId, now, beijingDate(now));
    const stillPaused = (await repo.listPauses(trx, [taskId])).some(
      (p) => p.pausesClock && !p.endedAt && p.id !== pauseId,
    );
    if (task.status === 'paused' && !stillPaused)
      await repo.updateTask(trx, taskId, task.version, { status: 'in_review' });
    await recordEvent(trx, actor, now, {
      action: 'task.special_procedure_ended',
      objectType: 'item_task',
      objectId: taskId,
      fromState: task.status,
      toState: task.status === 'paused' && !stillPaused ? 'in_review' : task.status,
      detail: { applicationId: task.applicationId, pauseId, kind: pause.kind },
    });
    return { id: pauseId, endedOn: beijingDate(now) };
  });
}

async function lockOwnTask(trx: Transaction<DB>, actor: Actor, taskId: string) {
  const task = await repo.lockTask(trx, taskId);
  if (!task) throw notFound('办件 task', taskId);
  if (!reviewsFor(actor, task.departmentCode)) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能办理本部门的事项 (task belongs to another department)');
  }
  return task;
}

/**
 * 模拟审批: the applicant supplies the precondition (e.g. the land transfer contract); simulated
 * decisions of the project turn formal without new review, and their certificates with them.
 */
export async function supplyPrecondition(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  projectId: string,
  precondition: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const project = await repo.lockProject(trx, projectId);
    if (!project) throw notFound('项目 project', projectId);
    if (
      actor.role === 'applicant'
        ? actor.enterpriseId !== project.enterpriseId
        : !['agent', 'window'].includes(actor.role)
    ) {
      throw new DomainError('FORBIDDEN_SCOPE', '无权为该项目补充前提条件 (not your project)');
    }
    await repo.addProjectPrecondition(trx, projectId, precondition);
    const tasks = await repo.listSimulatedTasks(trx, projectId, precondition);
    for (const t of tasks) {
      await repo.updateTask(trx, t.id, t.version, { simulated: false });
      if (t.status === 'approved') await formalizeCertificate(trx, t.id, now);
      await recordEvent(trx, actor, now, {
        action: 'task.simulation_formalized',
        objectType: 'item_task',
        objectId: t.id,
        fromState: 'simulated',
        toState: 'formal',
        detail: { applicationId: t.applicationId, precondition },
      });
    }
    await recordEvent(trx, actor, now, {
      action: 'project.precondition_supplied',
      objectType: 'project',
      objectId: projectId,
      detail: { precondition },
    });
    return { projectId, precondition, formalizedTasks: tasks.map((t) => t.id) };
  });
}

export async function applicationEvents(db: Kysely<DB>, actor: Actor, applicationId: string) {
  const app = await repo.findApplication(db, applicationId);
  if (!app) throw notFound('申报 application', applicationId);
  const project = (await repo.findProject(db, app.projectId))!;
  await assertCanSeeProject(db, actor, project);
  const tasks = await repo.listApplicationTasks(db, applicationId);
  return repo.listEventsForApplication(
    db,
    applicationId,
    tasks.map((t) => t.id),
  );
}
