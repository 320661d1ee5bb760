/**
 * Background jobs on pg-boss 10 (timers, sweeps, long analyses), in the same database as the data:
 * on PostgreSQL through its own connection pool, on PGlite through the shared single connection.
 * Each module registers its own workers with `registerWorkers(jobs)`; enqueue inside a use case's
 * transaction where the job must exist exactly when the write does.
 */
import PgBoss from 'pg-boss';
import type { Config } from '../config';
import type { AppDatabase } from '../db/database';

export type Jobs = PgBoss;

export async function startJobs(
  database: AppDatabase,
  config: Config,
  log: (msg: string) => void = () => {},
): Promise<Jobs> {
  const boss =
    database.kind === 'postgres' && config.migrationDatabaseUrl
      ? // The owner's login: pg-boss creates a partition table per queue (see src/db/app-login.ts).
        new PgBoss({ connectionString: config.migrationDatabaseUrl, max: 4, schema: 'pgboss' })
      : new PgBoss({
          db: { executeSql: (text: string, values: unknown[]) => database.rawQuery(text, values) },
          schema: 'pgboss',
          // One embedded connection: poll gently.
          pollingIntervalSeconds: 2,
          supervise: true,
          schedule: true,
        } as PgBoss.ConstructorOptions);
  boss.on('error', (err: Error) => log(`jobs error: ${err.message}`));
  await boss.start();
  return boss;
}
