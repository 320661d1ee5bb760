/**
 * 撤销 of an approval (行政许可法 第69条; plan task 59: a broken commitment or a failed check "依法撤销行政审批
 * 决定"). One entry point for every cause — a department's own decision, a 告知承诺 inspection, a 双随机
 * result: the task goes approved → revoked, the revocation is kept with its reason and legal basis, the
 * certificate is revoked (public verification says so), the holder's users are told, and the credit
 * record `approval_revoked` is written — all in the caller's transaction, audited.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { WorkingCalendar } from '../calendar/calendar.rules';
import { itemNames } from '../catalog/catalog.service';
import { revokeCertificate } from '../certificates/certificate.service';
import { recordFromFlow } from '../credit/credit.service';
import { isStaffOf, type Actor } from '../identity/identity.rules';
import { notify } from '../supervision/notification.channel';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import * as inspectionRepo from './inspection.repository';
import { assertTaskEvent } from './lifecycle.rules';
import { rejectStageIfImpossible } from './stage-completion';
import * as taskRepo from './task.repository';

/** The basis when the caller names none (plan task 59: 承诺人未履行承诺的，审批部门要依法撤销行政审批决定). */
export const REVOCATION_BASIS =
  '《中华人民共和国行政许可法》第六十九条；《郑州市工程建设项目审批制度改革实施方案》任务59';

export interface RevocationInput {
  reason: string;
  legalBasis: string;
  source: { type: 'department' | 'inspection' | 'inspection_draw'; id: string | null };
  /** Records of the same act (the broken commitment, the failed check) share it: counted once. */
  incident?: string;
}

export interface Revocation {
  id: string;
  taskId: string;
  status: 'revoked';
  reason: string;
  legalBasis: string;
  sourceType: RevocationInput['source']['type'];
  certificateRevoked: string | null;
  revokedAt: Date;
}

/** Revokes an approved task inside the caller's transaction (the task is locked here). */
export async function revokeApprovalIn(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  actor: Actor,
  now: Date,
  taskId: string,
  input: RevocationInput,
): Promise<Revocation> {
  const task = await taskRepo.lockTask(trx, taskId);
  if (!task) throw notFound('办件 task', taskId);
  const next = assertTaskEvent(task.status, 'revoke');
  const updated = await taskRepo.updateTask(trx, task.id, task.version, { status: next });
  if (Number(updated.numUpdatedRows) !== 1)
    throw new DomainError('CONFLICT_STATE', '办件已被他人更新，请刷新后重试 (task changed meanwhile)');
  const certificate = await revokeCertificate(trx, task.id, `审批决定已撤销：${input.reason}`, now);
  // A stage still running that can no longer complete without this approval is rejected, as after a 不予许可.
  await rejectStageIfImpossible(
    trx,
    actor,
    now,
    task.applicationId,
    task.id,
    '本阶段有事项的审批决定被撤销，阶段申报无法办结；其他已准予许可的事项继续有效，可重新申报本阶段',
  );
  const row = await taskRepo.insertRevocation(trx, {
    taskId: task.id,
    round: task.round,
    reason: input.reason,
    legalBasis: input.legalBasis,
    sourceType: input.source.type,
    sourceId: input.source.id,
    certificateIdentifier: certificate?.identifier ?? null,
    revokedBy: actor.userId,
    revokedAt: now,
  });
  const project = (await appRepo.findProject(trx, task.projectId))!;
  const itemName = (await itemNames(trx, [task.itemCode])).get(task.itemCode) ?? task.itemCode;
  await recordFromFlow(
    trx,
    calendar,
    {
      enterpriseId: project.enterpriseId,
      kind: 'approval_revoked',
      reason: `项目 ${project.code} ${project.name} 的「${itemName}」审批决定被撤销：${input.reason}（依据：${input.legalBasis}）`,
      sourceType: 'task_revocation',
      sourceId: row.id,
      departmentCode: task.departmentCode,
      incident: input.incident ?? `revocation:${row.id}`,
    },
    now,
    actor,
  );
  await recordEvent(trx, actor, now, {
    action: 'task.revoked',
    objectType: 'item_task',
    objectId: task.id,
    fromState: task.status,
    toState: next,
    reason: input.reason,
    detail: {
      applicationId: task.applicationId,
      revocationId: row.id,
      legalBasis: input.legalBasis,
      sourceType: input.source.type,
      sourceId: input.source.id,
      certificate: certificate?.identifier ?? null,
    },
  });
  const users = await inspectionRepo.enterpriseUsers(trx, project.enterpriseId);
  await notify(
    trx,
    now,
    users.map((u) => ({
      userId: u.id,
      kind: 'task.revoked',
      title: `审批决定已撤销：${itemName}`,
      body:
        `项目 ${project.name} 的「${itemName}」审批决定已被撤销。理由：${input.reason}；依据：${input.legalBasis}` +
        (certificate ? `；证照 ${certificate.identifier} 同时撤销` : '') +
        '。如有异议，可依法申请行政复议或提起行政诉讼。',
      objectType: 'item_task',
      objectId: task.id,
    })),
  );
  return {
    id: row.id,
    taskId: task.id,
    status: 'revoked',
    reason: row.reason,
    legalBasis: row.legalBasis,
    sourceType: row.sourceType,
    certificateRevoked: certificate?.identifier ?? null,
    revokedAt: row.revokedAt,
  };
}

/** POST /api/tasks/:id/revoke: the head of the task's department revokes its approval. */
export async function revokeApproval(
  db: Kysely<DB>,
  deps: ApprovalDeps,
  actor: Actor,
  taskId: string,
  input: { reason: string; legalBasis: string },
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const task = await taskRepo.findTask(trx, taskId);
    if (!task) throw notFound('办件 task', taskId);
    if (actor.role !== 'head' || !isStaffOf(actor, task.departmentCode)) {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '撤销审批决定须由本部门负责人作出 (only the department’s head)',
      );
    }
    return revokeApprovalIn(trx, calendar, actor, deps.clock.now(), taskId, {
      ...input,
      source: { type: 'department', id: null },
    });
  });
}

/** The revocations of a task (the task page shows why and on what basis). */
export function revocationsOf(db: Kysely<DB> | Transaction<DB>, taskId: string) {
  return taskRepo.listRevocations(db, taskId);
}
