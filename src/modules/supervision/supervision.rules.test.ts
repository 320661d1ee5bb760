import { describe, expect, it } from 'vitest';
import type { TaskClock } from '../approvals/clock.rules';
import { clockStateOf, monthRange, percentile, previousMonth } from './supervision.rules';

const clock = (remaining: number, overdue = 0): TaskClock => ({
  deadline: '2026-03-20',
  pausedWorkingDays: 0,
  paused: false,
  remainingWorkingDays: remaining,
  overdueWorkingDays: overdue,
  clockState: 'normal',
  calendarComplete: true,
});

describe('supervision rules', () => {
  it('warns in the last 20% by default and by the per-item threshold when set', () => {
    expect(clockStateOf(clock(5), 20, undefined, true)).toBe('normal');
    expect(clockStateOf(clock(3), 20, undefined, true)).toBe('warning');
    expect(clockStateOf(clock(5), 20, 6, true)).toBe('warning');
    expect(clockStateOf(clock(0, 2), 20, undefined, true)).toBe('overdue');
    expect(clockStateOf(clock(0), 20, undefined, false)).toBe('normal');
    expect(clockStateOf(clock(0), 2, undefined, true)).toBe('warning');
  });

  it('computes month ranges, the previous month and percentiles', () => {
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previousMonth('2026-01-05')).toBe('2025-12');
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([], 0.5)).toBeNull();
  });
});
