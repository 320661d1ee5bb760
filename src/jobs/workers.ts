/** Every module's background workers and schedules, registered once the job runner has started. */
import type { AppContext } from '../http/context';
import { registerSupervisionWorkers } from '../modules/supervision/supervision.jobs';
import { registerBlueprintWorkers } from '../modules/blueprint/blueprint.jobs';

type WorkerModule = (ctx: AppContext) => Promise<void>;

const workerModules: WorkerModule[] = [registerSupervisionWorkers, registerBlueprintWorkers];

export async function registerAllWorkers(ctx: AppContext) {
  for (const register of workerModules) await register(ctx);
}
