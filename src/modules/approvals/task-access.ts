/** Finding a task and checking who may act on it (department scope on every task route). */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { isStaffOf, reviewsFor, type Actor } from '../identity/identity.rules';
import { assertCanSeeProject } from './approval.access';
import * as appRepo from './application.repository';
import * as taskRepo from './task.repository';

export async function visibleTask(db: Kysely<DB>, actor: Actor, taskId: string) {
  const task = await taskRepo.findTask(db, taskId);
  if (!task) throw notFound('办件 task', taskId);
  const project = await appRepo.findProject(db, task.projectId);
  if (!isStaffOf(actor, task.departmentCode)) await assertCanSeeProject(db, actor, project!);
  return { task, project: project! };
}

/** Locks a task that the actor's department handles (reviewers, seniors, the head). */
export async function lockOwnTask(trx: Transaction<DB>, actor: Actor, taskId: string) {
  const task = await taskRepo.lockTask(trx, taskId);
  if (!task) throw notFound('办件 task', taskId);
  if (!reviewsFor(actor, task.departmentCode)) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能办理本部门的事项 (task belongs to another department)');
  }
  return task;
}
