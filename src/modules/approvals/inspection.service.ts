/**
 * After-approval inspections of 告知承诺 decisions (task 59): the department checks within the set
 * time; a broken commitment is recorded against the enterprise's credit and revokes the decision and its
 * certificate (revoke.service: the one revocation entry point, which writes `approval_revoked` too).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import { recordFromFlow } from '../credit/credit.service';
import { reviewsFor, type Actor } from '../identity/identity.rules';
import type { ApprovalDeps } from './approval.context';
import * as inspectionRepo from './inspection.repository';
import { CONSTRUCTION_PERMIT_ITEM, DRAWING_EXEMPTION_ITEM } from '../joint/joint.rules';
import { REVOCATION_BASIS, revokeApprovalIn } from './revoke.service';
import * as taskRepo from './task.repository';

export async function listInspections(db: Kysely<DB>, deps: ApprovalDeps, actor: Actor, status?: string) {
  const departmentCode = ['reviewer', 'senior', 'coordinator'].includes(actor.role)
    ? (actor.departmentCode ?? undefined)
    : undefined;
  if (!departmentCode && !['supervisor', 'admin'].includes(actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', '仅审批部门与监察人员可查看核查任务 (staff only)');
  }
  const today = beijingDate(deps.clock.now());
  const rows = await inspectionRepo.listInspections(db, { departmentCode, status });
  return rows.map((r) => ({ ...r, overdue: r.status === 'pending' && compareDates(r.dueDate, today) < 0 }));
}

export async function recordInspectionResult(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  inspectionId: string,
  input: { outcome: 'confirmed' | 'revoked'; result: string; legalBasis?: string },
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const inspection = await inspectionRepo.lockInspection(trx, inspectionId);
    if (!inspection) throw notFound('核查任务 inspection', inspectionId);
    if (!reviewsFor(actor, inspection.departmentCode)) {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '只能核查本部门的告知承诺事项 (another department’s inspection)',
      );
    }
    if (inspection.status !== 'pending')
      throw new DomainError('CONFLICT_STATE', '该核查已有结论 (already concluded)');
    await inspectionRepo.updateInspection(trx, inspectionId, {
      status: input.outcome,
      result: input.result,
      inspectedBy: actor.userId,
      inspectedAt: now,
    });
    if (input.outcome === 'revoked') {
      // One act: the broken commitment and the revocation it causes share an incident (counted once).
      const incident = `inspection:${inspectionId}`;
      const task = (await taskRepo.findTask(trx, inspection.taskId))!;
      await recordFromFlow(
        trx,
        calendar,
        {
          enterpriseId: inspection.enterpriseId,
          kind: 'commitment_broken',
          reason: `未履行告知承诺（${task.itemCode}）：${input.result}`,
          sourceType: 'inspection',
          sourceId: inspectionId,
          departmentCode: inspection.departmentCode,
          incident,
        },
        now,
        actor,
      );
      await revokeApprovalIn(trx, calendar, actor, now, task.id, {
        reason: `告知承诺核查不符：${input.result}`,
        legalBasis: input.legalBasis ?? REVOCATION_BASIS,
        source: { type: 'inspection', id: inspectionId },
        incident,
      });
    }
    await recordEvent(trx, actor, now, {
      action: `inspection.${input.outcome}`,
      objectType: 'inspection',
      objectId: inspectionId,
      fromState: 'pending',
      toState: input.outcome,
      reason: input.result,
    });
    return { id: inspectionId, status: input.outcome };
  });
}

/** The 双随机 pool of a department: its approvals under 告知承诺 still in force. */
export function commitmentApprovals(db: Kysely<DB>, departmentCode: string) {
  return inspectionRepo.listCommitmentApprovals(db, departmentCode);
}

/**
 * The 双随机 pool of projects under construction: 施工许可 (joint.rules' CONSTRUCTION_PERMIT_ITEM) issued by
 * the department, stage 4 (竣工验收) not completed.
 */
export function constructionProjects(db: Kysely<DB>, departmentCode: string) {
  return inspectionRepo.listApprovedItemOpenProjects(db, departmentCode, CONSTRUCTION_PERMIT_ITEM);
}

/** Projects whose 施工图审查 the department exempted (告知承诺免审, DRAWING_EXEMPTION_ITEM), not yet completed. */
export function exemptedProjects(db: Kysely<DB>, departmentCode: string) {
  return inspectionRepo.listApprovedItemOpenProjects(db, departmentCode, DRAWING_EXEMPTION_ITEM);
}
