/**
 * Pure helpers for the statistics rollup (issue 4 item 10; task 40 统计分析).
 */

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
