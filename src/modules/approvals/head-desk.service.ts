/**
 * What the department head (部门负责人) works on: 延期 requests to approve or refuse (《行政许可法》第四十二条)
 * and decided tasks on which a supervised reopening (纠错) may be asked. Read in a fixed number of queries.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import type { Actor } from '../identity/identity.rules';
import { taskClocks } from '../supervision/clock.service';
import type { ApprovalDeps } from './approval.context';
import { taskStateNames } from './lifecycle.rules';
import * as taskRepo from './task.repository';

const DESK_LIMIT = 300;

export async function headDesk(db: Kysely<DB>, deps: ApprovalDeps, actor: Actor) {
  if (actor.role !== 'head' || !actor.departmentCode) {
    throw new DomainError('FORBIDDEN_ROLE', '仅部门负责人可用 (department heads only)');
  }
  const rows = await taskRepo.listHeadDesk(db, actor.departmentCode, DESK_LIMIT);
  const ids = rows.map((r) => r.id);
  const [extensions, reopenings, clocks] = await Promise.all([
    taskRepo.listExtensions(db, ids),
    taskRepo.listReopenings(db, { taskIds: ids }),
    taskClocks(db, deps, rows),
  ]);
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.applicationId,
    projectId: r.projectId,
    projectCode: r.projectCode,
    projectName: r.projectName,
    itemCode: r.itemCode,
    itemName: r.itemName,
    departmentCode: r.departmentCode,
    stage: r.stage,
    status: r.status,
    statusName: taskStateNames[r.status],
    round: r.round,
    decidedAt: r.decidedAt,
    clock: clocks.get(r.id)!,
    extensions: extensions
      .filter((e) => e.taskId === r.id)
      .map((e) => ({
        id: e.id,
        workingDays: e.workingDays,
        reason: e.reason,
        status: e.status,
        requestedAt: e.requestedAt,
        decidedAt: e.decidedAt,
        opinion: e.opinion,
      })),
    reopenings: reopenings
      .filter((x) => x.taskId === r.id)
      .map((x) => ({
        id: x.id,
        reason: x.reason,
        status: x.status,
        requestedAt: x.requestedAt,
        countersignedAt: x.countersignedAt,
        opinion: x.opinion,
      })),
  }));
}
