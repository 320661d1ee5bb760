/**
 * The marketplace's daily sweep (registered in src/jobs/workers.ts): expired qualifications unlist their
 * services, sealed quotes due are opened, and every running service's clock is kept (预警 / 逾期, with the
 * overdue credit record). A separate frequent job opens sealed quotes at their time.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { AppContext } from '../../http/context';
import type { MarketDeps } from './marketplace.access';
import { sweepClocks } from './engagement.service';
import { unlistExpired } from './intermediary.service';
import { openDueQuotes } from './need.service';

export const MARKET_SWEEP_JOB = 'marketplace-daily-sweep';
export const QUOTE_OPENING_JOB = 'marketplace-quote-opening';

export async function runMarketplaceSweep(db: Kysely<DB>, deps: MarketDeps) {
  const unlisted = await unlistExpired(db, deps);
  const opened = await openDueQuotes(db, deps);
  const clocks = await sweepClocks(db, deps);
  return { unlisted, opened, ...clocks };
}

export async function registerMarketplaceWorkers(ctx: AppContext) {
  const jobs = ctx.jobs;
  if (!jobs) return;
  await jobs.createQueue(MARKET_SWEEP_JOB);
  await jobs.createQueue(QUOTE_OPENING_JOB);
  // 06:35 Beijing, next to supervision's sweep; quotes every five minutes (reads open them too).
  await jobs.schedule(MARKET_SWEEP_JOB, '35 6 * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.schedule(QUOTE_OPENING_JOB, '*/5 * * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.work(MARKET_SWEEP_JOB, async () => {
    await runMarketplaceSweep(ctx.db, ctx);
  });
  await jobs.work(QUOTE_OPENING_JOB, async () => {
    await openDueQuotes(ctx.db, ctx);
  });
}
