/**
 * Plain-SQL migrations: src/db/migrations/NNNN_name.sql, applied in name order, each in one implicit
 * transaction together with its bookkeeping row. Frozen once landed (habit 8).
 * On PostgreSQL a session advisory lock keeps several starting processes from migrating at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AppDatabase } from './database';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_LOCK = 720_001;

export function migrationFiles(): string[] {
  return fs
    .readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

export async function migrate(database: AppDatabase): Promise<string[]> {
  await database.exec(`
    CREATE EXTENSION IF NOT EXISTS postgis;
    CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
  `);
  if (database.kind === 'pglite') return applyPending(database, (script) => database.exec(script));
  return database.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      return await applyPending(database, (script) =>
        sql
          .raw(script)
          .execute(conn)
          .then(() => undefined),
      );
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}

async function applyPending(
  database: AppDatabase,
  run: (script: string) => Promise<void>,
): Promise<string[]> {
  const done = new Set(
    (await database.db.selectFrom('schemaMigration').select('name').execute()).map((r) => r.name),
  );
  const applied: string[] = [];
  for (const file of migrationFiles()) {
    const name = file.replace(/\.sql$/, '');
    if (done.has(name)) continue;
    const body = fs.readFileSync(path.join(migrationsDir, file), 'utf8');
    // One simple-protocol script = one implicit transaction: the migration and its row land together.
    await run(`${body}\n;INSERT INTO schema_migration (name) VALUES ('${name}');`);
    applied.push(name);
  }
  return applied;
}
