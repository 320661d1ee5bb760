/**
 * 施工图告知承诺免审 (task 30): the design firm and its chief designer sign the lifelong-responsibility
 * commitment for a project; only a 甲级 firm with a valid qualification may (exemptionRefusal). The
 * commitment is stored and shown; revoking it (承诺不实) suspends the certificates resting on it.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { DomainError, notFound } from '../../shared/errors';
import { itemApproved, projectFacts } from '../approvals/joint-result.service';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import { recordAboutSubject } from '../credit/credit.service';
import type { Actor } from '../identity/identity.rules';
import { certificateSigningKey, verificationKey } from '../certificates/signing-keys';
import { sm2Sign, sm2Verify } from '../certificates/sm2';
import { renderDocumentPdf } from '../documents/document.pdf';
import { documentSignatureMessage } from '../documents/document.rules';
import { visibleProject } from '../projects/project.service';
import { cascadeSuspension, restoreSuspension } from './drawing-review.service';
import * as repo from './joint.repository';
import {
  commitmentContent,
  commitmentPrint,
  DRAWING_EXEMPTION_ITEM,
  exemptionRefusal,
  firmGrades,
  lifelongCommitmentText,
} from './joint.rules';

interface Deps {
  clock: Clock;
}
interface RevokeDeps extends Deps {
  calendar: CalendarProvider;
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
    const id = randomUUID();
    const chiefDesigner = input.chiefDesigner.trim();
    const chiefDesignerReg = input.chiefDesignerReg.trim();
    const text = lifelongCommitmentText({
      firmName: firm.name,
      qualificationNumber: firm.qualificationNumber,
      chiefDesigner,
      projectName: project.name,
    });
    // The system signs what is printed, so a printed commitment can be checked against the record.
    const key = await certificateSigningKey(trx);
    const content = commitmentContent({
      id,
      project,
      firm,
      qualificationNumber: firm.qualificationNumber,
      chiefDesigner,
      chiefDesignerReg,
      text,
      signedAt: now,
    });
    const row = await repo.insertCommitment(trx, {
      id,
      signature: sm2Sign(documentSignatureMessage(content), key),
      signerKeyId: key.id,
      projectId,
      designFirmId: firm.id,
      firmGrade: firm.grade,
      qualificationNumber: firm.qualificationNumber,
      chiefDesigner,
      chiefDesignerReg,
      text,
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
    // A commitment re-established after 承诺不实 restores the 施工许可证 suspended with the old one, when
    // the project's drawings rest on the exemption.
    if (await itemApproved(trx, projectId, DRAWING_EXEMPTION_ITEM))
      await restoreSuspension(
        trx,
        now,
        project,
        `设计单位重新签署终身负责承诺（${firm.name}，${chiefDesigner}）`,
      );
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
      pdfUrl: `/api/joint/design-commitments/${r.id}/pdf`,
    })),
  };
}

/**
 * The design commitments in force (not revoked) of these projects, newest first: the 双随机 pool of
 * 施工图告知承诺免审 projects (credit's draw) lists them without asking project by project.
 */
export async function commitmentsInForce(db: Kysely<DB> | Transaction<DB>, projectIds: readonly string[]) {
  return (await repo.listCommitmentsInForce(db, projectIds)).map((r) => ({
    id: r.id,
    projectId: r.projectId,
    firmName: r.firmName,
    firmCreditCode: r.firmCreditCode,
    chiefDesigner: r.chiefDesigner,
    chiefDesignerReg: r.chiefDesignerReg,
    signedOn: beijingDate(r.signedAt),
  }));
}

/**
 * 承诺不实: the commitment is revoked, the certificates resting on it are suspended, and the firm and its
 * chief designer get a 未履行告知承诺 credit record (tasks 30, 61) — in one transaction. A 双随机 draw
 * that found it untrue passes its own wording, department and incident (its records count as one act).
 */
export async function revokeDesignCommitment(
  db: Kysely<DB>,
  deps: RevokeDeps,
  actor: Actor,
  commitmentId: string,
  reason: string,
  credit: { reason?: string; departmentCode?: string; incident?: string } = {},
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockCommitment(trx, commitmentId);
    if (!row) throw notFound('设计承诺 commitment', commitmentId);
    const done = await repo.revokeCommitment(trx, row.id, now, reason);
    if (Number(done.numUpdatedRows) !== 1)
      throw new DomainError('CONFLICT_STATE', '承诺已撤销 (commitment already revoked)');
    const project = await projectFacts(trx, row.projectId);
    const signed = (await repo.findCommitment(trx, row.id))!;
    const record = {
      kind: 'commitment_broken' as const,
      reason:
        credit.reason ??
        `施工图告知承诺免审设计终身负责承诺不实，承诺已撤销（项目 ${project.code} ${project.name}）：${reason}`,
      sourceType: 'design_commitment',
      departmentCode: credit.departmentCode ?? actor.departmentCode ?? null,
    };
    await recordAboutSubject(
      trx,
      calendar,
      {
        ...record,
        subject: { kind: 'design_org', name: signed.firmName, creditCode: signed.firmCreditCode },
        sourceId: row.id,
        ...(credit.incident ? { incident: credit.incident } : {}),
      },
      now,
      actor,
    );
    await recordAboutSubject(
      trx,
      calendar,
      {
        ...record,
        subject: {
          kind: 'practitioner',
          name: signed.chiefDesigner,
          certificateNo: signed.chiefDesignerReg,
          profession: '项目负责人（设计）',
          employerCreditCode: signed.firmCreditCode,
        },
        // One record per source event and kind: the firm's is the commitment's id.
        sourceId: `${row.id}:chief-designer`,
      },
      now,
      actor,
    );
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

/** The signed commitment as a printable A4 PDF: the firm's seal, both signatories, the SM2 signature. */
export async function renderCommitmentPdf(db: Kysely<DB>, actor: Actor, commitmentId: string) {
  const row = await repo.findCommitment(db, commitmentId);
  if (!row) throw notFound('设计承诺 commitment', commitmentId);
  const project = await visibleProject(db, actor, row.projectId);
  const content = commitmentContent({
    id: row.id,
    project,
    firm: { name: row.firmName, creditCode: row.firmCreditCode, grade: row.firmGrade as never },
    qualificationNumber: row.qualificationNumber,
    chiefDesigner: row.chiefDesigner,
    chiefDesignerReg: row.chiefDesignerReg,
    text: row.text,
    signedAt: row.signedAt,
  });
  if (row.signature && row.signerKeyId) {
    const key = await verificationKey(db, row.signerKeyId);
    // Printing an altered record would hand out a false commitment under a genuine-looking seal.
    if (!key || !sm2Verify(documentSignatureMessage(content), row.signature, key.publicKey))
      throw new DomainError(
        'CONFLICT_STATE',
        '承诺书签名验证失败，内容可能被篡改，无法打印 (signature check failed)',
      );
  }
  const print = commitmentPrint(content, {
    revokedOn: row.revokedAt ? beijingDate(row.revokedAt) : null,
    revokedReason: row.revokedReason,
  });
  const pdf = await renderDocumentPdf({
    ...print,
    signature: row.signature ?? '（本承诺签署于电子签名启用前，未附电子签名）',
    signerKeyId: row.signerKeyId ?? '—',
  });
  return { pdf, fileName: `${print.title}-${project.code}.pdf` };
}
