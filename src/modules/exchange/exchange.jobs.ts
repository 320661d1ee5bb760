/**
 * The exchange's schedules (pg-boss, one run at a time across processes): every 5 minutes build → upload →
 * notify; every night at 02:30 Beijing a reconciliation report. Registered in src/jobs/workers.ts.
 */
import type { AppContext } from '../../http/context';
import { reconcile, runExchange } from './exchange.service';
import { provinceFromConfig } from './province';

export const UPLOAD_JOB = 'exchange-upload';
export const RECONCILE_JOB = 'exchange-reconcile';

export const notifierOf = (ctx: AppContext) => ({ url: ctx.config.provinceNotifyUrl });

export async function registerExchangeWorkers(ctx: AppContext) {
  const jobs = ctx.jobs;
  if (!jobs) return;
  await jobs.createQueue(UPLOAD_JOB);
  await jobs.createQueue(RECONCILE_JOB);
  await jobs.schedule(UPLOAD_JOB, '*/5 * * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.schedule(RECONCILE_JOB, '30 2 * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.work(UPLOAD_JOB, async () => {
    await runExchange(ctx.db, await provinceFromConfig(ctx.config), ctx.clock.now(), notifierOf(ctx), {
      publicBaseUrl: ctx.config.publicBaseUrl,
    });
  });
  await jobs.work(RECONCILE_JOB, async () => {
    await reconcile(ctx.db, await provinceFromConfig(ctx.config), ctx.clock.now());
  });
}
