/**
 * 补正: the applicant answers a request from the window (the application goes back to the window) or from
 * a department (the task's clock resumes and the same step is decided again in a new round). Every request
 * carries a due date; the applicant is reminded before it, and past it the window may terminate.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates, type WorkingCalendar } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { findFiles, recordProjectMaterials } from '../materials/material.service';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import { assertStageForm } from './form-check';
import * as catalog from '../catalog/catalog.service';
import {
  assertApplicationEvent,
  assertTaskEvent,
  DEFAULT_CORRECTION_DUE_WORKING_DAYS,
} from './lifecycle.rules';
import * as taskRepo from './task.repository';
import { requireConsent } from '../agency/agency.service';

/** The due date of a 补正: the one given (after today), else today + the configured working days. */
export function correctionDueDate(
  calendar: WorkingCalendar,
  deps: Pick<ApprovalDeps, 'correctionDueWorkingDays'>,
  today: string,
  given: string | undefined,
): string {
  if (given !== undefined) {
    if (compareDates(given, today) <= 0) {
      throw new DomainError('VALIDATION_FAILED', '补正期限须晚于今天 (due date must be after today)', {
        field: 'body.dueDate',
      });
    }
    return given;
  }
  return calendar.addWorkingDays(today, deps.correctionDueWorkingDays ?? DEFAULT_CORRECTION_DUE_WORKING_DAYS)
    .deadline;
}

export async function answerCorrection(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  correctionId: string,
  input: {
    form?: Record<string, unknown>;
    materials?: { materialCode: string; fileId: string }[];
    note?: string;
  },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const correction = await appRepo.lockCorrection(trx, correctionId);
    if (!correction) throw notFound('补正通知 correction', correctionId);
    const app = (await appRepo.lockApplication(trx, correction.applicationId))!;
    const project = (await appRepo.lockProject(trx, app.projectId))!;
    if (actor.role === 'applicant' ? actor.enterpriseId !== project.enterpriseId : actor.role !== 'agent') {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '只能由申请企业或帮办代办答复补正 (only the applicant answers)',
      );
    }
    await requireConsent(trx, actor, project.enterpriseId, 'apply_stage', now);
    if (correction.answeredAt) throw new DomainError('CONFLICT_STATE', '该补正已答复 (already answered)');
    const task = correction.taskId ? (await taskRepo.lockTask(trx, correction.taskId))! : null;
    // The lifecycle decides: a withdrawn or terminated application, or a task no longer waiting, refuses.
    if (task) {
      // The task's own state decides: a non-milestone item may still wait for its 补正 after the stage
      // completed on its milestones, and must stay answerable (an ended application ended its tasks).
      assertTaskEvent(task.status, 'answer_correction');
    } else {
      assertApplicationEvent(app.status, 'answer_correction');
    }
    await findFiles(
      trx,
      (input.materials ?? []).map((m) => m.fileId),
      project.enterpriseId,
    );
    if (input.form) {
      // The same check as submission, on the fields the answer changes: a 补正 corrects the form, it
      // cannot contradict the registered project (a wrong registration is corrected there).
      const items = await Promise.all(app.itemCodes.map((code) => catalog.findCurrentItem(trx, code)));
      assertStageForm(
        items.filter((i) => i !== undefined),
        input.form,
        project,
        Object.keys(input.form),
      );
    }
    await appRepo.answerCorrection(trx, correctionId, now, JSON.stringify(input));
    if (input.form)
      await appRepo.updateApplication(trx, app.id, { form: JSON.stringify({ ...app.form, ...input.form }) });
    await appRepo.insertApplicationMaterials(
      trx,
      (input.materials ?? []).map((m) => ({ applicationId: app.id, ...m })),
    );
    await recordProjectMaterials(trx, app.projectId, input.materials ?? [], now);
    if (task) {
      await taskRepo.endOpenPauses(trx, task.id, 'correction', now, today);
      // The same step is decided again, in the next round; the earlier round stays in the history.
      await taskRepo.updateTask(trx, task.id, task.version, { status: 'in_review', round: task.round + 1 });
    } else {
      await appRepo.updateApplication(trx, app.id, { status: 'submitted' });
    }
    await recordEvent(trx, actor, now, {
      action: 'correction.answered',
      objectType: task ? 'item_task' : 'stage_application',
      objectId: task?.id ?? app.id,
      fromState: task ? 'correction' : 'correction_requested',
      toState: task ? 'in_review' : 'submitted',
      detail: {
        applicationId: app.id,
        correctionId,
        late: correction.dueDate !== null && compareDates(correction.dueDate, today) < 0,
        materials: (input.materials ?? []).map((m) => m.materialCode),
      },
    });
    return { correctionId, answeredAt: now };
  });
}
