/**
 * Supervised correction of a wrong decision (纠错): the department's head asks to reopen a decided task,
 * with the reason; a supervisor countersigns. The task goes back to the step that decided it, in a new
 * round; the certificate it issued is revoked (public verification says so, with the date); a stage that
 * had completed or been rejected on that decision runs again; the event is an anomaly supervisors see.
 * A revoked task's reopening corrects the revocation instead: the approval is reinstated (below).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { itemNames } from '../catalog/catalog.service';
import { reinstateCertificate, revokeCertificate } from '../certificates/certificate.service';
import { withdrawFlowRecord } from '../credit/credit.service';
import { isStaffOf, type Actor } from '../identity/identity.rules';
import { recordAnomaly } from '../supervision/anomaly.record';
import { notify } from '../supervision/notification.channel';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import * as inspectionRepo from './inspection.repository';
import { applicationNext, assertTaskEvent } from './lifecycle.rules';
import { resumeStageAfterReinstatement } from './stage-completion';
import * as taskRepo from './task.repository';

export async function requestReopen(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  reason: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const task = await taskRepo.lockTask(trx, taskId);
    if (!task) throw notFound('办件 task', taskId);
    if (actor.role !== 'head' || !isStaffOf(actor, task.departmentCode)) {
      throw new DomainError('FORBIDDEN_SCOPE', '纠错须由本部门负责人提出 (only the department’s head asks)');
    }
    assertTaskEvent(task.status, 'reopen');
    const app = (await appRepo.lockApplication(trx, task.applicationId))!;
    // A revoked approval is reinstated whatever became of its application (approved items stay approved).
    if (task.status !== 'revoked' && app.status !== 'accepted' && !applicationNext(app.status, 'reopen')) {
      throw new DomainError(
        'CONFLICT_STATE',
        '申报已撤回、终止或不予受理，不能重新办理其中的事项，请重新申报 (application ended; apply again)',
      );
    }
    const pending = await taskRepo.listReopenings(trx, { taskIds: [taskId], status: 'pending' });
    if (pending.length > 0)
      throw new DomainError('CONFLICT_STATE', '已有待会签的纠错申请 (a reopening is pending)');
    const row = await taskRepo.insertReopening(trx, {
      taskId,
      reason,
      fromStatus: task.status,
      requestedBy: actor.userId,
      requestedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'task.reopen_requested',
      objectType: 'item_task',
      objectId: taskId,
      reason,
      detail: { applicationId: task.applicationId, reopeningId: row.id },
    });
    return { id: row.id, taskId, status: row.status, reason, requestedAt: row.requestedAt };
  });
}

export async function countersignReopen(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  reopeningId: string,
  input: { approve: boolean; opinion: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const task = await taskRepo.lockTask(trx, taskId);
    if (!task) throw notFound('办件 task', taskId);
    const reopening = await taskRepo.lockReopening(trx, reopeningId);
    if (!reopening || reopening.taskId !== taskId) throw notFound('纠错申请 reopening', reopeningId);
    if (reopening.status !== 'pending')
      throw new DomainError('CONFLICT_STATE', '该纠错申请已会签 (already countersigned)');
    const status = input.approve ? ('approved' as const) : ('refused' as const);
    await taskRepo.decideReopening(trx, reopeningId, {
      status,
      countersignedBy: actor.userId,
      countersignedAt: now,
      opinion: input.opinion,
    });
    if (!input.approve) {
      await recordEvent(trx, actor, now, {
        action: 'task.reopen_refused',
        objectType: 'item_task',
        objectId: taskId,
        reason: input.opinion,
        detail: { applicationId: task.applicationId, reopeningId },
      });
      return {
        id: reopeningId,
        taskId,
        status,
        taskStatus: task.status,
        certificateRevoked: null,
        certificateReinstated: null,
        creditRecordsWithdrawn: [],
      };
    }
    if (task.status === 'revoked') return reinstateRevokedApproval(trx, deps, actor, now, task, reopening);
    const next = assertTaskEvent(task.status, 'reopen');
    const step = task.steps[task.steps.length - 1]!;
    await taskRepo.updateTask(trx, taskId, task.version, {
      status: next,
      currentStep: step,
      round: task.round + 1,
      outcome: null,
      opinion: null,
      document: null,
      decidedAt: null,
    });
    const certificate = await revokeCertificate(trx, taskId, `监察纠错，重新办理：${reopening.reason}`, now);

    // The stage runs again; tasks its refusal had ended are restored at their first step.
    const app = (await appRepo.lockApplication(trx, task.applicationId))!;
    const appNext = applicationNext(app.status, 'reopen');
    const restored: string[] = [];
    if (appNext) {
      await appRepo.updateApplication(trx, app.id, {
        status: appNext,
        completedAt: null,
        endedAt: null,
        endedReason: null,
        endedBy: null,
      });
      await recordEvent(trx, actor, now, {
        action: 'application.reopened',
        objectType: 'stage_application',
        objectId: app.id,
        fromState: app.status,
        toState: appNext,
        reason: reopening.reason,
        detail: { taskId, reopeningId },
      });
    }
    for (const t of await taskRepo.listProjectTasks(trx, task.projectId)) {
      if (t.endedByTask !== taskId || t.status !== 'terminated') continue;
      await taskRepo.updateTask(trx, t.id, t.version, {
        status: 'in_review',
        currentStep: t.steps[0]!,
        round: t.round + 1,
        endedReason: null,
        endedByTask: null,
        decidedAt: null,
      });
      restored.push(t.id);
    }
    await recordEvent(trx, actor, now, {
      action: 'task.reopened',
      objectType: 'item_task',
      objectId: taskId,
      fromState: task.status,
      toState: `${next}:${step}`,
      reason: reopening.reason,
      detail: {
        applicationId: task.applicationId,
        reopeningId,
        requestedBy: reopening.requestedBy,
        countersignedBy: actor.userId,
        certificate,
        restored,
      },
    });
    await recordAnomaly(
      trx,
      {
        rule: 'decision_reopened',
        objectType: 'task_reopening',
        objectId: reopeningId,
        detail: {
          taskId,
          itemCode: task.itemCode,
          departmentCode: task.departmentCode,
          fromStatus: task.status,
          reason: reopening.reason,
          certificateRevoked: certificate?.identifier ?? null,
        },
      },
      now,
    );
    return {
      id: reopeningId,
      taskId,
      status,
      taskStatus: next,
      certificateRevoked: certificate,
      certificateReinstated: null,
      creditRecordsWithdrawn: [],
    };
  });
}

/**
 * 纠错 of a mistaken 撤销 (the countersigned reopening of a revoked task): the revocation decision is
 * withdrawn and the approval is in force again — the task returns to approved with its decision and reply
 * document, the certificate revoked with it is reinstated, the revocation is kept marked corrected, the
 * `approval_revoked` credit record it wrote is withdrawn (a listing resting on it ends), the holder is told.
 * A stage the revocation had rejected runs again (resumeStageAfterReinstatement). Records of the act itself (a broken commitment, a failed
 * inspection) stay; they are answered through credit's objection procedure.
 */
async function reinstateRevokedApproval(
  trx: Transaction<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  now: Date,
  task: NonNullable<Awaited<ReturnType<typeof taskRepo.lockTask>>>,
  reopening: { id: string; reason: string; requestedBy: string },
) {
  const next = assertTaskEvent(task.status, 'reopen');
  const revocation = await taskRepo.lockRevocationInForce(trx, task.id);
  if (!revocation)
    throw new DomainError('CONFLICT_STATE', '未找到生效的撤销决定，无法纠错 (no revocation in force)');
  const updated = await taskRepo.updateTask(trx, task.id, task.version, { status: next });
  if (Number(updated.numUpdatedRows) !== 1)
    throw new DomainError('CONFLICT_STATE', '办件已被他人更新，请刷新后重试 (task changed meanwhile)');
  const why = `撤销决定经纠错撤回：${reopening.reason}`;
  await taskRepo.markRevocationCorrected(trx, revocation.id, {
    correctedAt: now,
    correctedReason: reopening.reason,
    reopeningId: reopening.id,
  });
  const certificate = revocation.certificateIdentifier
    ? await reinstateCertificate(trx, task.id, revocation.certificateIdentifier, why, now)
    : null;
  const calendar = await deps.calendar.get();
  const withdrawn = await withdrawFlowRecord(
    trx,
    calendar,
    { kind: 'approval_revoked', sourceType: 'task_revocation', sourceId: revocation.id },
    why,
    now,
    actor,
  );
  const restored = await resumeStageAfterReinstatement(
    trx,
    actor,
    now,
    task.applicationId,
    task.id,
    reopening.reason,
  );
  await recordEvent(trx, actor, now, {
    action: 'task.revocation_corrected',
    objectType: 'item_task',
    objectId: task.id,
    fromState: task.status,
    toState: next,
    reason: reopening.reason,
    detail: {
      applicationId: task.applicationId,
      reopeningId: reopening.id,
      revocationId: revocation.id,
      requestedBy: reopening.requestedBy,
      countersignedBy: actor.userId,
      certificateReinstated: certificate?.identifier ?? null,
      creditRecordWithdrawn: withdrawn,
      restored,
    },
  });
  await recordAnomaly(
    trx,
    {
      rule: 'decision_reopened',
      objectType: 'task_reopening',
      objectId: reopening.id,
      detail: {
        taskId: task.id,
        itemCode: task.itemCode,
        departmentCode: task.departmentCode,
        fromStatus: task.status,
        reason: reopening.reason,
        certificateReinstated: certificate?.identifier ?? null,
      },
    },
    now,
  );
  const project = (await appRepo.findProject(trx, task.projectId))!;
  const itemName = (await itemNames(trx, [task.itemCode])).get(task.itemCode) ?? task.itemCode;
  const users = await inspectionRepo.enterpriseUsers(trx, project.enterpriseId);
  await notify(
    trx,
    now,
    users.map((u) => ({
      userId: u.id,
      kind: 'task.revocation_corrected',
      title: `撤销决定已纠正：${itemName}`,
      body:
        `项目 ${project.name} 的「${itemName}」审批决定的撤销经电子监察会签纠正，原审批决定恢复效力。理由：${reopening.reason}` +
        (certificate ? `；证照 ${certificate.identifier} 恢复有效` : '') +
        (withdrawn ? '；因撤销记入的信用记录已撤回' : '') +
        '。',
      objectType: 'item_task',
      objectId: task.id,
    })),
  );
  return {
    id: reopening.id,
    taskId: task.id,
    status: 'approved' as const,
    taskStatus: next,
    certificateRevoked: null,
    certificateReinstated: certificate,
    creditRecordsWithdrawn: withdrawn ? [withdrawn] : [],
  };
}

/** Pending reopenings for supervisors to countersign. */
export async function listPendingReopenings(db: Kysely<DB>) {
  return taskRepo.listReopenings(db, { status: 'pending' });
}
