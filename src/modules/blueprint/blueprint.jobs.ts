/**
 * Background work of the blueprint (task 52): 差异图斑 analyses can take minutes on city-wide plans,
 * so they run on pg-boss. Registered once in src/jobs/workers.ts.
 */
import type { AppContext } from '../../http/context';
import { runDifferenceAnalysis } from './difference.service';

export const DIFFERENCE_QUEUE = 'blueprint-difference-analysis';

export interface DifferenceJob {
  analysisId: string;
}

export async function registerBlueprintWorkers(ctx: AppContext) {
  const jobs = ctx.jobs;
  if (!jobs) return;
  await jobs.createQueue(DIFFERENCE_QUEUE);
  await jobs.work<DifferenceJob>(DIFFERENCE_QUEUE, async ([job]) => {
    if (job) await runDifferenceAnalysis(ctx.db, job.data.analysisId, () => ctx.clock.now());
  });
}
