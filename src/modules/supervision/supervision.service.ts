/**
 * Supervision use cases: the clock list (task 41: 在线监管审批行为), notifications, and 督办 orders with
 * escalation to the department head (task 40: 跟踪督办; 组织保障 三). One transaction per use case.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { districtOf, isStaffOf, type Actor } from '../identity/identity.rules';
import { refreshClocks, type ClockDeps } from './clock.service';
import { notify } from './notification.channel';
import * as repo from './supervision.repository';
import type { ClockStateValue } from './supervision.tables';

/** Which stages an actor may supervise: all (supervisor, admin) or those their department leads (coordinator). */
export async function supervisedStages(db: Kysely<DB>, actor: Actor): Promise<number[] | undefined> {
  if (actor.role === 'supervisor' || actor.role === 'admin') return undefined;
  if (actor.role === 'coordinator' && actor.departmentCode) {
    const d = await repo.departmentLeads(db, actor.departmentCode);
    return d?.leadsStages ?? [];
  }
  throw new DomainError('FORBIDDEN_ROLE', '仅电子监察或牵头部门可查看 (supervisors and coordinators only)');
}

/**
 * The district a supervisor or coordinator is confined to (issue 15): district staff see their
 * district's projects only; city staff (no district) see every district.
 */
export function supervisedDistrict(actor: Actor): string | undefined {
  return districtOf(actor) ?? undefined;
}

export async function listTasks(
  db: Kysely<DB>,
  deps: ClockDeps,
  actor: Actor,
  filter: { clockState?: ClockStateValue; departmentCode?: string; stage?: number },
) {
  const stages = await supervisedStages(db, actor);
  // States at read time: refresh the cache from the clock before filtering on it.
  await refreshClocks(db, deps);
  const districtCode = supervisedDistrict(actor);
  const tasks = await repo.listRunningTasks(db, {
    ...filter,
    ...(stages ? { stages } : {}),
    ...(districtCode ? { districtCode } : {}),
  });
  // 延期 (issue 8): an extended task is flagged so supervisors see which deadlines moved and why.
  return tasks.map((t) => ({ ...t, stage: Number(t.stage), extended: t.extendedDays > 0 }));
}

export async function setWarningDays(
  db: Kysely<DB>,
  deps: ClockDeps,
  actor: Actor,
  itemCode: string,
  warningDays: number,
) {
  const now = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    await repo.upsertItemClockSetting(trx, itemCode, warningDays, now);
    await recordEvent(trx, actor, now, {
      action: 'clock_setting.updated',
      objectType: 'item',
      objectId: itemCode,
      detail: { warningDays },
    });
  });
  return { itemCode, warningDays };
}

/** The bell: the newest notifications (all, or unread only) and how many are unread in all. */
export async function listNotifications(db: Kysely<DB>, actor: Actor, unreadOnly: boolean) {
  const [notifications, unreadCount] = await Promise.all([
    repo.listNotifications(db, actor.userId, unreadOnly),
    repo.countUnread(db, actor.userId),
  ]);
  return { notifications, unreadCount };
}

export async function markRead(db: Kysely<DB>, deps: ClockDeps, actor: Actor, id: string) {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const row = await repo.markNotificationRead(trx, id, actor.userId, now);
    if (!row) throw notFound('未读通知 unread notification', id);
    await recordEvent(trx, actor, now, {
      action: 'notification.read',
      objectType: 'notification',
      objectId: id,
    });
    return { id, readAt: now };
  });
}

export async function issueOrder(
  db: Kysely<DB>,
  deps: ClockDeps,
  actor: Actor,
  input: { taskId: string; message: string; responseWorkingDays: number },
) {
  const stages = await supervisedStages(db, actor);
  const task = await repo.findTaskBrief(db, input.taskId);
  if (!task) throw notFound('办件 task', input.taskId);
  const district = supervisedDistrict(actor);
  if (district && task.districtCode !== district) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能督办本区县项目的办件 (not a project of your district)', {
      field: 'body.taskId',
    });
  }
  if (stages && !stages.includes(Number(task.stage))) {
    throw new DomainError(
      'FORBIDDEN_SCOPE',
      '只能督办本部门牵头阶段的办件 (not a stage your department leads)',
      { field: 'body.taskId' },
    );
  }
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  const dueDate = calendar.addWorkingDays(beijingDate(now), input.responseWorkingDays).deadline;
  return db.transaction().execute(async (trx) => {
    const order = await repo.insertOrder(trx, {
      taskId: task.id,
      departmentCode: task.departmentCode,
      stage: Number(task.stage),
      message: input.message,
      responseWorkingDays: input.responseWorkingDays,
      dueDate,
      status: 'open',
      issuedBy: actor.userId,
      issuedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'supervision_order.issued',
      objectType: 'supervision_order',
      objectId: order.id,
      toState: 'open',
      detail: { taskId: task.id, departmentCode: task.departmentCode, dueDate },
    });
    const recipients = await repo.taskRecipients(trx, task.departmentCode, Number(task.stage), task.id);
    await notify(
      trx,
      now,
      recipients.map((u) => ({
        userId: u.id,
        kind: 'order.issued',
        title: `督办通知：${task.itemName}`,
        body: `${input.message}（请于 ${dueDate} 前答复）`,
        objectType: 'supervision_order',
        objectId: order.id,
      })),
    );
    return order;
  });
}

/** Department staff who answer 督办 orders; the head (负责人) receives the escalated ones. */
const ORDER_STAFF: readonly string[] = ['reviewer', 'senior', 'head', 'coordinator'];

function answersOrdersOf(actor: Actor, departmentCode: string) {
  return (
    isStaffOf(actor, departmentCode) ||
    (ORDER_STAFF.includes(actor.role) && actor.departmentCode === departmentCode)
  );
}

export async function listOrders(db: Kysely<DB>, actor: Actor, mine: boolean) {
  if (mine || (actor.role !== 'supervisor' && actor.role !== 'admin' && actor.role !== 'coordinator')) {
    if (!ORDER_STAFF.includes(actor.role) || !actor.departmentCode) {
      throw new DomainError('FORBIDDEN_ROLE', '仅承办部门人员可查看本部门督办 (department staff only)');
    }
    return repo.listOrders(db, { departmentCode: actor.departmentCode });
  }
  const stages = await supervisedStages(db, actor);
  const districtCode = supervisedDistrict(actor);
  return repo.listOrders(db, { ...(stages ? { stages } : {}), ...(districtCode ? { districtCode } : {}) });
}

export async function respondOrder(
  db: Kysely<DB>,
  deps: ClockDeps,
  actor: Actor,
  id: string,
  response: string,
) {
  const order = await repo.findOrder(db, id);
  if (!order) throw notFound('督办单 order', id);
  if (!answersOrdersOf(actor, order.departmentCode)) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能答复本部门的督办单 (only the task department answers)');
  }
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const answered = await repo.answerOrder(trx, id, response, actor.userId, now);
    if (!answered) throw new DomainError('CONFLICT_STATE', '督办单已答复 (order already answered)');
    await recordEvent(trx, actor, now, {
      action: 'supervision_order.answered',
      objectType: 'supervision_order',
      objectId: id,
      fromState: order.status,
      toState: 'answered',
    });
    return answered;
  });
}

/**
 * The daily sweep: unanswered orders past due go to the department's head (负责人, role `head`; its
 * seniors when the department has no head account), once: the conditional update makes it idempotent.
 */
export async function escalateOverdueOrders(db: Kysely<DB>, deps: ClockDeps) {
  const now = deps.clock.now();
  const today = beijingDate(now);
  return db.transaction().execute(async (trx) => {
    const orders = await repo.lockOverdueOrders(trx, today);
    for (const o of orders) {
      await repo.markEscalated(trx, o.id, now);
      await recordEvent(trx, null, now, {
        action: 'supervision_order.escalated',
        objectType: 'supervision_order',
        objectId: o.id,
        fromState: 'open',
        toState: 'escalated',
        reason: `逾期未答复 (no reply by ${o.dueDate})`,
      });
      const heads = await repo.departmentHeads(trx, o.departmentCode);
      await notify(
        trx,
        now,
        heads.map((u) => ({
          userId: u.id,
          kind: 'order.escalated',
          title: '督办单逾期未答复（已升级）',
          body: `督办单于 ${o.dueDate} 到期仍未答复，请部门负责人处理`,
          objectType: 'supervision_order',
          objectId: o.id,
        })),
      );
    }
    return orders.length;
  });
}
