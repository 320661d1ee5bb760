/**
 * Reads at the speed of the database (issue 10, item 8): req/s and p50/p99 over HTTP on PostgreSQL for
 * the inbox GET /api/tasks, GET /api/projects/:id and GET /api/applications/:id, beside a bare Fastify
 * route doing `SELECT 1` through a pg.Pool of the same size, in the same run. Goal: each route ≥ 50% of
 * the bare route's req/s and p99 ≤ 30 ms. and the public progress lookup POST /api/public/progress (project code + query code, no login).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/reads.ts
 *   BENCH_SECONDS=5 BENCH_CONCURRENCY=20 BENCH_TASKS=200 (defaults)
 *
 * Works on a scratch database it creates and drops: demo projects made through the API, plus BENCH_TASKS
 * in-review tasks cloned into one department's inbox. The load runs in a worker thread
 * (bench/http-get.worker.mjs), the servers on this one. Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { parseConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { buildApp } from '../src/http/app';
import { createCalendarProvider } from '../src/modules/calendar/calendar.service';
import { installSigningKeys, loadSigningKeys } from '../src/modules/certificates/signing-keys';
import { systemClock } from '../src/shared/clock';
import { seedDemoAccounts, DEMO_PASSWORD } from '../src/seed/demo';
import { seedReferenceData } from '../src/seed/reference';
import { seedDemoProjects } from '../src/seed/demo-projects';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const POOL = 20;
const TASKS = Number(process.env.BENCH_TASKS ?? 200);
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('DATABASE_URL (a PostgreSQL server) is required');
  process.exit(2);
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

function withDb(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

interface Load {
  latencies: number[];
  errors: number;
  firstError: string | null;
  seconds: number;
}

function load(port: number, path: string, headers: Record<string, string>, seconds = SECONDS, body?: string) {
  return new Promise<Load>((resolve, reject) => {
    const worker = new Worker(new URL('./http-get.worker.mjs', import.meta.url), {
      workerData: {
        port,
        path,
        headers,
        concurrency: CONCURRENCY,
        seconds,
        ...(body ? { method: 'POST', body } : {}),
      },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Clones one in-review 初核 task `count` times (each in its own application) in its department. */
async function cloneTasks(client: pg.Client, count: number) {
  await client.query(
    `WITH src AS (
       SELECT t.* FROM item_task t
       WHERE t.status = 'in_review' AND t.current_step = 'initial' ORDER BY t.created_at LIMIT 1),
     apps AS (
       INSERT INTO stage_application (project_id, stage, status, form, item_codes, submitted_by, submitted_at, accepted_at, accepted_on)
       SELECT a.project_id, a.stage, 'accepted', a.form, a.item_codes, a.submitted_by, now(), now(), current_date
       FROM stage_application a, src, generate_series(1, $1) g WHERE a.id = src.application_id
       RETURNING id)
     INSERT INTO item_task (application_id, project_id, item_code, item_version, department_code, stage, status, steps,
       current_step, promised_days, started_on, deadline, milestone, created_at)
     SELECT apps.id, src.project_id, src.item_code, src.item_version, src.department_code, src.stage, 'in_review',
       src.steps, 'initial', src.promised_days, src.started_on, src.deadline, src.milestone, now()
     FROM apps, src`,
    [count],
  );
}

const statements: string[] = [];
let counting = false;
const counter: KyselyPlugin = {
  transformQuery(args) {
    if (!counting) return args.node;
    const node = args.node as {
      kind: string;
      from?: { froms: { table?: { identifier?: { name?: string } } }[] };
    };
    const tables = (node.from?.froms ?? []).map((f) => f.table?.identifier?.name ?? '(subquery)');
    statements.push(`${node.kind} ${tables.join(', ')}`);
    return args.node;
  },
  transformResult: async (args) => args.result,
};

async function main() {
  const scratch = `zz_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = withDb(baseUrl!, scratch);
  const database = await openDatabase({ kind: 'postgres', url, poolSize: POOL });
  const client = new pg.Client({ connectionString: url });
  try {
    await migrate(database);
    await seedReferenceData(database.db);
    await seedDemoAccounts(database.db);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-bench-'));
    const config = {
      ...parseConfig({
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        // The public lookup is rate-limited per address; the bench's one address would meet it at once.
        VERIFY_RATE_PER_MINUTE: '100000000',
        // SESSION_CACHE_SECONDS=0 measures without the per-process session cache.
        ...(process.env.SESSION_CACHE_SECONDS
          ? { SESSION_CACHE_SECONDS: process.env.SESSION_CACHE_SECONDS }
          : {}),
      }),
      databaseUrl: url,
    };
    // Accepting an application issues a signed receipt (documents module): keys of a scratch directory.
    installSigningKeys(loadSigningKeys(config));
    const ctx = {
      config,
      database,
      db: database.db.withPlugin(counter),
      clock: systemClock,
      calendar: createCalendarProvider(database.db),
      jobs: null,
    };
    const app = await buildApp(ctx, process.env.BENCH_LOG ? { logger: { level: 'error' } } : {});
    try {
      await seedDemoProjects(app);
    } catch (err) {
      // The reads need only registered projects with accepted applications; a failing demo write (another
      // part of the system under change) must not stop them. Said in the output.
      console.warn(`demo seed stopped early (reads go on with what was made): ${(err as Error).message}`);
    }
    await client.connect();
    await cloneTasks(client, TASKS);
    const src = (
      await client.query(
        `SELECT department_code, project_id, application_id FROM item_task
         WHERE status = 'in_review' AND current_step = 'initial'
         GROUP BY department_code, project_id, application_id ORDER BY count(*) DESC LIMIT 1`,
      )
    ).rows[0] as { department_code: string; project_id: string; application_id: string };
    const inboxSize = (
      await client.query(
        `SELECT count(*)::int n FROM item_task WHERE department_code = $1 AND status = 'in_review' AND current_step = 'initial'`,
        [src.department_code],
      )
    ).rows[0].n as number;
    await client.query('ANALYZE');

    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: `${src.department_code}.reviewer`, password: DEMO_PASSWORD },
    });
    if (login.statusCode !== 200) throw new Error(`login: ${login.body}`);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { cookie };
    // The public progress lookup (no login): the project's code and a query code issued to its applicant.
    const owner = (
      await client.query(
        `SELECT u.username, p.code FROM project p JOIN app_user u ON u.id = p.created_by WHERE p.id = $1`,
        [src.project_id],
      )
    ).rows[0] as { username: string; code: string };
    const ownerLogin = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: owner.username, password: DEMO_PASSWORD },
    });
    const issued = await app.inject({
      method: 'POST',
      url: `/api/projects/${src.project_id}/query-code`,
      headers: {
        cookie: ownerLogin.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        'x-csrf-token': ownerLogin.json().csrfToken as string,
      },
    });
    if (issued.statusCode !== 200) throw new Error(`query code: ${issued.body}`);
    const progressBody = JSON.stringify({ projectCode: owner.code, queryCode: issued.json().queryCode });

    // ---- Bare route: Fastify + pg.Pool(20) + SELECT 1, no session, no schema.
    const bare = Fastify({ logger: false });
    const pool = new pg.Pool({ connectionString: url, max: POOL });
    pool.on('error', () => {}); // the scratch database is dropped with FORCE at the end
    bare.get('/bare', async () => (await pool.query('SELECT 1 AS one')).rows[0]);
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const barePort = (bare.server.address() as { port: number }).port;

    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;

    const routes: {
      label: string;
      port: number;
      path: string;
      headers: Record<string, string>;
      body?: string;
    }[] = [
      { label: 'bare Fastify SELECT 1', port: barePort, path: '/bare', headers: {} },
      // The app's own stack with one statement each: health (no cookie, one SELECT) and the session
      // (cookie → the session lookup, no route query): what every request pays before its own query.
      { label: 'GET /api/health (app stack, 1 query)', port, path: '/api/health', headers: {} },
      { label: 'GET /api/auth/session (session only)', port, path: '/api/auth/session', headers },
      { label: `GET /api/tasks (inbox, ${inboxSize} tasks)`, port, path: '/api/tasks', headers },
      { label: 'GET /api/projects/:id', port, path: `/api/projects/${src.project_id}`, headers },
      { label: 'GET /api/applications/:id', port, path: `/api/applications/${src.application_id}`, headers },
      {
        label: 'POST /api/public/progress',
        port,
        path: '/api/public/progress',
        headers: {},
        body: progressBody,
      },
    ];
    // SQL statements per request (counted by a Kysely plugin on ctx.db): what each request does besides
    // its own query — the session lookup, clocks, calendar, and so on.
    for (const r of routes.slice(1)) {
      statements.length = 0;
      counting = true;
      await app.inject(
        r.body
          ? { method: 'POST', url: r.path, payload: JSON.parse(r.body) as object }
          : { method: 'GET', url: r.path, headers: r.headers },
      );
      counting = false;
      console.log(`${r.label}: ${statements.length} SQL statements per request`);
      if (process.env.BENCH_TRACE) for (const q of statements) console.log(`    ${q}`);
    }

    // Warm-up (JIT, pools, plans), then one measured run per route, the bare route first and last so the
    // comparison shows how steady the machine was during the run.
    for (const r of routes) await load(r.port, r.path, r.headers, 1, r.body);
    const results: {
      label: string;
      rate: number;
      p50: number;
      p99: number;
      errors: number;
      err: string | null;
    }[] = [];
    for (const r of [...routes, routes[0]!]) {
      const res = await load(r.port, r.path, r.headers, SECONDS, r.body);
      results.push({
        label: r.label,
        rate: res.latencies.length / res.seconds,
        p50: percentile(res.latencies, 50),
        p99: percentile(res.latencies, 99),
        errors: res.errors,
        err: res.firstError,
      });
    }
    await app.close();
    await bare.close();
    await pool.end();

    const bareRate = (results[0]!.rate + results[results.length - 1]!.rate) / 2;
    console.log(
      `reads over HTTP on PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}: ` +
        `${CONCURRENCY} concurrent clients, pool ${POOL}, ${SECONDS} s per route`,
    );
    for (const r of results) {
      const share = (r.rate / bareRate) * 100;
      console.log(
        `  ${r.label.padEnd(40)} ${r.rate.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(5)} ms  ` +
          `p99 ${r.p99.toFixed(1).padStart(5)} ms  ${share.toFixed(0).padStart(3)}% of bare` +
          (r.errors ? `  ${r.errors} errors (first: ${r.err})` : ''),
      );
    }
    console.log('goal: each API route ≥ 50% of the bare req/s (mean of its two runs) and p99 ≤ 30 ms');
  } finally {
    await client.end().catch(() => {});
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
