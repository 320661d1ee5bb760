/**
 * 施工图告知承诺免审 (task 30): the design firm and its chief designer sign the lifelong-responsibility
 * commitment for a project; only a 甲级 firm with a valid qualification may (exemptionRefusal). The
 * commitment is stored and shown; revoking it (承诺不实) suspends the certificates resting on it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { DomainError, notFound } from '../../shared/errors';
import { projectFacts } from '../approvals/joint-result.service';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { cascadeSuspension } from './drawing-review.service';
import * as repo from './joint.repository';
import { exemptionRefusal, firmGrades, lifelongCommitmentText } from './joint.rules';

interface Deps {
  clock: Clock;
}

function assertOwnProject(actor: Actor, project: { enterpriseId: string }) {
  if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId)
    throw new DomainError('FORBIDDEN_SCOPE', '只能为本单位的项目签署承诺 (not your project)');
}

export async function signDesignCommitment(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  projectId: string,
  input: { designFirmId: string; chiefDesigner: string; chiefDesignerReg: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const project = await projectFacts(trx, projectId);
    assertOwnProject(actor, project);
    const firm = await repo.findDesignFirm(trx, input.designFirmId);
    if (!firm) throw notFound('设计单位 design firm', input.designFirmId);
    const refusal = exemptionRefusal(firm, beijingDate(now));
    if (refusal) throw new DomainError('RULE_VIOLATION', refusal, { field: 'body.designFirmId' });
    if (await repo.findCommitmentInForce(trx, projectId))
      throw new DomainError(
        'CONFLICT_DUPLICATE',
        '该项目已有有效的设计终身负责承诺 (commitment already on file)',
      );
    const row = await repo.insertCommitment(trx, {
      projectId,
      designFirmId: firm.id,
      firmGrade: firm.grade,
      qualificationNumber: firm.qualificationNumber,
      chiefDesigner: input.chiefDesigner.trim(),
      chiefDesignerReg: input.chiefDesignerReg.trim(),
      text: lifelongCommitmentText({
        firmName: firm.name,
        qualificationNumber: firm.qualificationNumber,
        chiefDesigner: input.chiefDesigner.trim(),
        projectName: project.name,
      }),
      signedBy: actor.userId,
      signedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.design_commitment_signed',
      objectType: 'design_commitment',
      objectId: row.id,
      toState: 'signed',
      detail: { projectId, designFirmId: firm.id, chiefDesigner: row.chiefDesigner },
    });
    return (await listDesignCommitments(trx, actor, projectId)).commitments[0]!;
  });
}

export async function listDesignCommitments(
  db: Kysely<DB> | Transaction<DB>,
  actor: Actor,
  projectId: string,
) {
  const project = await projectFacts(db, projectId);
  assertOwnProject(actor, project);
  const rows = await repo.listCommitments(db, projectId);
  return {
    commitments: rows.map((r) => ({
      id: r.id,
      projectId: r.projectId,
      projectName: project.name,
      firmName: r.firmName,
      firmCreditCode: r.firmCreditCode,
      firmGrade: r.firmGrade,
      firmGradeName: firmGrades[r.firmGrade as keyof typeof firmGrades],
      qualificationNumber: r.qualificationNumber,
      chiefDesigner: r.chiefDesigner,
      chiefDesignerReg: r.chiefDesignerReg,
      text: r.text,
      signedAt: r.signedAt.toISOString(),
      signedOn: beijingDate(r.signedAt),
      postInspectionPool: r.revokedAt === null,
      revoked: r.revokedAt !== null,
      revokedReason: r.revokedReason,
    })),
  };
}

/** 承诺不实: the commitment is revoked and the certificates resting on it are suspended. */
export async function revokeDesignCommitment(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  commitmentId: string,
  reason: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockCommitment(trx, commitmentId);
    if (!row) throw notFound('设计承诺 commitment', commitmentId);
    const done = await repo.revokeCommitment(trx, row.id, now, reason);
    if (Number(done.numUpdatedRows) !== 1)
      throw new DomainError('CONFLICT_STATE', '承诺已撤销 (commitment already revoked)');
    const project = await projectFacts(trx, row.projectId);
    const suspended = await cascadeSuspension(
      trx,
      now,
      project,
      `设计单位终身负责承诺已撤销（承诺不实）：${reason}`,
    );
    await recordEvent(trx, actor, now, {
      action: 'joint.design_commitment_revoked',
      objectType: 'design_commitment',
      objectId: row.id,
      fromState: 'signed',
      toState: 'revoked',
      reason,
      detail: { suspended: suspended.map((s) => s.identifier) },
    });
    return { id: row.id, revoked: true, suspendedCertificates: suspended.map((s) => s.identifier) };
  });
}
