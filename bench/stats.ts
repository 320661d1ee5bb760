/**
 * Statistics benchmark (`npx tsx bench/stats.ts`, needs DATABASE_URL): ten years of a city's approvals
 * (≥ 1,000,000 item tasks, generated with generate_series) in a scratch database that is dropped
 * afterwards; prints p95 of the overview and ranking queries (whole months from the stats_task_month
 * rollup, which the task_clock insert below fills through its statement trigger, 0210; partial months
 * live on item_task + task_clock) beside the same aggregation done naively on the raw tables (pauses
 * summed per task on the fly).
 *
 * Also over HTTP (issue 10 item 7): the full overview GET /api/stats/overview (totals, four groupings,
 * monthly trend, per-project whole-process spans, clock refresh) and the Excel export
 * GET /api/stats/export.xlsx, p95 beside the naive query for the same range. Goal: overview p95 ≤ 100 ms
 * at 1.2 M tasks (BENCH_PROJECTS=50000). The default (5,000 projects, 120,000 tasks) finishes in a few
 * minutes on a shared 2-core machine; BENCH_RUNS (default 15) timed runs per figure. Run by hand.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { parseConfig } from '../src/config';
import { buildApp } from '../src/http/app';
import { createCalendarProvider } from '../src/modules/calendar/calendar.service';
import * as stats from '../src/modules/stats/stats.repository';
import { systemClock } from '../src/shared/clock';
import { refreshClocks } from '../src/modules/supervision/clock.service';
import { DEMO_PASSWORD, seedDemoAccounts } from '../src/seed/demo';
import { seedReferenceData } from '../src/seed/reference';

const base = process.env.DATABASE_URL;
if (!base) throw new Error('DATABASE_URL is required (PostgreSQL)');
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const name = `zz_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });

function p95(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}
async function time(fn: () => Promise<unknown>) {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return p95(out);
}

try {
  await migrate(database);
  await seedReferenceData(database.db);
  await seedDemoAccounts(database.db);
  const db = database.db;
  const t0 = performance.now();
  await sql`INSERT INTO enterprise (name, credit_code) VALUES ('基准企业', '91410100MA9GKBENCH')`.execute(db);
  await sql`INSERT INTO app_user (username, display_name, role, enterprise_id, password_hash)
    SELECT 'zz_bench_owner', '基准', 'applicant', id, 'x' FROM enterprise WHERE credit_code = '91410100MA9GKBENCH'`.execute(
    db,
  );
  // Projects over ten years (2016–2025) across districts and templates.
  await sql`INSERT INTO project (code, name, enterprise_id, template_code, template_version, district_code, industry_code,
      approval_type, total_investment, attributes, site, site_area_m2, planned_start, planned_completion, created_by, created_at)
    SELECT 'B-' || g, '基准项目' || g, (SELECT id FROM enterprise WHERE credit_code = '91410100MA9GKBENCH'), t.code, t.version,
      (ARRAY['410102','410103','410104','410105','410122','410181'])[1 + g % 6], '47', '01', 1000, '{}',
      ST_Multi(ST_MakeEnvelope(113.6, 34.7, 113.601, 34.701, 4490)), 10000, '2030-01-01', '2031-01-01',
      (SELECT id FROM app_user WHERE username = 'zz_bench_owner'), '2016-01-01'::date + (g::bigint * 3649 / ${PROJECTS})::int
    FROM generate_series(1, ${PROJECTS}) g
    CROSS JOIN LATERAL (SELECT code, version FROM process_template_version ORDER BY code OFFSET (g % 9) LIMIT 1) t`.execute(
    db,
  );
  // Two stage applications per project, twelve item tasks per application: 1.2M tasks at 50k projects.
  await sql`INSERT INTO stage_application (project_id, stage, status, form, item_codes, submitted_by, submitted_at, accepted_at, accepted_on)
    SELECT p.id, s, 'accepted', '{}', '{}', p.created_by, p.created_at, p.created_at, (p.created_at + (s - 1) * interval '40 days')::date
    FROM project p CROSS JOIN generate_series(1, 2) s`.execute(db);
  await sql`INSERT INTO item_task (application_id, project_id, item_code, item_version, department_code, stage, status, steps,
      promised_days, started_on, deadline, via_commitment, decided_at, created_at)
    SELECT a.id, a.project_id, i.code, i.version, i.department_code, a.stage,
      CASE WHEN a.accepted_on > '2025-12-01' AND n % 3 = 0 THEN 'in_review' ELSE 'approved' END, '{final}',
      i.promised_time_limit_days, a.accepted_on, a.accepted_on + i.promised_time_limit_days + 4, n % 7 = 0,
      CASE WHEN a.accepted_on > '2025-12-01' AND n % 3 = 0 THEN NULL ELSE a.accepted_on + (n * 7 % 30) END, a.accepted_at
    FROM stage_application a CROSS JOIN generate_series(1, 12) n
    CROSS JOIN LATERAL (SELECT code, version, department_code, promised_time_limit_days FROM item_version
      WHERE effective_to IS NULL ORDER BY code OFFSET ((n * 5 + a.stage) % 60) LIMIT 1) i`.execute(db);
  await sql`INSERT INTO clock_pause (task_id, kind, pauses_clock, reason, started_at, started_on, ended_at, ended_on)
    SELECT id, 'correction', true, '补正', created_at, started_on + 2, created_at, started_on + 5 FROM item_task WHERE random() < 0.05`.execute(
    db,
  );
  await sql`INSERT INTO task_clock (task_id, deadline, remaining_days, overdue_days, clock_state, paused, paused_days, finished, finished_on, used_days, refreshed_at)
    SELECT id, deadline, GREATEST(0, deadline - COALESCE(decided_at::date, '2026-01-05')),
      GREATEST(0, COALESCE(decided_at::date, '2026-01-05') - deadline),
      CASE WHEN COALESCE(decided_at::date, '2026-01-05') > deadline THEN 'overdue' ELSE 'normal' END, false, 0,
      decided_at IS NOT NULL, decided_at::date, CASE WHEN decided_at IS NOT NULL THEN (decided_at::date - started_on) * 5 / 7 END, now()
    FROM item_task`.execute(db);
  await sql`ANALYZE`.execute(db);
  const counts = (await sql<{ n: string }>`SELECT count(*) AS n FROM item_task`.execute(db)).rows[0]!.n;
  const rollup = (await sql<{ n: string }>`SELECT count(*) AS n FROM stats_task_month`.execute(db)).rows[0]!
    .n;
  console.log(
    `generated ${PROJECTS} projects, ${counts} tasks (${rollup} rollup rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const year = { from: '2024-01-01', to: '2024-12-31' };
  const month = { from: '2024-06-01', to: '2024-06-30' };
  const naive = (f: stats.StatsFilter) =>
    sql`
    SELECT t.department_code, count(*), count(*) FILTER (WHERE t.decided_at IS NOT NULL),
      count(*) FILTER (WHERE t.decided_at::date <= t.deadline + COALESCE(pz.days, 0)),
      avg(t.decided_at::date - t.started_on - COALESCE(pz.days, 0)),
      percentile_cont(0.5) WITHIN GROUP (ORDER BY t.decided_at::date - t.started_on),
      percentile_cont(0.9) WITHIN GROUP (ORDER BY t.decided_at::date - t.started_on)
    FROM item_task t JOIN project p ON p.id = t.project_id
    LEFT JOIN LATERAL (SELECT sum(COALESCE(ended_on, CURRENT_DATE) - started_on)::int AS days FROM clock_pause cp WHERE cp.task_id = t.id AND cp.pauses_clock) pz ON true
    WHERE (${f.from ?? null}::date IS NULL OR t.started_on >= ${f.from ?? null}::date) AND (${f.to ?? null}::date IS NULL OR t.started_on <= ${f.to ?? null}::date)
    GROUP BY 1`.execute(db);
  const overview = (f: stats.StatsFilter) =>
    Promise.all([stats.totals(db, f), stats.grouped(db, f, 'department'), stats.grouped(db, f, 'stage')]);
  const rows: [string, number, number][] = [];
  for (const [label, f] of [
    ['one month', month],
    ['one year', year],
    ['ten years', {}],
  ] as const) {
    const o = await time(() => overview(f));
    const r = await time(() => stats.grouped(db, f, 'department'));
    const n = await time(() => naive(f));
    rows.push([`overview (${label})`, o, n], [`department ranking (${label})`, r, n]);
  }
  console.log('query'.padEnd(34), 'p95 ms', 'naive p95 ms', 'ratio');
  for (const [q, ms, nv] of rows)
    console.log(
      q.padEnd(34),
      ms.toFixed(1).padStart(6),
      nv.toFixed(1).padStart(12),
      (nv / ms).toFixed(2).padStart(6),
    );

  // ---- The whole route over HTTP on loopback: what a supervisor's browser waits for.
  const app = await buildApp({
    config: { ...parseConfig({ NODE_ENV: 'development' }), databaseUrl: url.toString() },
    database,
    db,
    clock: systemClock,
    calendar: createCalendarProvider(db),
    jobs: null,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (app.server.address() as { port: number }).port;
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'supervisor', password: DEMO_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login: HTTP ${login.status} ${await login.text()}`);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    let bytes = 0;
    const get = (path: string) => async () => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie } });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${Buffer.from(body).toString()}`);
      bytes = body.byteLength;
    };
    const http: [string, number, number, number][] = [];
    for (const [label, f] of [
      ['one month', month],
      ['one year', year],
      ['ten years', {}],
    ] as const) {
      const q = 'from' in f ? `?from=${f.from}&to=${f.to}` : '';
      const n = await time(() => naive(f));
      const o = await time(get(`/api/stats/overview${q}`));
      const ob = bytes;
      const x = await time(get(`/api/stats/export.xlsx${q}`));
      http.push(
        [`GET /api/stats/overview (${label})`, o, n, ob],
        [`GET /api/stats/export.xlsx (${label})`, x, n, bytes],
      );
    }
    // Where the overview's time goes: each of its parts alone (they run in parallel in the route).
    const calendar = createCalendarProvider(db);
    const parts: [string, () => Promise<unknown>][] = [
      ['refreshClocks (every request)', () => refreshClocks(db, { clock: systemClock, calendar })],
      ['totals', () => stats.totals(db, {})],
      [
        'grouped ×4',
        () =>
          Promise.all(
            (['item', 'department', 'stage', 'template'] as const).map((d) => stats.grouped(db, {}, d)),
          ),
      ],
      ['projectSpans (live)', () => stats.projectSpans(db, {})],
      ['trend (live)', () => stats.trend(db, {})],
      [
        'extendedCounts ×5',
        () =>
          Promise.all(
            ([null, 'item', 'department', 'stage', 'template'] as const).map((d) =>
              stats.extendedCounts(db, {}, d),
            ),
          ),
      ],
    ];
    console.log('overview parts, ten years'.padEnd(40), 'p95 ms');
    for (const [label, fn] of parts) console.log(label.padEnd(40), (await time(fn)).toFixed(1).padStart(6));
    console.log(`over HTTP, ${counts} tasks:`);
    console.log('route'.padEnd(40), 'p95 ms', 'naive p95 ms', 'ratio', '   bytes');
    for (const [q, ms, nv, b] of http)
      console.log(
        q.padEnd(40),
        ms.toFixed(1).padStart(6),
        nv.toFixed(1).padStart(12),
        (nv / ms).toFixed(2).padStart(6),
        String(b).padStart(8),
      );
  } finally {
    await app.close();
  }
} finally {
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
