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
  assumeRole(role: string): Promise<void>;
}

export type OpenOptions =
  | { kind: 'postgres'; url: string; poolSize?: number; onPoolError?: (err: Error) => void }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(opts: OpenOptions): Promise<AppDatabase> {
  return opts.kind === 'postgres' ? openPostgres(opts) : openPglite(opts);
}

function openPostgres(opts: Extract<OpenOptions, { kind: 'postgres' }>): AppDatabase {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
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
  pool.on('connect', (client) => client.on('error', (err) => opts.onPoolError?.(err)));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return {
    db,
    kind: 'postgres',
    async exec(sqlText) {
      await pool.query(sqlText);
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
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: pglitePool(pglite, mutex) }),
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
        if (values && values.length > 0) return { rows: (await pglite.query(text, values)).rows };
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      } finally {
        release();
      }
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
    async assumeRole(role) {
      if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`bad role name ${role}`);
      const release = await mutex.acquire();
      try {
        await pglite.exec(`SET ROLE ${role}`);
      } finally {
        release();
      }
    },
  };
}

/** The raw PGlite handle is needed only to dump a migrated template for tests. */
export type { PGlite };
