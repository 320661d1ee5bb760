/**
 * Faults answer as faults (issue 9, item 7) and F-07 (half-open connections): every connection-level
 * database error is 503 DATABASE_UNAVAILABLE, never 500; the error log names the SQLSTATE, constraint
 * and route, never the values; a database that goes silent without closing (a proxy that stops
 * forwarding) makes requests fail fast, the pool recovers when traffic flows again, and nothing
 * requested meanwhile is half-written. test/api/reliability.test.ts covers killed connections.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { isDatabaseUnavailable, openDatabase, type AppDatabase } from '../../src/db/database';
import { buildApp } from '../../src/http/app';
import type { App, AppContext } from '../../src/http/context';
import { errorHandler, toErrorBody } from '../../src/http/errors';
import { createCalendarProvider } from '../../src/modules/calendar/calendar.service';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../src/seed/demo';
import { fixedClock } from '../../src/shared/clock';
import { DomainError } from '../../src/shared/errors';
import { createTestSystem, DEFAULT_NOW } from '../app';
import { freshDatabase } from '../db';
import { multipart, pdfBytes } from '../factories';
import { withDatabase } from '../global-setup';

/** What pg, pg-pool, Kysely and PGlite throw when the database is gone (shapes copied from each). */
const pgError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, severity: 'FATAL', name: 'error' });
const unavailable: [string, unknown][] = [
  ['admin shutdown 57P01', pgError('57P01', 'terminating connection due to administrator command')],
  [
    'crash shutdown 57P02',
    pgError('57P02', 'terminating connection because of crash of another server process'),
  ],
  ['cannot connect now 57P03', pgError('57P03', 'the database system is starting up')],
  ['connection failure 08006', pgError('08006', 'connection failure')],
  ['unable to connect 08001', pgError('08001', 'could not connect to server')],
  ['connection does not exist 08003', pgError('08003', 'connection does not exist')],
  ['too many connections 53300', pgError('53300', 'sorry, too many clients already')],
  ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ['reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ['broken pipe', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
  ['terminated', new Error('Connection terminated unexpectedly')],
  ['pool wait timeout', new Error('timeout exceeded when trying to connect')],
  ['read timeout (half-open)', new Error('Query read timeout')],
  ['ROLLBACK on a dead client', new Error('Client has encountered a connection error and is not queryable')],
  ['pool ended', new Error('Cannot use a pool after calling end on the pool')],
  ['PGlite closed', new Error('PGlite is closed')],
  ['Kysely destroyed', new Error('driver has already been destroyed')],
  [
    'wrapped as a cause',
    new Error('transaction failed', { cause: pgError('57P01', 'terminating connection') }),
  ],
  [
    'inside an AggregateError (IPv6 then IPv4 refused)',
    new AggregateError(
      [
        new Error('x'),
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ],
      'all failed',
    ),
  ],
];
const notUnavailable: [string, unknown][] = [
  ['unique violation', Object.assign(pgError('23505', 'duplicate key'), { severity: 'ERROR' })],
  ['serialization failure', Object.assign(pgError('40001', 'could not serialize'), { severity: 'ERROR' })],
  ['a programming error', new TypeError("Cannot read properties of undefined (reading 'x')")],
];

describe('connection-level database errors are 503 DATABASE_UNAVAILABLE', () => {
  it.each(unavailable)('%s → 503', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    const { status, body } = toErrorBody(err);
    expect(status).toBe(503);
    expect(body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(body.error.message).not.toMatch(/5432|ECONN|terminat/i);
  });
  it.each(notUnavailable)('%s is not', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
    expect(toErrorBody(err).status).toBe(500);
  });
  it('a DomainError keeps its own status', () => {
    expect(toErrorBody(new DomainError('CONFLICT_STATE', 'Connection terminated?')).status).toBe(409);
  });

  it('logs the SQLSTATE, constraint and route of a failing statement, never its values', () => {
    const secret = '张三 110101199003071234';
    const err = Object.assign(new Error(`duplicate key value violates unique constraint "u" — (${secret})`), {
      code: '23505',
      severity: 'ERROR',
      constraint: 'enterprise_credit_code_uq',
      table: 'enterprise',
      detail: `Key (credit_code)=(${secret}) already exists.`,
      parameters: [secret],
    });
    const lines: { level: string; obj: unknown }[] = [];
    const log = Object.fromEntries(
      ['error', 'warn', 'info', 'debug'].map((level) => [
        level,
        (obj: unknown) => lines.push({ level, obj }),
      ]),
    );
    const reply = { status: () => reply, send: () => reply };
    errorHandler(
      err,
      { method: 'POST', routeOptions: { url: '/api/enterprises' }, log, body: { name: secret } } as never,
      reply as never,
    );
    const errorLines = lines.filter((l) => l.level === 'error');
    expect(errorLines).toHaveLength(1);
    const text = JSON.stringify(errorLines);
    expect(text).toContain('23505');
    expect(text).toContain('enterprise_credit_code_uq');
    expect(text).toContain('/api/enterprises');
    expect(text).not.toContain('110101199003071234');
    expect(text).not.toContain('张三');
  });
});

describe('PGlite closed under a running app', () => {
  it('answers 503, not 500', async () => {
    const system = await createTestSystem('pglite');
    const session = await system.login('applicant');
    await system.database.close();
    for (const url of ['/api/health', '/api/projects']) {
      const res = await system.app.inject({ method: 'GET', url, headers: session.headers });
      expect(res.statusCode, `${url} ${res.body}`).toBe(503);
      expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
    }
    await system.app.close();
  });
});

/**
 * A TCP proxy that can stop forwarding without closing anything (a half-open path: a firewall dropping
 * state, a frozen VM). While stopped, bytes and closes are held back; resuming delivers them in order,
 * as TCP would once the path heals.
 */
async function blackholeProxy(target: { host: string; port: number }) {
  let stopped = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const later = (fn: () => void) => (stopped ? held.push(fn) : fn());
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => later(() => upstream.write(d)));
    upstream.on('data', (d) => later(() => client.write(d)));
    client.on('close', () => later(() => upstream.destroy()));
    upstream.on('close', () => later(() => client.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop() {
      stopped = true;
    },
    resume() {
      stopped = false;
      for (const fn of held.splice(0)) fn();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const describePg = process.env.DATABASE_URL ? describe : describe.skip;

describePg('F-07 half-open database connection [postgres]', () => {
  const POOL = 4;
  const QUERY_TIMEOUT_MS = 1500;
  const CONNECT_TIMEOUT_MS = 1500;
  let direct: Awaited<ReturnType<typeof freshDatabase>>;
  let proxy: Awaited<ReturnType<typeof blackholeProxy>>;
  let database: AppDatabase;
  let app: App;
  let dataDir: string;
  let dbName: string;

  beforeAll(async () => {
    direct = await freshDatabase('postgres');
    await seedDemoAccounts(direct.db);
    dbName = (await sql<{ d: string }>`SELECT current_database() AS d`.execute(direct.db)).rows[0]!.d;
    const url = new URL(withDatabase(process.env.DATABASE_URL!, dbName));
    proxy = await blackholeProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    database = await openDatabase({
      kind: 'postgres',
      url: url.toString(),
      poolSize: POOL,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
      connectionTimeoutMs: CONNECT_TIMEOUT_MS,
      onPoolError: () => {},
    });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-f07-'));
    const ctx: AppContext = {
      config: { ...parseConfig({ NODE_ENV: 'test' }), dataDir },
      database,
      db: database.db,
      clock: fixedClock(DEFAULT_NOW),
      calendar: createCalendarProvider(database.db),
      jobs: null,
    };
    app = await buildApp(ctx);
  });
  afterAll(async () => {
    proxy?.resume();
    await app?.close();
    await database?.close().catch(() => {});
    await proxy?.close();
    await direct?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const backends = async () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const r = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
        dbName,
      ]);
      return r.rows[0].n as number;
    } finally {
      await admin.end();
    }
  };

  it('fails fast with 503 while the path is silent, writes nothing, and recovers to the baseline pool', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'applicant', password: DEMO_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };
    const read = () => app.inject({ method: 'GET', url: '/api/projects', headers });
    expect((await read()).statusCode).toBe(200);
    const before = await backends();
    expect(before).toBeLessThanOrEqual(POOL + 1); // + the seeding connection of `direct`

    proxy.stop();
    const upload = multipart(
      { materialCode: 'M_APPLICATION' },
      { name: '半开连接.pdf', type: 'application/pdf', data: pdfBytes() },
    );
    const started = Date.now();
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, async () => {
        const res = await read();
        return { res, ms: Date.now() - started };
      }),
      (async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/materials',
          headers: { ...headers, ...upload.headers },
          payload: upload.payload,
        });
        return { res, ms: Date.now() - started };
      })(),
      (async () => {
        const res = await app.inject({ method: 'GET', url: '/api/health' });
        return { res, ms: Date.now() - started };
      })(),
    ]);
    const slowest = Math.max(...answers.map((a) => a.ms));
    console.log(`F-07: ${answers.length} requests on a silent path answered within ${slowest} ms`);
    for (const { res } of answers) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
    }
    // Bound: a read timeout, then at most a connect timeout for a replacement connection, per
    // statement in a request (plus slack for a loaded CI machine) — not the minutes TCP would take.
    expect(slowest).toBeLessThan(4 * (QUERY_TIMEOUT_MS + CONNECT_TIMEOUT_MS));

    proxy.resume();
    const healed = Date.now();
    let ok = 0;
    while (Date.now() - healed < 20_000) {
      const res = await read();
      if (res.statusCode === 200) ok++;
      else ok = 0;
      if (ok >= 5) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ok).toBe(5);
    console.log(`F-07: pool recovered ${Date.now() - healed} ms after the path healed`);

    // Nothing of the upload was written: no row, no stored bytes, no temporary file.
    const rows = await direct.db
      .selectFrom('materialFile')
      .select('id')
      .where('originalName', '=', '半开连接.pdf')
      .execute();
    expect(rows).toEqual([]);
    const tmp = path.join(dataDir, 'files', 'tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
    const blobs = fs.existsSync(path.join(dataDir, 'files'))
      ? fs.readdirSync(path.join(dataDir, 'files')).filter((d) => d !== 'tmp')
      : [];
    expect(blobs).toEqual([]);

    // Connections dropped on timeout are gone on the server too: back to at most the pool size.
    let now = await backends();
    for (let i = 0; i < 50 && now > POOL + 1; i++) {
      await new Promise((r) => setTimeout(r, 200));
      now = await backends();
    }
    console.log(`F-07: server backends before ${before}, after ${now} (pool ${POOL})`);
    expect(now).toBeLessThanOrEqual(POOL + 1);
  }, 90_000);
});
