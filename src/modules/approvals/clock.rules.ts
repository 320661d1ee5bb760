/**
 * The working-day clock of a task (计时): THE one clock rule (issue 8 item 6) behind the inbox, the task,
 * the application, the project and supervision. Counting starts the day after acceptance; 补正 and
 * legally prescribed special procedures stop it (their working days push the deadline out); an approved
 * 延期 is already inside the stored deadline; everything else counts. States follow the national
 * 正常 / 预警 / 逾期, with the per-item warning threshold supervision configures.
 */
import type { WorkingCalendar } from '../calendar/calendar.rules';

export interface PauseSpan {
  pausesClock: boolean;
  startedOn: string;
  endedOn: string | null;
  /** correction (补正), hearing, expert review, …: shown with the clock, not used by the rule. */
  kind?: string;
}

export type ClockState = 'normal' | 'warning' | 'overdue';

/** A pause as the clock reports it: its span and the working days it stopped the clock for. */
export interface ClockPause {
  kind: string | null;
  startedOn: string;
  endedOn: string | null;
  pausesClock: boolean;
  workingDays: number;
}

export interface ClockTask {
  /** The stored deadline: acceptance + limit + approved 延期, on the calendar in force. */
  deadline: string;
  /** The item's 承诺时限 (working days): the default warning threshold is the last 20% of it. */
  promisedDays: number;
  /** Null while the task runs; else the Beijing date it ended (decided, withdrawn, terminated). */
  finishedOn: string | null;
  /** Working days an approved 延期 added (already inside `deadline`); 0 or absent: not extended. */
  extendedDays?: number;
  /** The per-item warning threshold (working days), when supervision set one. */
  warningDays?: number;
}

export interface TaskClock {
  deadline: string;
  pausedWorkingDays: number;
  paused: boolean;
  remainingWorkingDays: number;
  overdueWorkingDays: number;
  clockState: ClockState;
  /** Working days an approved 延期 added to the limit (0: not extended). */
  extendedBy: number;
  calendarComplete: boolean;
  pauses?: ClockPause[];
}

/** Task statuses whose clock runs (补正 and special procedures stop it, but the task is still open). */
export const RUNNING_TASK_STATUSES = ['in_review', 'paused', 'correction'] as const;

export function isRunningTask(status: string): boolean {
  return (RUNNING_TASK_STATUSES as readonly string[]).includes(status);
}

/** Working days inside one pause (from d1 to d2 it stops d1 < day ≤ d2; an open one runs to `end`). */
function pauseDays(calendar: WorkingCalendar, p: PauseSpan, end: string): number {
  if (!p.pausesClock) return 0;
  const until = p.endedOn === null || p.endedOn > end ? end : p.endedOn;
  return Math.max(0, calendar.workingDaysBetween(p.startedOn, until));
}

/** Working days inside pauses (a pause from d1 to d2 stops d1 < day ≤ d2; an open one runs to today). */
export function pausedWorkingDays(
  calendar: WorkingCalendar,
  pauses: readonly PauseSpan[],
  today: string,
): number {
  return pauses.reduce((sum, p) => sum + pauseDays(calendar, p, today), 0);
}

/** Warning in the last 20% of the limit, at least one working day (an item may set its own). */
export function warningThreshold(promisedDays: number, ratio = 0.2): number {
  return Math.max(1, Math.ceil(promisedDays * ratio));
}

export function taskClock(
  calendar: WorkingCalendar,
  task: ClockTask,
  pauses: readonly PauseSpan[],
  today: string,
): TaskClock {
  const end = task.finishedOn ?? today;
  const extendedBy = Math.max(0, task.extendedDays ?? 0);
  const spans = pauses.map((p) => ({ p, days: pauseDays(calendar, p, end) }));
  const paused = spans.reduce((sum, s) => sum + s.days, 0);
  const effective =
    paused > 0
      ? calendar.addWorkingDays(task.deadline, paused)
      : { deadline: task.deadline, calendarComplete: true };
  const remaining = calendar.workingDaysBetween(end, effective.deadline);
  const overdue = remaining < 0 ? -remaining : 0;
  // An extension lengthens the limit, so the last 20% is of the longer limit.
  const threshold = task.warningDays ?? warningThreshold(task.promisedDays + extendedBy);
  const clockState: ClockState =
    overdue > 0 ? 'overdue' : !task.finishedOn && remaining < threshold ? 'warning' : 'normal';
  return {
    deadline: effective.deadline,
    pausedWorkingDays: paused,
    paused: !task.finishedOn && pauses.some((p) => p.pausesClock && !p.endedOn),
    remainingWorkingDays: Math.max(0, remaining),
    overdueWorkingDays: overdue,
    clockState,
    extendedBy,
    calendarComplete: effective.calendarComplete,
    pauses: spans.map(({ p, days }) => ({
      kind: p.kind ?? null,
      startedOn: p.startedOn,
      endedOn: p.endedOn,
      pausesClock: p.pausesClock,
      workingDays: days,
    })),
  };
}
