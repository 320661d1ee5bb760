/**
 * For tests: seal everything (retrying while transactions of other databases on the same PostgreSQL
 * server still hold the horizon back), optionally writing a checkpoint.
 */
import type { AppContext } from '../../http/context';
import { sealPending } from './audit.sealer';
import { sealOptionsFor } from './audit.wiring';
import * as repo from './audit.repository';

type Ctx = Pick<AppContext, 'config' | 'db' | 'clock'>;

export async function sealAll(ctx: Ctx, opts: { forceCheckpoint?: boolean; timeoutMs?: number } = {}) {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let sealed = 0;
  for (;;) {
    const r = await sealPending(ctx.db, sealOptionsFor(ctx, { forceCheckpoint: false }));
    if (r.problem) throw new Error(`sealer refused: ${r.problem.message}`);
    sealed += r.sealed;
    const { unsealed } = await repo.sealStats(ctx.db);
    if (unsealed === 0) break;
    if (Date.now() > deadline) throw new Error(`${unsealed} audit events still unsealed`);
    await new Promise((res) => setTimeout(res, 50));
  }
  if (opts.forceCheckpoint) await sealPending(ctx.db, sealOptionsFor(ctx, { forceCheckpoint: true }));
  return sealed;
}
