/**
 * Stage applications (阶段申报): one form and one material set per stage (task 58), submitted once,
 * accepted once at the window (一窗受理, 前台受理、后台审核, task 55), after which every applicable item
 * starts at once in its department (parallel approval, tasks 32–35).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import type { Item } from '../catalog/catalog.schemas';
import type { Actor } from '../identity/identity.rules';
import { listProjectMaterials } from '../materials/material.repository';
import { findFiles, recordProjectMaterials } from '../materials/material.service';
import { regionalAssessmentsForProject } from '../blueprint/site-check.service';
import { coveredByRegionalAssessment, mergeMaterials } from '../projects/guide.rules';
import { acceptsNewApplication, stageStates } from '../projects/project.rules';
import { assertCanSeeProject } from './approval.access';
import type { ApprovalDeps } from './approval.context';
import * as repo from './approval.repository';
import {
  checkForm,
  commitmentText,
  DEFAULT_DEFICIENCY_WORKING_DAYS,
  INSPECTION_WITHIN_WORKING_DAYS,
  missingMaterials,
  NO_EXPIRY,
  reviewSteps,
  type MaterialNeed,
} from './approval.rules';
import type { CorrectionItem } from './approval.tables';
import { issueResultCertificate } from './certificate-link';
import { itemOffsets, resolveStage, type ResolvedStage } from './stage';
import { completeStageIfDone } from './stage-completion';

export interface SubmitInput {
  stage: number;
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

/** The stage's one material set: the same merge the stage guide shows (task 58). */
function stageMaterials(stage: ResolvedStage): MaterialNeed[] {
  return mergeMaterials([...stage.items.values()], new Map());
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
    const previous = await repo.findApplicationByIdempotencyKey(db, actor.userId, idempotencyKey);
    if (previous) return replay(previous, hash);
  }
  try {
    return await db
      .transaction()
      .execute((trx) => submitInTransaction(trx, deps, actor, projectId, input, idempotencyKey, hash));
  } catch (err) {
    // Two concurrent retries with one key: the unique index lets one in; the other answers the same.
    if (idempotencyKey && (err as { code?: string }).code === '23505') {
      const previous = await repo.findApplicationByIdempotencyKey(db, actor.userId, idempotencyKey);
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
  const project = await repo.lockProject(trx, projectId);
  if (!project) throw notFound('项目 project', projectId);
  // A concurrent retry with the same key may have committed while this one waited for the lock.
  if (idempotencyKey) {
    const previous = await repo.findApplicationByIdempotencyKey(trx, actor.userId, idempotencyKey);
    if (previous) return replay(previous, hash);
  }
  if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能申报本企业的项目 (not your enterprise’s project)');
  }
  if (actor.role === 'agent' && !input.agent?.enterpriseConsent) {
    throw new DomainError(
      'RULE_VIOLATION',
      '帮办代办须取得企业同意 (agent submissions need the enterprise’s consent)',
      {
        field: 'body.agent.enterpriseConsent',
      },
    );
  }

  const stage = await resolveStage(trx, project, input.stage);
  const applications = await repo.listProjectApplications(trx, projectId);
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
  if (!acceptsNewApplication(state.status)) {
    throw new DomainError(
      'CONFLICT_STATE',
      `“${stage.stage.name}”阶段已有在办或已办结的申报 (stage already applied for)`,
      {
        field: 'body.stage',
      },
    );
  }

  const formProblems = checkForm(
    [...stage.items.values()].flatMap((i) => i.formFields),
    input.form,
  );
  if (formProblems.length > 0) {
    throw new DomainError('FORM_INVALID', formProblems.map((p) => p.message).join('；'), {
      field: `body.form.${formProblems[0]!.field}`,
      details: formProblems,
    });
  }

  const needs = stageMaterials(stage);
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
  if (commitments.length > 0 && (await repo.isBlackListed(trx, project.enterpriseId, today))) {
    throw new DomainError(
      'COMMITMENT_NOT_ALLOWED',
      '企业被列入失信黑名单，不适用告知承诺制 (black-listed enterprise)',
      {
        field: 'body.commitments',
      },
    );
  }

  const application = await repo.insertApplication(trx, {
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
  await repo.insertApplicationMaterials(
    trx,
    [...attached].map(([materialCode, fileId]) => ({ applicationId: application.id, materialCode, fileId })),
  );
  await recordProjectMaterials(trx, projectId, input.materials, now);
  await repo.insertCommitments(
    trx,
    commitments.map((code) => ({
      applicationId: application.id,
      itemCode: code,
      text: commitmentText(stage.items.get(code)!.name, project.enterpriseName),
      signedBy: actor.userId,
      signedAt: now,
    })),
  );
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
    },
  });
  return { id: application.id, status: application.status, stage: application.stage, replayed: false };
}

export interface AcceptInput {
  deficiencies?: { materialCode: string; dueDate?: string }[];
}

/**
 * Accepts at the window: one task per applicable item, all started at once, each with its deadline
 * counted in working days from the day after acceptance. 告知承诺 items are decided on the spot (task 37)
 * with an inspection to follow; 模拟审批 items are marked simulated until their precondition exists.
 */
export async function acceptApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  input: AcceptInput,
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const app = await repo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    if (app.status !== 'submitted') {
      throw new DomainError(
        'CONFLICT_STATE',
        `申报当前状态为 ${app.status}，不能受理 (only a submitted application can be accepted)`,
      );
    }
    const project = (await repo.lockProject(trx, app.projectId))!;
    const stage = await resolveStage(trx, project, app.stage);
    const blackListed = await repo.isBlackListed(trx, project.enterpriseId, today);

    // 容缺: every required material still missing must be one that allows it, with a due date.
    const attached = new Set((await repo.listApplicationMaterials(trx, app.id)).map((m) => m.materialCode));
    const { blocking, deferrable } = missingMaterials(stageMaterials(stage), attached);
    if (blocking.length > 0) {
      throw new DomainError('MATERIALS_MISSING', `缺少必交材料：${blocking.map((m) => m.name).join('、')}`, {
        details: blocking,
      });
    }
    const declared = new Map((input.deficiencies ?? []).map((d) => [d.materialCode, d.dueDate]));
    for (const code of declared.keys()) {
      if (!deferrable.some((m) => m.code === code)) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `材料 ${code} 不是可容缺的缺件 (not a missing 容缺 material)`,
          {
            field: 'body.deficiencies',
          },
        );
      }
    }
    if (deferrable.length > 0 && blackListed) {
      throw new DomainError(
        'RULE_VIOLATION',
        '失信黑名单企业不适用容缺受理 (black-listed enterprises get no 容缺)',
        {
          field: 'body.deficiencies',
        },
      );
    }
    const deficiencies = deferrable.map((m) => {
      const due =
        declared.get(m.code) ?? calendar.addWorkingDays(today, DEFAULT_DEFICIENCY_WORKING_DAYS).deadline;
      if (compareDates(due, today) <= 0) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `容缺材料 ${m.name} 的补交期限须晚于今天 (due date must be in the future)`,
          {
            field: 'body.deficiencies',
          },
        );
      }
      return { applicationId: app.id, materialCode: m.code, dueDate: due };
    });
    await repo.insertDeficiencies(trx, deficiencies);

    const offsets = itemOffsets(stage.templateItems, stage.items);
    const commitments = new Set(blackListed ? [] : app.commitments);
    const rows = stage.templateItems.map((ti) => {
      const item = stage.items.get(ti.itemCode)!;
      const steps = reviewSteps(item.resultDocumentType);
      const byCommitment = commitments.has(item.code);
      const simulated = !!ti.simulatedUntil && !(project.preconditions ?? []).includes(ti.simulatedUntil);
      return {
        applicationId: app.id,
        projectId: app.projectId,
        itemCode: item.code,
        itemVersion: item.version,
        departmentCode: item.departmentCode,
        stage: app.stage,
        status: byCommitment ? ('approved' as const) : ('in_review' as const),
        steps,
        currentStep: byCommitment ? null : steps[0]!,
        promisedDays: item.promisedTimeLimitDays,
        startedOn: today,
        deadline: calendar.addWorkingDays(today, offsets.get(item.code) ?? item.promisedTimeLimitDays)
          .deadline,
        viaCommitment: byCommitment,
        simulated,
        simulatedUntil: ti.simulatedUntil ?? null,
        milestone: ti.milestone,
        outcome: byCommitment ? 'approve' : null,
        opinion: byCommitment ? '告知承诺制：申请人已作出书面承诺，当场作出审批决定（任务37）' : null,
        document: byCommitment ? JSON.stringify(commitmentDocument(item, project.code, today)) : null,
        decidedAt: byCommitment ? now : null,
        createdAt: now,
      };
    });
    const tasks = await repo.insertTasks(trx, rows);
    for (const task of tasks.filter((t) => t.viaCommitment)) {
      const item = stage.items.get(task.itemCode)!;
      await repo.insertInspection(trx, {
        taskId: task.id,
        enterpriseId: project.enterpriseId,
        departmentCode: task.departmentCode,
        dueDate: calendar.addWorkingDays(today, INSPECTION_WITHIN_WORKING_DAYS).deadline,
        status: 'pending',
        createdAt: now,
      });
      if (item.certificateType) await issueResultCertificate(trx, task, item, project, now);
    }

    const expected = calendar.addWorkingDays(today, stage.timeLimitWorkingDays);
    await repo.updateApplication(trx, app.id, {
      status: 'accepted',
      acceptedAt: now,
      acceptedOn: today,
      acceptedBy: actor.userId,
      expectedCompletion: expected.deadline,
    });
    await recordEvent(trx, actor, now, {
      action: 'application.accepted',
      objectType: 'stage_application',
      objectId: app.id,
      fromState: 'submitted',
      toState: 'accepted',
      detail: {
        tasks: tasks.length,
        deficiencies: deficiencies.map((d) => d.materialCode),
        commitments: [...commitments],
      },
    });
    for (const task of tasks) {
      await recordEvent(trx, actor, now, {
        action: task.viaCommitment ? 'task.decided_by_commitment' : 'task.started',
        objectType: 'item_task',
        objectId: task.id,
        toState: task.status,
        detail: {
          applicationId: app.id,
          itemCode: task.itemCode,
          departmentCode: task.departmentCode,
          deadline: task.deadline,
        },
      });
    }
    await completeStageIfDone(trx, actor, now, app.id);
    return { tasks, expectedCompletion: expected.deadline, calendarComplete: expected.calendarComplete };
  });
}

function commitmentDocument(item: Item, projectCode: string, today: string) {
  return {
    number: `${projectCode}-${item.code}-CN`,
    title: `${item.resultDocumentType}（告知承诺）`,
    date: today,
    validUntil: NO_EXPIRY,
  };
}

/** 补正 at the window: one complete list (一次性告知); what was submitted is kept. */
export async function requestCorrections(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  items: CorrectionItem[],
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const app = await repo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    if (app.status !== 'submitted') {
      throw new DomainError(
        'CONFLICT_STATE',
        `申报当前状态为 ${app.status}，不能要求补正 (only a submitted application)`,
      );
    }
    const correction = await repo.insertCorrection(trx, {
      applicationId,
      taskId: null,
      items: JSON.stringify(items),
      requestedBy: actor.userId,
      requestedAt: now,
    });
    await repo.updateApplication(trx, applicationId, { status: 'correction_requested' });
    await recordEvent(trx, actor, now, {
      action: 'application.correction_requested',
      objectType: 'stage_application',
      objectId: applicationId,
      fromState: 'submitted',
      toState: 'correction_requested',
      detail: { correctionId: correction.id, items: items.length },
    });
    return { id: correction.id, status: 'correction_requested' as const, items };
  });
}

export async function refuseApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
  reason: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const app = await repo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    if (app.status !== 'submitted' && app.status !== 'correction_requested') {
      throw new DomainError(
        'CONFLICT_STATE',
        `申报当前状态为 ${app.status}，不能不予受理 (cannot refuse now)`,
      );
    }
    await repo.updateApplication(trx, applicationId, { status: 'refused', refusedReason: reason });
    await recordEvent(trx, actor, now, {
      action: 'application.refused',
      objectType: 'stage_application',
      objectId: applicationId,
      fromState: app.status,
      toState: 'refused',
      reason,
    });
    return { id: applicationId, status: 'refused' as const, reason };
  });
}

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
    const app = await repo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    const project = (await repo.lockProject(trx, app.projectId))!;
    if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId) {
      throw new DomainError('FORBIDDEN_SCOPE', '只能补交本企业的材料 (not your enterprise)');
    }
    await findFiles(trx, [fileId], project.enterpriseId);
    const updated = await repo.fulfilDeficiency(trx, applicationId, materialCode, fileId, now);
    if (Number(updated.numUpdatedRows) === 0) {
      throw new DomainError(
        'CONFLICT_STATE',
        `材料 ${materialCode} 没有待补交的容缺记录 (no open deficiency)`,
      );
    }
    await repo.insertApplicationMaterials(trx, [{ applicationId, materialCode, fileId }]);
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

/** The window's queue and oversight; an applicant sees its own enterprise's applications only. */
export async function listApplications(db: Kysely<DB>, actor: Actor, statusList: string | undefined) {
  if (!['window', 'agent', 'supervisor', 'admin', 'applicant'].includes(actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', '申报列表仅供窗口、代办、监察和申请企业查看 (not for this role)');
  }
  const status = statusList?.split(',').filter(Boolean);
  const enterpriseId = actor.role === 'applicant' ? (actor.enterpriseId ?? '') : undefined;
  return repo.listApplications(db, { status, enterpriseId, limit: 500 });
}

/** An application with everything a clerk or the applicant needs to see. */
export async function getApplication(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  applicationId: string,
) {
  const app = await repo.findApplication(db, applicationId);
  if (!app) throw notFound('申报 application', applicationId);
  const project = await repo.findProject(db, app.projectId);
  await assertCanSeeProject(db, actor, project!);
  const [tasks, materials, deficiencies, corrections, commitments] = await Promise.all([
    repo.listApplicationTasks(db, applicationId),
    repo.listApplicationMaterials(db, applicationId),
    repo.listDeficiencies(db, applicationId),
    repo.listCorrections(db, applicationId),
    repo.listCommitments(db, applicationId),
  ]);
  const today = beijingDate(deps.clock.now());
  return {
    id: app.id,
    projectId: app.projectId,
    projectCode: project!.code,
    projectName: project!.name,
    enterpriseName: project!.enterpriseName,
    stage: app.stage,
    status: app.status,
    form: app.form,
    itemCodes: app.itemCodes,
    submittedAt: app.submittedAt,
    acceptedAt: app.acceptedAt,
    completedAt: app.completedAt,
    expectedCompletion: app.expectedCompletion,
    refusedReason: app.refusedReason,
    materials,
    deficiencies: deficiencies.map((d) => ({
      materialCode: d.materialCode,
      dueDate: d.dueDate,
      fulfilledAt: d.fulfilledAt,
      overdue: !d.fulfilledAt && compareDates(d.dueDate, today) < 0,
    })),
    corrections: corrections.map((c) => ({
      id: c.id,
      taskId: c.taskId,
      items: c.items,
      requestedAt: c.requestedAt,
      answeredAt: c.answeredAt,
    })),
    commitments: commitments.map((c) => ({ itemCode: c.itemCode, text: c.text, signedAt: c.signedAt })),
    tasks: tasks.map((t) => ({
      id: t.id,
      itemCode: t.itemCode,
      departmentCode: t.departmentCode,
      status: t.status,
      currentStep: t.currentStep,
      deadline: t.deadline,
      viaCommitment: t.viaCommitment,
      simulated: t.simulated,
      outcome: t.outcome,
      decidedAt: t.decidedAt,
    })),
  };
}
