/**
 * Stage applications (阶段申报): one form and one material set per stage (task 58), submitted once,
 * accepted once at the window (一窗受理, 前台受理、后台审核, task 55), after which every applicable item
 * starts at once in its department (parallel approval, tasks 32–35).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import { findFiles, recordProjectMaterials } from '../materials/material.service';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import { completeStageIfDone } from './stage-completion';
import { requireConsent } from '../agency/agency.service';

/** The applicant supplies a 容缺 material it promised. */
export async function supplyDeficiency(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  materialCode: string,
  fileId: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const app = await appRepo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    const project = (await appRepo.lockProject(trx, app.projectId))!;
    if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId) {
      throw new DomainError('FORBIDDEN_SCOPE', '只能补交本企业的材料 (not your enterprise)');
    }
    await requireConsent(trx, actor, project.enterpriseId, 'apply_stage', now);
    await findFiles(trx, [fileId], project.enterpriseId);
    const updated = await appRepo.fulfilDeficiency(trx, applicationId, materialCode, fileId, now);
    if (Number(updated.numUpdatedRows) === 0) {
      throw new DomainError(
        'CONFLICT_STATE',
        `材料 ${materialCode} 没有待补交的容缺记录 (no open deficiency)`,
      );
    }
    await appRepo.insertApplicationMaterials(trx, [{ applicationId, materialCode, fileId }]);
    await recordProjectMaterials(trx, app.projectId, [{ materialCode, fileId }], now);
    await recordEvent(trx, actor, now, {
      action: 'application.deficiency_supplied',
      objectType: 'stage_application',
      objectId: applicationId,
      detail: { materialCode, fileId },
    });
    await completeStageIfDone(trx, actor, now, applicationId);
    return { applicationId, materialCode, fulfilledAt: now };
  });
}
