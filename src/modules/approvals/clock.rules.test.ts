import { describe, expect, it } from 'vitest';
import { defaultSchedules, WorkingCalendar } from '../calendar/calendar.rules';
import { isRunningTask, taskClock, type ClockTask, type PauseSpan } from './clock.rules';

const calendar = new WorkingCalendar(defaultSchedules());
// 2026-03-20 is a Friday: from 03-13 five working days remain, from 03-17 three, from 03-20 none.
const task = (over: Partial<ClockTask> = {}): ClockTask => ({
  deadline: '2026-03-20',
  promisedDays: 20,
  finishedOn: null,
  ...over,
});
const at = (today: string, over: Partial<ClockTask> = {}, pauses: PauseSpan[] = []) =>
  taskClock(calendar, task(over), pauses, today);

describe('taskClock: the one clock rule (inbox, task, application, project, supervision)', () => {
  it('warns in the last 20% of the limit (at least one working day), overdue past the deadline', () => {
    expect(at('2026-03-13').clockState).toBe('normal');
    expect(at('2026-03-17')).toMatchObject({ clockState: 'warning', remainingWorkingDays: 3 });
    expect(at('2026-03-20', { promisedDays: 2 }).clockState).toBe('warning');
    expect(at('2026-03-19', { promisedDays: 2 }).clockState).toBe('normal');
    expect(at('2026-03-24')).toMatchObject({
      clockState: 'overdue',
      overdueWorkingDays: 2,
      remainingWorkingDays: 0,
    });
  });

  it('uses the per-item warning threshold when supervision set one', () => {
    expect(at('2026-03-13', { warningDays: 6 }).clockState).toBe('warning');
    expect(at('2026-03-17', { warningDays: 2 }).clockState).toBe('normal');
    // The threshold never hides an overdue task.
    expect(at('2026-03-24', { warningDays: 1 }).clockState).toBe('overdue');
  });

  it('a finished task is never in warning and its clock stops on the day it ended', () => {
    expect(at('2026-04-30', { finishedOn: '2026-03-20' })).toMatchObject({
      clockState: 'normal',
      remainingWorkingDays: 0,
      overdueWorkingDays: 0,
    });
    expect(at('2026-04-30', { finishedOn: '2026-03-24' }).overdueWorkingDays).toBe(2);
    const open = [{ pausesClock: true, startedOn: '2026-03-16', endedOn: null, kind: 'correction' }];
    const ended = at('2026-04-30', { finishedOn: '2026-03-18' }, open);
    expect(ended).toMatchObject({ paused: false, pausedWorkingDays: 2 });
  });

  it('pauses stop the clock and push the deadline out; only clock-stopping ones count', () => {
    const pauses: PauseSpan[] = [
      { pausesClock: true, startedOn: '2026-03-02', endedOn: '2026-03-04', kind: 'correction' },
      { pausesClock: false, startedOn: '2026-03-02', endedOn: null, kind: 'note' },
      { pausesClock: true, startedOn: '2026-03-12', endedOn: null, kind: 'hearing' },
    ];
    const c = at('2026-03-13', {}, pauses);
    expect(c).toMatchObject({ pausedWorkingDays: 3, paused: true, deadline: '2026-03-25' });
    expect(c.pauses).toEqual([
      {
        kind: 'correction',
        startedOn: '2026-03-02',
        endedOn: '2026-03-04',
        pausesClock: true,
        workingDays: 2,
      },
      { kind: 'note', startedOn: '2026-03-02', endedOn: null, pausesClock: false, workingDays: 0 },
      { kind: 'hearing', startedOn: '2026-03-12', endedOn: null, pausesClock: true, workingDays: 1 },
    ]);
  });

  it('reports an approved 延期 and measures the warning against the extended limit', () => {
    expect(at('2026-03-13').extendedBy).toBe(0);
    // 5 promised days warn at 1 remaining; extended by 10 the limit is 15, so 20% is 3 days.
    expect(at('2026-03-18', { promisedDays: 5 }).clockState).toBe('normal');
    const extended = at('2026-03-18', { promisedDays: 5, extendedDays: 10 });
    expect(extended).toMatchObject({ extendedBy: 10, clockState: 'warning', deadline: '2026-03-20' });
  });

  it('counts in_review, paused and correction as running', () => {
    expect(['in_review', 'paused', 'correction'].every(isRunningTask)).toBe(true);
    expect(['approved', 'rejected', 'withdrawn', 'terminated', 'revoked'].some(isRunningTask)).toBe(false);
  });
});
