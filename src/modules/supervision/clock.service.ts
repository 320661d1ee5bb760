/**
 * Task clocks for supervision (task 41: 审批节点控制): every running task's state is derived from the
 * clock at read time with the approvals' `taskClock`, cached in task_clock for filters and statistics,
 * and each new 预警 / 逾期 state is notified once.
 */
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { taskClock } from '../approvals/clock.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import { beijingDate } from '../calendar/calendar.rules';
import { notify, type OutgoingNotification } from './notification.channel';
import { clockStateOf } from './supervision.rules';
import * as repo from './supervision.repository';
import type { TaskClockTable } from './supervision.tables';

export interface ClockDeps {
  clock: Clock;
  calendar: CalendarProvider;
}

const RUNNING = new Set(['in_review', 'paused']);
const stateNames = { normal: '正常', warning: '预警', overdue: '逾期' } as const;

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
  const [pauses, settings] = await Promise.all([
    repo.listPauses(
      db,
      tasks.map((t) => t.id),
    ),
    repo.warningSettings(db),
  ]);
  const pausesByTask = new Map<string, typeof pauses>();
  for (const p of pauses) pausesByTask.set(p.taskId, [...(pausesByTask.get(p.taskId) ?? []), p]);

  const rows: Insertable<TaskClockTable>[] = [];
  const turned: { task: (typeof tasks)[number]; state: 'warning' | 'overdue' }[] = [];
  for (const t of tasks) {
    const running = RUNNING.has(t.status);
    const finishedOn = running ? null : t.decidedAt ? beijingDate(t.decidedAt) : today;
    const c = taskClock(
      calendar,
      { deadline: t.deadline, promisedDays: t.promisedDays, finishedOn },
      pausesByTask.get(t.id) ?? [],
      today,
    );
    const state = clockStateOf(c, t.promisedDays, settings.get(t.itemCode), running);
    rows.push({
      taskId: t.id,
      deadline: c.deadline,
      remainingDays: c.remainingWorkingDays,
      overdueDays: c.overdueWorkingDays,
      clockState: state,
      paused: c.paused,
      pausedDays: c.pausedWorkingDays,
      finished: !running,
      finishedOn,
      usedDays: finishedOn
        ? Math.max(0, calendar.workingDaysBetween(t.startedOn, finishedOn) - c.pausedWorkingDays)
        : null,
      refreshedAt: now,
    });
    if (running && state !== 'normal' && state !== t.cachedState) turned.push({ task: t, state });
  }

  let transitions = 0;
  await db.transaction().execute(async (trx) => {
    await repo.upsertClocks(trx, rows);
    for (const { task, state } of turned) {
      // The unique (task, state) key: a transition seen by two refreshes is notified by one of them.
      if (!(await repo.insertTransition(trx, task.id, state, now))) continue;
      transitions++;
      const recipients = await repo.taskRecipients(trx, task.departmentCode, task.stage);
      const messages: OutgoingNotification[] = recipients.map((u) => ({
        userId: u.id,
        kind: `clock.${state}`,
        title: `办件${stateNames[state]}：${task.itemCode}`,
        body: `事项 ${task.itemCode} 办理时限${state === 'overdue' ? '已逾期' : '即将到期'}，请及时办理 (task ${state})`,
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
