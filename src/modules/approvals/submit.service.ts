/**
 * Stage applications (阶段申报): one form and one material set per stage (task 58), submitted once and
 * accepted once at the window. A stage that ended without completing may be applied for again; 并行推进
 * services are applied for one at a time.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { issueDocument } from '../documents/document.service';
import { RECEIPT_DECISION_WORKING_DAYS, WINDOW_ISSUER } from '../documents/document.rules';
import { beijingDate } from '../calendar/calendar.rules';
import { creditStanding } from '../credit/credit.service';
import type { Item } from '../catalog/catalog.schemas';
import type { Actor } from '../identity/identity.rules';
import { requireConsent } from '../agency/agency.service';
import { findFiles, listProjectMaterials, recordProjectMaterials } from '../materials/material.service';
import { regionalAssessmentsForProject } from '../blueprint/site-check.service';
import { coveredByRegionalAssessment } from '../projects/guide.rules';
import { stageMaterialNeeds, type MaterialNeedsProject } from '../projects/guide.service';
import { acceptsNewApplication, PARALLEL_STAGE, stageStates } from '../projects/project.rules';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import { commitmentText, missingMaterials, type MaterialNeed } from './approval.rules';
import { assertStageForm } from './form-check';
import { assertDrawingExemption, recordUtilityApplication } from '../joint/joint.hooks';
import { runningTaskStates } from './lifecycle.rules';
import { resolveStage, type ResolvedStage } from './stage';
import * as taskRepo from './task.repository';

export interface SubmitInput {
  stage: number;
  /** 并行推进 only: the one service applied for. */
  itemCode?: string;
  form: Record<string, unknown>;
  materials: { materialCode: string; fileId: string }[];
  commitments?: string[];
  agent?: { enterpriseConsent: boolean; note?: string };
}

function requestHash(projectId: string, input: SubmitInput): string {
  return createHash('sha256')
    .update(JSON.stringify({ projectId, ...input }))
    .digest('hex');
}

/**
 * What the applicant must upload for this application: the stage's one material set as the guide
 * computes it (projects' stageMaterialNeeds, task 58), limited to the items applied for, without what the
 * project already holds as a certificate in force or an approved result. Earlier uploads stay in the set:
 * they are attached to the application from the file.
 */
export async function stageMaterials(
  db: Kysely<DB> | Transaction<DB>,
  project: MaterialNeedsProject,
  stage: ResolvedStage,
  now: Date,
  /** The whole current catalog when the caller has read it (the stage brings its definition). */
  catalog?: ReadonlyMap<string, Item>,
): Promise<MaterialNeed[]> {
  const { needs, onFile } = await stageMaterialNeeds(
    db,
    project,
    stage.stage.nationalStage,
    now,
    catalog ? { definition: stage.definition, catalog } : undefined,
  );
  return needs.filter(
    (m) =>
      m.items.some((code) => stage.items.has(code)) && (onFile.get(m.code)?.source ?? 'upload') === 'upload',
  );
}

/**
 * Submits a stage application. The same Idempotency-Key from the same user returns the same
 * application (a retry after a lost answer creates nothing new); with a different body it is refused.
 */
export async function submitApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  projectId: string,
  input: SubmitInput,
  idempotencyKey: string | undefined,
) {
  const hash = requestHash(projectId, input);
  if (idempotencyKey) {
    const previous = await appRepo.findApplicationByIdempotencyKey(db, actor.userId, idempotencyKey);
    if (previous) return replay(previous, hash);
  }
  try {
    return await db
      .transaction()
      .execute((trx) => submitInTransaction(trx, deps, actor, projectId, input, idempotencyKey, hash));
  } catch (err) {
    // Two concurrent retries with one key: the unique index lets one in; the other answers the same.
    if (idempotencyKey && (err as { code?: string }).code === '23505') {
      const previous = await appRepo.findApplicationByIdempotencyKey(db, actor.userId, idempotencyKey);
      if (previous) return replay(previous, hash);
    }
    throw err;
  }
}

function replay(
  previous: { id: string; status: string; requestHash: string | null; stage: number },
  hash: string,
) {
  if (previous.requestHash !== hash) {
    throw new DomainError(
      'IDEMPOTENCY_MISMATCH',
      'Idempotency-Key 已用于另一份不同的申报 (key reused with a different request)',
      {
        field: 'headers.idempotency-key',
      },
    );
  }
  return { id: previous.id, status: previous.status, stage: previous.stage, replayed: true };
}

async function submitInTransaction(
  trx: Transaction<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  projectId: string,
  input: SubmitInput,
  idempotencyKey: string | undefined,
  hash: string,
) {
  const now = deps.clock.now();
  const project = await appRepo.lockProject(trx, projectId);
  if (!project) throw notFound('项目 project', projectId);
  // A concurrent retry with the same key may have committed while this one waited for the lock.
  if (idempotencyKey) {
    const previous = await appRepo.findApplicationByIdempotencyKey(trx, actor.userId, idempotencyKey);
    if (previous) return replay(previous, hash);
  }
  if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能申报本企业的项目 (not your enterprise’s project)');
  }
  // 帮办代办: the enterprise's recorded consent to this agent applying for its stages (403 why not).
  const consentId = await requireConsent(trx, actor, project.enterpriseId, 'apply_stage', now);

  const stage = await resolveStage(trx, project, input.stage);
  const applications = await appRepo.listProjectApplications(trx, projectId);
  const state = stageStates(stage.definition.stages, applications)[stage.index]!;
  if (state.status === 'locked') {
    throw new DomainError(
      'STAGE_NOT_OPEN',
      `上一阶段尚未办结，不能申报“${stage.stage.name}” (previous stage not complete)`,
      {
        field: 'body.stage',
      },
    );
  }
  const parallel = stage.stage.nationalStage === PARALLEL_STAGE;
  if (parallel) {
    // 并行推进: one service per application, each on its own; the stage itself never closes.
    if (!input.itemCode || !stage.items.has(input.itemCode)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `并行推进事项须逐项申报，请指明事项（可选：${[...stage.items.keys()].join('、')}） (name one 并行推进 item)`,
        { field: 'body.itemCode' },
      );
    }
    const taken = (await taskRepo.listProjectTasks(trx, projectId)).some(
      (t) => t.itemCode === input.itemCode && (t.status === 'approved' || runningTaskStates.has(t.status)),
    );
    const waiting = (await appRepo.listProjectApplications(trx, projectId)).some(
      (a) =>
        a.stage === PARALLEL_STAGE &&
        (a.status === 'submitted' || a.status === 'correction_requested') &&
        a.itemCodes.includes(input.itemCode!),
    );
    if (taken || waiting) {
      throw new DomainError(
        'CONFLICT_STATE',
        `事项 ${input.itemCode} 已有在办或已办结的申报 (item already applied for)`,
        {
          field: 'body.itemCode',
        },
      );
    }
    for (const code of [...stage.items.keys()]) if (code !== input.itemCode) stage.items.delete(code);
    stage.templateItems = stage.templateItems.filter((t) => t.itemCode === input.itemCode);
  } else if (input.itemCode !== undefined) {
    throw new DomainError('VALIDATION_FAILED', '只有并行推进事项逐项申报 (itemCode only for stage 5)', {
      field: 'body.itemCode',
    });
  } else if (!acceptsNewApplication(state.status)) {
    throw new DomainError(
      'CONFLICT_STATE',
      `“${stage.stage.name}”阶段已有在办或已办结的申报 (stage already applied for)`,
      {
        field: 'body.stage',
      },
    );
  }

  assertStageForm(stage.items.values(), input.form, project);

  const needs = await stageMaterials(trx, project, stage, now);
  const needed = new Set(needs.map((m) => m.code));
  const unknown = input.materials.filter((m) => !needed.has(m.materialCode));
  if (unknown.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `本阶段不需要材料 ${unknown.map((m) => m.materialCode).join(', ')} (not a material of this stage)`,
      {
        field: 'body.materials',
      },
    );
  }
  await findFiles(
    trx,
    input.materials.map((m) => m.fileId),
    project.enterpriseId,
  );
  const onFile = await listProjectMaterials(trx, projectId);
  const provided = new Set([
    ...input.materials.map((m) => m.materialCode),
    ...onFile.map((m) => m.materialCode),
  ]);
  const { blocking } = missingMaterials(needs, provided);
  if (blocking.length > 0) {
    throw new DomainError(
      'MATERIALS_MISSING',
      `缺少必交材料：${blocking.map((m) => m.name).join('、')} (required materials missing)`,
      {
        field: 'body.materials',
        details: blocking.map((m) => m.code),
      },
    );
  }

  const commitments = [...new Set(input.commitments ?? [])];
  const regional = commitments.length ? (await regionalAssessmentsForProject(trx, projectId)).covered : [];
  for (const code of commitments) {
    const item = stage.items.get(code);
    if (!item || !(item.commitmentAllowed || coveredByRegionalAssessment(item, regional))) {
      throw new DomainError(
        'COMMITMENT_NOT_ALLOWED',
        `事项 ${code} 不适用告知承诺制 (item does not allow commitment)`,
        {
          field: 'body.commitments',
        },
      );
    }
  }
  const today = beijingDate(now);
  if (commitments.length > 0) {
    const credit = await creditStanding(trx, project.enterpriseId, today);
    if (credit.denyCommitment) {
      throw new DomainError('COMMITMENT_NOT_ALLOWED', credit.denyCommitment, {
        field: 'body.commitments',
        details: { listingId: credit.black?.id ?? null, grade: credit.grade.grade },
      });
    }
  }

  await assertDrawingExemption(trx, projectId, [...stage.items.keys()], commitments, now);

  const application = await appRepo.insertApplication(trx, {
    projectId,
    stage: stage.stage.nationalStage,
    status: 'submitted',
    form: JSON.stringify(input.form),
    itemCodes: [...stage.items.keys()],
    commitments,
    submittedBy: actor.userId,
    onBehalfOf: actor.role === 'agent' ? project.enterpriseId : null,
    idempotencyKey: idempotencyKey ?? null,
    requestHash: hash,
    submittedAt: now,
  });
  // Materials on file are attached too, so reviewers see the whole set without the applicant re-sending.
  const attached = new Map(
    onFile.filter((m) => needed.has(m.materialCode)).map((m) => [m.materialCode, m.fileId]),
  );
  for (const m of input.materials) attached.set(m.materialCode, m.fileId);
  await appRepo.insertApplicationMaterials(
    trx,
    [...attached].map(([materialCode, fileId]) => ({ applicationId: application.id, materialCode, fileId })),
  );
  await recordProjectMaterials(trx, projectId, input.materials, now);
  await recordUtilityApplication(trx, projectId, input.itemCode, application.id, now);
  await appRepo.insertCommitments(
    trx,
    commitments.map((code) => ({
      applicationId: application.id,
      itemCode: code,
      text: commitmentText(stage.items.get(code)!.name, project.enterpriseName),
      signedBy: actor.userId,
      signedAt: now,
    })),
  );
  // 收件回执: what was received and when; the window decides to accept or not within 5 working days.
  const calendar = await deps.calendar.get();
  await issueDocument(trx, {
    kind: 'receipt',
    issuerCode: WINDOW_ISSUER,
    projectId,
    applicationId: application.id,
    stage: application.stage,
    now,
    facts: {
      materials: [...attached.keys()].map((materialCode) => ({ materialCode })),
      receivedAt: now.toISOString(),
      decisionBy: calendar.addWorkingDays(today, RECEIPT_DECISION_WORKING_DAYS).deadline,
    },
  });
  await recordEvent(trx, actor, now, {
    action: 'application.submitted',
    objectType: 'stage_application',
    objectId: application.id,
    toState: 'submitted',
    detail: {
      projectId,
      stage: application.stage,
      items: application.itemCodes,
      commitments,
      agent: actor.role === 'agent',
      consentId,
    },
  });
  return { id: application.id, status: application.status, stage: application.stage, replayed: false };
}
