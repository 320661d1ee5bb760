/**
 * Statistics SQL (task 40: 统计分析): aggregates over item_task joined with its cached clock
 * (task_clock: finished?, working days used, overdue days), filtered by start date, district, template.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { daysSummary, monthPlan } from './stats.rules';

export interface StatsFilter {
  from?: string;
  to?: string;
  districtCode?: string;
  templateCode?: string;
}

function where(f: StatsFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (f.from) parts.push(sql`t.started_on >= ${f.from}::date`);
  if (f.to) parts.push(sql`t.started_on <= ${f.to}::date`);
  if (f.districtCode) parts.push(sql`p.district_code = ${f.districtCode}`);
  if (f.templateCode) parts.push(sql`p.template_code = ${f.templateCode}`);
  return sql.join(parts, sql` AND `);
}

/** The project is joined only when a filter or the grouping needs it (keeps month queries on indexes). */
const base = (f: StatsFilter, withProject = false) => sql`
  FROM item_task t
  JOIN task_clock c ON c.task_id = t.id
  ${withProject || f.districtCode || f.templateCode ? sql`JOIN project p ON p.id = t.project_id` : sql``}
  WHERE ${where(f)}`;

export interface Totals {
  applications: number;
  tasks: number;
  completed: number;
  onTime: number;
  overdueTasks: number;
  commitmentTasks: number;
  deficiencyApplications: number;
}

export type Dimension = 'item' | 'department' | 'stage' | 'template' | 'district';

export interface GroupRow {
  key: string;
  tasks: number;
  completed: number;
  onTime: number;
  overdue: number;
  avgDays: number | null;
  medianDays: number | null;
  p90Days: number | null;
}

/**
 * Issue 4 item 10 (p95 ≤ 100 ms on 1.2 M tasks): whole start months are read from the stats_task_month
 * rollup (kept by triggers on task_clock, 0210); the partial months at either end of a date filter are
 * counted live on item_task + task_clock, so every figure stays exact.
 */
const rollupKey: Record<Dimension, RawBuilder<unknown>> = {
  item: sql`r.item_code`,
  department: sql`r.department_code`,
  stage: sql`r.stage::text`,
  template: sql`r.template_code`,
  district: sql`r.district_code`,
};

function projectWhere(f: StatsFilter, alias: 'r' | 'p'): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [];
  if (f.districtCode) parts.push(sql`${sql.ref(`${alias}.district_code`)} = ${f.districtCode}`);
  if (f.templateCode) parts.push(sql`${sql.ref(`${alias}.template_code`)} = ${f.templateCode}`);
  return parts;
}

interface HistogramRow {
  key: string;
  finished: boolean;
  onTime: boolean;
  overdue: boolean;
  viaCommitment: boolean;
  usedDays: number | null;
  n: number;
}

async function histogram(db: Kysely<DB>, f: StatsFilter, dim: Dimension | null): Promise<HistogramRow[]> {
  const plan = monthPlan(f.from, f.to);
  const branches: RawBuilder<unknown>[] = [];
  if (plan.months) {
    const parts = [sql`true`, ...projectWhere(f, 'r')];
    if (plan.months.from) parts.push(sql`r.month >= ${plan.months.from}::date`);
    if (plan.months.to) parts.push(sql`r.month <= ${plan.months.to}::date`);
    branches.push(sql`
      SELECT ${dim ? rollupKey[dim] : sql`''`} AS key, r.finished, r.on_time, r.overdue, r.via_commitment, r.used_days,
        sum(r.n) AS n
      FROM stats_task_month r WHERE ${sql.join(parts, sql` AND `)}
      GROUP BY 1, 2, 3, 4, 5, 6`);
  }
  for (const range of plan.live) {
    const lf = { ...f, from: range.from, to: range.to };
    branches.push(sql`
      SELECT ${dim ? keyColumn[dim] : sql`''`} AS key, c.finished, (c.finished AND c.overdue_days = 0) AS on_time,
        (c.clock_state = 'overdue') AS overdue, t.via_commitment, c.used_days, count(*) AS n
      ${base(lf, dim === 'template' || dim === 'district')}
      GROUP BY 1, 2, 3, 4, 5, 6`);
  }
  if (branches.length === 0) return [];
  const { rows } = await sql<Record<string, unknown>>`
    SELECT key, finished, on_time, overdue, via_commitment, used_days, sum(n) AS n
    FROM (${sql.join(branches, sql` UNION ALL `)}) b
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1`.execute(db);
  return rows.map((r) => ({
    key: String(r.key),
    finished: Boolean(r.finished),
    onTime: Boolean(r.onTime),
    overdue: Boolean(r.overdue),
    viaCommitment: Boolean(r.viaCommitment),
    usedDays: r.usedDays === null || r.usedDays === undefined ? null : Number(r.usedDays),
    n: Number(r.n),
  }));
}

export async function totals(db: Kysely<DB>, f: StatsFilter): Promise<Totals> {
  const parts = [sql`true`, ...projectWhere(f, 'r')];
  if (f.from) parts.push(sql`r.started_on >= ${f.from}::date`);
  if (f.to) parts.push(sql`r.started_on <= ${f.to}::date`);
  const range = sql.join(parts, sql` AND `);
  const [hist, apps] = await Promise.all([
    histogram(db, f, null),
    // count(DISTINCT) sorts instead of hashing 100k application ids: the faster plan at ten years.
    sql<Record<string, string>>`
      SELECT (SELECT count(DISTINCT r.application_id) FROM stats_application_day r WHERE ${range}) AS applications,
        (SELECT count(DISTINCT d.application_id) FROM deficiency d
          WHERE EXISTS (SELECT 1 FROM stats_application_day r WHERE r.application_id = d.application_id AND ${range}))
          AS deficiency_applications`.execute(db),
  ]);
  const out: Totals = {
    applications: Number(apps.rows[0]!.applications),
    tasks: 0,
    completed: 0,
    onTime: 0,
    overdueTasks: 0,
    commitmentTasks: 0,
    deficiencyApplications: Number(apps.rows[0]!.deficiencyApplications),
  };
  for (const r of hist) {
    out.tasks += r.n;
    if (r.finished) out.completed += r.n;
    if (r.onTime) out.onTime += r.n;
    if (r.overdue) out.overdueTasks += r.n;
    if (r.viaCommitment) out.commitmentTasks += r.n;
  }
  return out;
}

const keyColumn: Record<Dimension, RawBuilder<unknown>> = {
  item: sql`t.item_code`,
  department: sql`t.department_code`,
  stage: sql`t.stage::text`,
  template: sql`p.template_code`,
  district: sql`p.district_code`,
};

export async function grouped(db: Kysely<DB>, f: StatsFilter, dim: Dimension): Promise<GroupRow[]> {
  const groups = new Map<string, { row: GroupRow; days: Map<number, number> }>();
  for (const r of await histogram(db, f, dim)) {
    let g = groups.get(r.key);
    if (!g) {
      g = {
        row: {
          key: r.key,
          tasks: 0,
          completed: 0,
          onTime: 0,
          overdue: 0,
          avgDays: null,
          medianDays: null,
          p90Days: null,
        },
        days: new Map(),
      };
      groups.set(r.key, g);
    }
    g.row.tasks += r.n;
    if (r.finished) g.row.completed += r.n;
    if (r.onTime) g.row.onTime += r.n;
    if (r.overdue) g.row.overdue += r.n;
    if (r.usedDays !== null) g.days.set(r.usedDays, (g.days.get(r.usedDays) ?? 0) + r.n);
  }
  const num = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  // The histogram comes ordered by key (database collation, as before); a Map keeps that order.
  return [...groups.values()].map(({ row, days }) => {
    const d = daysSummary(days);
    return { ...row, avgDays: num(d.avg), medianDays: num(d.median), p90Days: num(d.p90) };
  });
}

/** Per project: its template version and the first task start (the whole process starts there). */
export async function projectSpans(db: Kysely<DB>, f: StatsFilter) {
  const { rows } = await sql<{
    projectId: string;
    code: string;
    name: string;
    templateCode: string;
    templateVersion: number;
    startedOn: string;
  }>`
    SELECT p.id AS project_id, p.code, p.name, p.template_code, p.template_version,
      min(t.started_on)::text AS started_on
    ${base(f, true)}
    GROUP BY p.id, p.code, p.name, p.template_code, p.template_version ORDER BY p.code LIMIT 5000`.execute(
    db,
  );
  return rows.map((r) => ({ ...r, templateVersion: Number(r.templateVersion) }));
}

/** Completed stage applications of these projects (a stage completes once per application). */
export async function stageCompletions(db: Kysely<DB>, projectIds: readonly string[]) {
  const out: { projectId: string; stage: number; completedAt: Date }[] = [];
  for (let i = 0; i < projectIds.length; i += 1000) {
    const chunk = projectIds.slice(i, i + 1000);
    const rows = await db
      .selectFrom('stageApplication')
      .select(['projectId', 'stage', 'completedAt'])
      .where('projectId', 'in', chunk)
      .where('status', '=', 'completed')
      .where('completedAt', 'is not', null)
      .execute();
    for (const r of rows) out.push({ projectId: r.projectId, stage: r.stage, completedAt: r.completedAt! });
  }
  return out;
}

/** The stages of every version of these templates (projects keep the version they started under). */
export async function templateStages(db: Kysely<DB>, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('processTemplateVersion')
    .select(['code', 'version', 'definition'])
    .where('code', 'in', [...codes])
    .execute();
}

/**
 * 延期 (issue 8): tasks whose deadline an approved extension moved, per group, counted live: extended
 * tasks are few and a partial index (0420) finds them without touching the others.
 */
export async function extendedCounts(
  db: Kysely<DB>,
  f: StatsFilter,
  dim: Dimension | null,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ key: string; n: string }>`
    SELECT ${dim ? keyColumn[dim] : sql`''`} AS key, count(*) AS n
    ${base(f, dim === 'template' || dim === 'district')} AND t.extended_days > 0
    GROUP BY 1`.execute(db);
  return new Map(rows.map((r) => [String(r.key), Number(r.n)]));
}

/** Monthly trend: tasks started and tasks finished per month. */
export async function trend(db: Kysely<DB>, f: StatsFilter) {
  const { rows } = await sql<{ month: string; started: string; finished: string; applications: string }>`
    SELECT to_char(t.started_on, 'YYYY-MM') AS month, count(*) AS started,
      count(*) FILTER (WHERE c.finished) AS finished, count(DISTINCT t.application_id) AS applications
    ${base(f)}
    GROUP BY 1 ORDER BY 1`.execute(db);
  return rows.map((r) => ({
    month: r.month,
    applications: Number(r.applications),
    started: Number(r.started),
    finished: Number(r.finished),
  }));
}

export async function names(db: Kysely<DB>) {
  const [items, departments, templates] = await Promise.all([
    db.selectFrom('itemVersion').select(['code', 'name']).where('effectiveTo', 'is', null).execute(),
    db.selectFrom('department').select(['code', 'name']).execute(),
    db
      .selectFrom('processTemplateVersion')
      .select(['code', 'name'])
      .where('effectiveTo', 'is', null)
      .execute(),
  ]);
  return {
    item: new Map(items.map((r) => [r.code, r.name])),
    department: new Map(departments.map((r) => [r.code, r.name])),
    template: new Map(templates.map((r) => [r.code, r.name])),
  };
}

/** 督办 orders per department issued in the period; with a district, only orders on its projects' tasks. */
export async function ordersByDepartment(db: Kysely<DB>, from: string, to: string, districtCode?: string) {
  const inDistrict = districtCode
    ? sql`AND EXISTS (SELECT 1 FROM item_task t JOIN project p ON p.id = t.project_id
        WHERE t.id = o.task_id AND p.district_code = ${districtCode})`
    : sql``;
  const { rows } = await sql<{ departmentCode: string; issued: string; escalated: string; answered: string }>`
    SELECT o.department_code, count(*) AS issued,
      count(*) FILTER (WHERE o.status = 'escalated') AS escalated,
      count(*) FILTER (WHERE o.status = 'answered') AS answered
    FROM supervision_order o WHERE o.issued_at >= ${from}::date AND o.issued_at < (${to}::date + 1) ${inDistrict}
    GROUP BY o.department_code`.execute(db);
  return rows.map((r) => ({
    departmentCode: r.departmentCode,
    issued: Number(r.issued),
    escalated: Number(r.escalated),
    answered: Number(r.answered),
  }));
}

/** One report per month and scope (a district, or null for the whole city): a regeneration replaces it. */
export function upsertReport(
  db: Kysely<DB> | Transaction<DB>,
  month: string,
  districtCode: string | null,
  data: Record<string, unknown>,
  at: Date,
  by: string | null,
) {
  return db
    .insertInto('statsReport')
    .values({ month, districtCode, data: JSON.stringify(data), generatedAt: at, generatedBy: by })
    .onConflict((oc) =>
      oc
        .columns(['month', 'districtCode'])
        .doUpdateSet({ data: JSON.stringify(data), generatedAt: at, generatedBy: by }),
    )
    .returning(['id', 'month', 'districtCode', 'generatedAt'])
    .executeTakeFirstOrThrow();
}

/** Reports, newest month first, the city's before the districts'; `districtCode` keeps one district's. */
export function listReports(db: Kysely<DB>, scope: { districtCode?: string } = {}) {
  let q = db.selectFrom('statsReport').select(['id', 'month', 'districtCode', 'generatedAt']);
  if (scope.districtCode) q = q.where('districtCode', '=', scope.districtCode);
  return q
    .orderBy('month', 'desc')
    .orderBy(sql`district_code NULLS FIRST`)
    .execute();
}

export function findReport(db: Kysely<DB>, id: string) {
  return db.selectFrom('statsReport').selectAll().where('id', '=', id).executeTakeFirst();
}
