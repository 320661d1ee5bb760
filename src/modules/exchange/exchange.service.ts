/**
 * The provincial exchange (issue 14, tasks 39–42): the outbox → local SPGL rows (validated) → upsert into
 * the 省前置库 → one notification per batch, with retries and backoff, dead letters, and reconciliation.
 * Each step is idempotent and safe to run in several processes at once (row locks with SKIP LOCKED).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { beijingDate } from '../calendar/calendar.rules';
import { taskBlzt, type TaskStatus } from '../approvals/lifecycle.rules';
import { applicationTaskRecords, taskRecord } from '../approvals/exchange-source.service';
import { certificateRecord } from '../certificates/certificate.service';
import { listDepartments } from '../identity/identity.service';
import { displayNamesOf } from '../identity/identity.service';
import { exchangeFacts } from '../projects/project.service';
import * as repo from './exchange.repository';
import {
  controlLineBuilt,
  definitionBuilt,
  intermediaryServiceBuilt,
  licenceBuilt,
  opinionsBuilt,
  redLineBuilt,
  type BuiltRow,
  type SourceOptions,
} from './exchange.sources';
import {
  backoffMs,
  handlingRow,
  itemRow,
  MAX_ATTEMPTS,
  projectRow,
  replyRow,
  rowChecksum,
  tableChecksum,
  validateRow,
  type SpglRow,
} from './exchange.rules';
import type { UploadState } from './exchange.tables';
import { ensureProvinceSchema, provinceRows, upsertRows, type ProvinceLink } from './province';
import {
  HANDLING_TABLE,
  ITEM_TABLE,
  PROJECT_TABLE,
  REPLY_TABLE,
  SPGL_TABLES,
  spglTable,
} from './spgl.tables.data';

type Trx = Transaction<DB>;

// ---------------------------------------------------------------------------------------------
// Building rows from the outbox.

async function projectRows(trx: Trx, projectId: string): Promise<BuiltRow[]> {
  const facts = await exchangeFacts(trx, projectId);
  if (!facts) return [];
  const p = facts.project;
  const attrs = p.attributes as unknown as Record<string, unknown>;
  return [
    {
      tableCode: PROJECT_TABLE,
      projectId,
      row: projectRow({
        id: p.id,
        code: p.code,
        name: p.name,
        districtCode: p.districtCode,
        industryCode: p.industryCode,
        approvalType: p.approvalType,
        totalInvestment: p.totalInvestment,
        plannedStart: p.plannedStart,
        plannedCompletion: p.plannedCompletion,
        siteAreaM2: p.siteAreaM2,
        buildingArea:
          typeof attrs.buildingArea === 'number' && attrs.buildingArea > 0 ? attrs.buildingArea : null,
        createdAt: p.createdAt.toISOString(),
        templateCode: p.templateCode,
        templateVersion: p.templateVersion,
        nationalProcessType: facts.nationalProcessType,
        landWithScheme: attrs.landSupplyMethod === 'transfer_with_scheme',
        withinRegionalAssessment: attrs.withinRegionalAssessment === true,
        enterpriseName: p.enterpriseName,
        enterpriseCreditCode: facts.creditCode,
        completedAt: facts.completedAt,
      }),
    },
  ];
}

type Task = NonNullable<Awaited<ReturnType<typeof taskRecord>>>;

async function taskRows(
  trx: Trx,
  task: Task,
  change: repo.OutboxRow | null,
  departments: Map<string, string>,
): Promise<BuiltRow[]> {
  const facts = await exchangeFacts(trx, task.projectId);
  if (!facts) return [];
  const p = facts.project;
  const departmentName = departments.get(task.departmentCode) ?? task.departmentCode;
  const out: BuiltRow[] = [
    {
      tableCode: ITEM_TABLE,
      projectId: p.id,
      row: itemRow({
        id: task.id,
        applicationId: task.applicationId,
        projectCode: p.code,
        itemCode: task.itemCode,
        itemVersion: task.itemVersion,
        templateCode: p.templateCode,
        templateVersion: p.templateVersion,
        departmentCode: task.departmentCode,
        departmentName,
        limitWorkingDays: task.limitWorkingDays + task.extendedDays,
        viaCommitment: task.viaCommitment,
      }),
    },
  ];
  if (change) {
    const detail = change.detail as Record<string, unknown>;
    const state = (change.toState && change.toState in taskBlzt ? change.toState : task.status) as TaskStatus;
    const blzt = change.action.endsWith('special_procedure_ended') ? 10 : taskBlzt[state];
    out.push({
      tableCode: HANDLING_TABLE,
      projectId: p.id,
      row: handlingRow({
        changeId: change.id,
        taskId: task.id,
        projectCode: p.code,
        departmentName,
        // 办理人: the person's name (the reference's BLR), 系统 for automatic changes.
        actor: change.actorUserId
          ? ((await displayNamesOf(trx, [change.actorUserId])).get(change.actorUserId) ?? change.actorUserId)
          : '系统',
        blzt,
        opinion: (typeof detail.opinion === 'string' ? detail.opinion : null) ?? change.reason,
        at: change.occurredAt.toISOString(),
        enterpriseName: p.enterpriseName,
        enterpriseCreditCode: facts.creditCode,
      }),
    });
  }
  return out;
}

async function rowsFor(
  trx: Trx,
  change: repo.OutboxRow,
  departments: Map<string, string>,
  opts: SourceOptions,
): Promise<BuiltRow[]> {
  switch (change.objectType) {
    case 'project': {
      // The project, its red line, and the process version it names (SPLCBM / SPLCBBH).
      const rows = await projectRows(trx, change.objectId);
      const p = rows[0]?.row;
      if (!p) return rows;
      return [
        ...(await definitionBuilt(trx, String(p.SPLCBM), Number(p.SPLCBBH), opts)),
        ...rows,
        ...(await redLineBuilt(trx, change.objectId)),
      ];
    }
    case 'process_template': {
      const version = /^v(\d+)$/.exec(change.toState ?? '')?.[1];
      return version ? definitionBuilt(trx, change.objectId, Number(version), opts) : [];
    }
    case 'blueprint_layer':
      return controlLineBuilt(trx, change.objectId);
    case 'planned_project':
      return opinionsBuilt(trx, change.objectId);
    case 'market_engagement':
      return intermediaryServiceBuilt(trx, change.objectId);
    case 'item_task': {
      const task = await taskRecord(trx, change.objectId);
      return task
        ? [...(await taskRows(trx, task, change, departments)), ...(await projectRows(trx, task.projectId))]
        : [];
    }
    case 'stage_application': {
      const tasks = await applicationTaskRecords(trx, change.objectId);
      const ended = new Set(
        Array.isArray((change.detail as { endedTasks?: unknown }).endedTasks)
          ? (change.detail as { endedTasks: string[] }).endedTasks
          : [],
      );
      const out: BuiltRow[] = [];
      // An application ended (撤回, 终止) ends its running items: each gets its own handling row.
      for (const t of tasks.filter((x) => ended.has(x.id)))
        out.push(...(await taskRows(trx, t, change, departments)));
      const projectId = (change.detail as { projectId?: string }).projectId ?? tasks[0]?.projectId;
      if (projectId) out.push(...(await projectRows(trx, projectId)));
      return out;
    }
    case 'certificate': {
      const c = await certificateRecord(trx, change.objectId);
      if (!c) return [];
      const facts = await exchangeFacts(trx, c.projectId);
      if (!facts) return [];
      return [
        ...(await licenceBuilt(trx, c)),
        {
          tableCode: REPLY_TABLE,
          projectId: c.projectId,
          row: replyRow({
            id: c.id,
            taskId: c.taskId,
            projectCode: facts.project.code,
            identifier: c.identifier,
            title: c.title,
            issuedOn: beijingDate(c.issuedAt),
            validUntil: c.validUntil,
            revoked: c.revokedAt !== null,
            revokedReason: c.revokedReason,
          }),
        },
      ];
    }
    default:
      return [];
  }
}

/** Turns unprocessed outbox rows into local SPGL rows (validated), in id order, 200 at a time. */
export async function buildFromOutbox(db: Kysely<DB>, now: Date, opts: SourceOptions = {}): Promise<number> {
  const departments = new Map((await listDepartments(db)).map((d) => [d.code, d.name]));
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const changes = await repo.claimOutbox(trx, 200);
      for (const change of changes) {
        for (const built of await rowsFor(trx, change, departments, opts)) {
          const table = spglTable(built.tableCode)!;
          await repo.putRow(trx, {
            tableCode: built.tableCode,
            dfsjzj: String(built.row.DFSJZJ),
            projectId: built.projectId,
            payload: built.row,
            checksum: rowChecksum(table, built.row),
            problems: validateRow(built.tableCode, built.row),
            at: now,
          });
        }
      }
      await repo.markProcessed(
        trx,
        changes.map((c) => c.id),
        now,
      );
      return changes.length;
    });
    total += n;
    if (n < 200) return total;
  }
}

// ---------------------------------------------------------------------------------------------
// Upload and notification.

export interface Notifier {
  url: string | undefined;
  fetch?: typeof fetch;
}

export interface UploadResult {
  uploaded: number;
  failed: number;
  batches: number;
  error: string | null;
}

/** Upserts the due rows into the province, 500 per batch; a failure schedules the rows' retry. */
export async function uploadDue(
  db: Kysely<DB>,
  province: ProvinceLink,
  now: Date,
  notifier: Notifier,
): Promise<UploadResult> {
  const result: UploadResult = { uploaded: 0, failed: 0, batches: 0, error: null };
  let schemaReady = false;
  for (let round = 0; round < 100; round++) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await repo.claimDueRows(trx, now, 500);
      if (rows.length === 0) return true;
      try {
        if (!schemaReady) {
          await ensureProvinceSchema(province);
          schemaReady = true;
        }
        const byTable = new Map<string, SpglRow[]>();
        for (const r of rows)
          byTable.set(r.tableCode, [...(byTable.get(r.tableCode) ?? []), r.payload as SpglRow]);
        for (const [code, list] of byTable) await upsertRows(province, spglTable(code)!, list, now);
        await repo.markUploaded(trx, rows, now);
        await repo.insertBatch(trx, {
          at: now,
          rowCount: rows.length,
          tables: Object.fromEntries([...byTable].map(([k, v]) => [k, v.length])),
          notify: !!notifier.url,
        });
        result.uploaded += rows.length;
        result.batches += 1;
        return rows.length < 500;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        result.error = message;
        result.failed += rows.length;
        await repo.markFailed(trx, rows, `省前置库写入失败：${message}`, (attempts) => ({
          state: (attempts >= MAX_ATTEMPTS ? 'dead' : 'pending') as UploadState,
          at: new Date(now.getTime() + backoffMs(attempts)),
        }));
        return true;
      }
    });
    if (done) break;
  }
  return result;
}

/** Calls the province's notification URL once per uploaded batch; failures retry with backoff. */
export async function notifyDue(db: Kysely<DB>, now: Date, notifier: Notifier) {
  if (!notifier.url) return { delivered: 0, failed: 0 };
  const doFetch = notifier.fetch ?? fetch;
  let delivered = 0;
  let failed = 0;
  await db.transaction().execute(async (trx) => {
    for (const b of await repo.claimDueBatches(trx, now)) {
      const attempts = b.notifyAttempts + 1;
      try {
        const res = await doFetch(notifier.url!, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            batchId: b.id,
            rowCount: b.rowCount,
            tables: b.tables,
            uploadedAt: b.createdAt,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await repo.updateBatch(trx, b.id, {
          notifyState: 'delivered',
          notifyAttempts: attempts,
          notifiedAt: now,
          lastError: null,
        });
        delivered += 1;
      } catch (err) {
        failed += 1;
        await repo.updateBatch(trx, b.id, {
          notifyState: attempts >= MAX_ATTEMPTS ? 'dead' : 'pending',
          notifyAttempts: attempts,
          nextNotifyAt: new Date(now.getTime() + backoffMs(attempts)),
          lastError: `通知失败：${err instanceof Error ? err.message : String(err)}`.slice(0, 1000),
        });
      }
    }
  });
  return { delivered, failed };
}

/** One run of the 5-minute job: build, upload, notify. */
export async function runExchange(
  db: Kysely<DB>,
  province: ProvinceLink,
  now: Date,
  notifier: Notifier,
  opts: SourceOptions = {},
) {
  const built = await buildFromOutbox(db, now, opts);
  const upload = await uploadDue(db, province, now, notifier);
  const notify = await notifyDue(db, now, notifier);
  return { built, ...upload, notified: notify.delivered, notifyFailed: notify.failed };
}

// ---------------------------------------------------------------------------------------------
// Reconciliation and the administrator's view.

export interface TableReconciliation {
  tableCode: string;
  tableName: string;
  localCount: number;
  provinceCount: number;
  localChecksum: string;
  provinceChecksum: string;
  missing: string[];
  extra: string[];
  different: string[];
}

/** Counts and checksums per table, local (what should be there) against the province; stored as a report. */
export async function reconcile(db: Kysely<DB>, province: ProvinceLink, now: Date) {
  const tables: TableReconciliation[] = [];
  let error: string | null = null;
  try {
    await ensureProvinceSchema(province);
    for (const t of SPGL_TABLES) {
      const local = await repo.expectedRows(db, t.code);
      const remote = (await provinceRows(province, t)).map((r) => ({
        dfsjzj: String(r.dfsjzj),
        checksum: rowChecksum(t, r),
      }));
      const remoteBy = new Map(remote.map((r) => [r.dfsjzj, r.checksum]));
      const localBy = new Map(local.map((r) => [r.dfsjzj, r.checksum]));
      tables.push({
        tableCode: t.code,
        tableName: t.name,
        localCount: local.length,
        provinceCount: remote.length,
        localChecksum: tableChecksum(local),
        provinceChecksum: tableChecksum(remote),
        missing: local
          .filter((r) => !remoteBy.has(r.dfsjzj))
          .map((r) => r.dfsjzj)
          .slice(0, 100),
        extra: remote
          .filter((r) => !localBy.has(r.dfsjzj))
          .map((r) => r.dfsjzj)
          .slice(0, 100),
        different: local
          .filter((r) => remoteBy.has(r.dfsjzj) && remoteBy.get(r.dfsjzj) !== r.checksum)
          .map((r) => r.dfsjzj)
          .slice(0, 100),
      });
    }
  } catch (err) {
    error = `省前置库不可用：${err instanceof Error ? err.message : String(err)}`;
  }
  const differences = tables.reduce((n, t) => n + t.missing.length + t.extra.length + t.different.length, 0);
  const { id } = await repo.insertReconciliation(db, { at: now, differences, tables, error });
  return { id, runAt: now.toISOString(), differences, tables, error };
}

export async function overview(db: Kysely<DB>) {
  const [counts, outbox, batches, reports] = await Promise.all([
    repo.countByState(db),
    repo.countUnprocessed(db),
    repo.listBatches(db, 20),
    repo.listReconciliations(db, 10),
  ]);
  return {
    tables: SPGL_TABLES.map((t) => {
      const of = (s: UploadState) =>
        counts.find((c) => c.tableCode === t.code && c.uploadState === s)?.n ?? 0;
      return {
        tableCode: t.code,
        tableName: t.name,
        pending: of('pending'),
        uploaded: of('uploaded'),
        invalid: of('invalid'),
        dead: of('dead'),
      };
    }),
    outboxPending: outbox.n,
    batches: batches.map((b) => ({
      id: b.id,
      createdAt: b.createdAt.toISOString(),
      rowCount: b.rowCount,
      tables: b.tables,
      notifyState: b.notifyState,
      notifyAttempts: b.notifyAttempts,
      lastError: b.lastError,
    })),
    reconciliations: reports.map((r) => ({
      id: r.id,
      runAt: r.runAt.toISOString(),
      differences: r.differences,
      tables: r.tables as TableReconciliation[],
      error: r.error,
    })),
  };
}

/** Rows held back by a validation rule (invalid) or given up after retries (dead), for the administrator. */
export async function problemRows(
  db: Kysely<DB>,
  filter: { state: 'invalid' | 'dead'; tableCode?: string },
  page: { limit: number; offset: number },
) {
  const rows = await repo.listRows(db, { states: [filter.state], tableCode: filter.tableCode }, page);
  return rows.map((r) => ({
    tableCode: r.tableCode,
    dfsjzj: r.dfsjzj,
    state: r.uploadState,
    attempts: r.attempts,
    lastError: r.lastError,
    problems: r.problems,
    changedAt: r.changedAt.toISOString(),
    payload: r.payload,
  }));
}

/** Dead letters back to the queue (all, or one), due at once. */
export async function retryDead(db: Kysely<DB>, now: Date, key?: { tableCode: string; dfsjzj: string }) {
  const res = await db.transaction().execute((trx) => repo.requeueDead(trx, now, key));
  return { requeued: Number(res.numUpdatedRows ?? 0) };
}
