/**
 * What the stage guide and the material history read about a project's earlier applications and tasks.
 * These rows belong to approvals (stage_application, item_task, task_decision, application_material), but
 * approvals depends on projects (it takes a stage's material needs from the guide), so projects cannot call
 * approvals' services without a cycle: these read-only queries are the projects side of that read.
 * Nothing here writes.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export async function enterpriseCreditCode(db: Db, enterpriseId: string): Promise<string | null> {
  const row = await db
    .selectFrom('enterprise')
    .select('creditCode')
    .where('id', '=', enterpriseId)
    .executeTakeFirst();
  return row?.creditCode ?? null;
}

/** Approved item tasks of the project (their results are the system's own 批准文件). */
export async function approvedTasks(db: Db, projectId: string) {
  const rows = await db
    .selectFrom('itemTask')
    .select(['id', 'itemCode', 'decidedAt', 'document', 'simulated'])
    .where('projectId', '=', projectId)
    .where('status', '=', 'approved')
    .orderBy('decidedAt')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    taskId: r.id,
    itemCode: r.itemCode,
    documentNumber: (r.document as { number?: string } | null)?.number ?? null,
    decidedAt: r.decidedAt,
    simulated: r.simulated,
  }));
}

/** The forms of the project's earlier applications, newest first (what the applicant already answered). */
export async function earlierForms(db: Db, projectId: string): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('stageApplication')
    .select(['form'])
    .where('projectId', '=', projectId)
    .orderBy('submittedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => r.form);
}

/** The materials each task's application carried (what the task had before it to review). */
export async function taskMaterials(db: Db, projectId: string, excludeTaskId?: string) {
  let q = db
    .selectFrom('itemTask')
    .innerJoin('applicationMaterial', 'applicationMaterial.applicationId', 'itemTask.applicationId')
    .select([
      'itemTask.id as taskId',
      'itemTask.itemCode',
      'itemTask.departmentCode',
      'applicationMaterial.materialCode',
      'applicationMaterial.fileId',
    ])
    .where('itemTask.projectId', '=', projectId);
  if (excludeTaskId) q = q.where('itemTask.id', '<>', excludeTaskId);
  return q.orderBy('itemTask.id').orderBy('applicationMaterial.materialCode').execute();
}

/** Every decision on the project's tasks (every round is kept). */
export function taskDecisions(db: Db, projectId: string) {
  return db
    .selectFrom('taskDecision')
    .innerJoin('itemTask', 'itemTask.id', 'taskDecision.taskId')
    .select([
      'taskDecision.taskId',
      'taskDecision.step',
      'taskDecision.outcome',
      'taskDecision.decidedAt',
      'taskDecision.round',
    ])
    .where('itemTask.projectId', '=', projectId)
    .execute();
}
