/**
 * Command line: `serve` (default), `migrate`, `seed`, `verify [--export DIR]` (alias `audit:verify`).
 * Usage: npx tsx src/cli.ts <command>
 */
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { migrate } from './db/migrate';
import { openConfiguredDatabase, prepareDatabase, startSystem } from './server';

const log = (msg: string) => console.log(`[zz-approval] ${msg}`);

async function main(command: string) {
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const started = Date.now();
      if (config.webConcurrency > 1 && cluster.isPrimary) return servePrimary(config);
      // A cluster worker: the primary has migrated and seeded already.
      const system = await startSystem(config, { logger: true, log, prepared: cluster.isWorker });
      await system.app.listen({ port: config.port, host: config.host });
      const address = system.app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      log(
        `listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} (ready in ${Date.now() - started} ms)`,
      );
      const stop = async () => {
        await system.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      const db = await openConfiguredDatabase(config, log);
      const applied = await migrate(db);
      log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
      await db.close();
      return;
    }
    case 'seed': {
      const db = await openConfiguredDatabase(config, log);
      const result = await prepareDatabase(db, config);
      log(`seeded: ${JSON.stringify(result)}`);
      await db.close();
      return;
    }
    case 'audit:verify':
    case 'verify': {
      // `verify`: seal what is sealable, verify the chain against its signed checkpoints;
      // `verify --export DIR`: also write an export that src/tools/verify-audit.ts checks with no database.
      const { runVerify } = await import('./modules/audit/audit.cli');
      const db = await openConfiguredDatabase(config, log);
      await migrate(db);
      process.exitCode = await runVerify(config, db.db, process.argv.slice(3));
      await db.close();
      return;
    }
    case 'blueprint:import': {
      const { runBlueprintImport } = await import('./modules/blueprint/blueprint.cli');
      const db = await openConfiguredDatabase(config, log);
      await migrate(db);
      process.exitCode = await runBlueprintImport(db.db, process.argv.slice(3));
      await db.close();
      return;
    }
    default:
      console.error(`unknown command "${command}"; use serve | migrate | seed | verify [--export DIR]`);
      process.exitCode = 2;
  }
}

/**
 * WEB_CONCURRENCY=N (PostgreSQL): the primary prepares the database once, then runs N API processes on one
 * port (node:cluster), restarting any that dies. Sessions, rate limits, idempotency keys, login throttles,
 * job locks and the audit sealer's lock all live in PostgreSQL, so the processes share nothing in memory.
 */
async function servePrimary(config: Config) {
  if (!config.databaseUrl) {
    log('WEB_CONCURRENCY > 1 needs PostgreSQL (DATABASE_URL): the embedded database is one process');
    process.exitCode = 2;
    return;
  }
  const db = await openConfiguredDatabase(config, log);
  // Demo projects are created through the API by a single-process start only.
  const prepared = await prepareDatabase(db, config);
  await db.close();
  log(
    `prepared (${prepared.migrations.length} migration(s)); starting ${config.webConcurrency} API processes`,
  );
  let stopping = false;
  for (let i = 0; i < config.webConcurrency; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    log(`API process ${worker.process.pid} exited (${code}); starting another`);
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 5_000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv[2] ?? 'serve').catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
