/**
 * Statistics (task 40: 统计分析) and the monthly 定期通报 (task 41): volumes, time per item / department /
 * stage / template, on-time rate, 告知承诺 and 容缺 shares, and whole-process time against the 100-day
 * target (task 38). Clocks are refreshed first so the numbers agree with the rows at read time.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { refreshClocks, type ClockDeps } from '../supervision/clock.service';
import { monthRange } from '../supervision/supervision.rules';
import * as repo from './stats.repository';

export const WHOLE_PROCESS_TARGET_DAYS = 100;

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 10000);

export type Overview = Awaited<ReturnType<typeof overview>>;

export async function overview(db: Kysely<DB>, deps: ClockDeps, filter: repo.StatsFilter) {
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new DomainError('VALIDATION_FAILED', '开始日期不能晚于结束日期 (from after to)', {
      field: 'query.from',
    });
  }
  await refreshClocks(db, deps);
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const [totals, byItem, byDepartment, byStage, byTemplate, spans, trend, names] = await Promise.all([
    repo.totals(db, filter),
    repo.grouped(db, filter, 'item'),
    repo.grouped(db, filter, 'department'),
    repo.grouped(db, filter, 'stage'),
    repo.grouped(db, filter, 'template'),
    repo.projectSpans(db, filter),
    repo.trend(db, filter),
    repo.names(db),
  ]);
  const named = (rows: repo.GroupRow[], map?: Map<string, string>) =>
    rows.map((r) => ({ ...r, name: map?.get(r.key) ?? r.key, onTimeRate: ratio(r.onTime, r.completed) }));
  const projects = spans.map((p) => {
    const finished = Number(p.running) === 0 && p.finishedOn !== null;
    const workingDays = calendar.workingDaysBetween(p.startedOn, finished ? p.finishedOn! : today);
    return {
      projectId: p.projectId,
      projectCode: p.code,
      projectName: p.name,
      startedOn: p.startedOn,
      finished,
      workingDays,
    };
  });
  return {
    filter,
    totals: {
      ...totals,
      onTimeRate: ratio(totals.onTime, totals.completed),
      commitmentShare: ratio(totals.commitmentTasks, totals.tasks),
      deficiencyShare: ratio(totals.deficiencyApplications, totals.applications),
    },
    byItem: named(byItem, names.item),
    byDepartment: named(byDepartment, names.department),
    byStage: named(byStage).map((r) => ({ ...r, name: `第${r.key}阶段` })),
    byTemplate: named(byTemplate, names.template),
    trend,
    wholeProcess: {
      targetDays: WHOLE_PROCESS_TARGET_DAYS,
      over: projects.filter((p) => p.workingDays > WHOLE_PROCESS_TARGET_DAYS).length,
      within: projects.filter((p) => p.workingDays <= WHOLE_PROCESS_TARGET_DAYS).length,
      projects,
    },
  };
}

/** 定期通报: the month's figures per department with its 督办 orders; stored, listed, downloadable. */
export async function generateReport(db: Kysely<DB>, deps: ClockDeps, actor: Actor | null, month: string) {
  const { from, to } = monthRange(month);
  const data = await overview(db, deps, { from, to });
  const orders = await repo.ordersByDepartment(db, from, to);
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
      ordersIssued: o?.issued ?? 0,
      ordersEscalated: o?.escalated ?? 0,
    };
  });
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const row = await repo.upsertReport(
      trx,
      month,
      { month, from, to, totals: data.totals, departments },
      now,
      actor?.userId ?? null,
    );
    await recordEvent(trx, actor, now, {
      action: 'stats_report.generated',
      objectType: 'stats_report',
      objectId: row.id,
      detail: { month },
    });
    return row;
  });
}

export const listReports = repo.listReports;

export async function getReport(db: Kysely<DB>, id: string) {
  const row = await repo.findReport(db, id);
  if (!row) throw notFound('通报 report', id);
  return row.data as unknown as ReportData;
}

export interface ReportData {
  month: string;
  from: string;
  to: string;
  totals: Overview['totals'];
  departments: {
    departmentCode: string;
    departmentName: string;
    tasks: number;
    completed: number;
    onTimeRate: number | null;
    avgDays: number | null;
    overdue: number;
    ordersIssued: number;
    ordersEscalated: number;
  }[];
}
