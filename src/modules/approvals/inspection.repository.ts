/** SQL of 告知承诺 inspections, the 双随机 pool of 告知承诺 approvals, 模拟审批 preconditions and the audit trail view. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// ---- inspections and credit

export function insertInspection(
  trx: Transaction<DB>,
  row: {
    taskId: string;
    enterpriseId: string;
    departmentCode: string;
    dueDate: string;
    status: 'pending';
    createdAt: Date;
  },
) {
  return trx.insertInto('inspection').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listInspections(db: Db, filter: { departmentCode?: string; status?: string }) {
  let q = db
    .selectFrom('inspection')
    .innerJoin('itemTask', 'itemTask.id', 'inspection.taskId')
    .innerJoin('project', 'project.id', 'itemTask.projectId')
    .innerJoin('enterprise', 'enterprise.id', 'inspection.enterpriseId')
    .select([
      'inspection.id',
      'inspection.taskId',
      'inspection.departmentCode',
      'inspection.dueDate',
      'inspection.status',
      'inspection.result',
      'inspection.inspectedAt',
      'itemTask.itemCode',
      'project.code as projectCode',
      'project.name as projectName',
      'enterprise.name as enterpriseName',
    ]);
  if (filter.departmentCode) q = q.where('inspection.departmentCode', '=', filter.departmentCode);
  if (filter.status) q = q.where('inspection.status', '=', filter.status as never);
  return q.orderBy('inspection.dueDate').execute();
}

/** Approvals under 告知承诺 of a department still in force: the 双随机 pool (credit module draws from it). */
export function listCommitmentApprovals(db: Db, departmentCode: string) {
  return db
    .selectFrom('itemTask')
    .innerJoin('project', 'project.id', 'itemTask.projectId')
    .select([
      'itemTask.id',
      'itemTask.itemCode',
      'project.code as projectCode',
      'project.name as projectName',
      'project.enterpriseId',
    ])
    .where('itemTask.departmentCode', '=', departmentCode)
    .where('itemTask.viaCommitment', '=', true)
    .where('itemTask.status', '=', 'approved')
    .orderBy('itemTask.id')
    .execute();
}

/**
 * Approved tasks of an item in a department whose project has not completed stage 4 (竣工验收): with the
 * 施工许可 item, the projects under construction (the 双随机 pool "construction").
 */
export function listApprovedItemOpenProjects(db: Db, departmentCode: string, itemCode: string) {
  return db
    .selectFrom('itemTask')
    .innerJoin('project', 'project.id', 'itemTask.projectId')
    .select([
      'itemTask.id',
      'itemTask.itemCode',
      'itemTask.projectId',
      'project.code as projectCode',
      'project.name as projectName',
      'project.enterpriseId',
    ])
    .where('itemTask.departmentCode', '=', departmentCode)
    .where('itemTask.itemCode', '=', itemCode)
    .where('itemTask.status', '=', 'approved')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('stageApplication')
            .select('stageApplication.id')
            .whereRef('stageApplication.projectId', '=', 'project.id')
            .where('stageApplication.stage', '=', 4)
            .where('stageApplication.status', '=', 'completed'),
        ),
      ),
    )
    .orderBy('itemTask.id')
    .execute();
}

export function lockInspection(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('inspection').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateInspection(
  trx: Transaction<DB>,
  id: string,
  set: { status: 'confirmed' | 'revoked'; result: string; inspectedBy: string; inspectedAt: Date },
) {
  return trx
    .updateTable('inspection')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/** Applicant users of an enterprise (who are reminded of its 补正 due dates). */
export function enterpriseUsers(db: Db, enterpriseId: string) {
  return db
    .selectFrom('appUser')
    .select('id')
    .where('enterpriseId', '=', enterpriseId)
    .where('role', '=', 'applicant')
    .execute();
}

export function addProjectPrecondition(trx: Transaction<DB>, projectId: string, precondition: string) {
  return trx
    .updateTable('project')
    .set((eb) => ({
      preconditions: sql<string[]>`array_append(${eb.ref('preconditions')}, ${precondition})`,
    }))
    .where('id', '=', projectId)
    .where(sql<boolean>`NOT (${precondition} = ANY(preconditions))`)
    .executeTakeFirst();
}

export function listEventsForApplication(db: Db, applicationId: string, taskIds: string[]) {
  return db
    .selectFrom('auditEvent')
    .leftJoin('appUser', 'appUser.id', 'auditEvent.actorUserId')
    .select([
      'auditEvent.id',
      'auditEvent.occurredAt',
      'auditEvent.actorRole',
      'auditEvent.action',
      'auditEvent.objectType',
      'auditEvent.objectId',
      'auditEvent.fromState',
      'auditEvent.toState',
      'auditEvent.reason',
      'auditEvent.detail',
      'appUser.displayName as actorName',
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('auditEvent.objectType', '=', 'stage_application'),
          eb('auditEvent.objectId', '=', applicationId),
        ]),
        ...(taskIds.length
          ? [
              eb.and([
                eb('auditEvent.objectType', '=', 'item_task'),
                eb('auditEvent.objectId', 'in', taskIds),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('auditEvent.id')
    .execute();
}

export function upsertPreconditionEvidence(
  trx: Transaction<DB>,
  row: {
    projectId: string;
    precondition: string;
    documentNumber: string | null;
    fileId: string | null;
    suppliedBy: string;
    suppliedAt: Date;
  },
) {
  return trx
    .insertInto('preconditionEvidence')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['projectId', 'precondition']).doUpdateSet((eb) => ({
        documentNumber: eb.ref('excluded.documentNumber'),
        fileId: eb.ref('excluded.fileId'),
        suppliedBy: eb.ref('excluded.suppliedBy'),
        suppliedAt: eb.ref('excluded.suppliedAt'),
      })),
    )
    .execute();
}

export function findPreconditionEvidence(db: Db, projectId: string, precondition: string) {
  return db
    .selectFrom('preconditionEvidence')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('precondition', '=', precondition)
    .executeTakeFirst();
}
