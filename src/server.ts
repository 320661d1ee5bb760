/**
 * Start-up: open the database, migrate, load reference data (and demo data outside production),
 * then serve HTTP. Used by `npm start` (cli serve) and by tests that want a whole running system.
 */
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from './config';
import { APP_ROLE, loginPrivileges, openDerivedAppLogin, privilegeProblems } from './db/app-login';
import { openDatabase, type AppDatabase } from './db/database';
import { migrate } from './db/migrate';
import { buildApp } from './http/app';
import { startJobs } from './jobs/boss';
import { registerAllWorkers } from './jobs/workers';
import type { App, AppContext } from './http/context';
import { startSealerFor } from './modules/audit/audit.wiring';
import { createCalendarProvider } from './modules/calendar/calendar.service';
import { installSigningKeys, loadSigningKeys } from './modules/certificates/signing-keys';
import { fixedClock, systemClock } from './shared/clock';
import { hasAnyUser, seedDemoAccounts } from './seed/demo';
import { seedDemoDistricts } from './seed/demo-districts';
import { seedDemoLayers } from './seed/demo-layers';
import { seedDemoProjects } from './seed/demo-projects';
import { seedDemoBlackList, seedDemoMarketplace } from './seed/demo-marketplace';
import { beijingDate } from './modules/calendar/calendar.rules';
import { seedReferenceData } from './seed/reference';

/** The owner's database (migrations, reference data, CLI maintenance): MIGRATION_DATABASE_URL or PGlite. */
export async function openConfiguredDatabase(
  config: Config,
  log: (msg: string) => void = () => {},
): Promise<AppDatabase> {
  if (config.migrationDatabaseUrl) {
    return openDatabase({
      kind: 'postgres',
      url: config.migrationDatabaseUrl,
      onPoolError: (err) => log(`database pool error: ${err.message}`),
    });
  }
  return openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
}

/**
 * The server's own database handle, logged in as zz_app (see src/db/app-login.ts). On PGlite (one embedded
 * single-user connection) the same role is set and role-changing statements are refused from then on.
 */
async function openAppDatabase(
  config: Config,
  owner: AppDatabase,
  log: (msg: string) => void,
): Promise<AppDatabase> {
  const fallBack = async (why: string) => {
    if (config.isProduction) throw new Error(`refusing to serve: ${why}`);
    log(`warning: ${why}; acting as ${APP_ROLE} by SET ROLE on the owner's login (development only)`);
    await owner.assumeRole(APP_ROLE);
    return owner;
  };
  if (owner.kind === 'pglite' || !config.databaseUrl) {
    await owner.assumeRole(APP_ROLE, { lock: true });
    return owner;
  }
  const onPoolError = (err: Error) => log(`database pool error: ${err.message}`);
  const sameLogin = config.databaseUrl === config.migrationDatabaseUrl;
  if (sameLogin && config.isProduction) {
    return fallBack(
      'DATABASE_URL is the owner login: set MIGRATION_DATABASE_URL to the owner, DATABASE_URL to zz_app',
    );
  }
  let app: AppDatabase | undefined;
  try {
    app = sameLogin
      ? await openDerivedAppLogin(owner.db, config.databaseUrl, onPoolError)
      : await openDatabase({ kind: 'postgres', url: config.databaseUrl, onPoolError });
    const problems = privilegeProblems(await loginPrivileges(app.db));
    if (problems.length > 0) {
      await app.close();
      return fallBack(`the server's database login is too powerful (${problems.join('; ')})`);
    }
  } catch (err) {
    await app?.close().catch(() => undefined);
    return fallBack(`cannot log in as ${APP_ROLE} (${(err as Error).message})`);
  }
  await owner.close();
  return app;
}

export interface System {
  ctx: AppContext;
  app: App;
  close(): Promise<void>;
}

/** Prepares a database: migrations, reference data and (outside production, when empty) demo data. */
export async function prepareDatabase(database: AppDatabase, config: Config) {
  const migrations = await migrate(database);
  const reference = await seedReferenceData(database.db);
  let demoUsers = 0;
  if (!config.isProduction && !(await hasAnyUser(database.db))) {
    demoUsers = await seedDemoAccounts(database.db);
    // 中牟县 and 金水区: district departments, staff and district-level items (issue 15).
    demoUsers += await seedDemoDistricts(database.db);
    // Synthetic planning layers around Zhengzhou, clearly labelled, so the map and site checks show something.
    await seedDemoLayers(database.db);
  }
  return { migrations, reference, demoUsers };
}

export async function startSystem(
  config: Config,
  opts: {
    database?: AppDatabase;
    logger?: boolean;
    log?: (msg: string) => void;
    /** Another process (the cluster primary) has migrated and seeded: skip it here. */
    prepared?: boolean;
  } = {},
): Promise<System> {
  const log = opts.log ?? (() => {});
  // Signing keys from SIGNING_KEY_FILE (generated outside production; absent in production: no start).
  installSigningKeys(loadSigningKeys(config));
  const clock = config.clockNow ? fixedClock(config.clockNow) : systemClock;
  const owner = opts.database ?? (await openConfiguredDatabase(config, log));
  const prepared = opts.prepared
    ? { migrations: [], reference: { items: 0, templates: 0 }, demoUsers: 0 }
    : await prepareDatabase(owner, config);
  log(
    `database ${owner.kind}: ${opts.prepared ? 'prepared by the primary process' : `${prepared.migrations.length} migration(s) applied`}, ` +
      `${prepared.reference.items} items / ${prepared.reference.templates} templates loaded, ${prepared.demoUsers} demo accounts`,
  );
  // pg-boss keeps the owner's connection: it creates a partition per queue (DDL); its SQL is its own.
  const jobs = await startJobs(owner, config, log);
  // M-11 and least privilege: from here the server's queries run as zz_app (append-only audit).
  const database =
    opts.database?.kind === 'postgres'
      ? (await owner.assumeRole(APP_ROLE), owner) // a caller's own pool: switch its connections
      : await openAppDatabase(config, owner, log);
  // Statistics' reads may go to a streaming replica; everything else reads and writes the primary.
  const replica =
    config.readDatabaseUrl && database.kind === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: config.readDatabaseUrl, poolSize: 4 })
      : null;
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    ...(replica ? { readDb: replica.db } : {}),
    clock,
    calendar: createCalendarProvider(database.db),
    jobs,
  };
  // Several processes starting at once would deadlock creating pg-boss queues: one at a time.
  await oneAtATime(database, () => registerAllWorkers(ctx));
  const app = await buildApp(ctx, { logger: opts.logger ? { level: config.logLevel } : false });
  const sealer = startSealerFor(ctx, log);
  if (prepared.demoUsers > 0) log(`demo projects: ${await seedDemoProjects(app)} created through the API`);
  if (prepared.demoUsers > 0) {
    const listed = await seedDemoMarketplace(app, beijingDate(ctx.clock.now()));
    log(`demo intermediaries: ${listed} listed through the API`);
    log(`demo black list: ${await seedDemoBlackList(app, ctx)} intermediary listed by the credit sweep`);
  }
  return {
    ctx,
    app,
    async close() {
      await sealer.stop();
      await app.close();
      await jobs.stop({ graceful: false, wait: true });
      if (!opts.database) await database.close();
      await replica?.close();
    },
  };
}

const STARTUP_LOCK = 720_002;

/** Runs `work` holding a database-wide advisory lock (PostgreSQL; PGlite is one process anyway). */
async function oneAtATime(database: AppDatabase, work: () => Promise<void>) {
  if (database.kind !== 'postgres') return work();
  await database.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${STARTUP_LOCK})`.execute(conn);
    try {
      await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(${STARTUP_LOCK})`.execute(conn);
    }
  });
}
