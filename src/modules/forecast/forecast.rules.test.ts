import { describe, expect, it } from 'vitest';
import { defaultSchedules, WorkingCalendar } from '../calendar/calendar.rules';
import { catalogItems } from '../catalog/catalog.data';
import { indexItems } from '../catalog/catalog.rules';
import type { Item } from '../catalog/catalog.schemas';
import { processTemplates } from '../templates/template.data';
import { templateView } from '../templates/template.rules';
import type { TemplateDefinition } from '../templates/template.schemas';
import { buildGraph, entrySamplesOf, type Knowledge, type ProgressApplication } from './forecast.graph';
import {
  distributionOf,
  drawDuration,
  drawRemaining,
  durationModel,
  groupHistory,
  historyKey,
  historyOf,
  MIN_HISTORY_SAMPLES,
  rescaleModel,
  simulate,
  simulateOnce,
  stageCompletion,
  type HistoryTask,
  type SimGraph,
} from './forecast.rules';
import { applyScenario } from './forecast.scenario';
import { ScenarioChangesSchema } from './forecast.schemas';
import { typicalAttributes } from './scenario.service';
import { mulberry32 } from '../../shared/random';

const calendar = new WorkingCalendar(defaultSchedules());
const catalog = indexItems(catalogItems);
const empty: Knowledge = { tasks: new Map(), entries: new Map() };
const template = (code: string) => processTemplates.find((t) => t.code === code)! as TemplateDefinition;

const task = (days: number, extra: Partial<HistoryTask> = {}): HistoryTask => ({
  itemCode: 'A',
  departmentCode: 'D',
  workingDays: days,
  viaCommitment: false,
  pausedDays: 0,
  extendedDays: 0,
  ...extra,
});

describe('duration model', () => {
  it('uses the promised limit below the minimum history and says so', () => {
    const thin = durationModel(
      Array.from({ length: MIN_HISTORY_SAMPLES - 1 }, () => task(3)),
      10,
    );
    expect(thin.basis).toBe('promised');
    expect(drawDuration(thin, mulberry32(1))).toBe(10);
    const rich = durationModel(
      [task(3), task(5), task(7), task(0, { viaCommitment: true }), task(9, { pausedDays: 2 })],
      10,
    );
    expect(rich.basis).toBe('history');
    expect(rich.reviewDays).toEqual([3, 5, 7, 9]);
    expect(rich.commitmentShare).toBeCloseTo(0.2);
    expect(rich.pausedShare).toBeCloseTo(0.2);
  });

  it('draws a running task only from cases that lasted longer than it has run', () => {
    const model = durationModel([task(2), task(4), task(6), task(8), task(10)], 10);
    const rng = mulberry32(7);
    for (let i = 0; i < 200; i++) expect(drawRemaining(model, 6, rng)).toBeGreaterThan(6);
    expect(drawRemaining(model, 12, rng)).toBe(13);
    const promised = durationModel([], 10);
    expect(drawRemaining(promised, 3, rng)).toBe(10);
    expect(drawRemaining(promised, 11, rng)).toBe(12);
  });

  it('rescales history in proportion to a changed limit', () => {
    const model = durationModel([task(10), task(20), task(20), task(30), task(40)], 20);
    expect(rescaleModel(model, 10).reviewDays).toEqual([5, 10, 10, 15, 20]);
  });
});

describe('history', () => {
  it('counts a dependent task from its blocker’s approval, not from acceptance', () => {
    const history = historyOf(
      calendar,
      [
        {
          projectId: 'p',
          itemCode: 'A',
          departmentCode: 'D',
          startedOn: '2026-03-02',
          decidedOn: '2026-03-09',
          viaCommitment: false,
          pausedDays: 0,
          extendedDays: 0,
        },
        {
          projectId: 'p',
          itemCode: 'B',
          departmentCode: 'E',
          startedOn: '2026-03-02',
          decidedOn: '2026-03-13',
          viaCommitment: false,
          pausedDays: 0,
          extendedDays: 0,
        },
      ],
      (_p, code) => (code === 'B' ? ['A'] : []),
    );
    expect(history.map((h) => h.workingDays)).toEqual([5, 4]);
    expect([...groupHistory(history).keys()]).toEqual([historyKey('A', 'D'), historyKey('B', 'E')]);
  });

  it('reads entry delays between main-line stages, the window part apart', () => {
    const def = template('SOCIAL_TRANSFER');
    const apps: ProgressApplication[] = [
      {
        id: '1',
        stage: 1,
        status: 'completed',
        submittedAt: new Date('2026-03-02T01:00:00Z'),
        acceptedOn: '2026-03-02',
        completedOn: '2026-03-16',
      },
      {
        id: '2',
        stage: 2,
        status: 'accepted',
        submittedAt: new Date('2026-03-18T01:00:00Z'),
        acceptedOn: '2026-03-20',
        completedOn: null,
      },
    ];
    expect(entrySamplesOf(calendar, def, apps)).toEqual([
      { nationalStage: 2, sample: { entryDays: 4, windowDays: 2 } },
    ]);
  });
});

function tinyGraph(rule: 'all_milestones' | 'any_milestone'): SimGraph {
  const fixed = (days: number) => durationModel([], days);
  return {
    stages: [
      {
        nationalStage: 1,
        name: 's1',
        mainLine: true,
        parallelWithPrevious: false,
        completionRule: rule,
        state: 'running',
        startedAt: 0,
        entry: { basis: 'promised', samples: [] },
      },
      {
        nationalStage: 2,
        name: 's2',
        mainLine: true,
        parallelWithPrevious: false,
        completionRule: 'all_milestones',
        state: 'future',
        entry: { basis: 'history', samples: [{ entryDays: 3, windowDays: 1 }] },
      },
    ],
    items: [
      { code: 'A', stage: 0, blockers: [], milestone: true, model: fixed(5), state: 'future' },
      { code: 'B', stage: 0, blockers: ['A'], milestone: true, model: fixed(4), state: 'future' },
      { code: 'C', stage: 0, blockers: [], milestone: true, model: fixed(7), state: 'future' },
      { code: 'D', stage: 1, blockers: [], milestone: true, model: fixed(10), state: 'future' },
    ],
  };
}

describe('simulation', () => {
  it('runs parallel items alongside, adds prerequisite chains, and waits for the stage before the next', () => {
    const run = simulateOnce(tinyGraph('all_milestones'), mulberry32(1));
    expect(run.items.get('B')).toBe(9); // A (5) then B (4)
    expect(run.stages[0]).toBe(9); // C (7) runs alongside
    expect(run.stages[1]).toBe(9 + 3 + 10); // entry delay 3, then D
    expect(run.project).toBe(22);
  });

  it('applies the stage completion rule (any milestone ends the stage)', () => {
    expect(simulateOnce(tinyGraph('any_milestone'), mulberry32(1)).stages[0]).toBe(5);
    expect(stageCompletion('all_milestones', [{ milestone: false, end: 4 }], 0)).toBe(4);
  });

  it('skips the window part of an entry under the 容缺 share', () => {
    const graph = { ...tinyGraph('all_milestones'), deficiencyShare: 1 };
    expect(simulateOnce(graph, mulberry32(1)).stages[1]).toBe(9 + 2 + 10);
  });

  it('is seeded: the same seed gives the same distribution', () => {
    const model = durationModel([task(2), task(4), task(9), task(15), task(30)], 10);
    const graph = tinyGraph('all_milestones');
    graph.items[3] = { ...graph.items[3]!, model };
    const a = simulate(graph, { seed: 42, runs: 300 });
    const b = simulate(graph, { seed: 42, runs: 300 });
    expect(a.project).toEqual(b.project);
    expect(a.project.p90).toBeGreaterThanOrEqual(a.project.p50);
    expect(a.project.histogram.reduce((n, h) => n + h.runs, 0)).toBe(300);
  });

  it('takes done and running progress as known: a done item is not drawn again', () => {
    const graph = tinyGraph('all_milestones');
    graph.items[0] = { ...graph.items[0]!, state: 'done', at: -3 };
    graph.items[1] = { ...graph.items[1]!, state: 'running', at: -5 };
    graph.items[2] = { ...graph.items[2]!, state: 'running', at: -5 };
    const run = simulateOnce(graph, mulberry32(3));
    expect(run.items.get('A')).toBe(-3);
    expect(run.items.get('B')).toBe(1); // B proceeds from A's approval: -3 + 4
    expect(run.items.get('C')).toBe(2); // 7 promised, started 5 days ago
  });

  it('percentiles of a distribution are whole working days', () => {
    const d = distributionOf([1, 2, 3, 4, 10]);
    expect(d.p50).toBe(3);
    expect(d.p90).toBe(8);
  });
});

describe('a template at the promised limits', () => {
  // The template's total is an upper bound over every applicable item; a stage completes by its rule
  // (milestones), so a non-milestone chain may run past it without holding the next stage.
  it.each(processTemplates.map((t) => t.code))(
    '%s: a promised-only run from acceptance stays within the template’s own total',
    (code) => {
      const def = template(code);
      const attrs = typicalAttributes(def);
      const graph = buildGraph(calendar, '2026-03-02', def, attrs, catalog, empty, 'at_start', {
        promisedOnly: true,
      });
      const run = simulateOnce(graph, mulberry32(1));
      expect(run.project).toBeGreaterThan(0);
      expect(run.project).toBeLessThanOrEqual(templateView(def, catalog, attrs).totalWorkingDays);
    },
  );

  it('SOCIAL_TRANSFER: every stage limit on the milestone path, so the run equals the total (34)', () => {
    const def = template('SOCIAL_TRANSFER');
    const attrs = typicalAttributes(def);
    const graph = buildGraph(calendar, '2026-03-02', def, attrs, catalog, empty, 'at_start', {
      promisedOnly: true,
    });
    expect(simulateOnce(graph, mulberry32(1)).project).toBe(
      templateView(def, catalog, attrs).totalWorkingDays,
    );
  });
});

describe('reform scenario', () => {
  const def = template('SOCIAL_TRANSFER');
  const changes = (input: unknown) => ScenarioChangesSchema.parse(input);
  const live = templateView(def, catalog).totalWorkingDays;
  const longest = def.stages
    .flatMap((s) => s.items.map((ti) => catalog.get(ti.itemCode)!))
    .sort((a: Item, b: Item) => b.promisedTimeLimitDays - a.promisedTimeLimitDays)[0]!;

  it('cuts limits in the sandbox only: the total falls, the live catalog keeps its values', () => {
    const first = def.stages[0]!.items.map((ti) => ti.itemCode);
    const limits = first.map((itemCode) => ({ itemCode, promisedTimeLimitDays: 1 }));
    const { sandbox, problems } = applyScenario(def, catalog, changes({ limits }));
    expect(problems).toEqual([]);
    expect(templateView(sandbox.def, sandbox.catalog).totalWorkingDays).toBeLessThan(live);
    expect(templateView(def, catalog).totalWorkingDays).toBe(live);
    expect(catalog.get(first[0]!)!.promisedTimeLimitDays).toBe(
      catalogItems.find((i) => i.code === first[0])!.promisedTimeLimitDays,
    );
  });

  it('refuses a limit over the legal one and an item outside the template, naming the field', () => {
    const { problems } = applyScenario(
      def,
      catalog,
      changes({
        limits: [
          { itemCode: longest.code, promisedTimeLimitDays: longest.legalTimeLimitDays + 1 },
          { itemCode: 'NOPE', promisedTimeLimitDays: 3 },
        ],
      }),
    );
    expect(problems.map((p) => p.field)).toEqual([
      'body.changes.limits.0.promisedTimeLimitDays',
      'body.changes.limits.1.itemCode',
    ]);
  });

  it('moves an item into parallel, merges items and merges stages', () => {
    const chained = def.stages.flatMap((s) => s.items).find((ti) => ti.prerequisites.length > 0)!;
    const parallel = applyScenario(def, catalog, changes({ parallel: [chained.itemCode] })).sandbox;
    expect(
      parallel.def.stages.flatMap((s) => s.items).find((t) => t.itemCode === chained.itemCode)!.prerequisites,
    ).toEqual([]);
    expect(
      def.stages.flatMap((s) => s.items).find((t) => t.itemCode === chained.itemCode)!.prerequisites.length,
    ).toBeGreaterThan(0);

    const stage = def.stages.find((s) => s.items.length >= 2)!;
    const [a, b] = stage.items;
    const merged = applyScenario(
      def,
      catalog,
      changes({ mergeItems: [{ into: a!.itemCode, items: [b!.itemCode] }] }),
    ).sandbox;
    const codes = merged.def.stages.flatMap((s) => s.items.map((t) => t.itemCode));
    expect(codes).toContain(a!.itemCode);
    expect(codes).not.toContain(b!.itemCode);

    const stages = applyScenario(def, catalog, changes({ mergeStages: [[2, 3]] })).sandbox;
    expect(stages.def.stages.length).toBe(def.stages.length - 1);
    expect(stages.def.stages.find((s) => s.mergedStages.includes(3))!.mergedStages).toEqual([2, 3]);
    expect(applyScenario(def, catalog, changes({ mergeStages: [[1, 3]] })).problems[0]!.field).toBe(
      'body.changes.mergeStages.0',
    );
  });
});
