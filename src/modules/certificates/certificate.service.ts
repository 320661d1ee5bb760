/**
 * 电子证照: issued, formalised and revoked inside the approvals service's own transaction (a decision
 * and its certificate land together or not at all); listed, printed and publicly verified here.
 *
 * Integrity: `content` holds everything the certificate shows; its canonical sorted-key JSON is signed
 * with SM2 (GB/T 32918) by the active signing key. Verification recomputes the canonical JSON from the
 * stored jsonb, checks the signature with the stored key id, and checks that the row's own columns
 * equal their signed copies — an SQL edit of either is detected.
 *
 * Formalising a 模拟审批 certificate keeps the same row id (the QR code and verification URL printed on
 * the simulated copy keep resolving) and issues the next version of the identifier (版本号 + 1, same
 * 流水号), re-signed, with the previous identifier recorded in the content (E-02).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { logVerification } from '../supervision/anomaly.service';
import { renderCertificatePdf } from './certificate.pdf';
import * as repo from './certificate.repository';
import {
  buildIdentifier,
  certificateReach,
  certificateTypes,
  columnMismatches,
  CONTENT_FORMAT,
  detailRows,
  isCertificateType,
  isExpired,
  issuerCodeFor,
  NO_EXPIRY,
  normaliseContent,
  parseIdentifier,
  serialFor,
  signatureMessage,
} from './certificate.rules';
import type { VerifyResult } from './certificate.schemas';
import { certificateSigningKey, verificationKey } from './signing-keys';
import { sm2Sign, sm2Verify, type Sm2KeyPair } from './sm2';

export interface IssueCertificateInput {
  taskId: string;
  projectId: string;
  itemCode: string;
  certificateType: string;
  /** The item's resultDocumentType. */
  title: string;
  holderName: string;
  /** 统一社会信用代码 of the holder. */
  holderCode: string;
  issuerDepartmentCode: string;
  issuerDepartmentName: string;
  /** 颁发机构 18-char credit code, when known; otherwise a department-derived code is used. */
  issuerOrgCode?: string | null;
  document: { number: string; title: string; date: string; validUntil: string };
  /** Shown on the certificate (project code, name, site area, district …); overrides facts read here. */
  content: Record<string, unknown>;
  simulated: boolean;
  now: Date;
}

export interface CertificateRef {
  id: string;
  identifier: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRealDate(value: string): boolean {
  return ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

function sign(content: Record<string, unknown>, key: Sm2KeyPair) {
  return sm2Sign(signatureMessage(content), key);
}

function checkIssueInput(input: IssueCertificateInput) {
  if (!isCertificateType(input.certificateType)) {
    throw new DomainError(
      'RULE_VIOLATION',
      `未知的证照类型 ${input.certificateType} (unknown certificate type)`,
      { field: 'certificateType' },
    );
  }
  const problems: Array<[string, boolean]> = [
    ['holderName', input.holderName.trim() !== ''],
    ['holderCode', /^[0-9A-Z]{18}$/.test(input.holderCode)],
    ['title', input.title.trim() !== ''],
    ['document.number', input.document.number.trim() !== ''],
    ['document.date', isRealDate(input.document.date)],
    ['document.validUntil', isRealDate(input.document.validUntil)],
  ];
  const bad = problems.find(([, ok]) => !ok);
  if (bad)
    throw new DomainError(
      'VALIDATION_FAILED',
      `证照字段 ${bad[0]} 缺失或格式错误 (invalid certificate field)`,
      { field: bad[0] },
    );
}

export async function issueCertificate(
  trx: Transaction<DB>,
  input: IssueCertificateInput,
): Promise<CertificateRef> {
  checkIssueInput(input);
  const type = input.certificateType as keyof typeof certificateTypes;
  if (await repo.findByTask(trx, input.taskId)) {
    throw new DomainError(
      'CONFLICT_DUPLICATE',
      `办理实例 ${input.taskId} 已出具证照 (certificate already issued for this task)`,
      { field: 'taskId' },
    );
  }
  const project = await repo.findProjectFacts(trx, input.projectId);
  if (!project) throw notFound('项目 project', input.projectId);

  const id = randomUUID();
  const issuerCode = issuerCodeFor(input.issuerDepartmentCode, input.issuerOrgCode);
  const serial = serialFor(Number(beijingDate(input.now).slice(0, 4)), await repo.nextSerialValue(trx));
  const identifier = buildIdentifier({
    typeCode: certificateTypes[type].typeCode,
    issuerCode,
    serial,
    version: 1,
  });
  const content = normaliseContent({
    format: CONTENT_FORMAT,
    id,
    identifier,
    type,
    typeName: certificateTypes[type].name,
    title: input.title,
    holder: { name: input.holderName, code: input.holderCode },
    issuer: {
      departmentCode: input.issuerDepartmentCode,
      name: input.issuerDepartmentName,
      code: issuerCode,
    },
    document: { number: input.document.number, title: input.document.title, date: input.document.date },
    issuedAt: input.now.toISOString(),
    validUntil: input.document.validUntil,
    simulated: input.simulated,
    projectId: input.projectId,
    taskId: input.taskId,
    itemCode: input.itemCode,
    details: {
      projectCode: project.code,
      projectName: project.name,
      districtCode: project.districtCode,
      siteAreaM2: Math.round(project.siteAreaM2 * 100) / 100,
      ...input.content,
    },
  });
  const key = await certificateSigningKey(trx);
  await repo.insertCertificate(trx, {
    id,
    identifier,
    taskId: input.taskId,
    projectId: input.projectId,
    type,
    title: input.title,
    holderName: input.holderName,
    holderCode: input.holderCode,
    content: JSON.stringify(content),
    issuedAt: input.now,
    validUntil: input.document.validUntil,
    signature: sign(content, key),
    signerKeyId: key.id,
    simulated: input.simulated,
  });
  await recordEvent(trx, null, input.now, {
    action: 'certificate.issued',
    objectType: 'certificate',
    objectId: id,
    toState: input.simulated ? 'simulated' : 'valid',
    detail: { identifier, taskId: input.taskId, type, signerKeyId: key.id },
  });
  return { id, identifier };
}

/**
 * A 模拟审批 certificate becomes formal: same id, identifier version + 1, re-signed. Returns null when
 * the task has no certificate (its item issues none) or it is already formal, so callers may call it
 * for every formalised task.
 */
export async function formalizeCertificate(
  trx: Transaction<DB>,
  taskId: string,
  now: Date,
): Promise<CertificateRef | null> {
  const row = await repo.lockByTask(trx, taskId);
  if (!row || !row.simulated) return null;
  if (row.revokedAt)
    throw new DomainError(
      'CONFLICT_STATE',
      `证照 ${row.identifier} 已撤销，不能转为正式 (revoked certificate)`,
    );
  const parts = parseIdentifier(row.identifier);
  if (!parts)
    throw new DomainError(
      'CONFLICT_STATE',
      `证照标识 ${row.identifier} 校验失败 (stored identifier is corrupt)`,
    );
  const identifier = buildIdentifier({ ...parts, version: parts.version + 1 });
  const content = normaliseContent({
    ...row.content,
    identifier,
    previousIdentifier: row.identifier,
    simulated: false,
    simulatedIssuedAt: row.issuedAt.toISOString(),
    issuedAt: now.toISOString(),
  });
  const key = await certificateSigningKey(trx);
  await repo.updateCertificate(trx, row.id, {
    identifier,
    content: JSON.stringify(content),
    signature: sign(content, key),
    signerKeyId: key.id,
    simulated: false,
    issuedAt: now,
  });
  await recordEvent(trx, null, now, {
    action: 'certificate.formalized',
    objectType: 'certificate',
    objectId: row.id,
    fromState: 'simulated',
    toState: 'valid',
    detail: { identifier, previousIdentifier: row.identifier, taskId },
  });
  return { id: row.id, identifier };
}

/** Revokes the task's certificate (e.g. a broken 告知承诺). Null when the task has none or it is already revoked. */
export async function revokeCertificate(
  trx: Transaction<DB>,
  taskId: string,
  reason: string,
  now: Date,
): Promise<CertificateRef | null> {
  if (reason.trim() === '')
    throw new DomainError('VALIDATION_FAILED', '撤销证照须说明理由 (a reason is required)', {
      field: 'reason',
    });
  const row = await repo.lockByTask(trx, taskId);
  if (!row || row.revokedAt) return null;
  await repo.updateCertificate(trx, row.id, { revokedAt: now, revokedReason: reason.trim() });
  await recordEvent(trx, null, now, {
    action: 'certificate.revoked',
    objectType: 'certificate',
    objectId: row.id,
    fromState: row.simulated ? 'simulated' : 'valid',
    toState: 'revoked',
    reason: reason.trim(),
    detail: { identifier: row.identifier, taskId },
  });
  return { id: row.id, identifier: row.identifier };
}

/**
 * Reinstates (恢复效力) a certificate revoked with its task's approval when the revocation itself is corrected
 * (纠错): the same certificate, identifier and signature are in force again and verification answers valid;
 * the revocation stays in the audit log. Null when it is not revoked or the task has another in force.
 */
export async function reinstateCertificate(
  trx: Transaction<DB>,
  taskId: string,
  identifier: string,
  reason: string,
  now: Date,
): Promise<CertificateRef | null> {
  const row = await repo.lockTaskCertificate(trx, taskId, identifier);
  if (!row || !row.revokedAt) return null;
  if (await repo.lockByTask(trx, taskId)) return null;
  await repo.updateCertificate(trx, row.id, { revokedAt: null, revokedReason: null });
  await recordEvent(trx, null, now, {
    action: 'certificate.reinstated',
    objectType: 'certificate',
    objectId: row.id,
    fromState: 'revoked',
    toState: row.simulated ? 'simulated' : 'valid',
    reason,
    detail: { identifier: row.identifier, taskId, revokedReason: row.revokedReason },
  });
  return { id: row.id, identifier: row.identifier };
}

/**
 * Suspends (中止) the project's certificates in force of the given types: the conclusion they rest on
 * was revoked (issue 11: a revoked 施工图审查 conclusion or commitment suspends the 施工许可证). Returns
 * the suspended ones (none already suspended or revoked).
 */
export async function suspendProjectCertificates(
  trx: Transaction<DB>,
  projectId: string,
  types: readonly string[],
  reason: string,
  now: Date,
): Promise<(CertificateRef & { holderCode: string; taskId: string })[]> {
  const rows = (await repo.lockActiveByProject(trx, projectId)).filter((r) => types.includes(r.type));
  for (const row of rows) {
    await repo.updateCertificate(trx, row.id, { suspendedAt: now, suspendedReason: reason });
    await recordEvent(trx, null, now, {
      action: 'certificate.suspended',
      objectType: 'certificate',
      objectId: row.id,
      fromState: row.simulated ? 'simulated' : 'valid',
      toState: 'suspended',
      reason,
      detail: { identifier: row.identifier, taskId: row.taskId },
    });
  }
  return rows.map((r) => ({
    id: r.id,
    identifier: r.identifier,
    holderCode: r.holderCode,
    taskId: r.taskId,
  }));
}

/**
 * Restores (恢复) the project's suspended certificates of the given types: the conclusion they rest on is
 * in force again (issue 11: a new 施工图审查合格书, or a new lifelong-responsibility commitment). Returns
 * the restored ones; verification answers valid again.
 */
export async function restoreProjectCertificates(
  trx: Transaction<DB>,
  projectId: string,
  types: readonly string[],
  reason: string,
  now: Date,
): Promise<(CertificateRef & { holderCode: string; taskId: string })[]> {
  const rows = (await repo.lockSuspendedByProject(trx, projectId)).filter((r) => types.includes(r.type));
  for (const row of rows) {
    await repo.updateCertificate(trx, row.id, { suspendedAt: null, suspendedReason: null });
    await recordEvent(trx, null, now, {
      action: 'certificate.restored',
      objectType: 'certificate',
      objectId: row.id,
      fromState: 'suspended',
      toState: row.simulated ? 'simulated' : 'valid',
      reason,
      detail: { identifier: row.identifier, taskId: row.taskId, suspendedReason: row.suspendedReason },
    });
  }
  return rows.map((r) => ({
    id: r.id,
    identifier: r.identifier,
    holderCode: r.holderCode,
    taskId: r.taskId,
  }));
}

export const verifyPath = (baseUrl: string, id: string) => `${baseUrl.replace(/\/+$/, '')}/verify/${id}`;

function summary(row: repo.CertificateRow, baseUrl: string) {
  return {
    id: row.id,
    identifier: row.identifier,
    type: row.type,
    title: row.title,
    holderName: row.holderName,
    issuedAt: row.issuedAt.toISOString(),
    validUntil: row.validUntil,
    simulated: row.simulated,
    revoked: row.revokedAt !== null,
    suspended: row.suspendedAt !== null,
    verifyUrl: verifyPath(baseUrl, row.id),
  };
}

export async function listProjectCertificates(
  db: Kysely<DB>,
  actor: Actor,
  projectId: string,
  baseUrl: string,
) {
  const project = await repo.findProjectOwner(db, projectId);
  if (!project) throw notFound('项目 project', projectId);
  const reach = certificateReach(actor, project.enterpriseId);
  if (reach === 'none') throw new DomainError('FORBIDDEN_SCOPE', '无权查看该项目的证照 (not your project)');
  const rows = await repo.listByProject(
    db,
    projectId,
    reach === 'department' ? actor.departmentCode! : undefined,
  );
  return { certificates: rows.map((r) => summary(r, baseUrl)) };
}

/** Signature and column checks; the reason when the row is not what was signed. */
async function integrityProblem(db: Kysely<DB>, row: repo.CertificateRow): Promise<string | null> {
  const key = await verificationKey(db, row.signerKeyId);
  const content = row.content;
  if (!key || content?.format !== CONTENT_FORMAT)
    return '签名密钥或内容格式无法识别 (unknown signing key or content format)';
  if (
    !sm2Verify(signatureMessage(content), row.signature, key.publicKey) ||
    columnMismatches(row, content).length > 0
  ) {
    return '签名验证失败，证照数据可能被篡改 (signature check failed: the certificate data was altered)';
  }
  return null;
}

export async function renderPdf(db: Kysely<DB>, actor: Actor, id: string, baseUrl: string): Promise<Buffer> {
  const row = UUID.test(id) ? await repo.findWithDepartment(db, id) : undefined;
  if (!row) throw notFound('电子证照 certificate', id);
  const project = await repo.findProjectOwner(db, row.projectId);
  const reach = project ? certificateReach(actor, project.enterpriseId) : 'none';
  if (reach === 'none' || (reach === 'department' && actor.departmentCode !== row.departmentCode)) {
    throw new DomainError('FORBIDDEN_SCOPE', '无权查看该证照 (not your certificate)');
  }
  // Printing altered data would hand out a false certificate with a genuine-looking QR code.
  const problem = await integrityProblem(db, row);
  if (problem) throw new DomainError('CONFLICT_STATE', `证照无法出具：${problem}`);
  return renderCertificatePdf({
    id: row.id,
    type: row.type,
    title: row.title,
    content: row.content,
    issuedOn: beijingDate(row.issuedAt),
    validUntil: row.validUntil,
    simulated: row.simulated,
    revoked: row.revokedAt !== null,
    signature: row.signature,
    signerKeyId: row.signerKeyId,
    verifyUrl: verifyPath(baseUrl, row.id),
  });
}

/** Public verification: never throws for an unknown, malformed or altered certificate — it answers valid:false. */
/**
 * What a verifier typed or scanned → the certificate's id: the QR code carries the id (a UUID), the paper
 * shows the 证照标识 (1.2.156.3005.2.…). Only a well-formed identifier with a right check character is
 * looked up; an earlier version's identifier finds the current version of the same certificate.
 */
export async function resolveCertificateId(db: Kysely<DB>, input: string): Promise<string | undefined> {
  const text = input.trim();
  if (UUID.test(text)) return text;
  const parts = parseIdentifier(text.toUpperCase());
  if (!parts) return undefined;
  const identifier = buildIdentifier(parts);
  const prefix = identifier.split('.').slice(0, -2).join('.') + '.';
  return repo.findIdByIdentifier(db, identifier, prefix);
}

/** A certificate row as the provincial exchange reports it (批复文件), read as the system. */
export const certificateRecord = (db: Kysely<DB> | Transaction<DB>, id: string) =>
  repo.findWithDepartment(db, id);

/** A project's certificates (every state), oldest first, read as the system (the provincial exchange). */
export const projectCertificateRecords = (db: Kysely<DB> | Transaction<DB>, projectId: string) =>
  repo.listByProject(db, projectId);

/** 批后公开 (issue 14): formal certificates issued, newest first: what, to whom, for which project, when. */
export async function listIssuedCertificates(
  db: Kysely<DB>,
  filter: { projectCode?: string; since?: Date },
  page: { limit: number; offset: number },
) {
  const rows = await repo.listIssued(db, filter, page);
  return rows.map((r) => ({
    id: r.id,
    identifier: r.identifier,
    type: r.type,
    title: r.title,
    holderName: r.holderName,
    projectCode: r.projectCode,
    projectName: r.projectName,
    departmentCode: r.departmentCode,
    issuedOn: beijingDate(r.issuedAt),
    validUntil: r.validUntil,
    revoked: r.revokedAt !== null,
  }));
}

export async function verifyCertificate(
  db: Kysely<DB>,
  now: Date,
  id: string,
  clientAddress = '',
): Promise<VerifyResult> {
  const certificateId = await resolveCertificateId(db, id);
  const row = certificateId ? await repo.findWithDepartment(db, certificateId) : undefined;
  // Every verification is logged (one counted row per id, client address and day): an unknown id is a
  // sign of a certificate made outside the system (体外循环), which the supervision anomaly rules look for.
  await logVerification(db, Array.from(id).slice(0, 100).join(''), !!row, now, clientAddress);
  if (!row) return { valid: false, id, reason: '证照不存在 (no such certificate)' };
  const problem = await integrityProblem(db, row);
  // Altered rows echo nothing back: their fields are exactly what cannot be trusted.
  if (problem) return { valid: false, id, reason: problem };
  const facts = {
    id: row.id,
    identifier: row.identifier,
    type: row.type,
    title: row.title,
    holderName: row.holderName,
    issuedAt: row.issuedAt.toISOString(),
    validUntil: row.validUntil,
    longTerm: row.validUntil === NO_EXPIRY,
    simulated: row.simulated,
    revoked: row.revokedAt !== null,
    details: detailRows((row.content.details ?? {}) as Record<string, unknown>, row.type).map(
      ([label, value]) => ({ label, value }),
    ),
  };
  if (row.revokedAt)
    return {
      ...facts,
      valid: false,
      status: 'revoked',
      statusText: `已撤销（${beijingDate(row.revokedAt)}）`,
      revokedAt: row.revokedAt.toISOString(),
      revokedOn: beijingDate(row.revokedAt),
      reason: `证照已于 ${beijingDate(row.revokedAt)} 撤销：${row.revokedReason ?? ''} (revoked)`,
    };
  if (row.suspendedAt)
    return {
      ...facts,
      valid: false,
      status: 'suspended',
      statusText: `已中止（${beijingDate(row.suspendedAt)}）`,
      reason: `证照已于 ${beijingDate(row.suspendedAt)} 中止：${row.suspendedReason ?? ''} (suspended: the conclusion it rests on was revoked)`,
    };
  if (isExpired(row.validUntil, beijingDate(now)))
    return {
      ...facts,
      valid: false,
      status: 'expired',
      statusText: '已过有效期',
      reason: '证照已过有效期 (expired)',
    };
  // 模拟审批: genuine, but not yet in force as a formal decision; say so rather than plain "valid".
  if (row.simulated)
    return {
      ...facts,
      valid: true,
      status: 'simulated',
      statusText: '模拟审批结果（前提条件具备并经审批部门确认后转为正式）',
    };
  return { ...facts, valid: true, status: 'valid', statusText: '有效' };
}

/**
 * The project's certificates in force on `todayBeijing`: not revoked and not expired. The stage guide
 * counts each as the material it stands for (task 58: a permit this system issued is never asked again).
 */
export async function certificatesInForce(
  db: Kysely<DB> | Transaction<DB>,
  projectId: string,
  todayBeijing: string,
) {
  const rows = await repo.listUnrevokedByProject(db, projectId);
  return rows.filter((r) => !isExpired(r.validUntil, todayBeijing));
}
