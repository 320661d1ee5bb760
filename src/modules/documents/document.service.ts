/**
 * Administrative documents (行政文书, issue 16 item 4): written in the transaction of the event that
 * produces them (收件回执 at submission, 受理, 补正, 不予受理, 不予许可, 延期, 办结), numbered in the issuer's yearly 文号 series,
 * signed with SM2 by the certificate key, listed on the project and printed as PDF for whoever may see
 * the project (the applicant, the window, the departments with a task in it, supervisors).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import * as catalog from '../catalog/catalog.service';
import { certificateSigningKey, verificationKey } from '../certificates/signing-keys';
import { sm2Sign, sm2Verify } from '../certificates/sm2';
import type { Actor } from '../identity/identity.rules';
import { findProjectRow, visibleProject } from '../projects/project.service';
import * as templates from '../templates/template.service';
import { renderDocumentPdf } from './document.pdf';
import * as repo from './document.repository';
import {
  documentNumber,
  documentSignatureMessage,
  documentText,
  documentTitles,
  DOCUMENT_FORMAT,
  issuerPrefix,
  type DocumentContent,
  type DocumentFacts,
  type DocumentKind,
  type DocumentSeries,
} from './document.rules';

type Db = Kysely<DB> | Transaction<DB>;

export type DocumentInput = {
  [K in DocumentKind]: {
    kind: K;
    /** The department in whose name the document is issued. */
    issuerCode: string;
    projectId: string;
    applicationId?: string | null;
    taskId?: string | null;
    /** The stage the document concerns (its name is taken from the project's template version). */
    stage?: number | null;
    facts: DocumentFacts[K];
    now: Date;
  };
}[DocumentKind];

/** The next 文号 of an issuer's series for the Beijing year of `now` (row-locked, never reused). */
export async function nextDocumentNumber(
  trx: Transaction<DB>,
  issuerCode: string,
  series: DocumentSeries,
  now: Date,
): Promise<string> {
  const department = await repo.findDepartment(trx, issuerCode);
  if (!department) throw notFound('部门 department', issuerCode);
  const year = Number(beijingDate(now).slice(0, 4));
  return documentNumber(
    issuerPrefix(department),
    series,
    year,
    await repo.nextSerial(trx, issuerCode, series, year),
  );
}

async function stageOf(db: Db, project: { templateCode: string; templateVersion: number }, n: number) {
  const def = await templates.findDefinitionVersion(db, project.templateCode, project.templateVersion);
  const stage = def?.stages.find((s) => s.nationalStage === n || s.mergedStages.includes(n));
  return { number: n, name: stage?.name ?? `第${n}阶段` };
}

/** The flow hands over codes where it has no names: the printed document shows names only. */
async function fillNames(trx: Transaction<DB>, input: DocumentInput) {
  if (input.kind === 'acceptance') {
    const names = await repo.departmentNames(
      trx,
      input.facts.items.map((i) => i.departmentCode),
    );
    for (const i of input.facts.items) i.departmentName = names.get(i.departmentCode) ?? i.departmentCode;
  } else if (input.kind === 'correction') {
    const codes = input.facts.items.flatMap((i) => (i.materialCode ? [i.materialCode] : []));
    const names = await repo.materialNames(trx, codes);
    for (const i of input.facts.items)
      i.materialName = i.materialCode ? (names.get(i.materialCode) ?? null) : null;
  } else if (input.kind === 'receipt') {
    const names = await repo.materialNames(
      trx,
      input.facts.materials.map((m) => m.materialCode),
    );
    for (const m of input.facts.materials) m.materialName = names.get(m.materialCode) ?? m.materialCode;
  } else if (input.kind === 'completion') {
    const names = await catalog.itemNames(
      trx,
      input.facts.items.map((i) => i.itemCode),
    );
    for (const i of input.facts.items) i.name = names.get(i.itemCode) ?? i.itemCode;
  }
}

/** Issues one document inside the caller's transaction; returns its id and 文号. */
export async function issueDocument(trx: Transaction<DB>, input: DocumentInput) {
  const project = await findProjectRow(trx, input.projectId);
  if (!project) throw notFound('项目 project', input.projectId);
  const department = await repo.findDepartment(trx, input.issuerCode);
  if (!department) throw notFound('部门 department', input.issuerCode);
  const id = randomUUID();
  const number = await nextDocumentNumber(trx, input.issuerCode, input.kind, input.now);
  await fillNames(trx, input);
  const content: DocumentContent = JSON.parse(
    JSON.stringify({
      format: DOCUMENT_FORMAT,
      id,
      kind: input.kind,
      title: documentTitles[input.kind],
      number,
      issuer: { code: department.code, name: department.name },
      addressee: project.enterpriseName,
      project: { code: project.code, name: project.name },
      stage: input.stage ? await stageOf(trx, project, input.stage) : null,
      facts: input.facts,
      issuedOn: beijingDate(input.now),
      issuedAt: input.now.toISOString(),
    }),
  ) as DocumentContent;
  const key = await certificateSigningKey(trx);
  await repo.insertDocument(trx, {
    id,
    kind: input.kind,
    number,
    issuerCode: input.issuerCode,
    projectId: input.projectId,
    applicationId: input.applicationId ?? null,
    taskId: input.taskId ?? null,
    title: content.title,
    content: JSON.stringify(content),
    issuedAt: input.now,
    signature: sm2Sign(documentSignatureMessage(content as never), key),
    signerKeyId: key.id,
  });
  await recordEvent(trx, null, input.now, {
    action: 'document.issued',
    objectType: 'administrative_document',
    objectId: id,
    detail: {
      kind: input.kind,
      number,
      projectId: input.projectId,
      applicationId: input.applicationId ?? null,
    },
  });
  return { id, number };
}

/** A project's documents, oldest first, for whoever may see the project. */
export async function listProjectDocuments(db: Kysely<DB>, actor: Actor, projectId: string) {
  await visibleProject(db, actor, projectId);
  return repo.listForProject(db, projectId);
}

async function readable(db: Kysely<DB>, actor: Actor, id: string) {
  const row = await repo.findDocument(db, id);
  if (!row) throw notFound('文书 document', id);
  await visibleProject(db, actor, row.projectId);
  return row;
}

/** Whether the stored content still carries its issuer's signature (an edited row does not). */
async function signatureValid(
  db: Kysely<DB>,
  row: { content: Record<string, unknown>; signature: string; signerKeyId: string },
) {
  const key = await verificationKey(db, row.signerKeyId);
  return !!key && sm2Verify(documentSignatureMessage(row.content), row.signature, key.publicKey);
}

export async function getDocument(db: Kysely<DB>, actor: Actor, id: string) {
  const row = await readable(db, actor, id);
  return { ...row, signatureValid: await signatureValid(db, row) };
}

export async function renderDocument(db: Kysely<DB>, actor: Actor, id: string) {
  const row = await readable(db, actor, id);
  // Printing altered content would hand out a false document under a genuine-looking seal.
  if (!(await signatureValid(db, row))) {
    throw new DomainError(
      'CONFLICT_STATE',
      '文书签名验证失败，内容可能被篡改，无法出具 (signature check failed)',
    );
  }
  const content = row.content as unknown as DocumentContent;
  const text = documentText(content);
  const pdf = await renderDocumentPdf({
    title: content.title,
    number: content.number,
    issuerName: content.issuer.name,
    addressee: content.addressee,
    paragraphs: text.paragraphs,
    ...(text.table ? { table: text.table } : {}),
    issuedOn: content.issuedOn,
    signature: row.signature,
    signerKeyId: row.signerKeyId,
  });
  return { pdf, fileName: `${content.title}-${content.number}.pdf` };
}
