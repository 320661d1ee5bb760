import { describe, expect, it } from 'vitest';
import { daysSummary, mainLineCompletion, monthPlan } from './stats.rules';

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

describe('mainLineCompletion (the whole-process figure counts complete main lines only)', () => {
  const stages = [1, 2, 3, 4, 5].map((n) => ({ nationalStage: n, mergedStages: [n] }));
  const merged = [
    { nationalStage: 1, mergedStages: [1] },
    { nationalStage: 2, mergedStages: [2, 3] },
    { nationalStage: 4, mergedStages: [4] },
    { nationalStage: 5, mergedStages: [5] },
  ];
  const done = (entries: [number, string[]][]) => new Map(entries);

  it('is complete when stages 1–4 each completed; 并行推进 stage 5 is not needed', () => {
    const all = done([
      [1, ['2026-03-10']],
      [2, ['2026-04-01']],
      [3, ['2026-05-01']],
      [4, ['2026-06-01']],
    ]);
    expect(mainLineCompletion(stages, all)).toEqual({
      complete: true,
      completedOn: '2026-06-01',
      mainStages: 4,
      completedStages: 4,
    });
    const three = done([
      [1, ['2026-03-10']],
      [2, ['2026-04-01']],
      [3, ['2026-05-01']],
      [5, ['2026-05-02']],
    ]);
    expect(mainLineCompletion(stages, three)).toMatchObject({
      complete: false,
      completedOn: null,
      completedStages: 3,
    });
  });

  it('takes a stage as done on its first completion; a merged stage answers to either number', () => {
    const again = done([
      [1, ['2026-03-20', '2026-03-10']],
      [3, ['2026-04-01']],
      [4, ['2026-05-01']],
    ]);
    expect(mainLineCompletion(merged, again)).toEqual({
      complete: true,
      completedOn: '2026-05-01',
      mainStages: 3,
      completedStages: 3,
    });
    expect(mainLineCompletion([], done([[1, ['2026-03-10']]])).complete).toBe(false);
  });
});
