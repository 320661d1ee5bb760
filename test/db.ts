/**
 * Database helpers for tests: every repository/service test runs on PGlite, and also on PostgreSQL when
 * DATABASE_URL is set. Each describe block gets a private, migrated database with reference data.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase, type AppDatabase, type DatabaseKind } from '../src/db/database';
import { withDatabase } from './global-setup';

export function databaseKinds(): DatabaseKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function freshDatabase(kind: DatabaseKind): Promise<AppDatabase & { drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dump = fs.readFileSync(inject('pgliteDumpPath'));
    const db = await openDatabase({ kind: 'pglite', loadDataDir: new Blob([dump]) });
    return Object.assign(db, { drop: () => db.close() });
  }
  const url = process.env.DATABASE_URL!;
  const template = inject('postgresTemplate')!;
  const name = `zz_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const db = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), poolSize: 8 });
  return Object.assign(db, {
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  });
}

/** Declares the body once per database kind; `t.database` is ready inside tests. */
export function describeEachDatabase(
  title: string,
  body: (t: { readonly database: AppDatabase; readonly kind: DatabaseKind }) => void,
) {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let database: (AppDatabase & { drop(): Promise<void> }) | undefined;
      beforeAll(async () => {
        database = await freshDatabase(kind);
      });
      afterAll(async () => {
        await database?.drop();
      });
      body({
        get database() {
          if (!database) throw new Error('database not ready');
          return database;
        },
        kind,
      });
    });
  }
}
