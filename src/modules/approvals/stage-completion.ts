/**
 * When a stage application is done: by its stage's rule (all milestone items, or any), once no 容缺
 * material is still missing; and when it can no longer be done (a 不予许可 that the rule cannot absorb):
 * the application is rejected, its running items end, and the stage may be applied for again — items
 * already approved stay approved. (When a stage opens is projects' `stageStates`.)
 */
import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { recordEvent } from '../audit/audit.service';
import { issueDocument } from '../documents/document.service';
import type { Actor } from '../identity/identity.rules';
import { onStageCompleted } from '../joint/joint.hooks';
import * as appRepo from './application.repository';
import { stageComplete } from './approval.rules';
import type { ItemTaskTable } from './approval.tables';
import { completionStillPossible, runningTaskStates, taskStateNames } from './lifecycle.rules';
import { endTask } from './order.service';
import { findStage, projectDefinition } from './stage';
import * as taskRepo from './task.repository';

/**
 * The tasks that count for an application's stage: its own, plus items of the same stage approved in an
 * earlier application of the project (a re-application does not decide them again).
 */
export async function countedTasks(
  trx: Transaction<DB>,
  app: { id: string; projectId: string; stage: number },
): Promise<Selectable<ItemTaskTable>[]> {
  const all = await taskRepo.listProjectTasks(trx, app.projectId);
  const own = all.filter((t) => t.applicationId === app.id);
  const ownCodes = new Set(own.map((t) => t.itemCode));
  const carried = all.filter(
    (t) =>
      t.applicationId !== app.id &&
      t.stage === app.stage &&
      t.status === 'approved' &&
      !ownCodes.has(t.itemCode),
  );
  return [...own, ...carried];
}

async function stageOf(trx: Transaction<DB>, projectId: string, stage: number) {
  const project = await appRepo.findProject(trx, projectId);
  if (!project) return undefined;
  const def = await projectDefinition(trx, project);
  return findStage(def, stage)?.stage;
}

export async function completeStageIfDone(
  trx: Transaction<DB>,
  actor: Actor | null,
  now: Date,
  applicationId: string,
) {
  const app = await appRepo.lockApplication(trx, applicationId);
  if (!app || app.status !== 'accepted') return false;
  const stage = await stageOf(trx, app.projectId, app.stage);
  if (!stage) return false;
  const tasks = await countedTasks(trx, app);
  if (!stageComplete(stage.completionRule, tasks)) return false;
  const deficiencies = await appRepo.listDeficiencies(trx, applicationId);
  if (deficiencies.some((d) => !d.fulfilledAt)) return false;
  await appRepo.updateApplication(trx, applicationId, { status: 'completed', completedAt: now });
  await recordEvent(trx, actor, now, {
    action: 'application.completed',
    objectType: 'stage_application',
    objectId: applicationId,
    fromState: 'accepted',
    toState: 'completed',
    detail: { projectId: app.projectId, stage: app.stage },
  });
  // 办结通知书 from the stage's lead department: every item's result and its 文号.
  await issueDocument(trx, {
    kind: 'completion',
    issuerCode: stage.leadDepartmentCode,
    projectId: app.projectId,
    applicationId,
    stage: app.stage,
    now,
    facts: {
      items: tasks.map((t) => ({
        itemCode: t.itemCode,
        result: t.viaCommitment ? `${taskStateNames[t.status]}（告知承诺）` : taskStateNames[t.status],
        documentNumber: (t.document as { number?: string } | null)?.number ?? null,
      })),
    },
  });
  const project = await appRepo.findProject(trx, app.projectId);
  if (project) await onStageCompleted(trx, project, app.stage, now);
  return true;
}

/** After a 不予许可: rejects the application when its stage can no longer complete. */
export async function rejectStageIfImpossible(
  trx: Transaction<DB>,
  actor: Actor | null,
  now: Date,
  applicationId: string,
  refusedTaskId: string,
  reason = '本阶段有事项不予许可，阶段申报无法办结；已准予许可的事项继续有效，可重新申报本阶段',
) {
  const app = await appRepo.lockApplication(trx, applicationId);
  if (!app || app.status !== 'accepted') return false;
  const stage = await stageOf(trx, app.projectId, app.stage);
  if (!stage) return false;
  const tasks = await countedTasks(trx, app);
  if (completionStillPossible(stage.completionRule, tasks)) return false;
  for (const t of tasks.filter((t) => t.applicationId === app.id && runningTaskStates.has(t.status))) {
    await endTask(trx, actor, now, t, 'terminated', reason, refusedTaskId);
  }
  await appRepo.updateApplication(trx, applicationId, {
    status: 'rejected',
    endedAt: now,
    endedReason: reason,
    endedBy: actor?.userId ?? null,
  });
  await recordEvent(trx, actor, now, {
    action: 'application.rejected',
    objectType: 'stage_application',
    objectId: applicationId,
    fromState: 'accepted',
    toState: 'rejected',
    reason,
    detail: { projectId: app.projectId, stage: app.stage, refusedTaskId },
  });
  return true;
}

/**
 * After a revoked approval is reinstated (纠错 of the revocation): a stage its revocation had rejected runs
 * again — the items that rejection ended are restored at their first step — when its rule can be met
 * now; a stage still running completes if this was all it waited for. Returns the restored task ids.
 */
export async function resumeStageAfterReinstatement(
  trx: Transaction<DB>,
  actor: Actor | null,
  now: Date,
  applicationId: string,
  reinstatedTaskId: string,
  reason: string,
): Promise<string[]> {
  const app = await appRepo.lockApplication(trx, applicationId);
  if (!app) return [];
  if (app.status === 'accepted') {
    await completeStageIfDone(trx, actor, now, applicationId);
    return [];
  }
  if (app.status !== 'rejected') return [];
  const stage = await stageOf(trx, app.projectId, app.stage);
  if (!stage) return [];
  const tasks = await countedTasks(trx, app);
  const endedByIt = (t: Selectable<ItemTaskTable>) =>
    t.applicationId === app.id && t.status === 'terminated' && t.endedByTask === reinstatedTaskId;
  const after = tasks.map((t) => (endedByIt(t) ? { ...t, status: 'in_review' as const } : t));
  if (!completionStillPossible(stage.completionRule, after)) return [];
  const restored: string[] = [];
  for (const t of tasks.filter(endedByIt)) {
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
  await appRepo.updateApplication(trx, app.id, {
    status: 'accepted',
    endedAt: null,
    endedReason: null,
    endedBy: null,
  });
  await recordEvent(trx, actor, now, {
    action: 'application.reopened',
    objectType: 'stage_application',
    objectId: app.id,
    fromState: app.status,
    toState: 'accepted',
    reason,
    detail: { taskId: reinstatedTaskId, restored },
  });
  await completeStageIfDone(trx, actor, now, applicationId);
  return restored;
}
