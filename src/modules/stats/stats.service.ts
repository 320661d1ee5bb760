/**
 * Statistics (task 40: 统计分析) and the monthly 定期通报 (task 41): volumes, time per item / department /
 * stage / template, on-time rate, 告知承诺 and 容缺 shares, and whole-process time against the 100-day
 * target (task 38). Clocks are refreshed first so the numbers agree with the rows at read time.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, type WorkingCalendar } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { refreshClocks, type ClockDeps } from '../supervision/clock.service';
import { monthRange, percentile } from '../supervision/supervision.rules';
import { listDistricts } from '../blueprint/district.service';
import * as repo from './stats.repository';
import { mainLineCompletion } from './stats.rules';

export const WHOLE_PROCESS_TARGET_DAYS = 100;

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 10000);

export type Overview = Awaited<ReturnType<typeof overview>>;

/**
 * Issue 15: district staff read their district's statistics only (asked for no district: theirs; for
 * another: refused); city staff read any district or the whole city.
 */
export function scopedFilter<F extends repo.StatsFilter>(
  actor: Actor,
  filter: F,
  field = 'query.districtCode',
): F {
  const own = ownDistrict(actor);
  if (!own) return filter;
  if (filter.districtCode && filter.districtCode !== own) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能查看本区县的统计 (your district only)', { field });
  }
  return { ...filter, districtCode: own };
}

/** The district an actor's statistics are limited to; null: the whole city (city staff, administrators). */
export function ownDistrict(actor: Actor): string | null {
  return actor.role === 'admin' ? null : (actor.districtCode ?? null);
}

/** `read`: where the aggregation runs (a streaming replica when configured); clocks are refreshed on `db`. */
export async function overview(
  db: Kysely<DB>,
  deps: ClockDeps,
  filter: repo.StatsFilter,
  read: Kysely<DB> = db,
) {
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new DomainError('VALIDATION_FAILED', '开始日期不能晚于结束日期 (from after to)', {
      field: 'query.from',
    });
  }
  await refreshClocks(db, deps);
  // The rollup is kept by triggers, so a replica's copy is as current as its replay.
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const [totals, byItem, byDepartment, byStage, byTemplate, spans, trend, names, extended, byDistrict] =
    await Promise.all([
      repo.totals(read, filter),
      repo.grouped(read, filter, 'item'),
      repo.grouped(read, filter, 'department'),
      repo.grouped(read, filter, 'stage'),
      repo.grouped(read, filter, 'template'),
      repo.projectSpans(read, filter),
      repo.trend(read, filter),
      repo.names(read),
      Promise.all(
        ([null, 'item', 'department', 'stage', 'template'] as const).map((d) =>
          repo.extendedCounts(read, filter, d),
        ),
      ),
      districtFigures(read, filter),
    ]);
  const [extendedTotal, extendedItem, extendedDepartment, extendedStage, extendedTemplate] = extended as [
    Map<string, number>,
    Map<string, number>,
    Map<string, number>,
    Map<string, number>,
    Map<string, number>,
  ];
  const named = (rows: repo.GroupRow[], ext: Map<string, number>, map?: Map<string, string>) =>
    rows.map((r) => ({
      ...r,
      name: map?.get(r.key) ?? r.key,
      onTimeRate: ratio(r.onTime, r.completed),
      extended: ext.get(r.key) ?? 0,
    }));
  const wholeProcess = await wholeProcessFigure(db, calendar, today, spans);
  return {
    filter,
    totals: {
      ...totals,
      onTimeRate: ratio(totals.onTime, totals.completed),
      commitmentShare: ratio(totals.commitmentTasks, totals.tasks),
      deficiencyShare: ratio(totals.deficiencyApplications, totals.applications),
      extendedTasks: extendedTotal.get('') ?? 0,
    },
    byItem: named(byItem, extendedItem, names.item),
    byDepartment: named(byDepartment, extendedDepartment, names.department),
    byStage: named(byStage, extendedStage).map((r) => ({ ...r, name: `第${r.key}阶段` })),
    byTemplate: named(byTemplate, extendedTemplate, names.template),
    byDistrict,
    trend,
    wholeProcess,
  };
}

/**
 * Issue 15: the figures per district (区县), ranked for the city — by on-time rate of completed
 * tasks (none completed: last), then fewer overdue tasks, then shorter average working days.
 */
async function districtFigures(read: Kysely<DB>, filter: repo.StatsFilter) {
  const [rows, ext, districts] = await Promise.all([
    repo.grouped(read, filter, 'district'),
    repo.extendedCounts(read, filter, 'district'),
    listDistricts(read, { includeInactive: true }),
  ]);
  const names = new Map(districts.map((d) => [d.code, d.name]));
  const figures = rows.map((r) => ({
    ...r,
    name: names.get(r.key) ?? r.key,
    onTimeRate: ratio(r.onTime, r.completed),
    extended: ext.get(r.key) ?? 0,
  }));
  return rankDistricts(figures);
}

interface NeedsRank {
  key: string;
  onTimeRate: number | null;
  overdue: number;
  avgDays: number | null;
}

/** 区县排名: 1 is best; equal figures share a rank. Pure. */
export function rankDistricts<T extends NeedsRank>(rows: T[]): (T & { rank: number })[] {
  const score = (r: NeedsRank) => [
    r.onTimeRate === null ? 1 : 0,
    -(r.onTimeRate ?? 0),
    r.overdue,
    r.avgDays ?? Number.MAX_VALUE,
  ];
  const cmp = (a: NeedsRank, b: NeedsRank) => {
    const x = score(a);
    const y = score(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  };
  const sorted = [...rows].sort((a, b) => cmp(a, b) || a.key.localeCompare(b.key));
  let rank = 0;
  return sorted.map((r, i) => {
    if (i === 0 || cmp(sorted[i - 1]!, r) !== 0) rank = i + 1;
    return { ...r, rank };
  });
}

/**
 * The whole-process figure alone for a filter (e.g. one district of the ranking): the same rule as the
 * overview's. Clocks are not refreshed here: the caller's overview did that.
 */
export async function wholeProcessOf(
  db: Kysely<DB>,
  deps: ClockDeps,
  filter: repo.StatsFilter,
  read: Kysely<DB> = db,
) {
  const [calendar, spans] = await Promise.all([deps.calendar.get(), repo.projectSpans(read, filter)]);
  return wholeProcessFigure(db, calendar, beijingDate(deps.clock.now()), spans);
}

interface ProjectSpanView {
  projectId: string;
  projectCode: string;
  projectName: string;
  startedOn: string;
  /** The main line (stages 1–4 of its template) is complete. */
  finished: boolean;
  completedOn: string | null;
  mainStages: number;
  completedStages: number;
  /** Completed: first acceptance to the last main stage's completion; running: elapsed to today. */
  workingDays: number;
}

/**
 * The whole-process figure (task 38: 100 working days): only projects whose main line (stages 1–4 as
 * their template version defines them) is complete count, from the first acceptance to the completion
 * of the last main stage; running projects' elapsed working days are shown apart, never mixed in.
 */
async function wholeProcessFigure(
  db: Kysely<DB>,
  calendar: WorkingCalendar,
  today: string,
  spans: Awaited<ReturnType<typeof repo.projectSpans>>,
) {
  const [completions, versions] = await Promise.all([
    repo.stageCompletions(
      db,
      spans.map((p) => p.projectId),
    ),
    repo.templateStages(db, [...new Set(spans.map((p) => p.templateCode))]),
  ]);
  const stagesOf = new Map(versions.map((v) => [`${v.code}@${v.version}`, v.definition.stages]));
  const byProject = new Map<string, Map<number, string[]>>();
  for (const c of completions) {
    const stages = byProject.get(c.projectId) ?? new Map<number, string[]>();
    stages.set(c.stage, [...(stages.get(c.stage) ?? []), beijingDate(c.completedAt)]);
    byProject.set(c.projectId, stages);
  }
  const completed: ProjectSpanView[] = [];
  const running: ProjectSpanView[] = [];
  for (const p of spans) {
    const line = mainLineCompletion(
      stagesOf.get(`${p.templateCode}@${p.templateVersion}`) ?? [],
      byProject.get(p.projectId) ?? new Map(),
    );
    const view: ProjectSpanView = {
      projectId: p.projectId,
      projectCode: p.code,
      projectName: p.name,
      startedOn: p.startedOn,
      finished: line.complete,
      completedOn: line.completedOn,
      mainStages: line.mainStages,
      completedStages: line.completedStages,
      workingDays: Math.max(0, calendar.workingDaysBetween(p.startedOn, line.completedOn ?? today)),
    };
    (line.complete ? completed : running).push(view);
  }
  const days = completed.map((p) => p.workingDays);
  const elapsed = running.map((p) => p.workingDays);
  const avg = (v: number[]) =>
    v.length === 0 ? null : Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100;
  return {
    targetDays: WHOLE_PROCESS_TARGET_DAYS,
    over: completed.filter((p) => p.workingDays > WHOLE_PROCESS_TARGET_DAYS).length,
    within: completed.filter((p) => p.workingDays <= WHOLE_PROCESS_TARGET_DAYS).length,
    /** Projects whose main line is complete: the figure itself. */
    projects: completed,
    avgWorkingDays: avg(days),
    medianWorkingDays: percentile(days, 0.5),
    /** Projects still on the way: elapsed working days so far, apart from the figure. */
    running: {
      count: running.length,
      avgElapsedWorkingDays: avg(elapsed),
      overTarget: running.filter((p) => p.workingDays > WHOLE_PROCESS_TARGET_DAYS).length,
      projects: running,
    },
  };
}

/**
 * 定期通报: the month's figures per department with its 督办 orders; stored, listed, downloadable. For
 * the whole city (districtCode null; `districts`: the ranking of the month) or for one district.
 */
export async function generateReport(
  db: Kysely<DB>,
  deps: ClockDeps,
  actor: Actor | null,
  month: string,
  scope: { districtCode?: string | null; districts?: ReportData['districts'] } = {},
) {
  const { from, to } = monthRange(month);
  const districtCode = scope.districtCode ?? null;
  const data = await overview(db, deps, { from, to, ...(districtCode ? { districtCode } : {}) });
  const orders = await repo.ordersByDepartment(db, from, to, districtCode ?? undefined);
  const departments = data.byDepartment.map((d) => {
    const o = orders.find((x) => x.departmentCode === d.key);
    return {
      departmentCode: d.key,
      departmentName: d.name,
      tasks: d.tasks,
      completed: d.completed,
      onTimeRate: d.onTimeRate,
      avgDays: d.avgDays,
      overdue: d.overdue,
      extended: d.extended,
      ordersIssued: o?.issued ?? 0,
      ordersEscalated: o?.escalated ?? 0,
    };
  });
  const districtName = districtCode
    ? ((await listDistricts(db, { includeInactive: true })).find((d) => d.code === districtCode)?.name ??
      districtCode)
    : null;
  const report: ReportData = {
    month,
    from,
    to,
    districtCode,
    districtName,
    totals: data.totals,
    departments,
    ...(scope.districts ? { districts: scope.districts } : {}),
  };
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const row = await repo.upsertReport(
      trx,
      month,
      districtCode,
      report as unknown as Record<string, unknown>,
      now,
      actor?.userId ?? null,
    );
    await recordEvent(trx, actor, now, {
      action: 'stats_report.generated',
      objectType: 'stats_report',
      objectId: row.id,
      detail: { month, districtCode },
    });
    return { ...row, districtName };
  });
}

/** Reports with the district's name; a district's staff see their district's only. */
export async function listReports(db: Kysely<DB>, actor: Actor) {
  const own = ownDistrict(actor);
  const [rows, districts] = await Promise.all([
    repo.listReports(db, own ? { districtCode: own } : {}),
    listDistricts(db, { includeInactive: true }),
  ]);
  const names = new Map(districts.map((d) => [d.code, d.name]));
  return rows.map((r) => ({
    ...r,
    districtName: r.districtCode ? (names.get(r.districtCode) ?? r.districtCode) : null,
  }));
}

/** A stored report; another district's is refused to a district's staff (403 naming the scope). */
export async function getReport(db: Kysely<DB>, actor: Actor, id: string) {
  const row = await repo.findReport(db, id);
  if (!row) throw notFound('通报 report', id);
  const own = ownDistrict(actor);
  if (own && row.districtCode !== own) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能查看本区县的通报 (your district only)', {
      field: 'params.id',
    });
  }
  return row.data as unknown as ReportData;
}

export interface ReportData {
  month: string;
  from: string;
  to: string;
  /** Issue 15: the district the report covers; null or absent (reports stored before) = the city. */
  districtCode?: string | null;
  districtName?: string | null;
  totals: Overview['totals'];
  departments: {
    departmentCode: string;
    departmentName: string;
    tasks: number;
    completed: number;
    onTimeRate: number | null;
    avgDays: number | null;
    overdue: number;
    /** 延期: tasks an approved extension moved (absent in reports stored before issue 8). */
    extended?: number;
    ordersIssued: number;
    ordersEscalated: number;
  }[];
  /** The city report's district ranking of the month (issue 15; absent in district reports). */
  districts?: {
    rank: number;
    districtCode: string;
    districtName: string;
    tasks: number;
    completed: number;
    onTimeRate: number | null;
    avgDays: number | null;
    overdue: number;
    wholeProcessAvgDays: number | null;
    wholeProcessOver: number;
  }[];
}
