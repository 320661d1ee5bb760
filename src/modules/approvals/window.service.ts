/**
 * The window's decisions on a stage application before acceptance (一窗受理): 补正 in one complete list
 * (一次性告知) with a due date, and 不予受理 with its reason.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { issueDocument } from '../documents/document.service';
import { WINDOW_ISSUER } from '../documents/document.rules';
import { releaseUtilityApplication } from '../joint/joint.hooks';
import type { Actor } from '../identity/identity.rules';
import type { ApprovalDeps } from './approval.context';
import { assertCanSeeProject } from './approval.access';
import * as appRepo from './application.repository';
import type { CorrectionItem } from './approval.tables';
import { correctionDueDate } from './correction.service';
import { assertApplicationEvent, REMEDY_NOTICE } from './lifecycle.rules';

/** 补正 at the window: one complete list (一次性告知); what was submitted is kept. */
export async function requestCorrections(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  items: CorrectionItem[],
  dueDate?: string,
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const app = await appRepo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    // A district's window acts on its district's applications only (the one visibility rule).
    await assertCanSeeProject(trx, actor, { id: app.projectId });
    const next = assertApplicationEvent(app.status, 'request_correction');
    const due = correctionDueDate(calendar, deps, beijingDate(now), dueDate);
    const correction = await appRepo.insertCorrection(trx, {
      applicationId,
      taskId: null,
      items: JSON.stringify(items),
      requestedBy: actor.userId,
      requestedAt: now,
      dueDate: due,
    });
    await appRepo.updateApplication(trx, applicationId, { status: next });
    await recordEvent(trx, actor, now, {
      action: 'application.correction_requested',
      objectType: 'stage_application',
      objectId: applicationId,
      fromState: app.status,
      toState: next,
      detail: { correctionId: correction.id, items: items.length, dueDate: due },
    });
    // 补正告知书: the one complete list (一次性告知) with its due date.
    await issueDocument(trx, {
      kind: 'correction',
      issuerCode: WINDOW_ISSUER,
      projectId: app.projectId,
      applicationId,
      stage: app.stage,
      now,
      facts: {
        itemName: null,
        items: items.map((i) => ({ reason: i.reason, materialCode: i.materialCode ?? null })),
        dueDate: due,
      },
    });
    return { id: correction.id, status: next, items, dueDate: due };
  });
}

/** 不予受理: the application ends with the reason and the notice of remedies; the stage may be applied for again. */
export async function refuseApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  reason: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const app = await appRepo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    // A district's window acts on its district's applications only (the one visibility rule).
    await assertCanSeeProject(trx, actor, { id: app.projectId });
    const next = assertApplicationEvent(app.status, 'refuse');
    await appRepo.updateApplication(trx, applicationId, {
      status: next,
      refusedReason: reason,
      endedAt: now,
      endedReason: reason,
      endedBy: actor.userId,
    });
    await releaseUtilityApplication(trx, actor, applicationId, reason, now);
    await recordEvent(trx, actor, now, {
      action: 'application.refused',
      objectType: 'stage_application',
      objectId: applicationId,
      fromState: app.status,
      toState: next,
      reason,
    });
    await issueDocument(trx, {
      kind: 'refusal',
      issuerCode: WINDOW_ISSUER,
      projectId: app.projectId,
      applicationId,
      stage: app.stage,
      now,
      facts: { reason },
    });
    return { id: applicationId, status: next, reason, remedies: REMEDY_NOTICE };
  });
}
