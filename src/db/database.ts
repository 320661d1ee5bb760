/**
 * Opens the database: PGlite (embedded, the default, persisted under DATA_DIR) or a PostgreSQL server
 * (DATABASE_URL). Both get PostGIS and the same value parsing; the rest of the code sees one Kysely<DB>.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema';
import { Mutex, pglitePool } from './pglite-pool';
import { valueParsers } from './types';

export type DatabaseKind = 'pglite' | 'postgres';

export interface AppDatabase {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** Runs a multi-statement SQL script (migrations, test set-up). */
  exec(sqlText: string): Promise<void>;
  /** Raw SQL for libraries that bring their own (pg-boss): parameterised, or a script when no values. */
  rawQuery(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
  /**
   * From now on the application's own connections act as `role` (e.g. zz_app, which may only append to
   * audit_event — M-11): PGlite switches its single connection; on PostgreSQL each pooled connection
   * switches before its next use. Migrations run before this, as the owner.
   */
  assumeRole(role: string, opts?: { lock?: boolean }): Promise<void>;
  /**
   * LISTEN on `channel`: `onNotice` gets each payload, `onState` whether notices can currently arrive
   * (false while a PostgreSQL listening connection is lost; it reconnects by itself). PGlite: in process.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<{ close(): Promise<void> }>;
}

export interface ListenHandlers {
  onNotice(payload: string): void;
  onState(listening: boolean): void;
}

export type OpenOptions =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      onPoolError?: (err: Error) => void;
      /** A statement unanswered this long fails (503) and its connection is dropped; default 60 s. */
      queryTimeoutMs?: number;
      /** Waiting this long for a free pooled connection fails (503); default 10 s. */
      connectionTimeoutMs?: number;
    }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(opts: OpenOptions): Promise<AppDatabase> {
  return opts.kind === 'postgres' ? openPostgres(opts) : openPglite(opts);
}

function openPostgres(opts: Extract<OpenOptions, { kind: 'postgres' }>): AppDatabase {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 10_000,
    // Client-side: a half-open connection (peer gone silent, F-07) must fail the request, not hang it.
    query_timeout: opts.queryTimeoutMs ?? 60_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        valueParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // Without a listener an idle client's error (e.g. the server restarting) would crash the process.
  pool.on('error', (err) => opts.onPoolError?.(err));
  let role: string | undefined;
  const switched = new WeakSet<pg.PoolClient>();
  // Queued on the client before the caller's first query, so nothing runs under the old role.
  pool.on('acquire', (client) => {
    if (!role || switched.has(client)) return;
    switched.add(client);
    client.query(`SET ROLE ${role}`).catch((err: Error) => opts.onPoolError?.(err));
  });
  // A checked-out client whose server connection dies also emits 'error'; its query rejects anyway,
  // so listen here too or the event would be unhandled and end the process.
  pool.on('connect', (client) => {
    client.on('error', (err) => opts.onPoolError?.(err));
    dropOnTimeout(client);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return {
    db,
    kind: 'postgres',
    async exec(sqlText) {
      // Migrations and scripts may take long: no read timeout (setTimeout's maximum).
      await pool.query({ text: sqlText, query_timeout: 2 ** 31 - 1 } as pg.QueryConfig);
    },
    async rawQuery(text, values) {
      const result = await pool.query(text, values as unknown[] | undefined);
      return { rows: Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows };
    },
    async close() {
      await db.destroy();
    },
    async assumeRole(next) {
      if (!/^[a-z_][a-z0-9_]*$/.test(next)) throw new Error(`bad role name ${next}`);
      role = next;
    },
    listen: (channel, handlers) => listenPostgres(opts.url, channel, handlers, opts.onPoolError),
  };
}

/**
 * One dedicated connection per channel (a pooled one would be handed to others). When it is lost the
 * handlers hear `false` at once and it reconnects every second until closed.
 */
async function listenPostgres(
  url: string,
  channel: string,
  handlers: ListenHandlers,
  onError?: (err: Error) => void,
): Promise<{ close(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    retry = null;
    if (closed) return;
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    const lost = (err?: Error) => {
      if (err) onError?.(err);
      handlers.onState(false);
      if (client === c) client = null;
      c.end().catch(() => undefined);
      if (!closed && !retry) retry = setTimeout(() => void connect(), 1000).unref();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (n) => {
      if (n.channel === channel) handlers.onNotice(n.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
      handlers.onState(true);
    } catch (err) {
      lost(err as Error);
    }
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      handlers.onState(false);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}

async function openPglite(opts: Extract<OpenOptions, { kind: 'pglite' }>): Promise<AppDatabase> {
  if (opts.dataDir) fs.mkdirSync(path.dirname(path.resolve(opts.dataDir)), { recursive: true });
  const pglite = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { postgis },
    parsers: valueParsers,
  });
  const mutex = new Mutex();
  const guard = { roleLocked: false };
  let role: string | undefined;
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: pglitePool(pglite, mutex, guard) }),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    kind: 'pglite',
    async exec(sqlText) {
      const release = await mutex.acquire();
      try {
        await pglite.exec(sqlText);
      } finally {
        release();
      }
    },
    async rawQuery(text, values) {
      const release = await mutex.acquire();
      try {
        // pg-boss's own SQL runs as the owner, as its pool does on PostgreSQL (it creates a table per queue).
        if (role) await pglite.exec('RESET ROLE');
        try {
          if (values && values.length > 0) return { rows: (await pglite.query(text, values)).rows };
          const results = await pglite.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        } finally {
          if (role) await pglite.exec(`SET ROLE ${role}`);
        }
      } finally {
        release();
      }
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
    async assumeRole(next, assumeOpts) {
      if (!/^[a-z_][a-z0-9_]*$/.test(next)) throw new Error(`bad role name ${next}`);
      const release = await mutex.acquire();
      try {
        await pglite.exec(`SET ROLE ${next}`);
        role = next;
        // PGlite is single-user: its session is the superuser, so the role holds only if no statement of the
        // app may change it. The app's queries (the pool) are refused any role change from now on.
        if (assumeOpts?.lock) guard.roleLocked = true;
      } finally {
        release();
      }
    },
    async listen(channel, handlers) {
      // Under the mutex: LISTEN inside someone's open transaction would be undone by its rollback.
      const release = await mutex.acquire();
      let unlisten: () => Promise<void>;
      try {
        unlisten = await pglite.listen(channel, handlers.onNotice);
      } finally {
        release();
      }
      handlers.onState(true);
      return {
        async close() {
          handlers.onState(false);
          const again = await mutex.acquire();
          try {
            if (!pglite.closed) await unlisten();
          } finally {
            again();
          }
        },
      };
    },
  };
}

/**
 * After a read timeout pg only stops waiting: the statement may still run, and a later user of the
 * same connection could find itself inside that half-finished transaction (and COMMIT it). So a
 * connection whose statement timed out is destroyed; the pool then discards it on release.
 */
function dropOnTimeout(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if ((err as Error)?.message === 'Query read timeout') {
          (
            client as unknown as { connection?: { stream?: { destroy(): void } } }
          ).connection?.stream?.destroy();
        }
      });
    }
    return result;
  };
}

const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown (server stopping, pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '25P03', // idle_in_transaction_session_timeout: the server closed the session
]);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|is not queryable|Cannot use a pool after calling end|PGlite is closed|driver has already been destroyed|Connection ended unexpectedly|server closed the connection unexpectedly|terminating connection/i;

/**
 * True when the error says the database cannot be reached or the connection died (SQLSTATE class 08,
 * 57P0x shutdowns, socket errors, pool wait timeout, a ROLLBACK on a dead connection, PGlite closed):
 * the request is answered 503 DATABASE_UNAVAILABLE — nothing was committed. Causes and
 * AggregateErrors are followed (a failed ROLLBACK may wrap the original error).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^08[0-9A-Z]{3}$/.test(code) || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code)) {
    return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** The raw PGlite handle is needed only to dump a migrated template for tests. */
export type { PGlite };
