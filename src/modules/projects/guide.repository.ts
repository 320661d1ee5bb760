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

/**
 * For each decided task of the project: the materials its application carried and its latest decision.
 * Undecided tasks have reviewed nothing yet.
 */
export async function decidedTaskMaterials(db: Db, projectId: string, excludeTaskId?: string) {
  let q = db
    .selectFrom('itemTask')
    .innerJoin('applicationMaterial', 'applicationMaterial.applicationId', 'itemTask.applicationId')
    .innerJoin('taskDecision', 'taskDecision.taskId', 'itemTask.id')
    .select([
      'itemTask.id as taskId',
      'itemTask.itemCode',
      'itemTask.itemVersion',
      'itemTask.departmentCode',
      'applicationMaterial.materialCode',
      'applicationMaterial.fileId',
      'taskDecision.step',
      'taskDecision.outcome',
      'taskDecision.decidedAt',
    ])
    .where('itemTask.projectId', '=', projectId)
    // The latest decision of the task (later rounds and steps come later).
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('taskDecision as later')
            .select('later.id')
            .whereRef('later.taskId', '=', 'itemTask.id')
            .where((eb) =>
              eb.or([
                eb('later.decidedAt', '>', eb.ref('taskDecision.decidedAt')),
                eb.and([
                  eb('later.decidedAt', '=', eb.ref('taskDecision.decidedAt')),
                  eb('later.id', '>', eb.ref('taskDecision.id')),
                ]),
              ]),
            ),
        ),
      ),
    );
  if (excludeTaskId) q = q.where('itemTask.id', '<>', excludeTaskId);
  return q
    .orderBy('taskDecision.decidedAt')
    .orderBy('itemTask.id')
    .orderBy('applicationMaterial.materialCode')
    .execute();
}
