/**
 * Decisions per second and latency through the HTTP API on PostgreSQL (issue 10 item 4), beside the
 * lock-free database ceiling for the same rows — decision insert, task update, audit event insert (unsealed,
 * as business transactions write it since the sealer) in one transaction per decision, no global lock —
 * measured in the same run, at concurrency 8 and 16, interleaved (ceiling, API, ceiling, API). Prints the
 * ratio and the audit sealer's unsealed backlog (audit_event.seal_seq IS NULL) sampled during each phase
 * and how long it takes to drain afterwards.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/approval.ts
 *   BENCH_DECISIONS=1000 (per phase)  BENCH_CONCURRENCY=8,16
 *
 * The API is the real server (startSystem: logged in as zz_app, pg-boss and the audit sealer running,
 * AUDIT_SEAL_INTERVAL_MS default) in this process; the HTTP client runs in a worker thread. Works on a
 * scratch database it creates and drops. Prints figures; asserts nothing. Run by hand, never in npm test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { parseConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { buildApp } from '../src/http/app';
import { createCalendarProvider } from '../src/modules/calendar/calendar.service';
import { installSigningKeys, loadSigningKeys } from '../src/modules/certificates/signing-keys';
import { refreshClocks } from '../src/modules/supervision/clock.service';
import { systemClock } from '../src/shared/clock';
import { seedDemoAccounts, DEMO_PASSWORD } from '../src/seed/demo';
import { seedReferenceData } from '../src/seed/reference';
import { seedDemoProjects } from '../src/seed/demo-projects';
import { startSystem } from '../src/server';

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

function withDb(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface BenchDatabase {
  url: string;
  dataDir: string;
  client: pg.Client;
  /** The reviewer who may decide the cloned tasks. */
  reviewer: { username: string; id: string };
  /** `count` fresh in-review tasks at the initial step, each in its own application. */
  cloneTasks(count: number): Promise<string[]>;
  unsealed(): Promise<number>;
  /** Gives cloned tasks their clocks (refreshClocks), as accepted tasks have, so no phase pays for that. */
  settleClocks(): Promise<void>;
  drop(): Promise<void>;
}

/** A scratch database: migrated, reference and demo data (demo projects through the API), signing keys. */
export async function createBenchDatabase(baseUrl: string): Promise<BenchDatabase> {
  const scratch = `zz_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = withDb(baseUrl, scratch);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-bench-'));
  const config = {
    ...parseConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }),
    databaseUrl: url,
    migrationDatabaseUrl: url,
  };
  installSigningKeys(loadSigningKeys(config));
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 8 });
  await migrate(database);
  await seedReferenceData(database.db);
  await seedDemoAccounts(database.db);
  const seeder = await buildApp({
    config,
    database,
    db: database.db,
    clock: systemClock,
    calendar: createCalendarProvider(database.db),
    jobs: null,
  });
  await seedDemoProjects(seeder);
  await seeder.close();
  await database.close();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const src = (
    await client.query(
      `SELECT t.id, t.department_code FROM item_task t
        WHERE t.status = 'in_review' AND t.current_step = 'initial' ORDER BY t.created_at LIMIT 1`,
    )
  ).rows[0] as { id: string; department_code: string };
  const username = `${src.department_code}.reviewer`;
  const id = (await client.query('SELECT id FROM app_user WHERE username = $1', [username])).rows[0]
    .id as string;
  return {
    url,
    dataDir,
    client,
    reviewer: { username, id },
    async cloneTasks(count) {
      const { rows } = await client.query(
        `WITH src AS (SELECT * FROM item_task WHERE id = $2),
         apps AS (
           INSERT INTO stage_application (project_id, stage, status, form, item_codes, submitted_by, submitted_at, accepted_at, accepted_on)
           SELECT a.project_id, a.stage, 'accepted', a.form, a.item_codes, a.submitted_by, now(), now(), current_date
           FROM stage_application a, src, generate_series(1, $1) g WHERE a.id = src.application_id
           RETURNING id)
         INSERT INTO item_task (application_id, project_id, item_code, item_version, department_code, stage, status, steps,
           current_step, promised_days, started_on, deadline, milestone, created_at)
         SELECT apps.id, src.project_id, src.item_code, src.item_version, src.department_code, src.stage, 'in_review',
           src.steps, 'initial', src.promised_days, src.started_on, src.deadline, src.milestone, now()
         FROM apps, src RETURNING id`,
        [count, src.id],
      );
      await client.query('ANALYZE');
      return rows.map((r: { id: string }) => r.id);
    },
    async settleClocks() {
      const d = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
      await refreshClocks(d.db, { clock: systemClock, calendar: createCalendarProvider(d.db) });
      await d.close();
    },
    async unsealed() {
      return (await client.query('SELECT count(*)::int AS n FROM audit_event WHERE seal_seq IS NULL')).rows[0]
        .n as number;
    },
    async drop() {
      await client.end().catch(() => {});
      await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  ok: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

/** Logs in over HTTP; the headers a decision request needs. */
export async function loginHeaders(port: number, username: string): Promise<Record<string, string>> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login on port ${port}: HTTP ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

/** POST /api/tasks/:id/decisions (approve the initial step) over HTTP from a worker thread. */
export function httpDecisions(
  port: number,
  headers: Record<string, string>,
  ids: string[],
  concurrency: number,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load.worker.mjs', import.meta.url), {
      workerData: {
        port,
        ids,
        concurrency,
        headers,
        body: JSON.stringify({ step: 'initial', outcome: 'approve', opinion: '同意' }),
      },
    });
    worker.once('message', (m: Omit<LoadResult, 'ok'>) => resolve({ ...m, ok: ids.length - m.errors }));
    worker.once('error', reject);
  });
}

/** The ceiling: the same rows as raw SQL, one transaction per decision, no global lock. */
export async function rawDecisions(url: string, reviewerId: string, ids: string[], concurrency: number) {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  pool.on('error', () => {}); // the scratch database is dropped with FORCE at the end
  const latencies: number[] = [];
  let cursor = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const id = ids[cursor++];
        if (!id) return;
        const t0 = performance.now();
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const task = (await c.query('SELECT version FROM item_task WHERE id = $1 FOR UPDATE', [id]))
            .rows[0];
          await c.query(
            `INSERT INTO task_decision (task_id, step, outcome, opinion, decided_by, decided_at)
             VALUES ($1, 'initial', 'approve', '同意', $2, now())`,
            [id, reviewerId],
          );
          await c.query(
            "UPDATE item_task SET current_step = 'final', version = $2 WHERE id = $1 AND version = $3",
            [id, task.version + 1, task.version],
          );
          // Unsealed, as every business transaction writes its event now (xid and recorded_at by default).
          await c.query(
            `INSERT INTO audit_event (occurred_at, actor_user_id, actor_role, action, object_type, object_id, from_state, to_state, reason, detail)
             VALUES (now(), $1, 'reviewer', 'task.initial_approve', 'item_task', $2, 'in_review:initial', 'in_review:final', '同意', '{}')`,
            [reviewerId, id],
          );
          await c.query('COMMIT');
        } finally {
          c.release();
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return { ok: ids.length, errors: 0, seconds, latencies } satisfies LoadResult;
}

/** Samples the unsealed backlog while `work` runs; then waits (≤ 30 s) for it to drain. */
export async function withBacklog<T>(bench: BenchDatabase, work: () => Promise<T>) {
  let max = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      max = Math.max(max, await bench.unsealed());
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const result = await work();
  done = true;
  await sampler;
  const atEnd = await bench.unsealed();
  const t0 = performance.now();
  let left = atEnd;
  while (left > 0 && performance.now() - t0 < 30_000) {
    await new Promise((r) => setTimeout(r, 100));
    left = await bench.unsealed();
  }
  return {
    result,
    backlog: { max: Math.max(max, atEnd), atEnd, drainSeconds: (performance.now() - t0) / 1000, left },
  };
}

/** Rows written per table and transactions committed (pg_stat views), to divide by the decisions made. */
export async function writeCounters(client: pg.Client) {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const tables = (
    await client.query(
      `SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS n FROM pg_stat_user_tables
        UNION ALL SELECT 'pgboss.' || relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_all_tables WHERE schemaname = 'pgboss'`,
    )
  ).rows as { relname: string; n: string }[];
  const xact = (
    await client.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')
  ).rows[0].xact_commit as string;
  return { tables: new Map(tables.map((t) => [t.relname, Number(t.n)])), xact: Number(xact) };
}

export function perDecision(
  before: Awaited<ReturnType<typeof writeCounters>>,
  after: Awaited<ReturnType<typeof writeCounters>>,
  decisions: number,
) {
  const rows = [...after.tables]
    .map(([t, n]) => [t, (n - (before.tables.get(t) ?? 0)) / decisions] as const)
    .filter(([, n]) => n >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  return (
    `transactions committed per decision ${((after.xact - before.xact) / decisions).toFixed(1)}; rows written per decision: ` +
    rows.map(([t, n]) => `${t} ${n.toFixed(1)}`).join(', ')
  );
}

export const rate = (r: LoadResult) => r.ok / r.seconds;
export const fmt = (label: string, r: LoadResult) =>
  `${label.padEnd(34)} ${String(r.ok).padStart(5)} ok ${String(r.errors).padStart(4)} err ` +
  `${rate(r).toFixed(0).padStart(6)} decisions/s  p50 ${percentile(r.latencies, 50).toFixed(1).padStart(6)} ms` +
  `  p95 ${percentile(r.latencies, 95).toFixed(1).padStart(6)} ms`;
export const fmtBacklog = (b: { max: number; atEnd: number; drainSeconds: number; left: number }) =>
  `unsealed backlog: max ${b.max} during, ${b.atEnd} at end, ` +
  (b.left === 0
    ? `0 after ${b.drainSeconds.toFixed(1)} s`
    : `${b.left} still after ${b.drainSeconds.toFixed(0)} s`);

async function main() {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    console.error('DATABASE_URL (a PostgreSQL server) is required');
    process.exit(2);
  }
  const N = Number(process.env.BENCH_DECISIONS ?? 1000);
  const levels = (process.env.BENCH_CONCURRENCY ?? '8,16').split(',').map(Number);
  const bench = await createBenchDatabase(baseUrl);
  try {
    const taskSets = new Map<number, { api: string[]; raw: string[] }>();
    for (const c of levels)
      taskSets.set(c, { api: await bench.cloneTasks(N), raw: await bench.cloneTasks(N) });
    const config = parseConfig({
      NODE_ENV: 'development',
      DATA_DIR: bench.dataDir,
      DATABASE_URL: bench.url,
      LOG_LEVEL: 'silent',
    });
    const system = await startSystem(config, { prepared: true });
    await system.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (system.app.server.address() as { port: number }).port;
    const headers = await loginHeaders(port, bench.reviewer.username);
    const server = (await bench.client.query('SHOW server_version')).rows[0].server_version;
    console.log(
      `PostgreSQL ${server}; ${N} decisions per phase; API: 1 process (startSystem, zz_app, sealer every ${config.auditSealIntervalMs} ms); ` +
        `${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at start`,
    );
    for (const c of levels) {
      const sets = taskSets.get(c)!;
      const raw = await withBacklog(bench, () => rawDecisions(bench.url, bench.reviewer.id, sets.raw, c));
      const before = await writeCounters(bench.client);
      const api = await withBacklog(bench, () => httpDecisions(port, headers, sets.api, c));
      await new Promise((r) => setTimeout(r, 1500)); // backends flush their statistics within a second
      const after = await writeCounters(bench.client);
      console.log(`-- concurrency ${c}`);
      console.log(fmt('raw SQL, no global lock (ceiling)', raw.result));
      console.log(`   ${fmtBacklog(raw.backlog)}`);
      console.log(fmt('API POST /api/tasks/:id/decisions', api.result));
      console.log(`   ${fmtBacklog(api.backlog)}`);
      console.log(`   ${perDecision(before, after, api.result.ok)} (includes the sealer and pg-boss)`);
      console.log(
        `   API / ceiling = ${((rate(api.result) / rate(raw.result)) * 100).toFixed(1)}% (goal ≥ 50%)`,
      );
    }
    await system.close();
  } finally {
    await bench.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
