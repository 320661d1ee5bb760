/**
 * Department review of one item (事项办理): the inbox, the task with what it must not review again
 * (task 9), decisions at no more than two steps (task 8), 补正 and special procedures that pause the
 * clock, and 模拟审批 turning formal when the precondition arrives.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { formalizeCertificate } from '../certificates/certificate.service';
import { type Actor } from '../identity/identity.rules';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import * as inspectionRepo from './inspection.repository';
import * as taskRepo from './task.repository';
import { findFiles } from '../materials/material.service';
import { lockOwnTask } from './task-access';

/**
 * 模拟审批: the applicant supplies the precondition (e.g. the land transfer contract) with its evidence —
 * a document number or a file. Nothing turns formal yet: each department whose decision was simulated
 * confirms the evidence (confirmPrecondition), and only then its decision and certificate are formal.
 */
export async function supplyPrecondition(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  projectId: string,
  input: { precondition: string; documentNumber?: string; fileId?: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const project = await appRepo.lockProject(trx, projectId);
    if (!project) throw notFound('项目 project', projectId);
    if (
      actor.role === 'applicant'
        ? actor.enterpriseId !== project.enterpriseId
        : !['agent', 'window'].includes(actor.role)
    ) {
      throw new DomainError('FORBIDDEN_SCOPE', '无权为该项目补充前提条件 (not your project)');
    }
    if (!input.documentNumber && !input.fileId) {
      throw new DomainError(
        'VALIDATION_FAILED',
        '须提供前提条件的证明：文件编号（如土地出让合同编号）或证明文件 (evidence required)',
        { field: 'body.documentNumber' },
      );
    }
    if (input.fileId) await findFiles(trx, [input.fileId], project.enterpriseId);
    await inspectionRepo.upsertPreconditionEvidence(trx, {
      projectId,
      precondition: input.precondition,
      documentNumber: input.documentNumber ?? null,
      fileId: input.fileId ?? null,
      suppliedBy: actor.userId,
      suppliedAt: now,
    });
    await inspectionRepo.addProjectPrecondition(trx, projectId, input.precondition);
    const waiting = await taskRepo.listSimulatedTasks(trx, projectId, input.precondition);
    await recordEvent(trx, actor, now, {
      action: 'project.precondition_supplied',
      objectType: 'project',
      objectId: projectId,
      detail: { ...input, awaitingConfirmation: waiting.map((t) => t.id) },
    });
    return {
      projectId,
      precondition: input.precondition,
      awaitingConfirmation: waiting.map((t) => t.id),
      formalizedTasks: [] as string[],
    };
  });
}

/** The deciding department confirms the evidence: the simulated decision and its certificate turn formal. */
export async function confirmPrecondition(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  opinion: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const task = await lockOwnTask(trx, actor, taskId);
    if (!task.simulated || !task.simulatedUntil) {
      throw new DomainError('CONFLICT_STATE', '该办件不是模拟审批 (task is not simulated)');
    }
    const evidence = await inspectionRepo.findPreconditionEvidence(trx, task.projectId, task.simulatedUntil);
    if (!evidence) {
      throw new DomainError(
        'RULE_VIOLATION',
        '申请人尚未提交前提条件的证明，不能转为正式 (precondition not evidenced yet)',
      );
    }
    await taskRepo.updateTask(trx, task.id, task.version, { simulated: false });
    const certificate = task.status === 'approved' ? await formalizeCertificate(trx, task.id, now) : null;
    await recordEvent(trx, actor, now, {
      action: 'task.simulation_formalized',
      objectType: 'item_task',
      objectId: task.id,
      fromState: 'simulated',
      toState: 'formal',
      reason: opinion,
      detail: {
        applicationId: task.applicationId,
        precondition: task.simulatedUntil,
        documentNumber: evidence.documentNumber,
        fileId: evidence.fileId,
      },
    });
    return { taskId: task.id, simulated: false, certificate };
  });
}
