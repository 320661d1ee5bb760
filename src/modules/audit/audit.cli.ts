/** `npm run cli -- verify [--export DIR]` (src/cli.ts). */
import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { installSigningKeys, loadSigningKeys } from '../certificates/signing-keys';
import { systemClock } from '../../shared/clock';
import { writeAuditExport } from './audit.export';
import { sealAndVerify } from './audit.wiring';

export async function runVerify(config: Config, db: Kysely<DB>, args: string[]): Promise<number> {
  const exportAt = args.indexOf('--export');
  const dir = exportAt >= 0 ? args[exportAt + 1] : undefined;
  if (exportAt >= 0 && !dir) {
    console.error('usage: verify [--export DIR]');
    return 2;
  }
  const keys = installSigningKeys(loadSigningKeys(config));
  const clock = config.clockNow ? { now: () => config.clockNow! } : systemClock;
  // An export is anchored up to its last event: a checkpoint is written now if any are unanchored.
  const ctx = { config, db, clock };
  const result = await sealAndVerify(ctx, { waitMs: 5000, forceCheckpoint: dir !== undefined });
  console.log(JSON.stringify(result, null, 2));
  if (dir) {
    const manifest = await writeAuditExport(db, dir, {
      publicKeys: keys.publicKeys,
      checkpointDir: config.auditCheckpointDir,
      now: clock.now(),
    });
    console.error(
      `exported ${manifest.events} events and ${manifest.checkpoints} checkpoints to ${dir}; ` +
        `verify with: npx tsx src/tools/verify-audit.ts ${dir}`,
    );
  }
  return result.valid ? 0 : 1;
}
