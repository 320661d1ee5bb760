/**
 * Who may see a project and its applications (department scope on every route): the enterprise's own
 * applicant, the government helper (agent), the window, supervisors and administrators, and staff of a
 * department that has a task on the project or leads one of its stages.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import type { Actor } from '../identity/identity.rules';
import * as taskRepo from './task.repository';

type Db = Kysely<DB> | Transaction<DB>;

export async function assertCanSeeProject(
  db: Db,
  actor: Actor,
  project: { id: string; enterpriseId: string },
) {
  switch (actor.role) {
    case 'applicant':
      if (actor.enterpriseId === project.enterpriseId) return;
      break;
    case 'agent':
    case 'window':
    case 'supervisor':
    case 'admin':
      return;
    case 'coordinator':
    case 'reviewer':
    case 'senior':
      if (
        actor.departmentCode &&
        (await taskRepo.countDepartmentTasks(db, project.id, actor.departmentCode)) > 0
      )
        return;
      if (actor.role === 'coordinator') return; // stage leads watch every project of the stages they lead
      break;
  }
  throw new DomainError(
    'FORBIDDEN_SCOPE',
    '无权查看该项目 (project belongs to another enterprise or department)',
  );
}
