/**
 * Pure rules of foresight (issue 17): how long an item takes, learned from completed tasks per item and
 * department, and a seeded Monte Carlo over a template's graph — stages in order (parallelWithPrevious
 * and 并行推进 as the template says), items in parallel inside a stage, prerequisites and requiredBefore
 * (templates' blockersOf), stage completion rules — giving P50 / P90 completion in working days.
 *
 * Time here is a working-day offset from "today" (0); the caller turns offsets into dates with the
 * calendar module (the only working-day rule). Where an item has too little history the promised
 * limit (承诺时限) is used instead, and each result says which basis it used.
 */
import type { WorkingCalendar } from '../calendar/calendar.rules';
import { mulberry32 } from '../../shared/random';
import { percentile } from '../supervision/supervision.rules';

/** Fewer completed tasks than this for an item and department: the promised limit is used. */
export const MIN_HISTORY_SAMPLES = 5;
/** Runs per forecast: enough for stable P90s (±1 working day on the demo graph), fast enough per request. */
export const DEFAULT_RUNS = 1000;

export type Basis = 'history' | 'promised';

/** One completed (approved) task as history sees it. */
export interface HistoryTask {
  itemCode: string;
  departmentCode: string;
  /** Working days from the day the task could proceed (acceptance, or its last blocker's approval) to its decision. */
  workingDays: number;
  viaCommitment: boolean;
  pausedDays: number;
  extendedDays: number;
}

/** What is known of an item's durations. `reviewDays` excludes tasks decided by 告知承诺 (0 days). */
export interface DurationModel {
  basis: Basis;
  promisedDays: number;
  /** Sorted working days of the tasks reviewed (not decided by commitment). */
  reviewDays: number[];
  /** Share of history decided on the spot by 告知承诺 (0 when the basis is the promised limit). */
  commitmentShare: number;
  samples: number;
  pausedShare: number;
  extendedShare: number;
}

export function historyKey(itemCode: string, departmentCode: string): string {
  return `${itemCode}|${departmentCode}`;
}

export function groupHistory(tasks: readonly HistoryTask[]): Map<string, HistoryTask[]> {
  const out = new Map<string, HistoryTask[]>();
  for (const t of tasks) {
    const key = historyKey(t.itemCode, t.departmentCode);
    const list = out.get(key) ?? [];
    list.push(t);
    out.set(key, list);
  }
  return out;
}

/** The model of one item: its history when there is enough of it, else its promised limit. */
export function durationModel(
  history: readonly HistoryTask[] | undefined,
  promisedDays: number,
  minSamples = MIN_HISTORY_SAMPLES,
): DurationModel {
  const tasks = history ?? [];
  if (tasks.length < minSamples) {
    return {
      basis: 'promised',
      promisedDays,
      reviewDays: [],
      commitmentShare: 0,
      samples: tasks.length,
      pausedShare: 0,
      extendedShare: 0,
    };
  }
  const reviewed = tasks.filter((t) => !t.viaCommitment);
  return {
    basis: 'history',
    promisedDays,
    reviewDays: reviewed.map((t) => Math.max(0, t.workingDays)).sort((a, b) => a - b),
    commitmentShare: (tasks.length - reviewed.length) / tasks.length,
    samples: tasks.length,
    pausedShare: tasks.filter((t) => t.pausedDays > 0).length / tasks.length,
    extendedShare: tasks.filter((t) => t.extendedDays > 0).length / tasks.length,
  };
}

/**
 * A reform changes the limit from `promisedDays` to `newDays`: the history is scaled in proportion
 * (a department held to two thirds of the limit is assumed to take two thirds of the time).
 */
export function rescaleModel(model: DurationModel, newDays: number): DurationModel {
  if (model.promisedDays === newDays) return model;
  const factor = model.promisedDays > 0 ? newDays / model.promisedDays : 1;
  return {
    ...model,
    promisedDays: newDays,
    reviewDays: model.reviewDays.map((d) => Math.round(d * factor)).sort((a, b) => a - b),
  };
}

export type Random = () => number;

function pick(values: readonly number[], rng: Random): number {
  return values[Math.min(values.length - 1, Math.floor(rng() * values.length))]!;
}

/** A whole duration: 0 with the commitment share, else a reviewed task's days (or the promised limit). */
export function drawDuration(model: DurationModel, rng: Random, commitmentShare = model.commitmentShare) {
  if (commitmentShare > 0 && rng() < commitmentShare) return 0;
  if (model.basis === 'promised' || model.reviewDays.length === 0) return model.promisedDays;
  return pick(model.reviewDays, rng);
}

/**
 * The duration of something already running for `elapsed` working days and not yet done: drawn from
 * the history longer than `elapsed` (strictly: it did not finish by today). Past every known case — or
 * past the promised limit — it is taken to end on the next working day.
 */
export function drawRemaining(model: DurationModel, elapsed: number, rng: Random): number {
  if (model.basis === 'promised' || model.reviewDays.length === 0) {
    return Math.max(model.promisedDays, elapsed + 1);
  }
  const from = firstAbove(model.reviewDays, elapsed);
  if (from >= model.reviewDays.length) return elapsed + 1;
  return pick(model.reviewDays.slice(from), rng);
}

function firstAbove(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------
// Stage entry: from the previous main-line stage's completion (or start, for parallelWithPrevious) to
// this stage's acceptance — the enterprise's own preparation plus the window (submission → acceptance).

export interface EntrySample {
  /** Working days from the previous stage's completion (or start) to this stage's acceptance. */
  entryDays: number;
  /** Of which at the window: submission to acceptance (补正 of materials; 容缺 shortens it). */
  windowDays: number;
}

export interface EntryModel {
  basis: Basis;
  samples: EntrySample[];
}

export function entryModel(samples: readonly EntrySample[] | undefined, minSamples = MIN_HISTORY_SAMPLES) {
  const list = samples ?? [];
  return list.length < minSamples
    ? ({ basis: 'promised', samples: [] } satisfies EntryModel)
    : ({ basis: 'history', samples: [...list] } satisfies EntryModel);
}

/** The entry delay; with `deficiencyShare` the window part is skipped (accepted at once under 容缺). */
export function drawEntry(model: EntryModel, rng: Random, deficiencyShare = 0, atLeast = 0): number {
  if (model.samples.length === 0) return atLeast;
  const candidates = model.samples.filter((s) => s.entryDays >= atLeast);
  if (candidates.length === 0) return atLeast;
  const s = candidates[Math.min(candidates.length - 1, Math.floor(rng() * candidates.length))]!;
  const skipWindow = deficiencyShare > 0 && rng() < deficiencyShare;
  return Math.max(atLeast, skipWindow ? s.entryDays - s.windowDays : s.entryDays);
}

// ---------------------------------------------------------------------------------------------------
// The graph to simulate.

export type ProgressState = 'done' | 'running' | 'future';

export interface SimItem {
  code: string;
  /** Index of its stage in `SimGraph.stages`. */
  stage: number;
  /** Items that must be approved first (templates' blockersOf: prerequisites and requiredBefore). */
  blockers: string[];
  milestone: boolean;
  model: DurationModel;
  state: ProgressState;
  /** done: the offset (≤ 0) it was approved; running: the offset (≤ 0) its task started. */
  at?: number;
  /** For a future item: the chance it is decided on the spot by 告知承诺 (default: the model's share). */
  commitmentShare?: number;
}

export interface SimStage {
  nationalStage: number;
  name: string;
  mainLine: boolean;
  parallelWithPrevious: boolean;
  completionRule: 'all_milestones' | 'any_milestone';
  state: ProgressState;
  /** done / running: the acceptance offset (≤ 0). */
  startedAt?: number;
  /** done: the completion offset (≤ 0). */
  doneAt?: number;
  /** A future stage's entry delay. */
  entry: EntryModel;
}

export interface SimGraph {
  stages: SimStage[];
  items: SimItem[];
  /** 容缺 share for future stages' entry (simulator); 0 for a plain forecast. */
  deficiencyShare?: number;
}

export interface RunResult {
  stages: number[];
  /** Each stage's start (acceptance) offset. */
  stageStarts: number[];
  items: Map<string, number>;
  /** Finish of the last main-line stage. */
  project: number;
}

/** One run of the graph: every finish offset. */
export function simulateOnce(graph: SimGraph, rng: Random): RunResult {
  const byCode = new Map(graph.items.map((i) => [i.code, i]));
  const itemsOfStage = graph.stages.map((_, index) => graph.items.filter((i) => i.stage === index));
  const stageStart: number[] = [];
  const stageFinish: number[] = [];
  const finish = new Map<string, number>();
  const visiting = new Set<string>();
  const deficiencyShare = graph.deficiencyShare ?? 0;

  const itemFinish = (code: string): number => {
    const known = finish.get(code);
    if (known !== undefined) return known;
    const item = byCode.get(code);
    if (!item || visiting.has(code)) return Number.NEGATIVE_INFINITY;
    visiting.add(code);
    const blockedUntil = Math.max(Number.NEGATIVE_INFINITY, ...item.blockers.map(itemFinish));
    visiting.delete(code);
    let end: number;
    if (item.state === 'done') {
      end = item.at ?? 0;
    } else if (item.state === 'running') {
      const startedAt = Math.max(item.at ?? 0, blockedUntil);
      end =
        startedAt <= 0
          ? startedAt + drawRemaining(item.model, -startedAt, rng)
          : startedAt + drawDuration(item.model, rng);
    } else {
      // Not started yet: it starts today at the earliest.
      const start = Math.max(0, startOf(item.stage), blockedUntil);
      end = start + drawDuration(item.model, rng, item.commitmentShare);
    }
    finish.set(code, end);
    return end;
  };

  // A stage's start depends only on earlier stages; 并行推进 (not main line) starts with the process.
  const startOf = (index: number): number => {
    const known = stageStart[index];
    if (known !== undefined) return known;
    const stage = graph.stages[index]!;
    let start: number;
    if (stage.state !== 'future') start = stage.startedAt ?? stage.doneAt ?? 0;
    else if (!stage.mainLine) start = Math.max(0, firstMainStart());
    else {
      const prev = previousMainLine(index);
      if (prev === undefined) start = drawEntry(stage.entry, rng, deficiencyShare, 0);
      else {
        const base = stage.parallelWithPrevious ? startOf(prev) : finishOf(prev);
        const elapsed = Math.max(0, -base);
        start = base + drawEntry(stage.entry, rng, deficiencyShare, elapsed);
      }
    }
    stageStart[index] = start;
    return start;
  };

  const firstMainStart = (): number => {
    const first = graph.stages.findIndex((s) => s.mainLine);
    if (first < 0) return 0;
    const s = graph.stages[first]!;
    return s.state === 'future' ? 0 : (s.startedAt ?? 0);
  };

  const previousMainLine = (index: number): number | undefined => {
    for (let i = index - 1; i >= 0; i--) if (graph.stages[i]!.mainLine) return i;
    return undefined;
  };

  const finishOf = (index: number): number => {
    const known = stageFinish[index];
    if (known !== undefined) return known;
    const stage = graph.stages[index]!;
    let end: number;
    if (stage.state === 'done') end = stage.doneAt ?? 0;
    else {
      const items = itemsOfStage[index]!;
      const finishes = items.map((i) => ({ milestone: i.milestone, end: itemFinish(i.code) }));
      end = stageCompletion(stage.completionRule, finishes, startOf(index));
    }
    stageFinish[index] = end;
    return end;
  };

  const stages = graph.stages.map((_, index) => finishOf(index));
  for (const item of graph.items) itemFinish(item.code);
  const main = graph.stages.map((s, i) => (s.mainLine ? stages[i]! : Number.NEGATIVE_INFINITY));
  return {
    stages,
    stageStarts: graph.stages.map((_, i) => startOf(i)),
    items: finish,
    project: Math.max(0, ...main),
  };
}

/** The stages module's rule (approvals stageComplete) in time: all milestones, any milestone, or all items. */
export function stageCompletion(
  rule: 'all_milestones' | 'any_milestone',
  items: readonly { milestone: boolean; end: number }[],
  start: number,
): number {
  const milestones = items.filter((i) => i.milestone);
  if (milestones.length === 0) return Math.max(start, ...items.map((i) => i.end));
  return rule === 'all_milestones'
    ? Math.max(start, ...milestones.map((i) => i.end))
    : Math.max(start, Math.min(...milestones.map((i) => i.end)));
}

export interface Distribution {
  p50: number;
  p90: number;
  mean: number;
  /** Working-day offset → how many runs ended on it, ascending. */
  histogram: { workingDays: number; runs: number }[];
}

export function distributionOf(values: readonly number[]): Distribution {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return {
    p50: Math.ceil(percentile(values, 0.5) ?? 0),
    p90: Math.ceil(percentile(values, 0.9) ?? 0),
    mean: values.length === 0 ? 0 : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10,
    histogram: [...counts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([workingDays, runs]) => ({ workingDays, runs })),
  };
}

export interface Forecast {
  runs: number;
  seed: number;
  project: Distribution;
  stages: Distribution[];
  items: Map<string, Distribution>;
}

/** `runs` seeded runs: the same graph and seed always give the same forecast. */
export function simulate(graph: SimGraph, options: { runs?: number; seed: number }): Forecast {
  const runs = options.runs ?? DEFAULT_RUNS;
  const rng = mulberry32(options.seed);
  const project: number[] = [];
  const stages: number[][] = graph.stages.map(() => []);
  const items = new Map<string, number[]>(graph.items.map((i) => [i.code, []]));
  for (let r = 0; r < runs; r++) {
    const run = simulateOnce(graph, rng);
    project.push(run.project);
    run.stages.forEach((v, i) => stages[i]!.push(v));
    for (const [code, v] of run.items) items.get(code)?.push(v);
  }
  return {
    runs,
    seed: options.seed,
    project: distributionOf(project),
    stages: stages.map(distributionOf),
    items: new Map([...items].map(([code, v]) => [code, distributionOf(v)])),
  };
}

/** A stable 32-bit seed from text (e.g. a project id and the day), so a page reload shows the same dates. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------
// History from stored tasks.

export interface StoredTask {
  projectId: string;
  itemCode: string;
  departmentCode: string;
  startedOn: string;
  /** Beijing date of the approval. */
  decidedOn: string;
  viaCommitment: boolean;
  pausedDays: number;
  extendedDays: number;
}

/**
 * Completed tasks as history: each task's working days are counted from the day it could proceed — its
 * acceptance or, when later, the approval of its last blocker in the same project — to its decision,
 * matching the template's rule that a dependent item's limit runs after its prerequisites (stageTimeLimit).
 */
export function historyOf(
  calendar: WorkingCalendar,
  tasks: readonly StoredTask[],
  blockersOf: (projectId: string, itemCode: string) => readonly string[],
): HistoryTask[] {
  const approvedOn = new Map<string, string>();
  for (const t of tasks) {
    const key = `${t.projectId}|${t.itemCode}`;
    const seen = approvedOn.get(key);
    if (!seen || seen < t.decidedOn) approvedOn.set(key, t.decidedOn);
  }
  return tasks.map((t) => {
    let from = t.startedOn;
    for (const b of blockersOf(t.projectId, t.itemCode)) {
      const on = approvedOn.get(`${t.projectId}|${b}`);
      if (on && on > from && on <= t.decidedOn) from = on;
    }
    return {
      itemCode: t.itemCode,
      departmentCode: t.departmentCode,
      workingDays: Math.max(0, calendar.workingDaysBetween(from, t.decidedOn)),
      viaCommitment: t.viaCommitment,
      pausedDays: t.pausedDays,
      extendedDays: t.extendedDays,
    };
  });
}

/** The working-day offset of a past (or future) date from today. */
export function offsetOf(calendar: WorkingCalendar, today: string, date: string): number {
  return calendar.workingDaysBetween(today, date);
}

/** The date of a working-day offset ≥ 0 from today. */
export function dateOf(calendar: WorkingCalendar, today: string, offset: number): string {
  return calendar.addWorkingDays(today, Math.max(0, offset)).deadline;
}
