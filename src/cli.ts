/**
 * Command line: `serve` (default), `migrate`, `seed`, `verify [--export DIR]` (alias `audit:verify`).
 * Usage: npx tsx src/cli.ts <command>
 */
import { ConfigError, loadConfig } from './config';
import { migrate } from './db/migrate';
import { openConfiguredDatabase, prepareDatabase, startSystem } from './server';

const log = (msg: string) => console.log(`[zz-approval] ${msg}`);

async function main(command: string) {
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const started = Date.now();
      const system = await startSystem(config, { logger: true, log });
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

main(process.argv[2] ?? 'serve').catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
