/**
 * Department review of one item (事项办理): the inbox, the task with what it must not review again
 * (task 9), decisions at no more than two steps (task 8), 补正 and special procedures that pause the
 * clock, and 模拟审批 turning formal when the precondition arrives.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { formalizeCertificate } from '../certificates/certificate.service';
import { type Actor } from '../identity/identity.rules';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import * as inspectionRepo from './inspection.repository';
import * as taskRepo from './task.repository';

/**
 * 模拟审批: the applicant supplies the precondition (e.g. the land transfer contract); simulated
 * decisions of the project turn formal without new review, and their certificates with them.
 */
export async function supplyPrecondition(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  projectId: string,
  precondition: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const project = await appRepo.lockProject(trx, projectId);
    if (!project) throw notFound('项目 project', projectId);
    if (
      actor.role === 'applicant'
        ? actor.enterpriseId !== project.enterpriseId
        : !['agent', 'window'].includes(actor.role)
    ) {
      throw new DomainError('FORBIDDEN_SCOPE', '无权为该项目补充前提条件 (not your project)');
    }
    await inspectionRepo.addProjectPrecondition(trx, projectId, precondition);
    const tasks = await taskRepo.listSimulatedTasks(trx, projectId, precondition);
    for (const t of tasks) {
      await taskRepo.updateTask(trx, t.id, t.version, { simulated: false });
      if (t.status === 'approved') await formalizeCertificate(trx, t.id, now);
      await recordEvent(trx, actor, now, {
        action: 'task.simulation_formalized',
        objectType: 'item_task',
        objectId: t.id,
        fromState: 'simulated',
        toState: 'formal',
        detail: { applicationId: t.applicationId, precondition },
      });
    }
    await recordEvent(trx, actor, now, {
      action: 'project.precondition_supplied',
      objectType: 'project',
      objectId: projectId,
      detail: { precondition },
    });
    return { projectId, precondition, formalizedTasks: tasks.map((t) => t.id) };
  });
}
