/**
 * Runs once per test run: builds a migrated database with reference data, so each test file gets a
 * private copy quickly — a PGlite data-dir dump, and (with DATABASE_URL) a PostgreSQL template database.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { seedReferenceData } from '../src/seed/reference';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDumpPath: string;
    postgresTemplate: string | null;
  }
}

const tmpDir = path.resolve('.tmp');

export default async function setup(project: TestProject) {
  fs.mkdirSync(tmpDir, { recursive: true });
  const dumpPath = path.join(tmpDir, `pglite-template-${process.pid}.tar`);
  const lite = await openDatabase({
    kind: 'pglite',
    dataDir: path.join(tmpDir, `pglite-build-${process.pid}`),
  });
  await migrate(lite);
  await seedReferenceData(lite.db);
  await lite.close();
  // Re-open the directory only to dump it as a tarball the test files can load.
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const raw = await PGlite.create({
    dataDir: path.join(tmpDir, `pglite-build-${process.pid}`),
    extensions: { postgis },
  });
  const dump = await raw.dumpDataDir('none');
  fs.writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await raw.close();
  fs.rmSync(path.join(tmpDir, `pglite-build-${process.pid}`), { recursive: true, force: true });
  project.provide('pgliteDumpPath', dumpPath);

  let template: string | null = null;
  const url = process.env.DATABASE_URL;
  if (url) {
    template = `zz_test_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    await admin.end();
    const db = await openDatabase({ kind: 'postgres', url: withDatabase(url, template), poolSize: 2 });
    await migrate(db);
    await seedReferenceData(db.db);
    await db.close();
  }
  project.provide('postgresTemplate', template);

  return async () => {
    fs.rmSync(dumpPath, { force: true });
    if (url && template) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${template}`);
      await admin.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
