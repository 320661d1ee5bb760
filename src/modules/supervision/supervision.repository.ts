/** The only SQL of electronic supervision: task clocks, notifications, 督办 orders. */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { RUNNING_TASK_STATUSES } from '../approvals/clock.rules';
import type {
  ClockStateValue,
  NotificationTable,
  SupervisionOrderTable,
  TaskClockTable,
} from './supervision.tables';

type Db = Kysely<DB> | Transaction<DB>;

const RUNNING = RUNNING_TASK_STATUSES;

/** Tasks whose cached clock may be stale: running ones, and finished ones not yet frozen. */
export function listTasksToRefresh(db: Db) {
  return db
    .selectFrom('itemTask')
    .leftJoin('taskClock', 'taskClock.taskId', 'itemTask.id')
    .select([
      'itemTask.id',
      'itemTask.itemCode',
      'itemTask.departmentCode',
      'itemTask.stage',
      'itemTask.status',
      'itemTask.startedOn',
      'itemTask.deadline',
      'itemTask.promisedDays',
      'itemTask.extendedDays',
      'itemTask.decidedAt',
      'taskClock.clockState as cachedState',
    ])
    .where((eb) =>
      eb.or([
        eb('itemTask.status', 'in', RUNNING),
        eb('taskClock.taskId', 'is', null),
        eb('taskClock.finished', '=', false),
      ]),
    )
    .execute();
}

/** After a calendar change every clock is recomputed (deadlines move with the working days). */
export function forgetFrozenClocks(db: Db) {
  return db.updateTable('taskClock').set({ finished: false }).execute();
}

export async function listPauses(db: Db, taskIds: string[]) {
  const out: {
    taskId: string;
    kind: string;
    pausesClock: boolean;
    startedOn: string;
    endedOn: string | null;
  }[] = [];
  for (let i = 0; i < taskIds.length; i += 5000) {
    const chunk = taskIds.slice(i, i + 5000);
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('clockPause')
        .select(['taskId', 'kind', 'pausesClock', 'startedOn', 'endedOn'])
        .orderBy('startedOn')
        .where('taskId', 'in', chunk)
        .execute()),
    );
  }
  return out;
}

export async function warningSettings(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('itemClockSetting').select(['itemCode', 'warningDays']).execute();
  return new Map(rows.map((r) => [r.itemCode, r.warningDays]));
}

export function upsertItemClockSetting(
  trx: Transaction<DB>,
  itemCode: string,
  warningDays: number,
  at: Date,
) {
  return trx
    .insertInto('itemClockSetting')
    .values({ itemCode, warningDays, updatedAt: at })
    .onConflict((oc) => oc.column('itemCode').doUpdateSet({ warningDays, updatedAt: at }))
    .execute();
}

export async function upsertClocks(trx: Transaction<DB>, rows: Insertable<TaskClockTable>[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('taskClock')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.column('taskId').doUpdateSet((eb) => ({
          deadline: eb.ref('excluded.deadline'),
          remainingDays: eb.ref('excluded.remainingDays'),
          overdueDays: eb.ref('excluded.overdueDays'),
          clockState: eb.ref('excluded.clockState'),
          paused: eb.ref('excluded.paused'),
          pausedDays: eb.ref('excluded.pausedDays'),
          finished: eb.ref('excluded.finished'),
          finishedOn: eb.ref('excluded.finishedOn'),
          usedDays: eb.ref('excluded.usedDays'),
          refreshedAt: eb.ref('excluded.refreshedAt'),
        })),
      )
      .execute();
  }
}

/** True when this (task, state) transition is new: the unique key makes notification exactly-once. */
export async function insertTransition(
  trx: Transaction<DB>,
  taskId: string,
  clockState: ClockStateValue,
  at: Date,
) {
  const row = await trx
    .insertInto('clockTransition')
    .values({ taskId, clockState, at })
    .onConflict((oc) => oc.columns(['taskId', 'clockState']).doNothing())
    .returning('taskId')
    .executeTakeFirst();
  return !!row;
}

/**
 * The department's reviewers and seniors, and the coordinators of the departments leading the stage —
 * city ones, and district ones only of the task's project's district (issue 15).
 */
export function taskRecipients(db: Db, departmentCode: string, stage: number, taskId: string) {
  return db
    .selectFrom('appUser')
    .leftJoin('department', 'department.code', 'appUser.departmentCode')
    .select(['appUser.id', 'appUser.role'])
    .where('appUser.disabled', '=', false)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('appUser.role', 'in', ['reviewer', 'senior']),
          eb('appUser.departmentCode', '=', departmentCode),
        ]),
        eb.and([
          eb('appUser.role', '=', 'coordinator'),
          sql<boolean>`${stage}::int = ANY(department.leads_stages)`,
          eb.or([
            eb('department.districtCode', 'is', null),
            eb(
              'department.districtCode',
              '=',
              eb
                .selectFrom('itemTask')
                .innerJoin('project', 'project.id', 'itemTask.projectId')
                .select('project.districtCode')
                .where('itemTask.id', '=', taskId),
            ),
          ]),
        ]),
      ]),
    )
    .execute();
}

/** Who an escalated 督办 order goes to: the department's heads (负责人), its seniors when it has none. */
export async function departmentHeads(db: Db, departmentCode: string) {
  const users = await db
    .selectFrom('appUser')
    .select(['id', 'role'])
    .where('role', 'in', ['head', 'senior'])
    .where('departmentCode', '=', departmentCode)
    .where('disabled', '=', false)
    .execute();
  const heads = users.filter((u) => u.role === 'head');
  return heads.length > 0 ? heads : users;
}

export async function insertNotifications(trx: Transaction<DB>, rows: Insertable<NotificationTable>[]) {
  if (rows.length > 0) await trx.insertInto('notification').values(rows).execute();
}

/**
 * A user's newest notifications, each with the project it concerns (through its task, application or
 * certificate) so the bell can link to the page where the user acts on it.
 */
export function listNotifications(db: Db, userId: string, unreadOnly: boolean) {
  let q = db
    .selectFrom('notification as n')
    .leftJoin('itemTask as t', (j) =>
      j.on('n.objectType', '=', 'item_task').on(sql<string>`t.id::text`, '=', sql.ref('n.objectId')),
    )
    .leftJoin('stageApplication as a', (j) =>
      j.on('n.objectType', '=', 'stage_application').on(sql<string>`a.id::text`, '=', sql.ref('n.objectId')),
    )
    .leftJoin('certificate as c', (j) =>
      j.on('n.objectType', '=', 'certificate').on(sql<string>`c.id::text`, '=', sql.ref('n.objectId')),
    )
    .select([
      'n.id',
      'n.kind',
      'n.title',
      'n.body',
      'n.objectType',
      'n.objectId',
      'n.createdAt',
      'n.readAt',
      (eb) => eb.fn.coalesce('t.projectId', 'a.projectId', 'c.projectId').as('projectId'),
    ])
    .where('n.userId', '=', userId);
  if (unreadOnly) q = q.where('n.readAt', 'is', null);
  return q.orderBy('n.createdAt', 'desc').limit(200).execute();
}

export async function countUnread(db: Db, userId: string) {
  const row = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function markNotificationRead(trx: Transaction<DB>, id: string, userId: string, at: Date) {
  return trx
    .updateTable('notification')
    .set({ readAt: at })
    .where('id', '=', id)
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

export function departmentLeads(db: Db, code: string) {
  return db
    .selectFrom('department')
    .select(['code', 'leadsStages'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export interface TaskFilter {
  clockState?: ClockStateValue;
  departmentCode?: string;
  stage?: number;
  /** Coordinators: only these stages. */
  stages?: number[];
  /** District staff (issue 15): only projects of this district. */
  districtCode?: string;
}

export function listRunningTasks(db: Db, f: TaskFilter) {
  let q = db
    .selectFrom('itemTask')
    .innerJoin('taskClock', 'taskClock.taskId', 'itemTask.id')
    .innerJoin('itemVersion', (j) =>
      j
        .onRef('itemVersion.code', '=', 'itemTask.itemCode')
        .onRef('itemVersion.version', '=', 'itemTask.itemVersion'),
    )
    .innerJoin('department', 'department.code', 'itemTask.departmentCode')
    .innerJoin('project', 'project.id', 'itemTask.projectId')
    .select([
      'itemTask.id',
      'itemTask.itemCode',
      'itemVersion.name as itemName',
      'itemTask.departmentCode',
      'department.name as departmentName',
      'project.code as projectCode',
      'project.name as projectName',
      'itemTask.stage',
      'itemTask.status',
      'taskClock.deadline',
      'taskClock.remainingDays as remainingWorkingDays',
      'taskClock.overdueDays as overdueWorkingDays',
      'taskClock.clockState',
      'taskClock.paused',
      'taskClock.pausedDays as pausedWorkingDays',
      'itemTask.extendedDays',
    ])
    .where('itemTask.status', 'in', RUNNING);
  if (f.clockState) q = q.where('taskClock.clockState', '=', f.clockState);
  if (f.departmentCode) q = q.where('itemTask.departmentCode', '=', f.departmentCode);
  if (f.stage !== undefined) q = q.where('itemTask.stage', '=', f.stage);
  if (f.stages) q = q.where('itemTask.stage', 'in', f.stages.length > 0 ? f.stages : [-1]);
  if (f.districtCode) q = q.where('project.districtCode', '=', f.districtCode);
  return q.orderBy('taskClock.overdueDays', 'desc').orderBy('taskClock.deadline').limit(2000).execute();
}

export function findTaskBrief(db: Db, id: string) {
  return db
    .selectFrom('itemTask')
    .innerJoin('itemVersion', (j) =>
      j
        .onRef('itemVersion.code', '=', 'itemTask.itemCode')
        .onRef('itemVersion.version', '=', 'itemTask.itemVersion'),
    )
    .innerJoin('project', 'project.id', 'itemTask.projectId')
    .select([
      'itemTask.id',
      'itemTask.departmentCode',
      'itemTask.stage',
      'itemTask.status',
      'itemTask.itemCode',
      'itemVersion.name as itemName',
      'itemTask.projectId',
      'project.districtCode',
    ])
    .where('itemTask.id', '=', id)
    .executeTakeFirst();
}

export function insertOrder(trx: Transaction<DB>, row: Insertable<SupervisionOrderTable>) {
  return trx.insertInto('supervisionOrder').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findOrder(db: Db, id: string) {
  return db.selectFrom('supervisionOrder').selectAll().where('id', '=', id).executeTakeFirst();
}

export function answerOrder(trx: Transaction<DB>, id: string, response: string, by: string, at: Date) {
  return trx
    .updateTable('supervisionOrder')
    .set({ response, respondedBy: by, respondedAt: at, status: 'answered' })
    .where('id', '=', id)
    .where('respondedAt', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** 督办 orders with the names people read: the item, the project and the department. */
export function listOrders(
  db: Db,
  f: { departmentCode?: string; stages?: number[]; status?: string; districtCode?: string },
) {
  let q = db
    .selectFrom('supervisionOrder as o')
    .innerJoin('itemTask as t', 't.id', 'o.taskId')
    .innerJoin('itemVersion as v', (j) =>
      j.onRef('v.code', '=', 't.itemCode').onRef('v.version', '=', 't.itemVersion'),
    )
    .innerJoin('project as p', 'p.id', 't.projectId')
    .innerJoin('department as d', 'd.code', 'o.departmentCode')
    .selectAll('o')
    .select([
      'v.name as itemName',
      'p.id as projectId',
      'p.code as projectCode',
      'p.name as projectName',
      'd.name as departmentName',
    ]);
  if (f.districtCode) q = q.where('p.districtCode', '=', f.districtCode);
  if (f.departmentCode) q = q.where('o.departmentCode', '=', f.departmentCode);
  if (f.stages) q = q.where('o.stage', 'in', f.stages.length > 0 ? f.stages : [-1]);
  if (f.status) q = q.where('o.status', '=', f.status as SupervisionOrderTable['status']);
  return q.orderBy('o.issuedAt', 'desc').limit(1000).execute();
}

/** Open orders past their due date, locked so two sweeps escalate each once. */
export function lockOverdueOrders(trx: Transaction<DB>, today: string) {
  return trx
    .selectFrom('supervisionOrder')
    .selectAll()
    .where('status', '=', 'open')
    .where('dueDate', '<', today)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function markEscalated(trx: Transaction<DB>, id: string, at: Date) {
  return trx
    .updateTable('supervisionOrder')
    .set({ status: 'escalated', escalatedAt: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}
