/**
 * The ways out of a running stage application: 撤回 by the applicant (or its agent) before the stage
 * ends, and 终止 by the window when a 补正 is left unanswered past its due date. Running items end with
 * it; items already approved stay approved and the stage may be applied for again.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { releaseUtilityApplication } from '../joint/joint.hooks';
import type { ApprovalDeps } from './approval.context';
import { assertCanSeeProject } from './approval.access';
import * as appRepo from './application.repository';
import { assertApplicationEvent, runningTaskStates } from './lifecycle.rules';
import { endTask } from './order.service';
import * as taskRepo from './task.repository';
import { requireConsent } from '../agency/agency.service';

type Ending = 'withdraw' | 'terminate';

export async function withdrawApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  reason: string,
) {
  return endApplication(db, deps, actor, applicationId, reason, 'withdraw');
}

export async function terminateApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  reason: string,
) {
  return endApplication(db, deps, actor, applicationId, reason, 'terminate');
}

async function endApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  reason: string,
  event: Ending,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const app = await appRepo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    const project = (await appRepo.lockProject(trx, app.projectId))!;
    if (event === 'withdraw' && actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId) {
      throw new DomainError('FORBIDDEN_SCOPE', '只能撤回本企业的申报 (not your enterprise’s application)');
    }
    if (event === 'withdraw') await requireConsent(trx, actor, project.enterpriseId, 'apply_stage', now);
    if (event === 'terminate') await assertCanSeeProject(trx, actor, { id: app.projectId });
    const next = assertApplicationEvent(app.status, event);
    if (event === 'terminate') {
      // 终止 answers an unanswered 补正 past its due date; anything else is the applicant's to withdraw.
      const overdue = (await appRepo.listOpenCorrections(trx, applicationId)).filter(
        (c) => c.dueDate !== null && compareDates(c.dueDate, today) < 0,
      );
      if (overdue.length === 0) {
        throw new DomainError(
          'RULE_VIOLATION',
          '只有补正逾期未答复的申报才能终止 (terminate only when a 补正 is unanswered past its due date)',
        );
      }
    }
    const status = event === 'withdraw' ? 'withdrawn' : 'terminated';
    const tasks = (await taskRepo.listApplicationTasks(trx, applicationId)).filter((t) =>
      runningTaskStates.has(t.status),
    );
    for (const t of tasks) await endTask(trx, actor, now, t, status, reason, null);
    await releaseUtilityApplication(trx, actor, applicationId, reason, now);
    await appRepo.updateApplication(trx, applicationId, {
      status: next,
      endedAt: now,
      endedReason: reason,
      endedBy: actor.userId,
    });
    await recordEvent(trx, actor, now, {
      action: `application.${status}`,
      objectType: 'stage_application',
      objectId: applicationId,
      fromState: app.status,
      toState: next,
      reason,
      detail: { projectId: app.projectId, stage: app.stage, endedTasks: tasks.map((t) => t.id) },
    });
    return { id: applicationId, status: next, reason, endedTasks: tasks.length };
  });
}
