/**
 * Order inside and across stages (task 19 and the template's prerequisite pairs): an item is approved only
 * after its prerequisites, and after the 并行推进 items that must precede it; a refused item ends the
 * running items that wait for it.
 */
import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { listItems } from '../catalog/catalog.service';
import type { Actor } from '../identity/identity.rules';
import { onTaskEnded } from '../joint/joint.hooks';
import { blockersOf, dependentsOf, itemOrder } from '../templates/template.rules';
import type { ProjectAttributes } from '../templates/template.schemas';
import type { ItemTaskTable } from './approval.tables';
import { runningTaskStates } from './lifecycle.rules';
import { projectDefinition } from './stage';
import * as taskRepo from './task.repository';

interface ProjectRef {
  id: string;
  templateCode: string;
  templateVersion: number;
  attributes: ProjectAttributes;
}

async function orderOf(trx: Transaction<DB>, project: ProjectRef) {
  return itemOrder(await projectDefinition(trx, project), project.attributes);
}

/**
 * 409 PREREQUISITE_NOT_MET naming every item that must be approved before `itemCode` and is not. A joint
 * result approves several items at once (`approvedTogether`): those count as approved for one another.
 */
export async function assertOrderMet(
  trx: Transaction<DB>,
  project: ProjectRef,
  itemCode: string,
  approvedTogether: readonly string[] = [],
) {
  const order = await orderOf(trx, project);
  const blockers = blockersOf(order, itemCode);
  if (blockers.length === 0) return;
  const approved = new Set([
    ...approvedTogether,
    ...(await taskRepo.listProjectTasks(trx, project.id))
      .filter((t) => t.status === 'approved')
      .map((t) => t.itemCode),
  ]);
  const waiting = blockers.filter((code) => !approved.has(code));
  if (waiting.length > 0) {
    const names = new Map((await listItems(trx, { status: 'all' })).map((i) => [i.code, i.name]));
    throw new DomainError(
      'PREREQUISITE_NOT_MET',
      `前置事项尚未准予许可：${waiting.map((c) => names.get(c) ?? c).join('、')} (prerequisites not approved: ${waiting.join(', ')})`,
      { details: { waiting } },
    );
  }
}

/**
 * A refused item ends the running tasks of the project that wait for it, directly or through a chain:
 * they can never be approved in this application. Returns the ended task ids.
 */
export async function endDependents(
  trx: Transaction<DB>,
  actor: Actor,
  now: Date,
  project: ProjectRef,
  refused: Selectable<ItemTaskTable>,
): Promise<string[]> {
  const order = await orderOf(trx, project);
  const waiting = new Set<string>();
  const stack = [refused.itemCode];
  while (stack.length > 0) {
    for (const d of dependentsOf(order, stack.pop()!)) {
      if (!waiting.has(d)) {
        waiting.add(d);
        stack.push(d);
      }
    }
  }
  const tasks = (await taskRepo.listProjectTasks(trx, project.id)).filter(
    (t) => waiting.has(t.itemCode) && runningTaskStates.has(t.status),
  );
  const reason = `前置事项“${refused.itemCode}”不予许可，本事项无法办理 (prerequisite refused)`;
  for (const t of tasks) await endTask(trx, actor, now, t, 'terminated', reason, refused.id);
  return tasks.map((t) => t.id);
}

/** Ends one running task (撤回 / 终止): closes its pauses, records why. */
export async function endTask(
  trx: Transaction<DB>,
  actor: Actor | null,
  now: Date,
  task: Selectable<ItemTaskTable>,
  status: 'withdrawn' | 'terminated',
  reason: string,
  endedByTask: string | null,
) {
  const today = beijingDate(now);
  await taskRepo.endAllOpenPauses(trx, [task.id], now, today);
  await taskRepo.updateTask(trx, task.id, task.version, {
    status,
    currentStep: null,
    endedReason: reason,
    endedByTask,
    decidedAt: now,
  });
  await recordEvent(trx, actor, now, {
    action: `task.${status}`,
    objectType: 'item_task',
    objectId: task.id,
    fromState: task.status,
    toState: status,
    reason,
    detail: { applicationId: task.applicationId, itemCode: task.itemCode, endedByTask },
  });
  await onTaskEnded(trx, actor, now, task, status, reason);
}
