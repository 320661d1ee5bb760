/**
 * 一张蓝图 site-check benchmark: 100,000 control polygons (red line + basic farmland), then p50/p95 of
 * the site-check API (Fastify inject, with session and validation) and of the bare PostGIS overlap
 * query it rests on, in the same run — on PGlite and, when DATABASE_URL is set, on PostgreSQL.
 * Run: npx tsx bench/blueprint.ts   (prints figures; asserts nothing)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parseConfig } from '../src/config';
import { openDatabase, type AppDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { buildApp } from '../src/http/app';
import type { AppContext } from '../src/http/context';
import * as repo from '../src/modules/blueprint/blueprint.repository';
import { blockingKinds } from '../src/modules/blueprint/blueprint.rules';
import { createCalendarProvider } from '../src/modules/calendar/calendar.service';
import { DEMO_PASSWORD, seedDemoAccounts } from '../src/seed/demo';
import { seedReferenceData } from '../src/seed/reference';
import { systemClock } from '../src/shared/clock';
import { mulberry32 } from '../src/shared/random';
import { squareSite } from '../src/shared/geo';

const POLYGONS = 100_000;
const RUNS = 200;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function loadPolygons(database: AppDatabase) {
  // 400 × 250 grid of ~90 m squares over 113.4–113.9 E, 34.6–34.9 N; alternate rows red line / farmland.
  await database.exec(`
    INSERT INTO blueprint_layer (name, kind, version, created_at) VALUES
      ('bench 红线', 'ecological_redline', 1, now()), ('bench 农田', 'basic_farmland', 1, now());
    INSERT INTO blueprint_feature (layer_id, feature_no, name, geom)
    SELECT (SELECT id FROM blueprint_layer WHERE name = CASE WHEN j % 2 = 0 THEN 'bench 红线' ELSE 'bench 农田' END),
           i * 250 + j + 1, 'bench ' || i || '-' || j,
           ST_Multi(ST_MakeEnvelope(113.4 + i * 0.00125, 34.6 + j * 0.0012, 113.4 + i * 0.00125 + 0.001, 34.6 + j * 0.0012 + 0.001, 4490))
    FROM generate_series(0, 399) i, generate_series(0, 249) j;
    UPDATE blueprint_layer l SET feature_count = (SELECT count(*) FROM blueprint_feature f WHERE f.layer_id = l.id);
    ANALYZE blueprint_feature;`);
}

async function run(label: string, database: AppDatabase) {
  await migrate(database);
  await seedReferenceData(database.db);
  await seedDemoAccounts(database.db);
  let t = Date.now();
  await loadPolygons(database);
  const loadMs = Date.now() - t;
  const config = parseConfig({ NODE_ENV: 'test' });
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    clock: systemClock,
    calendar: createCalendarProvider(database.db),
    jobs: null,
  };
  const app = await buildApp(ctx);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'applicant', password: DEMO_PASSWORD },
  });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };

  const rand = mulberry32(7);
  const sites = Array.from({ length: RUNS }, () => {
    const x = 113.45 + rand() * 0.4;
    const y = 34.62 + rand() * 0.25;
    return squareSite(x, y, 0.002); // ~200 m: touches a handful of polygons
  });
  // Warm-up.
  for (const site of sites.slice(0, 10))
    await app.inject({ method: 'POST', url: '/api/blueprint/site-checks', headers, payload: { site } });

  const apiMs: number[] = [];
  let conflicts = 0;
  for (const site of sites) {
    t = performance.now();
    const res = await app.inject({
      method: 'POST',
      url: '/api/blueprint/site-checks',
      headers,
      payload: { site },
    });
    apiMs.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(res.body);
    conflicts += (res.json().conflicts as unknown[]).length;
  }
  const sqlMs: number[] = [];
  for (const site of sites) {
    const text = JSON.stringify(site);
    t = performance.now();
    await repo.overlaps(database.db, text, blockingKinds);
    sqlMs.push(performance.now() - t);
  }
  await app.close();
  console.log(
    `${label}: ${POLYGONS} polygons loaded in ${loadMs} ms; ${RUNS} sites (~200 m, avg ${(conflicts / RUNS).toFixed(1)} conflicts)\n` +
      `  site-check API (inject): p50 ${pct(apiMs, 50).toFixed(1)} ms  p95 ${pct(apiMs, 95).toFixed(1)} ms\n` +
      `  bare PostGIS overlap query: p50 ${pct(sqlMs, 50).toFixed(1)} ms  p95 ${pct(sqlMs, 95).toFixed(1)} ms`,
  );
}

const lite = await openDatabase({ kind: 'pglite' });
try {
  await run('PGlite', lite);
} finally {
  await lite.close();
}

const url = process.env.DATABASE_URL;
if (url) {
  const name = `zz_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: target.toString() });
  try {
    await run('PostgreSQL', db);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
