/**
 * A department's decision on one item (初核 / 复核, task 8). Each round of decisions is kept: a 补正
 * answered, or a supervised reopening, starts the next round at the same step. An approval waits for its
 * prerequisites (of this or earlier stages, and 并行推进 items that must come first); a 不予许可 ends the
 * items that depended on it and, when the stage can no longer complete, the stage application.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import * as catalog from '../catalog/catalog.service';
import { issueDocument, nextDocumentNumber } from '../documents/document.service';
import { reviewsFor, type Actor } from '../identity/identity.rules';
import {
  assertDecidedJointly,
  assertNotInMergedAssessment,
  assertUtilitiesFiled,
  onTaskEnded,
  releaseUtilityApplication,
} from '../joint/joint.hooks';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import { decisionEffect, NO_EXPIRY, stepRole, type Outcome } from './approval.rules';
import type { CorrectionItem, ItemTaskTable, ReplyDocument, ReviewStep } from './approval.tables';
import { issueResultCertificate } from './certificate-link';
import { correctionDueDate } from './correction.service';
import { assertTaskEvent, REMEDY_NOTICE, type TaskEvent } from './lifecycle.rules';
import { assertOrderMet, endDependents } from './order.service';
import { completeStageIfDone, rejectStageIfImpossible } from './stage-completion';
import * as taskRepo from './task.repository';

type Task = Selectable<ItemTaskTable>;

export interface DecisionInput {
  step: ReviewStep;
  outcome: Outcome;
  opinion: string;
  document?: { number: string; title: string; date: string; validUntil?: string };
  /** 补正 only: the date by which the applicant must answer (default: config working days). */
  dueDate?: string;
  /** 补正 only: the complete list (一次性告知); default one entry with the opinion. */
  items?: CorrectionItem[];
}

function stepName(step: ReviewStep) {
  return step === 'initial' ? '初核' : '复核';
}

function eventOf(task: Task, step: ReviewStep, outcome: Outcome): TaskEvent {
  if (outcome === 'return') return 'return';
  return task.steps[task.steps.indexOf(step) + 1] ? 'advance' : outcome;
}

/**
 * Records a decision. The right role of the task's department only; a step already decided or not yet
 * reached is a conflict. The task row is locked and updated conditionally, and (task, round, step) is
 * unique, so of two concurrent decisions exactly one wins.
 */
export async function decide(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  input: DecisionInput,
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const task = await taskRepo.lockTask(trx, taskId);
    if (!task) throw notFound('办件 task', taskId);
    if (!reviewsFor(actor, task.departmentCode)) {
      throw new DomainError('FORBIDDEN_SCOPE', '只能办理本部门的事项 (task belongs to another department)');
    }
    if (!task.steps.includes(input.step)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `该事项只有 ${task.steps.map(stepName).join('、')} 环节 (no such step)`,
        {
          field: 'body.step',
        },
      );
    }
    if (actor.role !== stepRole[input.step]) {
      throw new DomainError(
        'FORBIDDEN_ROLE',
        `${stepName(input.step)}须由${stepName(input.step)}人员办理 (wrong role for this step)`,
      );
    }
    assertDecidedJointly(task, input.outcome);
    await assertNotInMergedAssessment(trx, task, input.outcome);
    const event = eventOf(task, input.step, input.outcome);
    const next = assertTaskEvent(task.status, event);
    if (task.currentStep !== input.step) {
      throw new DomainError(
        'CONFLICT_STATE',
        task.currentStep === null || task.steps.indexOf(input.step) < task.steps.indexOf(task.currentStep)
          ? `${stepName(input.step)}环节已办理 (step already decided)`
          : `尚未到达${stepName(input.step)}环节 (step not reached yet)`,
      );
    }
    if (input.outcome !== 'return' && (input.dueDate || input.items)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        '补正期限和清单只用于退回补正 (dueDate/items only with return)',
        {
          field: input.dueDate ? 'body.dueDate' : 'body.items',
        },
      );
    }
    const effect = decisionEffect(task.steps, input.step, input.outcome);
    const project = (await appRepo.findProject(trx, task.projectId))!;
    const item = effect.ends ? await catalog.findCurrentItem(trx, task.itemCode) : undefined;
    if (effect.ends && input.outcome === 'approve') {
      await assertOrderMet(trx, project, task.itemCode);
      await assertUtilitiesFiled(trx, task.projectId, task.itemCode);
      if (item?.certificateType) await assertNoOverdueDeficiency(trx, task.applicationId, today);
    }
    const document: ReplyDocument | null =
      effect.ends && input.outcome === 'approve'
        ? {
            // The department's own 文号 series (e.g. 郑自然资规许〔2026〕12号) unless the clerk gives one.
            number:
              input.document?.number ?? (await nextDocumentNumber(trx, task.departmentCode, 'approval', now)),
            title: input.document?.title ?? item?.resultDocumentType ?? '审批决定',
            date: input.document?.date ?? today,
            validUntil: input.document?.validUntil ?? NO_EXPIRY,
          }
        : null;
    // 不予许可 carries its reason and the notice of the right to 行政复议 / 行政诉讼.
    const opinion =
      effect.ends && input.outcome === 'reject' ? `${input.opinion}\n${REMEDY_NOTICE}` : input.opinion;
    await taskRepo.insertDecision(trx, {
      taskId,
      round: task.round,
      step: input.step,
      outcome: input.outcome,
      opinion,
      document: document ? JSON.stringify(document) : null,
      decidedBy: actor.userId,
      decidedAt: now,
    });
    const updated = await taskRepo.updateTask(trx, taskId, task.version, {
      status: next,
      currentStep: effect.currentStep,
      ...(effect.ends
        ? {
            outcome: input.outcome,
            opinion,
            document: document ? JSON.stringify(document) : null,
            decidedAt: now,
          }
        : {}),
    });
    if (Number(updated.numUpdatedRows) !== 1)
      throw new DomainError('CONFLICT_STATE', '办件已被他人更新 (task changed meanwhile)');

    let correction: { id: string; dueDate: string } | null = null;
    if (event === 'return') {
      const dueDate = correctionDueDate(calendar, deps, today, input.dueDate);
      await taskRepo.insertPause(trx, {
        taskId,
        kind: 'correction',
        pausesClock: true,
        reason: input.opinion,
        startedAt: now,
        startedOn: today,
        startedBy: actor.userId,
      });
      const items: CorrectionItem[] = input.items ?? [{ reason: input.opinion }];
      const row = await appRepo.insertCorrection(trx, {
        applicationId: task.applicationId,
        taskId,
        items: JSON.stringify(items),
        requestedBy: actor.userId,
        requestedAt: now,
        dueDate,
      });
      correction = { id: row.id, dueDate };
      const returned = item ?? (await catalog.findCurrentItem(trx, task.itemCode));
      await issueDocument(trx, {
        kind: 'correction',
        issuerCode: task.departmentCode,
        projectId: task.projectId,
        applicationId: task.applicationId,
        taskId,
        stage: task.stage,
        now,
        facts: {
          itemName: returned?.name ?? null,
          items: items.map((i) => ({ reason: i.reason, materialCode: i.materialCode ?? null })),
          dueDate,
        },
      });
    }
    if (next === 'rejected') {
      // A refused 报装 puts its utility case back (the applicant files again or declares it unneeded).
      await releaseUtilityApplication(trx, actor, task.applicationId, input.opinion, now);
      // A 多评合一 or 方案联审 on the refused task does not stay open.
      await onTaskEnded(trx, actor, now, task, 'rejected', input.opinion);
      // 不予许可决定书 with the reason and the right to 行政复议 / 行政诉讼.
      await issueDocument(trx, {
        kind: 'denial',
        issuerCode: task.departmentCode,
        projectId: task.projectId,
        applicationId: task.applicationId,
        taskId,
        stage: task.stage,
        now,
        facts: { itemName: item?.name ?? task.itemCode, reason: input.opinion },
      });
    }
    await recordEvent(trx, actor, now, {
      action: `task.${input.step}_${input.outcome}`,
      objectType: 'item_task',
      objectId: taskId,
      fromState: `${task.status}:${task.currentStep}`,
      toState: `${next}:${effect.currentStep ?? '-'}`,
      reason: input.opinion,
      detail: {
        applicationId: task.applicationId,
        itemCode: task.itemCode,
        round: task.round,
        document,
        correction,
      },
    });
    let certificate: { id: string; identifier: string } | null = null;
    if (next === 'approved' && item?.certificateType) {
      certificate = await issueResultCertificate(
        trx,
        { ...task, document: document as never, decidedAt: now },
        item,
        project,
        now,
      );
    }
    let ended: string[] = [];
    let stageRejected = false;
    if (next === 'rejected') {
      ended = await endDependents(trx, actor, now, project, task);
      stageRejected = await rejectStageIfImpossible(trx, actor, now, task.applicationId, task.id);
    }
    // A refused item the stage rule does not need (not a milestone) leaves a stage that may be done on its
    // milestones: complete it now (a reopened stage would otherwise wait with nothing running).
    const stageCompleted =
      next === 'approved' || (next === 'rejected' && !stageRejected)
        ? await completeStageIfDone(trx, actor, now, task.applicationId)
        : false;
    return {
      taskId,
      step: input.step,
      outcome: input.outcome,
      status: next,
      currentStep: effect.currentStep,
      round: task.round,
      document,
      correctionId: correction?.id ?? null,
      correctionDueDate: correction?.dueDate ?? null,
      certificate,
      stageCompleted,
      stageRejected,
      endedDependents: ended,
    };
  });
}

async function assertNoOverdueDeficiency(trx: Transaction<DB>, applicationId: string, today: string) {
  const overdue = (await appRepo.listDeficiencies(trx, applicationId)).filter(
    (d) => !d.fulfilledAt && compareDates(d.dueDate, today) < 0,
  );
  if (overdue.length > 0) {
    throw new DomainError(
      'DEFICIENCY_OVERDUE',
      `容缺材料逾期未补交：${overdue.map((d) => d.materialCode).join('、')}，暂不能出证 (overdue 容缺 materials block the certificate)`,
    );
  }
}
