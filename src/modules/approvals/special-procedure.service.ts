/**
 * Special procedures (特别程序): only the legally prescribed kinds stop the clock (《行政许可法》第四十五条);
 * expert and technical reviews count inside the time limit (task 12).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { assertNoSiteVisit } from '../joint/joint.hooks';
import type { ApprovalDeps } from './approval.context';
import { specialProcedures, type SpecialProcedureKind } from './approval.rules';
import { assertTaskEvent } from './lifecycle.rules';
import { lockOwnTask } from './task-access';
import * as taskRepo from './task.repository';

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
    const spec = specialProcedures[input.kind];
    assertNoSiteVisit(task, input.kind);
    // Any special procedure runs only while the task is in review; the clock-stopping ones pause it.
    assertTaskEvent(task.status, 'pause');
    const pause = await taskRepo.insertPause(trx, {
      taskId,
      kind: input.kind,
      pausesClock: spec.pausesClock,
      reason: input.reason,
      startedAt: now,
      startedOn: beijingDate(now),
      startedBy: actor.userId,
    });
    if (spec.pausesClock) await taskRepo.updateTask(trx, taskId, task.version, { status: 'paused' });
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
    const pause = await taskRepo.lockPause(trx, pauseId);
    if (!pause || pause.taskId !== taskId || pause.kind === 'correction')
      throw notFound('特别程序 special procedure', pauseId);
    if (pause.endedAt) throw new DomainError('CONFLICT_STATE', '特别程序已结束 (already ended)');
    await taskRepo.endPause(trx, pauseId, now, beijingDate(now));
    const stillPaused = (await taskRepo.listPauses(trx, [taskId])).some(
      (p) => p.pausesClock && !p.endedAt && p.id !== pauseId,
    );
    if (task.status === 'paused' && !stillPaused)
      await taskRepo.updateTask(trx, taskId, task.version, {
        status: assertTaskEvent(task.status, 'resume'),
      });
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
