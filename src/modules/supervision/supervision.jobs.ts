/**
 * The daily supervision sweep (task 41): refresh every clock and notify transitions, escalate unanswered
 * 督办 orders to the department head, run the anomaly rules. Scheduled in src/jobs/workers.ts (with the
 * monthly 定期通报, which is statistics' and so is wired there, not here).
 */
import type { AppContext } from '../../http/context';
import { scanAnomalies } from './anomaly.service';
import { refreshClocks } from './clock.service';
import { escalateOverdueOrders } from './supervision.service';

export const DAILY_JOB = 'supervision-daily';

/** The whole daily sweep; exported so tests and operators run exactly what the job runs. */
export async function runDailySupervision(ctx: Pick<AppContext, 'db' | 'clock' | 'calendar'>) {
  const clocks = await refreshClocks(ctx.db, ctx);
  const escalated = await escalateOverdueOrders(ctx.db, ctx);
  const anomalies = await scanAnomalies(ctx.db, ctx, null);
  return { clocks, escalated, anomalies };
}
