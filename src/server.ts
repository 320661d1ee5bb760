/**
 * Start-up: open the database, migrate, load reference data (and demo data outside production),
 * then serve HTTP. Used by `npm start` (cli serve) and by tests that want a whole running system.
 */
import path from 'node:path';
import type { Config } from './config';
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
import { seedDemoLayers } from './seed/demo-layers';
import { seedDemoProjects } from './seed/demo-projects';
import { seedReferenceData } from './seed/reference';

export async function openConfiguredDatabase(
  config: Config,
  log: (msg: string) => void = () => {},
): Promise<AppDatabase> {
  if (config.databaseUrl) {
    return openDatabase({
      kind: 'postgres',
      url: config.databaseUrl,
      onPoolError: (err) => log(`database pool error: ${err.message}`),
    });
  }
  return openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
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
    // Synthetic planning layers around Zhengzhou, clearly labelled, so the map and site checks show something.
    await seedDemoLayers(database.db);
  }
  return { migrations, reference, demoUsers };
}

export async function startSystem(
  config: Config,
  opts: { database?: AppDatabase; logger?: boolean; log?: (msg: string) => void } = {},
): Promise<System> {
  const log = opts.log ?? (() => {});
  // Signing keys from SIGNING_KEY_FILE (generated outside production; absent in production: no start).
  installSigningKeys(loadSigningKeys(config));
  const clock = config.clockNow ? fixedClock(config.clockNow) : systemClock;
  const database = opts.database ?? (await openConfiguredDatabase(config, log));
  const prepared = await prepareDatabase(database, config);
  log(
    `database ${database.kind}: ${prepared.migrations.length} migration(s) applied, ` +
      `${prepared.reference.items} items / ${prepared.reference.templates} templates loaded, ${prepared.demoUsers} demo accounts`,
  );
  const jobs = await startJobs(database, config, log);
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    clock,
    calendar: createCalendarProvider(database.db),
    jobs,
  };
  await registerAllWorkers(ctx);
  // M-11: the app may append audit events but never change them (role from migration 0200).
  await database.assumeRole('zz_app');
  const app = await buildApp(ctx, { logger: opts.logger ? { level: config.logLevel } : false });
  const sealer = startSealerFor(ctx, log);
  if (prepared.demoUsers > 0) log(`demo projects: ${await seedDemoProjects(app)} created through the API`);
  return {
    ctx,
    app,
    async close() {
      await sealer.stop();
      await app.close();
      await jobs.stop({ graceful: false, wait: true });
      if (!opts.database) await database.close();
    },
  };
}
