/**
 * Statistics SQL (task 40: 统计分析): aggregates over item_task joined with its cached clock
 * (task_clock: finished?, working days used, overdue days), filtered by start date, district, template.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

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

export async function totals(db: Kysely<DB>, f: StatsFilter): Promise<Totals> {
  const { rows } = await sql<Record<string, string>>`
    WITH x AS (SELECT t.application_id, t.via_commitment, c.finished, c.overdue_days, c.clock_state ${base(f)})
    SELECT
      (SELECT count(DISTINCT application_id) FROM x) AS applications,
      (SELECT count(*) FROM x) AS tasks,
      (SELECT count(*) FROM x WHERE finished) AS completed,
      (SELECT count(*) FROM x WHERE finished AND overdue_days = 0) AS on_time,
      (SELECT count(*) FROM x WHERE clock_state = 'overdue') AS overdue_tasks,
      (SELECT count(*) FROM x WHERE via_commitment) AS commitment_tasks,
      (SELECT count(DISTINCT d.application_id) FROM deficiency d WHERE d.application_id IN (SELECT application_id FROM x)) AS deficiency_applications
  `.execute(db);
  const r = rows[0]!;
  return {
    applications: Number(r.applications),
    tasks: Number(r.tasks),
    completed: Number(r.completed),
    onTime: Number(r.onTime),
    overdueTasks: Number(r.overdueTasks),
    commitmentTasks: Number(r.commitmentTasks),
    deficiencyApplications: Number(r.deficiencyApplications),
  };
}

export type Dimension = 'item' | 'department' | 'stage' | 'template';

const keyColumn: Record<Dimension, RawBuilder<unknown>> = {
  item: sql`t.item_code`,
  department: sql`t.department_code`,
  stage: sql`t.stage::text`,
  template: sql`p.template_code`,
};

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

export async function grouped(db: Kysely<DB>, f: StatsFilter, dim: Dimension): Promise<GroupRow[]> {
  const { rows } = await sql<Record<string, string | number | null>>`
    SELECT ${keyColumn[dim]} AS key,
      count(*) AS tasks,
      count(*) FILTER (WHERE c.finished) AS completed,
      count(*) FILTER (WHERE c.finished AND c.overdue_days = 0) AS on_time,
      count(*) FILTER (WHERE c.clock_state = 'overdue') AS overdue,
      avg(c.used_days) AS avg_days,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY c.used_days) AS median_days,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY c.used_days) AS p90_days
    ${base(f, dim === 'template')}
    GROUP BY 1 ORDER BY 1`.execute(db);
  const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return rows.map((r) => ({
    key: String(r.key),
    tasks: Number(r.tasks),
    completed: Number(r.completed),
    onTime: Number(r.onTime),
    overdue: Number(r.overdue),
    avgDays: num(r.avgDays),
    medianDays: num(r.medianDays),
    p90Days: num(r.p90Days),
  }));
}

/** Per project: first task start and, when nothing runs any more, the last finish. */
export async function projectSpans(db: Kysely<DB>, f: StatsFilter) {
  const { rows } = await sql<{
    projectId: string;
    code: string;
    name: string;
    startedOn: string;
    finishedOn: string | null;
    running: string;
  }>`
    SELECT p.id AS project_id, p.code, p.name, min(t.started_on)::text AS started_on,
      max(c.finished_on)::text AS finished_on, count(*) FILTER (WHERE NOT c.finished) AS running
    ${base(f, true)}
    GROUP BY p.id, p.code, p.name ORDER BY p.code LIMIT 5000`.execute(db);
  return rows;
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

export async function ordersByDepartment(db: Kysely<DB>, from: string, to: string) {
  const { rows } = await sql<{ departmentCode: string; issued: string; escalated: string; answered: string }>`
    SELECT department_code, count(*) AS issued,
      count(*) FILTER (WHERE status = 'escalated') AS escalated, count(*) FILTER (WHERE status = 'answered') AS answered
    FROM supervision_order WHERE issued_at >= ${from}::date AND issued_at < (${to}::date + 1)
    GROUP BY department_code`.execute(db);
  return rows.map((r) => ({
    departmentCode: r.departmentCode,
    issued: Number(r.issued),
    escalated: Number(r.escalated),
    answered: Number(r.answered),
  }));
}

export function upsertReport(
  db: Kysely<DB> | Transaction<DB>,
  month: string,
  data: Record<string, unknown>,
  at: Date,
  by: string | null,
) {
  return db
    .insertInto('statsReport')
    .values({ month, data: JSON.stringify(data), generatedAt: at, generatedBy: by })
    .onConflict((oc) =>
      oc.column('month').doUpdateSet({ data: JSON.stringify(data), generatedAt: at, generatedBy: by }),
    )
    .returning(['id', 'month', 'generatedAt'])
    .executeTakeFirstOrThrow();
}

export function listReports(db: Kysely<DB>) {
  return db
    .selectFrom('statsReport')
    .select(['id', 'month', 'generatedAt'])
    .orderBy('month', 'desc')
    .execute();
}

export function findReport(db: Kysely<DB>, id: string) {
  return db.selectFrom('statsReport').selectAll().where('id', '=', id).executeTakeFirst();
}
