/**
 * Every module's background workers and schedules, registered once the job runner has started. The
 * wiring lives here, not in the modules: the monthly 定期通报 is statistics' use case run on
 * supervision's schedule, and keeping it here leaves no import cycle between stats and supervision.
 */
import type { AppContext } from '../http/context';
import { runApprovalSweep } from '../modules/approvals/sweep.service';
import { registerBlueprintWorkers } from '../modules/blueprint/blueprint.jobs';
import { registerExchangeWorkers } from '../modules/exchange/exchange.jobs';
import { beijingDate } from '../modules/calendar/calendar.rules';
import { registerCreditWorkers } from '../modules/credit/credit.jobs';
import { registerMarketplaceWorkers } from '../modules/marketplace/marketplace.jobs';
import { registerMaterialWorkers } from '../modules/materials/material.jobs';
import { generateMonthlyReports } from '../modules/stats/stats.districts';
import { refreshClocks } from '../modules/supervision/clock.service';
import { previousMonth } from '../modules/supervision/supervision.rules';
import { DAILY_JOB, runDailySupervision } from '../modules/supervision/supervision.jobs';
import { followCalendar } from './calendar-followers';

type WorkerModule = (ctx: AppContext) => Promise<void>;

export const MONTHLY_REPORT_JOB = 'stats-monthly-report';

/** The daily supervision sweep and the monthly report (task 41); clocks are refreshed at start-up. */
export async function registerSupervisionWorkers(ctx: AppContext) {
  // Also done by buildApp; idempotent, so a worker-only process follows the calendar too.
  followCalendar(ctx);
  await refreshClocks(ctx.db, ctx);
  const jobs = ctx.jobs;
  if (!jobs) return;
  await jobs.createQueue(DAILY_JOB);
  await jobs.createQueue(MONTHLY_REPORT_JOB);
  // 06:30 Beijing every day; the sweep is idempotent (unique transitions, conditional escalation).
  await jobs.schedule(DAILY_JOB, '30 6 * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.schedule(MONTHLY_REPORT_JOB, '0 7 1 * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.work(DAILY_JOB, async () => {
    await runDailySupervision(ctx);
    await runApprovalSweep(ctx.db, ctx);
  });
  await jobs.work(MONTHLY_REPORT_JOB, async () => {
    await generateMonthlyReports(ctx.db, ctx, previousMonth(beijingDate(ctx.clock.now())));
  });
}

const workerModules: WorkerModule[] = [
  registerSupervisionWorkers,
  registerBlueprintWorkers,
  registerMaterialWorkers,
  registerCreditWorkers,
  registerExchangeWorkers,
  registerMarketplaceWorkers,
];

export async function registerAllWorkers(ctx: AppContext) {
  for (const register of workerModules) await register(ctx);
}
