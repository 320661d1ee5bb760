/**
 * 一窗受理 (前台受理、后台审核, task 55): accepting a stage application starts every applicable item at once
 * in its department (parallel approval, tasks 32–35); 告知承诺 items are decided on the spot (task 37).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import type { Item } from '../catalog/catalog.schemas';
import { issueDocument } from '../documents/document.service';
import { WINDOW_ISSUER } from '../documents/document.rules';
import { creditStanding } from '../credit/credit.service';
import type { Actor } from '../identity/identity.rules';
import { routeTasks } from '../jurisdiction/jurisdiction.service';
import type { ApprovalDeps } from './approval.context';
import { assertCanSeeProject } from './approval.access';
import * as appRepo from './application.repository';
import * as inspectionRepo from './inspection.repository';
import * as taskRepo from './task.repository';
import {
  DEFAULT_DEFICIENCY_WORKING_DAYS,
  INSPECTION_WITHIN_WORKING_DAYS,
  missingMaterials,
  NO_EXPIRY,
  reviewSteps,
} from './approval.rules';
import { issueResultCertificate } from './certificate-link';
import { taskDeadline } from './deadline.service';
import { assertApplicationEvent } from './lifecycle.rules';
import { itemOffsets, limitToItems, resolveStage } from './stage';
import { completeStageIfDone } from './stage-completion';
import { stageMaterials } from './submit.service';

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
    const app = await appRepo.lockApplication(trx, applicationId);
    if (!app) throw notFound('申报 application', applicationId);
    // A district's window acts on its district's applications only (the one visibility rule).
    await assertCanSeeProject(trx, actor, { id: app.projectId });
    const next = assertApplicationEvent(app.status, 'accept');
    const project = (await appRepo.lockProject(trx, app.projectId))!;
    const stage = limitToItems(await resolveStage(trx, project, app.stage), app.itemCodes);
    const credit = await creditStanding(trx, project.enterpriseId, today);

    // 容缺: every required material still missing must be one that allows it, with a due date.
    const attached = new Set(
      (await appRepo.listApplicationMaterials(trx, app.id)).map((m) => m.materialCode),
    );
    const { blocking, deferrable: allowed } = missingMaterials(
      await stageMaterials(trx, project, stage, now),
      attached,
    );
    if (blocking.length > 0) {
      throw new DomainError('MATERIALS_MISSING', `缺少必交材料：${blocking.map((m) => m.name).join('、')}`, {
        details: blocking,
      });
    }
    const declared = new Map((input.deficiencies ?? []).map((d) => [d.materialCode, d.dueDate]));
    for (const code of declared.keys()) {
      if (!allowed.some((m) => m.code === code)) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `材料 ${code} 不是可容缺的缺件 (not a missing 容缺 material)`,
          {
            field: 'body.deficiencies',
          },
        );
      }
    }
    // 容缺 is the window's choice, material by material: a missing one it does not defer is missing.
    const undeclared = allowed.filter((m) => !declared.has(m.code));
    if (undeclared.length > 0) {
      throw new DomainError(
        'MATERIALS_MISSING',
        `缺少材料：${undeclared.map((m) => m.name).join('、')}；如同意容缺受理，请逐项确认并约定补交期限 (missing; declare each as 容缺 to accept without it)`,
        { field: 'body.deficiencies', details: undeclared.map((m) => m.code) },
      );
    }
    const deferrable = allowed;
    if (deferrable.length > 0 && credit.denyDeficiency) {
      throw new DomainError('RULE_VIOLATION', credit.denyDeficiency, {
        field: 'body.deficiencies',
        details: { listingId: credit.black?.id ?? null, grade: credit.grade.grade },
      });
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
    await appRepo.insertDeficiencies(trx, deficiencies);

    const offsets = itemOffsets(stage.templateItems, stage.items);
    const commitments = new Set(credit.denyCommitment ? [] : app.commitments);
    // A re-application does not decide again what an earlier application of the stage approved.
    const approvedBefore = new Set(
      (await taskRepo.listProjectTasks(trx, app.projectId))
        .filter((t) => t.status === 'approved')
        .map((t) => t.itemCode),
    );
    // 事权 (issue 15): each item to the city department of its line or to that line's department in
    // the project's district.
    const routed = await routeTasks(trx, project, [...stage.items.values()]);
    const rows = stage.templateItems
      .filter((ti) => app.itemCodes.includes(ti.itemCode) && !approvedBefore.has(ti.itemCode))
      .map((ti) => {
        const item = stage.items.get(ti.itemCode)!;
        const steps = reviewSteps(item.resultDocumentType);
        const byCommitment = commitments.has(item.code);
        const simulated = !!ti.simulatedUntil && !(project.preconditions ?? []).includes(ti.simulatedUntil);
        return {
          applicationId: app.id,
          projectId: app.projectId,
          itemCode: item.code,
          itemVersion: item.version,
          departmentCode: routed.get(item.code)!.departmentCode,
          stage: app.stage,
          status: byCommitment ? ('approved' as const) : ('in_review' as const),
          steps,
          currentStep: byCommitment ? null : steps[0]!,
          promisedDays: item.promisedTimeLimitDays,
          startedOn: today,
          limitWorkingDays: offsets.get(item.code) ?? item.promisedTimeLimitDays,
          deadline: taskDeadline(calendar, {
            startedOn: today,
            limitWorkingDays: offsets.get(item.code) ?? item.promisedTimeLimitDays,
            extendedDays: 0,
          }),
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
    const tasks = await taskRepo.insertTasks(trx, rows);
    for (const task of tasks.filter((t) => t.viaCommitment)) {
      const item = stage.items.get(task.itemCode)!;
      await inspectionRepo.insertInspection(trx, {
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
    await appRepo.updateApplication(trx, app.id, {
      status: next,
      acceptedAt: now,
      acceptedOn: today,
      acceptedBy: actor.userId,
      expectedCompletion: expected.deadline,
    });
    await recordEvent(trx, actor, now, {
      action: 'application.accepted',
      objectType: 'stage_application',
      objectId: app.id,
      fromState: app.status,
      toState: next,
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
    // 受理通知书: the items, their departments and limits, and what was accepted under 容缺.
    await issueDocument(trx, {
      kind: 'acceptance',
      issuerCode: WINDOW_ISSUER,
      projectId: app.projectId,
      applicationId: app.id,
      stage: app.stage,
      now,
      facts: {
        expectedCompletion: expected.deadline,
        items: tasks.map((t) => ({
          name: stage.items.get(t.itemCode)?.name ?? t.itemCode,
          departmentCode: t.departmentCode,
          deadline: t.deadline,
          viaCommitment: t.viaCommitment,
        })),
        deficiencies: deficiencies.map((d) => ({
          materialName: deferrable.find((m) => m.code === d.materialCode)?.name ?? d.materialCode,
          dueDate: d.dueDate,
        })),
      },
    });
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
