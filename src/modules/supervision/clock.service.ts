/**
 * Task clocks (task 41: 审批节点控制): every task's clock is the approvals' one `taskClock` rule fed with
 * its pauses and the per-item warning threshold (issue 8 item 6: the inbox, the task, the application,
 * the project and supervision show the same clock). Running tasks are cached in task_clock for filters
 * and statistics, and each new 预警 / 逾期 state is notified once.
 */
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import * as catalog from '../catalog/catalog.service';
import { isRunningTask, taskClock, type PauseSpan, type TaskClock } from '../approvals/clock.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import { beijingDate, type WorkingCalendar } from '../calendar/calendar.rules';
import { notify, type OutgoingNotification } from './notification.channel';
import * as repo from './supervision.repository';
import type { TaskClockTable } from './supervision.tables';

export interface ClockDeps {
  clock: Clock;
  calendar: CalendarProvider;
}

/** What a caller knows of a task to ask for its clock (an item_task row has all of it). */
export interface ClockTaskRef {
  id: string;
  deadline: string;
  promisedDays: number;
  decidedAt: Date | null;
  status: string;
  itemCode: string;
  extendedDays: number;
  startedOn: string;
}

const stateNames = { normal: '正常', warning: '预警', overdue: '逾期' } as const;

/** The day a task's clock stopped for good: null while it runs; its decision day (or today) after. */
function finishedOnOf(t: Pick<ClockTaskRef, 'status' | 'decidedAt'>, today: string): string | null {
  if (isRunningTask(t.status)) return null;
  return t.decidedAt ? beijingDate(t.decidedAt) : today;
}

function clockOf(
  calendar: WorkingCalendar,
  t: ClockTaskRef,
  pauses: readonly PauseSpan[],
  warningDays: number | undefined,
  today: string,
): TaskClock {
  return taskClock(
    calendar,
    {
      deadline: t.deadline,
      promisedDays: t.promisedDays,
      finishedOn: finishedOnOf(t, today),
      extendedDays: t.extendedDays,
      ...(warningDays !== undefined ? { warningDays } : {}),
    },
    pauses,
    today,
  );
}

async function clockInputs(db: Kysely<DB>, taskIds: string[]) {
  const [pauses, settings] = await Promise.all([repo.listPauses(db, taskIds), repo.warningSettings(db)]);
  const pausesByTask = new Map<string, PauseSpan[]>();
  for (const p of pauses) {
    const list = pausesByTask.get(p.taskId) ?? [];
    list.push(p);
    pausesByTask.set(p.taskId, list);
  }
  return { pausesByTask, settings };
}

/**
 * The clock of each task, as every view shows it: pauses and per-item warning thresholds loaded here,
 * the rule in approvals/clock.rules.ts. Keyed by task id.
 */
export async function taskClocks(
  db: Kysely<DB>,
  deps: ClockDeps,
  tasks: readonly ClockTaskRef[],
): Promise<Map<string, TaskClock>> {
  const out = new Map<string, TaskClock>();
  if (tasks.length === 0) return out;
  const today = beijingDate(deps.clock.now());
  const calendar = await deps.calendar.get();
  const { pausesByTask, settings } = await clockInputs(
    db,
    tasks.map((t) => t.id),
  );
  for (const t of tasks) {
    out.set(t.id, clockOf(calendar, t, pausesByTask.get(t.id) ?? [], settings.get(t.itemCode), today));
  }
  return out;
}

/** Recomputes stale clocks and notifies new warning/overdue transitions; returns how many changed state. */
export async function refreshClocks(
  db: Kysely<DB>,
  deps: ClockDeps,
): Promise<{ refreshed: number; transitions: number }> {
  const now = deps.clock.now();
  const today = beijingDate(now);
  const calendar = await deps.calendar.get();
  const tasks = await repo.listTasksToRefresh(db);
  if (tasks.length === 0) return { refreshed: 0, transitions: 0 };
  const { pausesByTask, settings } = await clockInputs(
    db,
    tasks.map((t) => t.id),
  );

  const rows: Insertable<TaskClockTable>[] = [];
  const turned: { task: (typeof tasks)[number]; state: 'warning' | 'overdue' }[] = [];
  for (const t of tasks) {
    const running = isRunningTask(t.status);
    const finishedOn = finishedOnOf(t, today);
    const c = clockOf(calendar, t, pausesByTask.get(t.id) ?? [], settings.get(t.itemCode), today);
    rows.push({
      taskId: t.id,
      deadline: c.deadline,
      remainingDays: c.remainingWorkingDays,
      overdueDays: c.overdueWorkingDays,
      clockState: c.clockState,
      paused: c.paused,
      pausedDays: c.pausedWorkingDays,
      finished: !running,
      finishedOn,
      usedDays: finishedOn
        ? Math.max(0, calendar.workingDaysBetween(t.startedOn, finishedOn) - c.pausedWorkingDays)
        : null,
      refreshedAt: now,
    });
    if (running && c.clockState !== 'normal' && c.clockState !== t.cachedState) {
      turned.push({ task: t, state: c.clockState });
    }
  }

  let transitions = 0;
  await db.transaction().execute(async (trx) => {
    await repo.upsertClocks(trx, rows);
    const names = await catalog.itemNames(
      trx,
      turned.map((x) => x.task.itemCode),
    );
    for (const { task, state } of turned) {
      const itemName = names.get(task.itemCode) ?? task.itemCode;
      // The unique (task, state) key: a transition seen by two refreshes is notified by one of them.
      if (!(await repo.insertTransition(trx, task.id, state, now))) continue;
      transitions++;
      const recipients = await repo.taskRecipients(trx, task.departmentCode, task.stage, task.id);
      const messages: OutgoingNotification[] = recipients.map((u) => ({
        userId: u.id,
        kind: `clock.${state}`,
        title: `办件${stateNames[state]}：${itemName}`,
        body: `事项「${itemName}」办理时限${state === 'overdue' ? '已逾期' : '即将到期'}，请及时办理`,
        objectType: 'item_task',
        objectId: task.id,
      }));
      await notify(trx, now, messages);
    }
  });
  return { refreshed: rows.length, transitions };
}

/** A calendar notice moves deadlines: recompute every clock, finished ones included. */
export async function recomputeAfterCalendarChange(db: Kysely<DB>, deps: ClockDeps) {
  await repo.forgetFrozenClocks(db);
  return refreshClocks(db, deps);
}
