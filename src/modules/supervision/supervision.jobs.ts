/**
 * The daily supervision sweep (pg-boss): refresh every clock and notify transitions, escalate unanswered
 * 督办 orders, run the anomaly rules; and the monthly 定期通报 (task 41). Also refreshes at start-up and
 * recomputes deadlines when the calendar changes.
 */
import type { AppContext } from '../../http/context';
import { beijingDate } from '../calendar/calendar.rules';
import { generateReport } from '../stats/stats.service';
import { scanAnomalies } from './anomaly.service';
import { recomputeAfterCalendarChange, refreshClocks } from './clock.service';
import { previousMonth } from './supervision.rules';
import { escalateOverdueOrders } from './supervision.service';

export const DAILY_JOB = 'supervision-daily';
export const MONTHLY_JOB = 'stats-monthly-report';

/** The whole daily sweep; exported so tests and operators run exactly what the job runs. */
export async function runDailySupervision(ctx: Pick<AppContext, 'db' | 'clock' | 'calendar'>) {
  const clocks = await refreshClocks(ctx.db, ctx);
  const escalated = await escalateOverdueOrders(ctx.db, ctx);
  const anomalies = await scanAnomalies(ctx.db, ctx, null);
  return { clocks, escalated, anomalies };
}

export async function registerSupervisionWorkers(ctx: AppContext) {
  ctx.calendar.onChange(async () => {
    await recomputeAfterCalendarChange(ctx.db, ctx);
  });
  await refreshClocks(ctx.db, ctx);
  const jobs = ctx.jobs;
  if (!jobs) return;
  await jobs.createQueue(DAILY_JOB);
  await jobs.createQueue(MONTHLY_JOB);
  // 06:30 Beijing every day; the sweep is idempotent (unique transitions, conditional escalation).
  await jobs.schedule(DAILY_JOB, '30 6 * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.schedule(MONTHLY_JOB, '0 7 1 * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.work(DAILY_JOB, async () => {
    await runDailySupervision(ctx);
  });
  await jobs.work(MONTHLY_JOB, async () => {
    await generateReport(ctx.db, ctx, null, previousMonth(beijingDate(ctx.clock.now())));
  });
}
