/**
 * The rollup (0210, issue 4 item 10) must give exactly what the live aggregation over item_task +
 * task_clock gives, for whole and partial months, after inserts, updates and deletes of clocks.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import * as stats from './stats.repository';

const dims: stats.Dimension[] = ['item', 'department', 'stage', 'template', 'district'];

describeEachSystem('statistics rollup', (t) => {
  const db = () => t.system.db;

  async function liveGrouped(f: stats.StatsFilter, dim: stats.Dimension) {
    const key = {
      item: sql`t.item_code`,
      department: sql`t.department_code`,
      stage: sql`t.stage::text`,
      template: sql`p.template_code`,
      district: sql`p.district_code`,
    }[dim];
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${key} AS key, count(*) AS tasks, count(*) FILTER (WHERE c.finished) AS completed,
        count(*) FILTER (WHERE c.finished AND c.overdue_days = 0) AS on_time,
        count(*) FILTER (WHERE c.clock_state = 'overdue') AS overdue, avg(c.used_days) AS avg_days,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY c.used_days) AS median_days,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY c.used_days) AS p90_days
      FROM item_task t JOIN task_clock c ON c.task_id = t.id JOIN project p ON p.id = t.project_id
      WHERE (${f.from ?? null}::date IS NULL OR t.started_on >= ${f.from ?? null}::date)
        AND (${f.to ?? null}::date IS NULL OR t.started_on <= ${f.to ?? null}::date)
        AND (${f.districtCode ?? null}::text IS NULL OR p.district_code = ${f.districtCode ?? null})
        AND (${f.templateCode ?? null}::text IS NULL OR p.template_code = ${f.templateCode ?? null})
      GROUP BY 1 ORDER BY 1`.execute(db());
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

  async function liveApplications(f: stats.StatsFilter) {
    const { rows } = await sql<{ n: string; deficient: string }>`
      SELECT count(DISTINCT t.application_id) AS n,
        count(DISTINCT t.application_id) FILTER (WHERE EXISTS (SELECT 1 FROM deficiency d WHERE d.application_id = t.application_id)) AS deficient
      FROM item_task t JOIN task_clock c ON c.task_id = t.id JOIN project p ON p.id = t.project_id
      WHERE (${f.from ?? null}::date IS NULL OR t.started_on >= ${f.from ?? null}::date)
        AND (${f.to ?? null}::date IS NULL OR t.started_on <= ${f.to ?? null}::date)
        AND (${f.districtCode ?? null}::text IS NULL OR p.district_code = ${f.districtCode ?? null})`.execute(
      db(),
    );
    return { applications: Number(rows[0]!.n), deficient: Number(rows[0]!.deficient) };
  }

  async function agrees() {
    const template = (
      await sql<{ code: string }>`SELECT template_code AS code FROM project ORDER BY code LIMIT 1`.execute(
        db(),
      )
    ).rows[0]!.code;
    const filters: stats.StatsFilter[] = [
      {},
      { from: '2024-01-15', to: '2024-03-10' },
      { from: '2024-02-01', to: '2024-02-29' },
      { from: '2024-02-10', to: '2024-02-20' },
      { from: '2024-02-10' },
      { to: '2024-05-20', districtCode: '410102' },
      { templateCode: template, from: '2024-03-01' },
    ];
    for (const f of filters) {
      const totals = await stats.totals(db(), f);
      const byDepartment = await liveGrouped(f, 'department');
      expect(totals.tasks).toBe(byDepartment.reduce((s, r) => s + r.tasks, 0));
      expect(totals.completed).toBe(byDepartment.reduce((s, r) => s + r.completed, 0));
      expect(totals.overdueTasks).toBe(byDepartment.reduce((s, r) => s + r.overdue, 0));
      if (!f.templateCode) {
        const live = await liveApplications(f);
        expect(totals.applications).toBe(live.applications);
        expect(totals.deficiencyApplications).toBe(live.deficient);
      }
      for (const dim of dims) expect(await stats.grouped(db(), f, dim)).toEqual(await liveGrouped(f, dim));
    }
  }

  it('agrees with the live aggregation after inserts, updates and deletes', async () => {
    await sql`INSERT INTO enterprise (name, credit_code) VALUES ('统计企业', '91410100MA9GKSTATS')`.execute(
      db(),
    );
    await sql`INSERT INTO app_user (username, display_name, role, enterprise_id, password_hash)
      SELECT 'stats-bench', '统计', 'applicant', id, 'x' FROM enterprise WHERE credit_code = '91410100MA9GKSTATS'`.execute(
      db(),
    );
    await sql`INSERT INTO project (code, name, enterprise_id, template_code, template_version, district_code, industry_code,
        approval_type, total_investment, attributes, site, site_area_m2, planned_start, planned_completion, created_by, created_at)
      SELECT 'S-' || g, '统计项目' || g, u.enterprise_id, tv.code, tv.version,
        (ARRAY['410102','410103','410122'])[1 + g % 3], '47', '01', 1000, '{}',
        ST_Multi(ST_MakeEnvelope(113.6, 34.7, 113.601, 34.701, 4490)), 10000, '2030-01-01', '2031-01-01',
        u.id, '2024-01-01'::date + (g * 7 % 160)
      FROM generate_series(1, 40) g
      CROSS JOIN (SELECT id, enterprise_id FROM app_user WHERE username = 'stats-bench') u
      CROSS JOIN LATERAL (SELECT code, version FROM process_template_version ORDER BY code OFFSET (g % 3) LIMIT 1) tv`.execute(
      db(),
    );
    await sql`INSERT INTO stage_application (project_id, stage, status, form, item_codes, submitted_by, submitted_at, accepted_at, accepted_on)
      SELECT p.id, s, 'accepted', '{}', '{}', p.created_by, p.created_at, p.created_at, (p.created_at + (s - 1) * interval '20 days')::date
      FROM project p CROSS JOIN generate_series(1, 2) s WHERE p.code LIKE 'S-%'`.execute(db());
    await sql`INSERT INTO item_task (application_id, project_id, item_code, item_version, department_code, stage, status, steps,
        promised_days, limit_working_days, started_on, deadline, via_commitment, decided_at, created_at)
      SELECT a.id, a.project_id, i.code, i.version, i.department_code, a.stage, 'approved', '{final}',
        i.promised_time_limit_days, i.promised_time_limit_days, a.accepted_on + (n % 2),
        a.accepted_on + i.promised_time_limit_days, n % 4 = 0, a.accepted_on + (n * 7 % 30), a.accepted_at
      FROM stage_application a JOIN project p ON p.id = a.project_id AND p.code LIKE 'S-%'
      CROSS JOIN generate_series(1, 6) n
      CROSS JOIN LATERAL (SELECT code, version, department_code, promised_time_limit_days FROM item_version
        WHERE effective_to IS NULL ORDER BY code OFFSET ((n * 5 + a.stage) % 20) LIMIT 1) i`.execute(db());
    await sql`INSERT INTO task_clock (task_id, deadline, remaining_days, overdue_days, clock_state, paused, paused_days, finished, finished_on, used_days, refreshed_at)
      SELECT t.id, t.deadline, 0, GREATEST(0, t.decided_at::date - t.deadline),
        CASE WHEN t.decided_at::date > t.deadline THEN 'overdue' ELSE 'normal' END, false, 0,
        t.item_code < 'M', t.decided_at::date, (t.decided_at::date - t.started_on) * 5 / 7, now()
      FROM item_task t JOIN project p ON p.id = t.project_id AND p.code LIKE 'S-%'
      ON CONFLICT (task_id) DO NOTHING`.execute(db());
    await sql`INSERT INTO deficiency (application_id, material_code, due_date)
      SELECT a.id, m, '2024-12-31' FROM stage_application a JOIN project p ON p.id = a.project_id
      CROSS JOIN (VALUES ('M1'), ('M2')) v (m)
      WHERE p.code LIKE 'S-%' AND p.code LIKE '%3'`.execute(db());
    expect((await liveApplications({})).deficient).toBeGreaterThan(0);
    const rolled = await sql<{ n: string }>`SELECT sum(n) AS n FROM stats_task_month`.execute(db());
    const clocked = await sql<{ n: string }>`SELECT count(*) AS n FROM task_clock`.execute(db());
    expect(Number(rolled.rows[0]!.n)).toBe(Number(clocked.rows[0]!.n));
    await agrees();

    // Clocks move (refresh, finish, overdue) and some disappear: the rollup follows in the same statement.
    await sql`UPDATE task_clock SET finished = NOT finished, used_days = used_days + 1,
      clock_state = CASE WHEN clock_state = 'overdue' THEN 'normal' ELSE 'overdue' END
      WHERE task_id IN (SELECT id FROM item_task WHERE stage = 2)`.execute(db());
    await sql`UPDATE task_clock SET refreshed_at = now()`.execute(db());
    await sql`DELETE FROM task_clock WHERE task_id IN (SELECT t.id FROM item_task t JOIN project p ON p.id = t.project_id
      WHERE p.code LIKE 'S-1%' AND t.stage = 1)`.execute(db());
    await agrees();
  });
});
