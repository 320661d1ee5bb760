/**
 * The daily sweep of files never attached to an application (issue 9: UNATTACHED_FILE_DAYS). Registered
 * in src/jobs/workers.ts; `runUnattachedFileSweep` is the same work as a plain call (tests, CLI).
 */
import path from 'node:path';
import type { AppContext } from '../../http/context';
import { localFileStore } from './file-store';
import { removeUnattachedFiles } from './material.service';

export const UNATTACHED_SWEEP_JOB = 'materials-unattached-sweep';

export function runUnattachedFileSweep(ctx: Pick<AppContext, 'db' | 'config' | 'clock'>) {
  const store = localFileStore(path.join(ctx.config.dataDir, 'files'));
  return removeUnattachedFiles(ctx.db, store, ctx.clock.now(), ctx.config.unattachedFileDays);
}

export async function registerMaterialWorkers(ctx: AppContext) {
  const jobs = ctx.jobs;
  if (!jobs) return;
  await jobs.createQueue(UNATTACHED_SWEEP_JOB);
  // 03:15 Beijing, when nobody uploads; idempotent (each removal is re-checked in its statement).
  await jobs.schedule(UNATTACHED_SWEEP_JOB, '15 3 * * *', {}, { tz: 'Asia/Shanghai' });
  await jobs.work(UNATTACHED_SWEEP_JOB, async () => {
    await runUnattachedFileSweep(ctx);
  });
}
