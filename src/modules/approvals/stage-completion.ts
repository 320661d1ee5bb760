/**
 * When a stage application is done: by its stage's rule (all milestone items, or any), once no 容缺
 * material is still missing. (When a stage opens is projects' `stageStates`.)
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import { findDefinitionVersion } from '../templates/template.repository';
import * as repo from './approval.repository';
import { stageComplete } from './approval.rules';
import { findStage } from './stage';

export async function completeStageIfDone(
  trx: Transaction<DB>,
  actor: Actor | null,
  now: Date,
  applicationId: string,
) {
  const app = await repo.lockApplication(trx, applicationId);
  if (!app || app.status !== 'accepted') return false;
  const project = await repo.findProject(trx, app.projectId);
  const def = project && (await findDefinitionVersion(trx, project.templateCode, project.templateVersion));
  const stage = def && findStage(def, app.stage)?.stage;
  if (!stage) return false;
  const tasks = await repo.listApplicationTasks(trx, applicationId);
  if (!stageComplete(stage.completionRule, tasks)) return false;
  const deficiencies = await repo.listDeficiencies(trx, applicationId);
  if (deficiencies.some((d) => !d.fulfilledAt)) return false;
  await repo.updateApplication(trx, applicationId, { status: 'completed', completedAt: now });
  await recordEvent(trx, actor, now, {
    action: 'application.completed',
    objectType: 'stage_application',
    objectId: applicationId,
    fromState: 'accepted',
    toState: 'completed',
    detail: { projectId: app.projectId, stage: app.stage },
  });
  return true;
}
