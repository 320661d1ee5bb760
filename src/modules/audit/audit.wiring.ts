/**
 * The sealer and the verifier as a running system uses them: keys from SIGNING_KEY_FILE, checkpoints
 * every AUDIT_CHECKPOINT_EVERY events or AUDIT_CHECKPOINT_MINUTES, files in AUDIT_CHECKPOINT_DIR.
 */
import type { AppContext } from '../../http/context';
import { loadSigningKeys } from '../certificates/signing-keys';
import { sealMacKey } from './audit.rules';
import { sealPending, startAuditSealer, type SealOptions } from './audit.sealer';
import { verifyAuditChain } from './audit.service';

type Ctx = Pick<AppContext, 'config' | 'db' | 'clock'>;

export function sealOptionsFor(ctx: Ctx, extra: Partial<SealOptions> = {}): SealOptions {
  const keys = loadSigningKeys(ctx.config);
  return {
    key: keys.audit,
    retiredKeys: keys.retiredAuditPrivateKeys,
    now: ctx.clock.now(),
    checkpointEvery: ctx.config.auditCheckpointEvery,
    checkpointMinutes: ctx.config.auditCheckpointMinutes,
    checkpointDir: ctx.config.auditCheckpointDir,
    ...extra,
  };
}

export function auditPublicKeys(ctx: Pick<AppContext, 'config'>): Map<string, string> {
  const keys = loadSigningKeys(ctx.config);
  return new Map(keys.publicKeys.filter((k) => k.purpose === 'audit').map((k) => [k.id, k.publicKey]));
}

/** Seals what is sealable (waiting up to `waitMs` for transactions still running), then verifies. */
export async function sealAndVerify(ctx: Ctx, opts: { waitMs?: number; forceCheckpoint?: boolean } = {}) {
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let sealing = await sealPending(ctx.db, sealOptionsFor(ctx, { forceCheckpoint: opts.forceCheckpoint }));
  for (;;) {
    const result = await verifyAuditChain(ctx.db, {
      publicKeys: auditPublicKeys(ctx),
      macKey: sealMacKey(loadSigningKeys(ctx.config).audit.privateKey),
      oldMacKeys: loadSigningKeys(ctx.config).retiredAuditPrivateKeys.map(sealMacKey),
      checkpointDir: ctx.config.auditCheckpointDir,
    });
    if (result.unsealed === 0 || sealing.problem || Date.now() >= deadline) {
      return { ...result, sealerProblem: sealing.problem?.message };
    }
    await new Promise((r) => setTimeout(r, 100));
    sealing = await sealPending(ctx.db, sealOptionsFor(ctx, { forceCheckpoint: opts.forceCheckpoint }));
  }
}

/** The server's sealer loop (src/server.ts). */
export function startSealerFor(ctx: Ctx, log: (msg: string) => void = () => {}) {
  return startAuditSealer(ctx.db, () => sealOptionsFor(ctx), ctx.config.auditSealIntervalMs, log);
}
