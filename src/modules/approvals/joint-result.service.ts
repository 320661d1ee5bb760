/**
 * Joint procedures (issue 11) decide several items at once: the 施工图审查合格书 approves the review item
 * and satisfies the fire / 人防 design reviews (task 29); the 联合验收 approves the sign-off items, the
 * joint acceptance and the 竣工验收备案 (task 36). The joint module calls these inside its own
 * transaction; the tasks' tables stay this module's.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import * as catalog from '../catalog/catalog.service';
import type { Actor } from '../identity/identity.rules';
import * as appRepo from './application.repository';
import { NO_EXPIRY } from './approval.rules';
import type { ReplyDocument } from './approval.tables';
import { issueResultCertificate } from './certificate-link';
import { assertOrderMet } from './order.service';
import { completeStageIfDone } from './stage-completion';
import * as taskRepo from './task.repository';

/** A task with its project's facts, for the joint module's checks. */
export async function taskFacts(db: Kysely<DB> | Transaction<DB>, taskId: string) {
  const task = await taskRepo.findTask(db, taskId);
  if (!task) throw notFound('办件 task', taskId);
  const project = (await appRepo.findProject(db, task.projectId))!;
  return { task, project };
}

/** The stage application with its project and tasks (联合验收 opens on one). */
export async function applicationFacts(db: Kysely<DB> | Transaction<DB>, applicationId: string) {
  const app = await appRepo.findApplication(db, applicationId);
  if (!app) throw notFound('申报 application', applicationId);
  const project = (await appRepo.findProject(db, app.projectId))!;
  const tasks = await taskRepo.listApplicationTasks(db, applicationId);
  return { app, project, tasks };
}

export async function projectFacts(db: Kysely<DB> | Transaction<DB>, projectId: string) {
  const project = await appRepo.findProject(db, projectId);
  if (!project) throw notFound('项目 project', projectId);
  return project;
}

/** Whether the project has an approved task of the item (e.g. the 甲级 exemption ZZ-STSC-002). */
export async function itemApproved(db: Kysely<DB> | Transaction<DB>, projectId: string, itemCode: string) {
  return (await taskRepo.listProjectTasks(db, projectId)).some(
    (t) => t.itemCode === itemCode && t.status === 'approved',
  );
}

const APPROVABLE = new Set(['in_review', 'paused']);

/**
 * Approves the project's running tasks of `itemCodes` (in that order) with one joint result: each gets
 * the document and opinion, its certificate when its item issues one, and its stage completes when done.
 * Tasks already decided or not running are left as they are. Returns what was approved.
 */
export async function approveByJointResult(
  trx: Transaction<DB>,
  actor: Actor,
  now: Date,
  input: {
    projectId: string;
    itemCodes: readonly string[];
    opinion: string;
    document: (itemCode: string, resultDocumentType: string) => Omit<ReplyDocument, 'validUntil'>;
    procedure: 'drawing_review' | 'joint_acceptance' | 'scheme_review' | 'merged_assessment';
  },
) {
  const today = beijingDate(now);
  const project = (await appRepo.findProject(trx, input.projectId))!;
  const all = await taskRepo.listProjectTasks(trx, input.projectId);
  const approved: {
    taskId: string;
    itemCode: string;
    certificate: { id: string; identifier: string } | null;
  }[] = [];
  const applications = new Set<string>();
  for (const code of input.itemCodes) {
    for (const listed of all.filter((t) => t.itemCode === code && APPROVABLE.has(t.status))) {
      const task = (await taskRepo.lockTask(trx, listed.id))!;
      if (!APPROVABLE.has(task.status)) continue;
      // The stage order rule holds for a joint result as for a single decision (e.g. the 联合验收意见 after
      // 雷电防护装置验收): the items it approves together count for one another.
      await assertOrderMet(trx, project, task.itemCode, input.itemCodes);
      const item = await catalog.findCurrentItem(trx, task.itemCode);
      const document: ReplyDocument = {
        ...input.document(task.itemCode, item?.resultDocumentType ?? '审批决定'),
        validUntil: NO_EXPIRY,
      };
      await taskRepo.endAllOpenPauses(trx, [task.id], now, today);
      await taskRepo.insertDecision(trx, {
        taskId: task.id,
        round: task.round,
        step: task.currentStep ?? task.steps[task.steps.length - 1]!,
        outcome: 'approve',
        opinion: input.opinion,
        document: JSON.stringify(document),
        decidedBy: actor.userId,
        decidedAt: now,
      });
      await taskRepo.updateTask(trx, task.id, task.version, {
        status: 'approved',
        currentStep: null,
        outcome: 'approve',
        opinion: input.opinion,
        document: JSON.stringify(document),
        decidedAt: now,
      });
      await recordEvent(trx, actor, now, {
        action: 'task.approved_by_joint_procedure',
        objectType: 'item_task',
        objectId: task.id,
        fromState: task.status,
        toState: 'approved',
        reason: input.opinion,
        detail: { applicationId: task.applicationId, itemCode: task.itemCode, procedure: input.procedure },
      });
      const certificate = item?.certificateType
        ? await issueResultCertificate(
            trx,
            { ...task, document: document as never, decidedAt: now },
            item,
            project,
            now,
          )
        : null;
      approved.push({ taskId: task.id, itemCode: task.itemCode, certificate });
      applications.add(task.applicationId);
    }
  }
  for (const applicationId of applications) await completeStageIfDone(trx, actor, now, applicationId);
  return approved;
}
