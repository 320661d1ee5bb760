/** SQL for stage applications, item tasks, decisions, clock pauses, commitments, inspections and credit. */
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../db/schema';
import type { ItemTaskTable, StageApplicationTable } from './approval.tables';

type Db = Kysely<DB> | Transaction<DB>;

// ---- applications

export function findApplicationByIdempotencyKey(db: Db, userId: string, key: string) {
  return db
    .selectFrom('stageApplication')
    .selectAll()
    .where('submittedBy', '=', userId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
}

export function insertApplication(trx: Transaction<DB>, row: Insertable<StageApplicationTable>) {
  return trx.insertInto('stageApplication').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findApplication(db: Db, id: string) {
  return db.selectFrom('stageApplication').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockApplication(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('stageApplication').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateApplication(trx: Transaction<DB>, id: string, set: Updateable<StageApplicationTable>) {
  return trx
    .updateTable('stageApplication')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Applications of a project, newest first (the project's stage states read them). */
export function listProjectApplications(db: Db, projectId: string) {
  return db
    .selectFrom('stageApplication')
    .select(['id', 'stage', 'status', 'submittedAt', 'completedAt'])
    .where('projectId', '=', projectId)
    .orderBy('submittedAt', 'desc')
    .execute();
}

function projectQuery(db: Db) {
  return db
    .selectFrom('project')
    .innerJoin('enterprise', 'enterprise.id', 'project.enterpriseId')
    .select([
      'project.id',
      'project.code',
      'project.name',
      'project.enterpriseId',
      'project.templateCode',
      'project.templateVersion',
      'project.attributes',
      'project.preconditions',
      'project.districtCode',
      'project.siteAreaM2',
      'enterprise.name as enterpriseName',
      'enterprise.creditCode',
    ]);
}

export function findProject(db: Db, projectId: string) {
  return projectQuery(db).where('project.id', '=', projectId).executeTakeFirst();
}

/** Locks the project row so two submissions for the same stage cannot both pass the "one open" check. */
export function lockProject(trx: Transaction<DB>, projectId: string) {
  return projectQuery(trx).where('project.id', '=', projectId).forUpdate(['project']).executeTakeFirst();
}

export function listApplications(
  db: Db,
  filter: { status?: string[]; enterpriseId?: string; limit: number },
) {
  let q = db
    .selectFrom('stageApplication')
    .innerJoin('project', 'project.id', 'stageApplication.projectId')
    .innerJoin('enterprise', 'enterprise.id', 'project.enterpriseId')
    .select([
      'stageApplication.id',
      'stageApplication.projectId',
      'stageApplication.stage',
      'stageApplication.status',
      'stageApplication.submittedAt',
      'stageApplication.acceptedAt',
      'stageApplication.completedAt',
      'stageApplication.expectedCompletion',
      'project.code as projectCode',
      'project.name as projectName',
      'enterprise.name as enterpriseName',
    ]);
  if (filter.status?.length) q = q.where('stageApplication.status', 'in', filter.status as never);
  if (filter.enterpriseId) q = q.where('project.enterpriseId', '=', filter.enterpriseId);
  return q.orderBy('stageApplication.submittedAt').limit(filter.limit).execute();
}

export function insertApplicationMaterials(
  trx: Transaction<DB>,
  rows: { applicationId: string; materialCode: string; fileId: string }[],
) {
  if (rows.length === 0) return Promise.resolve();
  return trx
    .insertInto('applicationMaterial')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['applicationId', 'materialCode'])
        .doUpdateSet((eb) => ({ fileId: eb.ref('excluded.fileId') })),
    )
    .execute()
    .then(() => undefined);
}

export function listApplicationMaterials(db: Db, applicationId: string) {
  return db
    .selectFrom('applicationMaterial')
    .innerJoin('materialFile', 'materialFile.id', 'applicationMaterial.fileId')
    .select([
      'applicationMaterial.materialCode',
      'applicationMaterial.fileId',
      'materialFile.originalName',
      'materialFile.mediaType',
      'materialFile.sizeBytes',
      'materialFile.sha256',
    ])
    .where('applicationMaterial.applicationId', '=', applicationId)
    .orderBy('applicationMaterial.materialCode')
    .execute();
}

// ---- deficiencies (容缺), corrections (补正), commitments (告知承诺)

export function insertDeficiencies(
  trx: Transaction<DB>,
  rows: { applicationId: string; materialCode: string; dueDate: string }[],
) {
  if (rows.length === 0) return Promise.resolve();
  return trx
    .insertInto('deficiency')
    .values(rows)
    .execute()
    .then(() => undefined);
}

export function listDeficiencies(db: Db, applicationId: string) {
  return db
    .selectFrom('deficiency')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('materialCode')
    .execute();
}

export function fulfilDeficiency(
  trx: Transaction<DB>,
  applicationId: string,
  materialCode: string,
  fileId: string,
  at: Date,
) {
  return trx
    .updateTable('deficiency')
    .set({ fulfilledAt: at, fileId })
    .where('applicationId', '=', applicationId)
    .where('materialCode', '=', materialCode)
    .where('fulfilledAt', 'is', null)
    .executeTakeFirst();
}

export function insertCorrection(
  trx: Transaction<DB>,
  row: {
    applicationId: string;
    taskId: string | null;
    items: string;
    requestedBy: string;
    requestedAt: Date;
  },
) {
  return trx.insertInto('correctionRequest').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockCorrection(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('correctionRequest').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function answerCorrection(trx: Transaction<DB>, id: string, at: Date, answer: string) {
  return trx
    .updateTable('correctionRequest')
    .set({ answeredAt: at, answer })
    .where('id', '=', id)
    .where('answeredAt', 'is', null)
    .executeTakeFirst();
}

export function listCorrections(db: Db, applicationId: string) {
  return db
    .selectFrom('correctionRequest')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('requestedAt')
    .execute();
}

export function insertCommitments(
  trx: Transaction<DB>,
  rows: { applicationId: string; itemCode: string; text: string; signedBy: string; signedAt: Date }[],
) {
  if (rows.length === 0) return Promise.resolve();
  return trx
    .insertInto('commitment')
    .values(rows)
    .execute()
    .then(() => undefined);
}

export function listCommitments(db: Db, applicationId: string) {
  return db
    .selectFrom('commitment')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('itemCode')
    .execute();
}

// ---- tasks

export function insertTasks(trx: Transaction<DB>, rows: Insertable<ItemTaskTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx.insertInto('itemTask').values(rows).returningAll().execute();
}

export function findTask(db: Db, id: string) {
  return db.selectFrom('itemTask').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockTask(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('itemTask').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Conditional update: only applies when the task is still at the version read (no lost update). */
export function updateTask(
  trx: Transaction<DB>,
  id: string,
  expectedVersion: number,
  set: Updateable<ItemTaskTable>,
) {
  return trx
    .updateTable('itemTask')
    .set({ ...set, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
}

export function listApplicationTasks(db: Db, applicationId: string) {
  return db
    .selectFrom('itemTask')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('deadline')
    .orderBy('itemCode')
    .execute();
}

/** A user's inbox: own department, tasks waiting at the user's step, earliest deadline first. */
export function listInbox(db: Db, departmentCode: string, step: 'initial' | 'final', limit: number) {
  return db
    .selectFrom('itemTask')
    .innerJoin('project', 'project.id', 'itemTask.projectId')
    .innerJoin('itemVersion', (j) =>
      j
        .onRef('itemVersion.code', '=', 'itemTask.itemCode')
        .onRef('itemVersion.version', '=', 'itemTask.itemVersion'),
    )
    .select([
      'itemTask.id',
      'itemTask.itemCode',
      'itemVersion.name as itemName',
      'itemTask.departmentCode',
      'itemTask.status',
      'itemTask.currentStep',
      'itemTask.deadline',
      'itemTask.startedOn',
      'itemTask.simulated',
      'itemTask.applicationId',
      'project.code as projectCode',
      'project.name as projectName',
    ])
    .where('itemTask.departmentCode', '=', departmentCode)
    .where('itemTask.currentStep', '=', step)
    .where('itemTask.status', '=', 'in_review')
    .orderBy('itemTask.deadline')
    .orderBy('itemTask.createdAt')
    .limit(limit)
    .execute();
}

export function insertDecision(
  trx: Transaction<DB>,
  row: {
    taskId: string;
    step: 'initial' | 'final';
    outcome: 'approve' | 'reject' | 'return';
    opinion: string;
    document: string | null;
    decidedBy: string;
    decidedAt: Date;
  },
) {
  return trx.insertInto('taskDecision').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listDecisions(db: Db, taskId: string) {
  return db
    .selectFrom('taskDecision')
    .innerJoin('appUser', 'appUser.id', 'taskDecision.decidedBy')
    .select([
      'taskDecision.id',
      'taskDecision.step',
      'taskDecision.outcome',
      'taskDecision.opinion',
      'taskDecision.document',
      'taskDecision.decidedAt',
      'appUser.displayName as decidedByName',
    ])
    .where('taskDecision.taskId', '=', taskId)
    .orderBy('taskDecision.decidedAt')
    .execute();
}

/**
 * Materials of this project already examined by other approved tasks ("谁审查、谁负责", task 9): the
 * later reviewer sees them as reviewed and does not examine them again.
 */
export function listReviewedElsewhere(db: Db, projectId: string, excludeTaskId: string) {
  return db
    .selectFrom('itemTask')
    .innerJoin('applicationMaterial', 'applicationMaterial.applicationId', 'itemTask.applicationId')
    .select([
      'itemTask.id as taskId',
      'itemTask.itemCode',
      'itemTask.departmentCode',
      'itemTask.decidedAt',
      'applicationMaterial.materialCode',
    ])
    .where('itemTask.projectId', '=', projectId)
    .where('itemTask.id', '!=', excludeTaskId)
    .where('itemTask.status', '=', 'approved')
    .execute();
}

// ---- clock pauses

export function insertPause(
  trx: Transaction<DB>,
  row: {
    taskId: string;
    kind: string;
    pausesClock: boolean;
    reason: string;
    startedAt: Date;
    startedOn: string;
    startedBy: string | null;
  },
) {
  return trx.insertInto('clockPause').values(row).returningAll().executeTakeFirstOrThrow();
}

export function endOpenPauses(
  trx: Transaction<DB>,
  taskId: string,
  kind: string | null,
  at: Date,
  on: string,
) {
  let q = trx
    .updateTable('clockPause')
    .set({ endedAt: at, endedOn: on })
    .where('taskId', '=', taskId)
    .where('endedAt', 'is', null);
  if (kind) q = q.where('kind', '=', kind);
  return q.returningAll().execute();
}

export function lockPause(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('clockPause').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function endPause(trx: Transaction<DB>, id: string, at: Date, on: string) {
  return trx
    .updateTable('clockPause')
    .set({ endedAt: at, endedOn: on })
    .where('id', '=', id)
    .where('endedAt', 'is', null)
    .executeTakeFirst();
}

export function listPauses(db: Db, taskIds: string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('clockPause')
    .selectAll()
    .where('taskId', 'in', taskIds)
    .orderBy('startedAt')
    .execute();
}

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

export function isBlackListed(db: Db, enterpriseId: string, today: string) {
  return db
    .selectFrom('creditRecord')
    .select('id')
    .where('enterpriseId', '=', enterpriseId)
    .where('kind', '=', 'black_list')
    .where((eb) => eb.or([eb('expiresOn', 'is', null), eb('expiresOn', '>=', today)]))
    .limit(1)
    .executeTakeFirst()
    .then((r) => !!r);
}

export function insertCreditRecord(
  trx: Transaction<DB>,
  row: {
    enterpriseId: string;
    kind: 'commitment_broken' | 'deficiency_overdue' | 'black_list' | 'red_list';
    reason: string;
    sourceType: string;
    sourceId: string;
    createdAt: Date;
  },
) {
  return trx.insertInto('creditRecord').values(row).execute();
}

export function countDepartmentTasks(db: Db, projectId: string, departmentCode: string) {
  return db
    .selectFrom('itemTask')
    .select(sql<number>`count(*)`.as('n'))
    .where('projectId', '=', projectId)
    .where('departmentCode', '=', departmentCode)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function findDepartmentName(db: Db, code: string) {
  return db
    .selectFrom('department')
    .select('name')
    .where('code', '=', code)
    .executeTakeFirst()
    .then((r) => r?.name ?? code);
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

export function listSimulatedTasks(trx: Transaction<DB>, projectId: string, precondition: string) {
  return trx
    .selectFrom('itemTask')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('simulated', '=', true)
    .where('simulatedUntil', '=', precondition)
    .forUpdate()
    .execute();
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
