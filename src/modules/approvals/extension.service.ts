/**
 * 延期 (《行政许可法》第四十二条): when an item cannot be decided within its limit, the reviewer asks for
 * more working days with a reason, and the department's head (负责人) approves or refuses. At most one
 * extension per task, of at most the item's limit; the deadline moves and the applicant sees why.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import * as catalog from '../catalog/catalog.service';
import { issueDocument } from '../documents/document.service';
import { isStaffOf, type Actor } from '../identity/identity.rules';
import type { ApprovalDeps } from './approval.context';
import { taskDeadline } from './deadline.service';
import { assertTaskEvent, DEFAULT_EXTENSION_LIMIT_WORKING_DAYS } from './lifecycle.rules';
import { lockOwnTask } from './task-access';
import * as taskRepo from './task.repository';

export async function requestExtension(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  input: { workingDays: number; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const task = await lockOwnTask(trx, actor, taskId);
    assertTaskEvent(task.status, 'extend');
    if (input.workingDays > DEFAULT_EXTENSION_LIMIT_WORKING_DAYS) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `延期不得超过 ${DEFAULT_EXTENSION_LIMIT_WORKING_DAYS} 个工作日 (at most ${DEFAULT_EXTENSION_LIMIT_WORKING_DAYS} working days)`,
        { field: 'body.workingDays' },
      );
    }
    const earlier = await taskRepo.listExtensions(trx, [taskId]);
    if (earlier.some((e) => e.status === 'approved')) {
      throw new DomainError(
        'RULE_VIOLATION',
        '该办件已延期一次，不得再次延期 (a task is extended at most once)',
      );
    }
    if (earlier.some((e) => e.status === 'pending')) {
      throw new DomainError('CONFLICT_STATE', '已有待负责人审批的延期申请 (an extension request is pending)');
    }
    const ext = await taskRepo.insertExtension(trx, {
      taskId,
      workingDays: input.workingDays,
      reason: input.reason,
      requestedBy: actor.userId,
      requestedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'task.extension_requested',
      objectType: 'item_task',
      objectId: taskId,
      reason: input.reason,
      detail: { applicationId: task.applicationId, extensionId: ext.id, workingDays: input.workingDays },
    });
    return present(ext);
  });
}

export async function decideExtension(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  extensionId: string,
  input: { approve: boolean; opinion: string },
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const task = await taskRepo.lockTask(trx, taskId);
    if (!task) throw notFound('办件 task', taskId);
    if (actor.role !== 'head' || !isStaffOf(actor, task.departmentCode)) {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '延期须由本部门负责人审批 (only the department’s head decides)',
      );
    }
    const ext = await taskRepo.lockExtension(trx, extensionId);
    if (!ext || ext.taskId !== taskId) throw notFound('延期申请 extension', extensionId);
    if (ext.status !== 'pending')
      throw new DomainError('CONFLICT_STATE', '该延期申请已审批 (already decided)');
    if (input.approve) assertTaskEvent(task.status, 'extend');
    const status = input.approve ? ('approved' as const) : ('refused' as const);
    await taskRepo.decideExtension(trx, extensionId, {
      status,
      decidedBy: actor.userId,
      decidedAt: now,
      opinion: input.opinion,
    });
    let deadline = task.deadline;
    if (input.approve) {
      deadline = taskDeadline(calendar, { ...task, extendedDays: ext.workingDays });
      const updated = await taskRepo.updateTask(trx, taskId, task.version, {
        extendedDays: ext.workingDays,
        deadline,
      });
      if (Number(updated.numUpdatedRows) !== 1)
        throw new DomainError('CONFLICT_STATE', '办件已被他人更新 (task changed meanwhile)');
      // 延长审批期限告知书: how long, until when, and why.
      const item = await catalog.findCurrentItem(trx, task.itemCode);
      await issueDocument(trx, {
        kind: 'extension',
        issuerCode: task.departmentCode,
        projectId: task.projectId,
        applicationId: task.applicationId,
        taskId,
        stage: task.stage,
        now,
        facts: {
          itemName: item?.name ?? task.itemCode,
          extendedDays: ext.workingDays,
          newDeadline: deadline,
          reason: ext.reason,
        },
      });
    }
    await recordEvent(trx, actor, now, {
      action: input.approve ? 'task.extended' : 'task.extension_refused',
      objectType: 'item_task',
      objectId: taskId,
      reason: input.opinion,
      detail: {
        applicationId: task.applicationId,
        extensionId,
        workingDays: ext.workingDays,
        fromDeadline: task.deadline,
        toDeadline: deadline,
      },
    });
    return { ...present({ ...ext, status, decidedAt: now, opinion: input.opinion }), deadline };
  });
}

function present(e: {
  id: string;
  taskId: string;
  workingDays: number;
  reason: string;
  status: string;
  requestedAt: Date;
  decidedAt: Date | null;
  opinion: string | null;
}) {
  return {
    id: e.id,
    taskId: e.taskId,
    workingDays: e.workingDays,
    reason: e.reason,
    status: e.status,
    requestedAt: e.requestedAt,
    decidedAt: e.decidedAt,
    opinion: e.opinion,
  };
}
