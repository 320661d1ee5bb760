/** SQL of the item-task aggregate: tasks, decisions (one row per round and step), clock pauses. */
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../db/schema';
import { RUNNING_TASK_STATUSES } from './clock.rules';
import { containingPattern } from '../../shared/like';
import { withTotal } from '../../shared/paging';
import type { ItemTaskTable } from './approval.tables';

type Db = Kysely<DB> | Transaction<DB>;

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

/** What an inbox list may be narrowed and ordered by (the page itself is cut in SQL or by the caller). */
export interface InboxQuery {
  departmentCode: string;
  step: 'initial' | 'final';
  /** Task states shown (default: waiting for review). */
  statuses: readonly (typeof RUNNING_TASK_STATUSES)[number][];
  /** Text in the project's name or code, or the item's code or name. */
  q?: string | undefined;
  sort: InboxSort;
  order: 'asc' | 'desc';
}

export type InboxSort = 'deadline' | 'startedOn' | 'projectName' | 'projectCode' | 'itemName';

const inboxSortColumn = {
  deadline: 'itemTask.deadline',
  startedOn: 'itemTask.startedOn',
  projectName: 'project.name',
  projectCode: 'project.code',
  itemName: 'itemVersion.name',
} as const;

function inboxQuery(db: Db, f: InboxQuery) {
  let query = taskListQuery(db)
    .select(['itemTask.simulated', 'itemTask.projectId'])
    .where('itemTask.departmentCode', '=', f.departmentCode)
    .where('itemTask.currentStep', '=', f.step)
    .where('itemTask.status', 'in', [...f.statuses]);
  const q = f.q?.trim();
  if (q) {
    const pattern = containingPattern(q);
    query = query.where((eb) =>
      eb.or([
        eb('project.name', 'ilike', pattern),
        eb('project.code', 'ilike', pattern),
        eb('itemTask.itemCode', 'ilike', pattern),
        eb('itemVersion.name', 'ilike', pattern),
      ]),
    );
  }
  return query
    .orderBy(inboxSortColumn[f.sort], f.order)
    .orderBy('itemTask.deadline', f.order)
    .orderBy('itemTask.createdAt', f.order)
    .orderBy('itemTask.id', f.order);
}

/**
 * A user's inbox: own department, tasks at the user's step, earliest deadline first by default; with
 * `page` one page of it and the total (one statement: the count is a window over the same rows).
 */
export async function listInbox(db: Db, f: InboxQuery, cut: { limit: number; offset: number }) {
  const rows = await inboxQuery(db, f)
    .select((eb) => eb.fn.countAll<string>().over().as('total'))
    .limit(cut.limit)
    .offset(cut.offset)
    .execute();
  return withTotal(rows, cut.offset, () => countInbox(db, f));
}

async function countInbox(db: Db, f: InboxQuery) {
  const r = await db
    .selectFrom(inboxQuery(db, f).clearOrderBy().as('t'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Tasks listed with their item's name and their project: what the inbox and the head's desk show. */
function taskListQuery(db: Db) {
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
      'itemTask.applicationId',
      'itemTask.itemCode',
      'itemVersion.name as itemName',
      'itemTask.departmentCode',
      'itemTask.status',
      'itemTask.currentStep',
      'itemTask.deadline',
      'itemTask.startedOn',
      'itemTask.promisedDays',
      'itemTask.decidedAt',
      'itemTask.extendedDays',
      'itemTask.round',
      'project.code as projectCode',
      'project.name as projectName',
    ]);
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
    round: number;
  },
) {
  return trx.insertInto('taskDecision').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listDecisions(db: Db, taskId: string) {
  return (
    db
      .selectFrom('taskDecision')
      .innerJoin('appUser', 'appUser.id', 'taskDecision.decidedBy')
      .select([
        'taskDecision.id',
        'taskDecision.round',
        'taskDecision.step',
        'taskDecision.outcome',
        'taskDecision.opinion',
        'taskDecision.document',
        'taskDecision.decidedAt',
        'appUser.displayName as decidedByName',
      ])
      .where('taskDecision.taskId', '=', taskId)
      // Rounds in order, 初核 before 复核 inside a round: decision times may tie (a frozen clock, a batch).
      .orderBy('taskDecision.round')
      .orderBy(sql`CASE ${sql.ref('taskDecision.step')} WHEN 'initial' THEN 0 ELSE 1 END`)
      .orderBy('taskDecision.decidedAt')
      .execute()
  );
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

/** Every task of a project (prerequisites are a project-wide fact: approved in any application). */
export function listProjectTasks(db: Db, projectId: string) {
  return db
    .selectFrom('itemTask')
    .selectAll()
    .where('projectId', '=', projectId)
    .orderBy('createdAt')
    .execute();
}

export function listRunningTaskLimits(trx: Transaction<DB>) {
  return trx
    .selectFrom('itemTask')
    .select(['id', 'startedOn', 'limitWorkingDays', 'extendedDays', 'deadline'])
    .where('status', 'in', [...RUNNING_TASK_STATUSES])
    .forUpdate()
    .execute();
}

export function setTaskDeadline(trx: Transaction<DB>, id: string, deadline: string) {
  return trx
    .updateTable('itemTask')
    .set((eb) => ({ deadline, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

// ---- extensions (延期) and supervised reopenings

export function insertExtension(
  trx: Transaction<DB>,
  row: { taskId: string; workingDays: number; reason: string; requestedBy: string; requestedAt: Date },
) {
  return trx
    .insertInto('taskExtension')
    .values({ ...row, status: 'pending' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function lockExtension(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('taskExtension').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function decideExtension(
  trx: Transaction<DB>,
  id: string,
  set: { status: 'approved' | 'refused'; decidedBy: string; decidedAt: Date; opinion: string },
) {
  return trx
    .updateTable('taskExtension')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export function listExtensions(db: Db, taskIds: string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('taskExtension')
    .selectAll()
    .where('taskId', 'in', taskIds)
    .orderBy('requestedAt')
    .execute();
}

export function insertReopening(
  trx: Transaction<DB>,
  row: { taskId: string; reason: string; fromStatus: string; requestedBy: string; requestedAt: Date },
) {
  return trx
    .insertInto('taskReopening')
    .values({ ...row, status: 'pending' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function lockReopening(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('taskReopening').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function decideReopening(
  trx: Transaction<DB>,
  id: string,
  set: { status: 'approved' | 'refused'; countersignedBy: string; countersignedAt: Date; opinion: string },
) {
  return trx
    .updateTable('taskReopening')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export function listReopenings(db: Db, filter: { taskIds?: string[]; status?: 'pending' }) {
  let q = db
    .selectFrom('taskReopening')
    .innerJoin('itemTask', 'itemTask.id', 'taskReopening.taskId')
    .innerJoin('project', 'project.id', 'itemTask.projectId')
    .selectAll('taskReopening')
    .select([
      'itemTask.itemCode',
      'itemTask.departmentCode',
      'project.code as projectCode',
      'project.name as projectName',
    ]);
  if (filter.taskIds) {
    if (filter.taskIds.length === 0) return Promise.resolve([]);
    q = q.where('taskReopening.taskId', 'in', filter.taskIds);
  }
  if (filter.status) q = q.where('taskReopening.status', '=', filter.status);
  return q.orderBy('taskReopening.requestedAt').execute();
}

export function endAllOpenPauses(trx: Transaction<DB>, taskIds: string[], at: Date, on: string) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return trx
    .updateTable('clockPause')
    .set({ endedAt: at, endedOn: on })
    .where('taskId', 'in', taskIds)
    .where('endedAt', 'is', null)
    .execute();
}

/**
 * The department head's desk: the department's tasks with a 延期 waiting for the head, and its decided
 * tasks (the ones a 纠错 may reopen), newest decision first. One query, however many projects there are.
 */
export function listHeadDesk(db: Db, departmentCode: string, limit: number) {
  return taskListQuery(db)
    .select(['itemTask.projectId', 'itemTask.stage'])
    .where('itemTask.departmentCode', '=', departmentCode)
    .where((eb) =>
      eb.or([
        eb('itemTask.status', 'in', ['approved', 'rejected']),
        eb.exists(
          eb
            .selectFrom('taskExtension')
            .select('taskExtension.id')
            .whereRef('taskExtension.taskId', '=', 'itemTask.id')
            .where('taskExtension.status', '=', 'pending'),
        ),
      ]),
    )
    .orderBy(sql`${sql.ref('itemTask.decidedAt')} DESC NULLS FIRST`)
    .orderBy('itemTask.deadline')
    .limit(limit)
    .execute();
}

// ---- revocations (撤销)

export function insertRevocation(trx: Transaction<DB>, row: Insertable<DB['taskRevocation']>) {
  return trx.insertInto('taskRevocation').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The task's revocation in force (not corrected), locked: the one a 纠错 of the revocation corrects. */
export function lockRevocationInForce(trx: Transaction<DB>, taskId: string) {
  return trx
    .selectFrom('taskRevocation')
    .selectAll()
    .where('taskId', '=', taskId)
    .where('correctedAt', 'is', null)
    .orderBy('revokedAt', 'desc')
    .forUpdate()
    .executeTakeFirst();
}

export function markRevocationCorrected(
  trx: Transaction<DB>,
  id: string,
  set: { correctedAt: Date; correctedReason: string; reopeningId: string },
) {
  return trx
    .updateTable('taskRevocation')
    .set(set)
    .where('id', '=', id)
    .where('correctedAt', 'is', null)
    .execute();
}

export function listRevocations(db: Db, taskId: string) {
  return db
    .selectFrom('taskRevocation')
    .selectAll()
    .where('taskId', '=', taskId)
    .orderBy('revokedAt')
    .execute();
}
