/**
 * Three API processes on one PostgreSQL (issue 10 §6): a session made on one works on the others, a project
 * moves through all three, and when the clock passes its deadlines and every process restarts at once, each
 * warning and overdue notification is produced once, a monthly report asked of all three at once exists
 * once, and the audit chain verifies. PostgreSQL only (PGlite is one process by nature).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  acceptedProject,
  apiLogin,
  applicationTasks,
  call,
  decideRemaining,
  type ApiSession,
} from '../../e2e/approval-api';
import { openDatabase } from '../../src/db/database';
import { seedDemoAccounts } from '../../src/seed/demo';
import { withDatabase } from '../global-setup';

const T0 = '2026-03-02T09:00:00+08:00';
const LATER = '2026-06-01T09:00:00+08:00';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

interface Proc {
  url: string;
  port: number;
  child: ChildProcess | null;
}

describe.runIf(!!process.env.DATABASE_URL)('three API processes on one PostgreSQL', () => {
  // Collected even when skipped (no DATABASE_URL): nothing here may touch the database or the disk.
  const base = process.env.DATABASE_URL ?? 'postgres://skipped/none';
  const dbName = `zz_mp_${randomBytes(5).toString('hex')}`;
  const url = withDatabase(base, dbName);
  let dataDir = '';
  let logFile = '';
  let log: ReturnType<typeof createWriteStream>;
  const procs: Proc[] = [];

  const start = async (p: Proc, clockNow: string) => {
    p.child = spawn(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['src/cli.ts', 'serve'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(p.port),
        HOST: '127.0.0.1',
        // One key file for all (as production's SIGNING_KEY_FILE), one database.
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        PUBLIC_BASE_URL: p.url,
        CLOCK_NOW: clockNow,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.child.stdout?.pipe(log, { end: false });
    p.child.stderr?.pipe(log, { end: false });
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (p.child.exitCode !== null) throw new Error(`server exited\n${readFileSync(logFile, 'utf8')}`);
      const ok = await fetch(`${p.url}/api/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`no health\n${readFileSync(logFile, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const stop = (p: Proc) =>
    new Promise<void>((resolve) => {
      const child = p.child;
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  const query = async <T>(text: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text, values)).rows as T[];
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'zz-mp-'));
    logFile = join(dataDir, 'servers.log');
    log = createWriteStream(logFile);
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${inject('postgresTemplate')}`);
    await admin.end();
    // Accounts first, so no process spends its start-up creating demo projects.
    const owner = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
    await seedDemoAccounts(owner.db);
    await owner.close();
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      procs.push({ port, url: `http://127.0.0.1:${port}`, child: null });
    }
    // The first creates the shared signing-key file; the other two start together.
    await start(procs[0]!, T0);
    await Promise.all(procs.slice(1).map((p) => start(p, T0)));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(procs.map(stop));
    log.end();
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shares sessions, moves a project across processes, notifies once per transition, reports once, and the chain verifies', async () => {
    const [a, b, c] = procs as [Proc, Proc, Proc];
    // A session made on A is valid on B and C (sessions live in the database).
    const applicant = await apiLogin(a.url, 'applicant');
    for (const p of [b, c]) {
      const me = await call<{ user: { username: string } }>(p.url, applicant, 'GET', '/api/auth/session');
      expect(me.user.username).toBe('applicant');
    }
    const window: ApiSession = await apiLogin(b.url, 'window');
    // One project submitted and accepted through A and decided through C; another left running.
    const done = await acceptedProject(a.url, applicant, window);
    await decideRemaining(c.url, done.applicationId, window);
    const running = await acceptedProject(b.url, applicant, window);
    const runningTasks = await applicationTasks(c.url, window, running.applicationId);
    expect(runningTasks.length).toBeGreaterThan(0);

    // Months later every process restarts at the same moment: each runs its start-up clock refresh.
    await Promise.all(procs.map(stop));
    await Promise.all(procs.map((p) => start(p, LATER)));

    const perTransition = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM clock_transition WHERE task_id = ANY($1::uuid[])`,
      [runningTasks.map((t) => t.id)],
    );
    expect(perTransition[0]!.n, 'the running tasks passed their deadlines').toBeGreaterThan(0);
    const duplicates = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM notification GROUP BY user_id, kind, object_id HAVING count(*) > 1) d`,
    );
    expect(duplicates[0]!.n, 'no notification twice').toBe(0);
    const notified = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notification WHERE object_id = ANY($1::text[])`,
      [runningTasks.map((t) => t.id)],
    );
    expect(notified[0]!.n).toBeGreaterThan(0);

    // The same monthly report asked of all three at once exists once.
    const supervisors = await Promise.all(procs.map((p) => apiLogin(p.url, 'supervisor')));
    const answers = await Promise.all(
      procs.map((p, i) =>
        fetch(`${p.url}/api/stats/reports`, {
          method: 'POST',
          headers: {
            cookie: supervisors[i]!.cookie,
            'X-CSRF-Token': supervisors[i]!.csrf,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ month: '2026-05' }),
        }).then((r) => r.status),
      ),
    );
    expect(
      answers.every((s) => s < 500),
      `statuses ${answers}`,
    ).toBe(true);
    const reports = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stats_report WHERE month = '2026-05'`,
    );
    expect(reports[0]!.n).toBe(1);

    // Every event written by any process is sealed into one chain that verifies.
    const deadline = Date.now() + 30_000;
    let verify: { valid: boolean; unsealed?: number } = { valid: false };
    while (Date.now() < deadline) {
      verify = await call(a.url, supervisors[0]!, 'GET', '/api/audit/verify');
      if (verify.valid && (verify.unsealed ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(verify).toMatchObject({ valid: true });
    expect(verify.unsealed ?? 0).toBe(0);
  }, 300_000);
});
