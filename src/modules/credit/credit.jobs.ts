/**
 * Background work of credit: the daily sweep (notices past their objection window are listed, expired
 * listings end, rules are applied again) and the export for the provincial platform. Registered once in
 * src/jobs/workers.ts.
 */
import type { AppContext } from '../../http/context';
import { runCreditSweep } from './credit.service';
import { EXPORT_QUEUE, runExport } from './publication.service';

export const CREDIT_SWEEP_JOB = 'credit-daily-sweep';

export async function registerCreditWorkers(ctx: AppContext) {
  const jobs = ctx.jobs;
  if (!jobs) return;
  await jobs.createQueue(CREDIT_SWEEP_JOB);
  await jobs.createQueue(EXPORT_QUEUE);
  // 06:40 Beijing, after the approvals sweep has written the day's overdue 容缺 records.
  await jobs.schedule(CREDIT_SWEEP_JOB, '40 6 * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.work(CREDIT_SWEEP_JOB, async () => {
    await runCreditSweep(ctx.db, ctx);
  });
  await jobs.work<{ exportId: string }>(EXPORT_QUEUE, async ([job]) => {
    if (job) await runExport(ctx.db, ctx, job.data.exportId);
  });
}
