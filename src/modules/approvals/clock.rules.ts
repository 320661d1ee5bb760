/**
 * The working-day clock of a task (计时): counting starts the day after acceptance; 补正 and legally
 * prescribed special procedures stop it (their working days push the deadline out); everything else
 * counts. States follow the national 正常 / 预警 / 逾期.
 */
import type { WorkingCalendar } from '../calendar/calendar.rules';

export interface PauseSpan {
  pausesClock: boolean;
  startedOn: string;
  endedOn: string | null;
}

export type ClockState = 'normal' | 'warning' | 'overdue';

export interface TaskClock {
  deadline: string;
  pausedWorkingDays: number;
  paused: boolean;
  remainingWorkingDays: number;
  overdueWorkingDays: number;
  clockState: ClockState;
  calendarComplete: boolean;
}

/** Working days inside pauses (a pause from d1 to d2 stops d1 < day ≤ d2; an open one runs to today). */
export function pausedWorkingDays(
  calendar: WorkingCalendar,
  pauses: readonly PauseSpan[],
  today: string,
): number {
  return pauses
    .filter((p) => p.pausesClock)
    .reduce((sum, p) => sum + Math.max(0, calendar.workingDaysBetween(p.startedOn, p.endedOn ?? today)), 0);
}

/** Warning in the last 20% of the limit, at least one working day (configurable per item later). */
export function warningThreshold(promisedDays: number, ratio = 0.2): number {
  return Math.max(1, Math.ceil(promisedDays * ratio));
}

export function taskClock(
  calendar: WorkingCalendar,
  task: { deadline: string; promisedDays: number; finishedOn: string | null },
  pauses: readonly PauseSpan[],
  today: string,
): TaskClock {
  const end = task.finishedOn ?? today;
  const paused = pausedWorkingDays(calendar, pauses, end);
  const effective =
    paused > 0
      ? calendar.addWorkingDays(task.deadline, paused)
      : { deadline: task.deadline, calendarComplete: true };
  const remaining = calendar.workingDaysBetween(end, effective.deadline);
  const overdue = remaining < 0 ? -remaining : 0;
  const clockState: ClockState =
    overdue > 0
      ? 'overdue'
      : !task.finishedOn && remaining < warningThreshold(task.promisedDays)
        ? 'warning'
        : 'normal';
  return {
    deadline: effective.deadline,
    pausedWorkingDays: paused,
    paused: pauses.some((p) => p.pausesClock && !p.endedOn),
    remainingWorkingDays: Math.max(0, remaining),
    overdueWorkingDays: overdue,
    clockState,
    calendarComplete: effective.calendarComplete,
  };
}
