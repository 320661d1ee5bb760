/**
 * 一张蓝图 site-check benchmark: control polygons (red line + basic farmland; 100,000 by default, as the
 * issue measured), then p50/p95 of the site-check API (Fastify inject, with session, validation and the
 * one-statement check) and of the bare PostGIS overlap query it rests on, in the same run, with the
 * API/bare ratio (issue 10 goal: p95 ratio ≤ 2×) — on PGlite and, when DATABASE_URL is set, on PostgreSQL.
 *
 *   npx tsx bench/blueprint.ts
 *   BENCH_POLYGONS=20000 BENCH_RUNS=200 DATABASE_URL=postgres://… npx tsx bench/blueprint.ts
 *
 * The grid keeps its density whatever the size (sites touch the same handful of polygons); only its
 * extent shrinks. Prints figures; asserts nothing.
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
import { runSiteCheck } from '../src/modules/blueprint/site-check.repository';
import { createCalendarProvider } from '../src/modules/calendar/calendar.service';
import { DEMO_PASSWORD, seedDemoAccounts } from '../src/seed/demo';
import { seedReferenceData } from '../src/seed/reference';
import { systemClock } from '../src/shared/clock';
import { mulberry32 } from '../src/shared/random';
import { squareSite } from '../src/shared/geo';

const POLYGONS = Number(process.env.BENCH_POLYGONS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
// 400 × 250 for 100,000: columns 0.00125° apart, rows 0.0012° apart (~115 m × 133 m).
const COLS = Math.max(2, Math.round(Math.sqrt(POLYGONS * 1.6)));
const ROWS = Math.max(2, Math.ceil(POLYGONS / COLS));
const WIDTH = COLS * 0.00125;
const HEIGHT = ROWS * 0.0012;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function loadPolygons(database: AppDatabase) {
  // COLS × ROWS grid of ~90 m squares from 113.4 E, 34.6 N (400 × 250 reach 113.9 E, 34.9 N);
  // alternate rows red line / farmland.
  await database.exec(`
    INSERT INTO blueprint_layer (name, kind, version, created_at) VALUES
      ('bench 红线', 'ecological_redline', 1, now()), ('bench 农田', 'basic_farmland', 1, now());
    INSERT INTO blueprint_feature (layer_id, feature_no, name, geom)
    SELECT (SELECT id FROM blueprint_layer WHERE name = CASE WHEN j % 2 = 0 THEN 'bench 红线' ELSE 'bench 农田' END),
           i * ${ROWS} + j + 1, 'bench ' || i || '-' || j,
           ST_Multi(ST_MakeEnvelope(113.4 + i * 0.00125, 34.6 + j * 0.0012, 113.4 + i * 0.00125 + 0.001, 34.6 + j * 0.0012 + 0.001, 4490))
    FROM generate_series(0, ${COLS - 1}) i, generate_series(0, ${ROWS - 1}) j
    WHERE i * ${ROWS} + j < ${POLYGONS};
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
    const x = 113.4 + WIDTH * (0.1 + rand() * 0.8);
    const y = 34.6 + HEIGHT * (0.067 + rand() * 0.833);
    return squareSite(x, y, 0.002); // ~200 m: touches a handful of polygons
  });
  // Warm-up.
  for (const site of sites.slice(0, 10))
    await app.inject({ method: 'POST', url: '/api/blueprint/site-checks', headers, payload: { site } });

  // Interleaved (API, then the bare query, site by site) so that load from other processes on the
  // machine falls on both series alike.
  const apiMs: number[] = [];
  const sqlMs: number[] = [];
  const oneMs: number[] = [];
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
    const text = JSON.stringify(site);
    t = performance.now();
    await repo.overlaps(database.db, text, blockingKinds);
    sqlMs.push(performance.now() - t);
    // The API's own statement alone: splits the API's extra time into SQL and HTTP/session/serialisation.
    t = performance.now();
    await runSiteCheck(database.db, { geojson: text }, blockingKinds, null);
    oneMs.push(performance.now() - t);
  }
  await app.close();
  const apiP95 = pct(apiMs, 95);
  const sqlP95 = pct(sqlMs, 95);
  const ratio = apiP95 / sqlP95;
  console.log(
    `${label}: ${POLYGONS} polygons loaded in ${loadMs} ms; ${RUNS} sites (~200 m, avg ${(conflicts / RUNS).toFixed(1)} conflicts)\n` +
      `  site-check API (inject): p50 ${pct(apiMs, 50).toFixed(1)} ms  p95 ${apiP95.toFixed(1)} ms\n` +
      `  bare PostGIS overlap query: p50 ${pct(sqlMs, 50).toFixed(1)} ms  p95 ${sqlP95.toFixed(1)} ms\n` +
      `  (the API's one site-check statement alone: p50 ${pct(oneMs, 50).toFixed(1)} ms  p95 ${pct(oneMs, 95).toFixed(1)} ms)\n` +
      `  API p95 / bare p95 = ${ratio.toFixed(2)}× (goal ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'})`,
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
