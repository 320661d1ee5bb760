import { describe, expect, it } from 'vitest';
import { daysSummary, monthPlan } from './stats.rules';

describe('monthPlan', () => {
  it('reads whole months from the rollup and partial ends live', () => {
    expect(monthPlan('2024-01-01', '2024-12-31')).toEqual({
      months: { from: '2024-01-01', to: '2024-12-01' },
      live: [],
    });
    expect(monthPlan('2024-01-15', '2024-03-10')).toEqual({
      months: { from: '2024-02-01', to: '2024-02-01' },
      live: [
        { from: '2024-01-15', to: '2024-01-31' },
        { from: '2024-03-01', to: '2024-03-10' },
      ],
    });
    expect(monthPlan('2024-02-10', '2024-02-29')).toEqual({
      months: null,
      live: [{ from: '2024-02-10', to: '2024-02-29' }],
    });
    expect(monthPlan(undefined, '2024-02-28')).toEqual({
      months: { to: '2024-01-01' },
      live: [{ from: '2024-02-01', to: '2024-02-28' }],
    });
    expect(monthPlan()).toEqual({ months: {}, live: [] });
    expect(monthPlan('2024-03-01', '2024-02-01')).toEqual({ months: null, live: [] });
  });
});

describe('daysSummary', () => {
  it('matches percentile_cont on the expanded values', () => {
    // Values 1,2,2,3,10: avg 3.6, median 2, P90 = 3 + 0.6 × 7 = 7.2.
    const s = daysSummary(
      new Map([
        [10, 1],
        [2, 2],
        [1, 1],
        [3, 1],
      ]),
    );
    expect(s.avg).toBeCloseTo(3.6);
    expect(s.median).toBe(2);
    expect(s.p90).toBeCloseTo(7.2);
    expect(daysSummary(new Map())).toEqual({ avg: null, median: null, p90: null });
  });
});
