/**
 * Pure helpers for the statistics rollup (issue 4 item 10; task 40 统计分析) and the whole-process
 * figure (issue 8 item 7).
 */
import { isMainLineStage } from '../templates/template.rules';

export interface MonthPlan {
  /** Whole start months read from the rollup (first-of-month dates; open ends stay open), or null. */
  months: { from?: string; to?: string } | null;
  /** Partial months at the ends of the filter, counted live. */
  live: { from: string; to: string }[];
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const parse = (s: string) => new Date(`${s}T00:00:00Z`);
const firstOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

/** Splits an inclusive start-date filter into whole months plus live partial-month ranges. */
export function monthPlan(from?: string, to?: string): MonthPlan {
  const f = from ? parse(from) : null;
  const t = to ? parse(to) : null;
  if (f && t && f > t) return { months: null, live: [] };
  // First whole month on or after `from`; last whole month on or before `to`.
  const first = f ? (f.getUTCDate() === 1 ? f : addMonths(f, 1)) : null;
  const last = t ? (addDays(t, 1).getUTCDate() === 1 ? firstOfMonth(t) : addMonths(t, -1)) : null;
  if (first && last && first > last) return { months: null, live: [{ from: from!, to: to! }] };
  const live: { from: string; to: string }[] = [];
  if (f && first && f < first) live.push({ from: iso(f), to: iso(addDays(first, -1)) });
  if (t && last && addMonths(last, 1) <= t) live.push({ from: iso(addMonths(last, 1)), to: iso(t) });
  return {
    months: { ...(first ? { from: iso(first) } : {}), ...(last ? { to: iso(last) } : {}) },
    live,
  };
}

/** Average, median and P90 (percentile_cont semantics) of a histogram value → count. */
export function daysSummary(histogram: Map<number, number>) {
  const values = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = values.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return { avg: null, median: null, p90: null };
  const sum = values.reduce((s, [v, n]) => s + v * n, 0);
  const at = (index: number) => {
    let seen = 0;
    for (const [v, n] of values) {
      seen += n;
      if (index < seen) return v;
    }
    return values[values.length - 1]![0];
  };
  const percentile = (p: number) => {
    const pos = p * (total - 1);
    const lo = Math.floor(pos);
    const a = at(lo);
    const b = at(Math.ceil(pos));
    return a + (b - a) * (pos - lo);
  };
  return { avg: sum / total, median: percentile(0.5), p90: percentile(0.9) };
}

/** A template stage as the whole-process figure reads it (templates' TemplateStage has more). */
export interface StageShape {
  nationalStage: number;
  mergedStages: readonly number[];
}

/**
 * Whether a project's main line (stages 1–4 as its template defines them; 并行推进 stage 5 runs beside it)
 * is complete, and on which day: each main stage is done on the first completion of an application
 * for it (a merged stage, e.g. 带方案出让 2+3, by an application for either number); the project is
 * done when the last of them is. `completions` maps a stage number to the days its applications
 * completed (a re-application after a refusal adds one).
 */
export function mainLineCompletion(
  stages: readonly StageShape[],
  completions: ReadonlyMap<number, readonly string[]>,
): { complete: boolean; completedOn: string | null; mainStages: number; completedStages: number } {
  const main = stages.filter(isMainLineStage);
  const doneOn = main.map((s) => {
    const covered = s.mergedStages.length > 0 ? s.mergedStages : [s.nationalStage];
    const days = covered.flatMap((n) => completions.get(n) ?? []).sort();
    return days[0] ?? null;
  });
  const done = doneOn.filter((d): d is string => d !== null);
  const complete = main.length > 0 && done.length === main.length;
  return {
    complete,
    completedOn: complete ? done.sort().at(-1)! : null,
    mainStages: main.length,
    completedStages: done.length,
  };
}
