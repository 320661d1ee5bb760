/**
 * Decisions per second and latency through the HTTP API on PostgreSQL, beside the raw PostgreSQL
 * ceiling for the same writes (lock the task, insert the decision, update the task, append the audit
 * event — one transaction each) measured in the same run with the same concurrency.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/approval.ts [decisions] [concurrency]
 *
 * Works on a scratch database it creates and drops. Prints figures; asserts nothing.
 */
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { parseConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { buildApp } from '../src/http/app';
import { createCalendarProvider } from '../src/modules/calendar/calendar.service';
import { chainHash, GENESIS_HASH } from '../src/modules/audit/audit.rules';
import { systemClock } from '../src/shared/clock';
import { seedDemoAccounts, DEMO_PASSWORD } from '../src/seed/demo';
import { seedReferenceData } from '../src/seed/reference';
import { seedDemoProjects } from '../src/seed/demo-projects';

const N = Number(process.argv[2] ?? 3000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
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

/** Clones one in-review task `count` times, each in its own application, and returns their ids. */
async function cloneTasks(client: pg.Client, count: number): Promise<string[]> {
  const { rows } = await client.query(
    `WITH src AS (
       SELECT t.*, a.project_id AS app_project FROM item_task t JOIN stage_application a ON a.id = t.application_id
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
     FROM apps, src RETURNING id, department_code`,
    [count],
  );
  return rows.map((r: { id: string }) => r.id);
}

/** Runs `work` over `ids` with CONCURRENCY workers; records each call's latency; returns seconds taken. */
async function runWorkers(
  ids: string[],
  latencies: number[],
  work: (id: string) => Promise<void>,
): Promise<number> {
  let cursor = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const id = ids[cursor++];
        if (!id) return;
        const t0 = performance.now();
        await work(id);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function main() {
  const scratch = `zz_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = withDb(baseUrl!, scratch);
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 20 });
  const client = new pg.Client({ connectionString: url });
  try {
    await migrate(database);
    await seedReferenceData(database.db);
    await seedDemoAccounts(database.db);
    const config = { ...parseConfig({ NODE_ENV: 'test' }), databaseUrl: url };
    const ctx = {
      config,
      database,
      db: database.db,
      clock: systemClock,
      calendar: createCalendarProvider(database.db),
      jobs: null,
    };
    const app = await buildApp(ctx);
    await seedDemoProjects(app);
    await client.connect();

    const apiTasks = await cloneTasks(client, N);
    const rawTasks = await cloneTasks(client, N);
    const dept = (await client.query('SELECT department_code FROM item_task WHERE id = $1', [apiTasks[0]]))
      .rows[0].department_code as string;

    // ---- API: POST /api/tasks/:id/decisions over HTTP on loopback
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: `${dept}.reviewer`, password: DEMO_PASSWORD },
    });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = login.json().csrfToken as string;
    const load = await new Promise<{ latencies: number[]; errors: number; seconds: number }>(
      (resolve, reject) => {
        const worker = new Worker(new URL('./http-load.worker.mjs', import.meta.url), {
          workerData: {
            port,
            ids: apiTasks,
            concurrency: CONCURRENCY,
            headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
            body: JSON.stringify({ step: 'initial', outcome: 'approve', opinion: '同意' }),
          },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
      },
    );
    const { latencies: apiLatencies, errors: apiErrors, seconds: apiSeconds } = load;
    const apiOk = (
      await client.query('SELECT count(*)::int n FROM task_decision WHERE task_id = ANY($1)', [apiTasks])
    ).rows[0].n;

    // ---- Raw ceiling: the same writes straight through node-postgres, same concurrency
    const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
    pool.on('error', () => {}); // the scratch database is dropped with FORCE at the end
    const userId = (await client.query('SELECT id FROM app_user WHERE username = $1', [`${dept}.reviewer`]))
      .rows[0].id;
    const latencies: number[] = [];
    const rawSeconds = await runWorkers(rawTasks, latencies, async (id) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const task = (await c.query('SELECT version FROM item_task WHERE id = $1 FOR UPDATE', [id])).rows[0];
        await c.query(
          `INSERT INTO task_decision (task_id, step, outcome, opinion, decided_by, decided_at) VALUES ($1,'initial','approve','同意',$2, now())`,
          [id, userId],
        );
        await c.query(
          "UPDATE item_task SET current_step = 'final', version = $2 WHERE id = $1 AND version = $3",
          [id, task.version + 1, task.version],
        );
        await c.query('SELECT pg_advisory_xact_lock(720101)');
        const prev =
          (await c.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1')).rows[0]?.hash ??
          GENESIS_HASH;
        const event = {
          occurredAt: new Date(),
          actorUserId: userId,
          actorRole: 'reviewer',
          action: 'task.initial_approve',
          objectType: 'item_task',
          objectId: id,
          fromState: 'in_review:initial',
          toState: 'in_review:final',
          reason: '同意',
          detail: {},
        };
        await c.query(
          `INSERT INTO audit_event (occurred_at, actor_user_id, actor_role, action, object_type, object_id, from_state, to_state, reason, detail, prev_hash, hash)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'{}',$10,$11)`,
          [
            event.occurredAt,
            userId,
            'reviewer',
            event.action,
            'item_task',
            id,
            event.fromState,
            event.toState,
            '同意',
            prev,
            chainHash(prev, event),
          ],
        );
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    });
    await pool.end();
    await app.close();

    const apiRate = apiOk / apiSeconds;
    const rawRate = rawTasks.length / rawSeconds;
    console.log(
      `decisions: ${N} API + ${N} raw, concurrency ${CONCURRENCY}, PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}`,
    );
    console.log(
      `API  POST /api/tasks/:id/decisions over HTTP: ${apiOk} ok, ${apiErrors} errors, ${apiRate.toFixed(0)} decisions/s, ` +
        `latency p50 ${percentile(apiLatencies, 50).toFixed(1)} ms, p95 ${percentile(apiLatencies, 95).toFixed(1)} ms`,
    );
    console.log(
      `raw  SQL transaction (same writes):    ${rawRate.toFixed(0)} decisions/s, latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(latencies, 95).toFixed(1)} ms`,
    );
    console.log(`API / raw ceiling = ${((apiRate / rawRate) * 100).toFixed(1)}% (goal ≥ 40%)`);
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
