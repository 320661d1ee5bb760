/**
 * Issue 15: the districts side by side (区县排名) and the monthly 定期通报 per district. Every figure is
 * the overview's own (districtFigures / rankDistricts for the task figures, wholeProcessOf for the
 * whole-process days against 100), so a district's row agrees with that district's overview and the
 * rows add up to the city's totals.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { monthRange } from '../supervision/supervision.rules';
import type { Actor } from '../identity/identity.rules';
import type { ClockDeps } from '../supervision/clock.service';
import type { StatsFilter } from './stats.repository';
import { generateReport, overview, ownDistrict, wholeProcessOf, type ReportData } from './stats.service';

/** The whole-process part of a ranking row: completed projects only, running ones counted apart. */
function wholeProcessSummary(w: Awaited<ReturnType<typeof wholeProcessOf>>) {
  return {
    avgWorkingDays: w.avgWorkingDays,
    medianWorkingDays: w.medianWorkingDays,
    within: w.within,
    over: w.over,
    running: w.running.count,
  };
}

/**
 * The ranking of the districts for a filter (the caller scopes it: a district's staff get their row
 * only), with the city's totals beside it.
 */
export async function districtRanking(
  db: Kysely<DB>,
  deps: ClockDeps,
  filter: StatsFilter,
  read: Kysely<DB> = db,
) {
  const data = await overview(db, deps, filter, read);
  const whole = await Promise.all(
    data.byDistrict.map((d) => wholeProcessOf(db, deps, { ...filter, districtCode: d.key }, read)),
  );
  return {
    filter,
    targetDays: data.wholeProcess.targetDays,
    totals: { ...data.totals, wholeProcess: wholeProcessSummary(data.wholeProcess) },
    districts: data.byDistrict.map((d, i) => ({ ...d, wholeProcess: wholeProcessSummary(whole[i]!) })),
  };
}

/** The month's ranking in the shape the city report stores. */
async function monthRanking(db: Kysely<DB>, deps: ClockDeps, month: string) {
  const { from, to } = monthRange(month);
  const ranking = await districtRanking(db, deps, { from, to });
  return ranking.districts.map((d): NonNullable<ReportData['districts']>[number] => ({
    rank: d.rank,
    districtCode: d.key,
    districtName: d.name,
    tasks: d.tasks,
    completed: d.completed,
    onTimeRate: d.onTimeRate,
    avgDays: d.avgDays,
    overdue: d.overdue,
    wholeProcessAvgDays: d.wholeProcess.avgWorkingDays,
    wholeProcessOver: d.wholeProcess.over,
  }));
}

/**
 * A report asked for by a person: a district's staff get their district's (another is refused by the
 * route's scopedFilter); city staff the city's (with the ranking) or any district's.
 */
export async function generateScopedReport(
  db: Kysely<DB>,
  deps: ClockDeps,
  actor: Actor,
  month: string,
  districtCode: string | null,
) {
  const scope = ownDistrict(actor) ?? districtCode;
  if (scope) return generateReport(db, deps, actor, month, { districtCode: scope });
  return generateReport(db, deps, actor, month, { districts: await monthRanking(db, deps, month) });
}

/** The monthly job: the city's report with the ranking, then one for each district with tasks that month. */
export async function generateMonthlyReports(db: Kysely<DB>, deps: ClockDeps, month: string) {
  const districts = await monthRanking(db, deps, month);
  const city = await generateReport(db, deps, null, month, { districts });
  const perDistrict = [];
  for (const d of districts) {
    perDistrict.push(await generateReport(db, deps, null, month, { districtCode: d.districtCode }));
  }
  return { city, districts: perDistrict };
}
