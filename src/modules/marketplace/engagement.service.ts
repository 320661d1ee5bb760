/**
 * The service under supervision (task 64): the contract starts a working-day clock against the
 * intermediary's commitment (approvals' one `taskClock` rule: 预警 in the last 20%, 逾期 after); the
 * report is uploaded (materials) and, once the owner accepts it, becomes a material of the project
 * (task 58: e.g. the 地质灾害危险性评估报告 of 多评合一, the 竣工联合测绘成果报告 of 联合验收); the owner
 * rates it (GB/T 39046 A.8 满意度代码) and may complain; an overdue service and an upheld complaint write
 * credit records (credit's service, once per source). The exchange rows 中介服务事项办理信息表 / 办理过程信息表
 * are written with every step.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { taskClock, type TaskClock } from '../approvals/clock.rules';
import { beijingDate, type WorkingCalendar } from '../calendar/calendar.rules';
import { ensureOrganisationSubject, recordForSubject } from '../credit/credit.service';
import { findEnterprise } from '../identity/identity.service';
import type { Actor } from '../identity/identity.rules';
import { adoptFile, findFiles } from '../materials/material.service';
import { findProjectRow } from '../projects/project.service';
import {
  canWatch,
  ownIntermediary,
  requireMarketStaff,
  requireOwner,
  type Db,
  type MarketDeps,
} from './marketplace.access';
import * as repo from './marketplace.repository';
import {
  engagementNext,
  engagementStatusNames,
  satisfactionNames,
  type EngagementEvent,
} from './marketplace.rules';
import type { EngagementStatus } from './marketplace.tables';
import { findService } from './service-list.service';

type EngagementRow = NonNullable<Awaited<ReturnType<typeof repo.findEngagement>>>;

const OVERDUE_BASIS =
  '《郑州市工程建设项目审批制度改革实施方案》任务63、64：中介服务纳入网上中介服务超市监管，超过服务承诺时限的，记入信用记录';
const COMPLAINT_BASIS =
  '《郑州市工程建设项目审批制度改革实施方案》任务64：对中介服务的投诉经核实的，记入信用记录，情节严重的列入黑名单';

/** The day the clock stopped: the delivery (while it waits for the owner, and after acceptance) or the end. */
function finishedOn(e: Pick<EngagementRow, 'status' | 'deliveredOn' | 'finishedOn'>): string | null {
  if (e.status === 'in_service') return null;
  return e.finishedOn ?? e.deliveredOn;
}

export function serviceClock(calendar: WorkingCalendar, e: EngagementRow, today: string): TaskClock {
  return taskClock(
    calendar,
    { deadline: e.deadline, promisedDays: e.committedDays, finishedOn: finishedOn(e) },
    [],
    today,
  );
}

export async function startEngagement(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  actor: Actor,
  now: Date,
  input: {
    needId: string;
    offerId: string;
    intermediaryId: string;
    contractNo: string;
    amountYuan: number;
    committedDays: number;
    signedOn: string;
  },
) {
  // Counting starts the day after signing, like an approval's limit after acceptance.
  const { deadline } = calendar.addWorkingDays(input.signedOn, input.committedDays);
  const row = await repo.insertEngagement(trx, {
    ...input,
    deadline,
    status: 'in_service',
    createdAt: now,
    updatedAt: now,
  });
  if (!row) throw new DomainError('CONFLICT_DUPLICATE', '该需求已签约');
  await recordEvent(trx, actor, now, {
    action: 'marketplace.engagement_started',
    objectType: 'market_engagement',
    objectId: row.id,
    toState: 'in_service',
    detail: { needId: input.needId, deadline, committedDays: input.committedDays },
  });
  return row;
}

async function context(db: Db, e: EngagementRow) {
  const need = (await repo.findNeed(db, e.needId))!;
  const intermediary = (await repo.findIntermediary(db, e.intermediaryId))!;
  const service = await findService(db, need.serviceCode);
  return { need, intermediary, service };
}

export async function engagementView(db: Db, deps: MarketDeps, e: EngagementRow) {
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const { need, intermediary, service } = await context(db, e);
  const clock = serviceClock(calendar, e, today);
  const complaints = await repo.complaintsOf(db, [e.id]);
  const project = await findProjectRow(db, need.projectId);
  return {
    id: e.id,
    needId: e.needId,
    projectId: need.projectId,
    projectCode: project?.code ?? '',
    projectName: project?.name ?? '',
    serviceCode: service.code,
    serviceName: service.name,
    materialCode: service.materialCode,
    intermediaryId: intermediary.id,
    intermediaryName: intermediary.name,
    contractNo: e.contractNo,
    amountYuan: e.amountYuan,
    committedDays: e.committedDays,
    signedOn: e.signedOn,
    deadline: e.deadline,
    status: e.status,
    statusName: engagementStatusNames[e.status],
    clock: {
      state: clock.clockState,
      remainingWorkingDays: clock.remainingWorkingDays,
      overdueWorkingDays: clock.overdueWorkingDays,
      deadline: clock.deadline,
    },
    report: e.reportFileId
      ? {
          fileId: e.reportFileId,
          reportNo: e.reportNo!,
          summary: e.reportSummary ?? '',
          deliveredOn: e.deliveredOn!,
        }
      : null,
    returnReason: e.returnReason,
    adoptedFileId: e.adoptedFileId,
    acceptedAt: e.acceptedAt?.toISOString() ?? null,
    rating: e.satisfactionCode
      ? {
          code: e.satisfactionCode,
          name: satisfactionNames[e.satisfactionCode]!,
          comment: e.ratingComment ?? '',
        }
      : null,
    endedReason: e.endedReason,
    complaints: complaints.map((c) => ({
      id: c.id,
      reason: c.reason,
      status: c.status,
      decisionNote: c.decisionNote,
      createdAt: c.createdAt.toISOString(),
    })),
  };
}

async function requireParty(db: Db, actor: Actor, e: EngagementRow) {
  if (canWatch(actor)) return;
  if (actor.role === 'intermediary') {
    const own = await ownIntermediary(db, actor);
    if (own.id === e.intermediaryId) return;
    throw new DomainError('FORBIDDEN_SCOPE', '不是本机构承接的服务');
  }
  const need = (await repo.findNeed(db, e.needId))!;
  requireOwner(actor, need.enterpriseId);
}

export async function getEngagement(db: Kysely<DB>, deps: MarketDeps, actor: Actor, id: string) {
  const e = await repo.findEngagement(db, id);
  if (!e) throw notFound('中介服务 engagement', id);
  await requireParty(db, actor, e);
  return engagementView(db, deps, e);
}

export async function listEngagements(db: Kysely<DB>, deps: MarketDeps, actor: Actor) {
  let rows;
  if (canWatch(actor)) rows = await repo.listEngagements(db, {});
  else if (actor.role === 'intermediary') {
    rows = await repo.listEngagements(db, { intermediaryId: (await ownIntermediary(db, actor)).id });
  } else if (actor.role === 'applicant' && actor.enterpriseId) {
    rows = await repo.listEngagements(db, { enterpriseId: actor.enterpriseId });
  } else throw new DomainError('FORBIDDEN_ROLE', '无权查看中介服务');
  const out = [];
  for (const r of rows) out.push(await engagementView(db, deps, r));
  return out;
}

function step(e: EngagementRow, event: EngagementEvent, what: string): EngagementStatus {
  const to = engagementNext(e.status, event);
  if (!to) {
    throw new DomainError('CONFLICT_STATE', `服务当前为「${engagementStatusNames[e.status]}」，不能${what}`, {
      details: { state: e.status },
    });
  }
  return to;
}

async function lockEngagement(trx: Transaction<DB>, id: string) {
  const e = await repo.lockEngagement(trx, id);
  if (!e) throw notFound('中介服务 engagement', id);
  return e;
}

/** Writes the credit record of an overdue service (once: the record's source is the engagement). */
async function recordOverdue(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  e: EngagementRow,
  clock: TaskClock,
  now: Date,
) {
  const { intermediary, service } = await context(trx, e);
  const subject = await ensureOrganisationSubject(
    trx,
    { kind: 'intermediary', name: intermediary.name, creditCode: intermediary.creditCode },
    now,
  );
  return recordForSubject(
    trx,
    calendar,
    {
      subjectId: subject.id,
      kind: 'service_overdue',
      reason: `${service.name}（合同 ${e.contractNo}）超过承诺时限 ${e.committedDays} 个工作日（应于 ${e.deadline} 前完成），逾期 ${clock.overdueWorkingDays} 个工作日`,
      basis: OVERDUE_BASIS,
      sourceType: 'market_engagement',
      sourceId: e.id,
      departmentCode: 'zwb',
    },
    now,
  );
}

/** The intermediary delivers its report (a file it uploaded to /api/materials as its own). */
export async function deliver(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  id: string,
  input: { fileId: string; reportNo: string; summary: string },
) {
  const own = await ownIntermediary(db, actor);
  const calendar = await deps.calendar.get();
  await db.transaction().execute(async (trx) => {
    const e = await lockEngagement(trx, id);
    if (e.intermediaryId !== own.id) throw new DomainError('FORBIDDEN_SCOPE', '不是本机构承接的服务');
    const to = step(e, 'deliver', '提交成果');
    await findFiles(trx, [input.fileId], own.enterpriseId).catch((err: unknown) => {
      if (err instanceof DomainError) {
        throw new DomainError(err.code, err.message, { field: 'body.fileId' });
      }
      throw err;
    });
    const now = deps.clock.now();
    const today = beijingDate(now);
    await repo.updateEngagement(trx, id, {
      status: to,
      reportFileId: input.fileId,
      reportNo: input.reportNo,
      reportSummary: input.summary,
      deliveredOn: today,
      returnReason: null,
      updatedAt: now,
    });
    const updated = (await repo.findEngagement(trx, id))!;
    const clock = serviceClock(calendar, updated, today);
    await repo.updateEngagement(trx, id, { clockState: clock.clockState });
    // Delivered late: the same record the sweep would have written (once).
    if (clock.clockState === 'overdue') await recordOverdue(trx, calendar, updated, clock, now);
    await recordEvent(trx, actor, now, {
      action: 'marketplace.report_delivered',
      objectType: 'market_engagement',
      objectId: id,
      fromState: e.status,
      toState: to,
      detail: { fileId: input.fileId, reportNo: input.reportNo, clockState: clock.clockState },
    });
    await writeExchangeRows(trx, id, '提交成果', actor, now, `成果文件 ${input.reportNo}`);
  });
  return getEngagement(db, deps, actor, id);
}

/** The owner accepts the report (it becomes the project's material) or returns it for rework. */
export async function decideReport(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  id: string,
  input: { decision: 'accept' | 'return'; reason?: string },
) {
  await db.transaction().execute(async (trx) => {
    const e = await lockEngagement(trx, id);
    const { need, service } = await context(trx, e);
    requireOwner(actor, need.enterpriseId);
    const now = deps.clock.now();
    if (input.decision === 'return') {
      const to = step(e, 'return', '退回成果');
      if (!input.reason?.trim()) {
        throw new DomainError('VALIDATION_FAILED', '退回须写明理由', { field: 'body.reason' });
      }
      // The clock runs on: the report did not meet the contract.
      await repo.updateEngagement(trx, id, {
        status: to,
        returnReason: input.reason,
        deliveredOn: null,
        updatedAt: now,
      });
      await recordEvent(trx, actor, now, {
        action: 'marketplace.report_returned',
        objectType: 'market_engagement',
        objectId: id,
        fromState: e.status,
        toState: to,
        reason: input.reason,
      });
      await writeExchangeRows(trx, id, '退回修改', actor, now, input.reason);
      return;
    }
    const to = step(e, 'accept', '验收');
    let adoptedFileId: string | null = null;
    if (service.materialCode) {
      adoptedFileId = await adoptFile(trx, actor, now, {
        fileId: e.reportFileId!,
        enterpriseId: need.enterpriseId,
        materialCode: service.materialCode,
        projectId: need.projectId,
      });
    }
    await repo.updateEngagement(trx, id, {
      status: to,
      acceptedAt: now,
      adoptedFileId,
      finishedOn: e.deliveredOn,
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'marketplace.report_accepted',
      objectType: 'market_engagement',
      objectId: id,
      fromState: e.status,
      toState: to,
      detail: { adoptedFileId, materialCode: service.materialCode },
    });
    await writeExchangeRows(trx, id, '成果验收', actor, now, null);
  });
  return getEngagement(db, deps, actor, id);
}

/** The owner ends the contract (the need opens again for a new selection). */
export async function terminate(db: Kysely<DB>, deps: MarketDeps, actor: Actor, id: string, reason: string) {
  await db.transaction().execute(async (trx) => {
    const e = await lockEngagement(trx, id);
    const need = (await repo.lockNeed(trx, e.needId))!;
    requireOwner(actor, need.enterpriseId);
    const to = step(e, 'terminate', '终止合同');
    const now = deps.clock.now();
    await repo.updateEngagement(trx, id, {
      status: to,
      endedReason: reason,
      finishedOn: beijingDate(now),
      updatedAt: now,
    });
    await repo.updateNeed(trx, need.id, {
      status: 'open',
      method: null,
      selectedOfferId: null,
      selectionNote: `合同 ${e.contractNo} 已终止：${reason}`,
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'marketplace.engagement_terminated',
      objectType: 'market_engagement',
      objectId: id,
      fromState: e.status,
      toState: to,
      reason,
    });
    await writeExchangeRows(trx, id, '终止合同', actor, now, reason);
  });
  return getEngagement(db, deps, actor, id);
}

/** The owner's 满意度 (GB/T 39046 A.8: 1 非常满意 … 5 非常不满意), after acceptance or termination. */
export async function rate(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  id: string,
  input: { satisfactionCode: number; comment?: string },
) {
  await db.transaction().execute(async (trx) => {
    const e = await lockEngagement(trx, id);
    const need = (await repo.findNeed(trx, e.needId))!;
    requireOwner(actor, need.enterpriseId);
    step(e, 'rate', '评价');
    const now = deps.clock.now();
    await repo.updateEngagement(trx, id, {
      satisfactionCode: input.satisfactionCode,
      ratingComment: input.comment ?? null,
      ratedAt: now,
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'marketplace.service_rated',
      objectType: 'market_engagement',
      objectId: id,
      detail: { satisfactionCode: input.satisfactionCode },
    });
    await writeExchangeRows(
      trx,
      id,
      '服务评价',
      actor,
      now,
      satisfactionNames[input.satisfactionCode] ?? null,
    );
  });
  return getEngagement(db, deps, actor, id);
}

export async function complain(db: Kysely<DB>, deps: MarketDeps, actor: Actor, id: string, reason: string) {
  await db.transaction().execute(async (trx) => {
    const e = await lockEngagement(trx, id);
    const need = (await repo.findNeed(trx, e.needId))!;
    requireOwner(actor, need.enterpriseId);
    const now = deps.clock.now();
    const row = await repo.insertComplaint(trx, {
      engagementId: id,
      filedBy: actor.userId,
      reason,
      status: 'filed',
      createdAt: now,
    });
    if (!row) throw new DomainError('CONFLICT_DUPLICATE', '已有一件投诉待处理');
    await recordEvent(trx, actor, now, {
      action: 'marketplace.complaint_filed',
      objectType: 'market_complaint',
      objectId: row.id,
      toState: 'filed',
      reason,
      detail: { engagementId: id },
    });
  });
  return getEngagement(db, deps, actor, id);
}

export async function listComplaints(db: Kysely<DB>, actor: Actor) {
  requireMarketStaff(actor);
  return (await repo.listComplaints(db)).map((c) => ({
    id: c.id,
    engagementId: c.engagementId,
    reason: c.reason,
    status: c.status,
    decisionNote: c.decisionNote,
    createdAt: c.createdAt.toISOString(),
  }));
}

/** 政务办 decides a complaint; an upheld one writes a credit record of the intermediary. */
export async function decideComplaint(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  complaintId: string,
  input: { decision: 'upheld' | 'dismissed'; note: string },
) {
  requireMarketStaff(actor);
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const c = await repo.lockComplaint(trx, complaintId);
    if (!c) throw notFound('投诉 complaint', complaintId);
    if (c.status !== 'filed') {
      throw new DomainError('CONFLICT_STATE', '该投诉已处理', { details: { state: c.status } });
    }
    const now = deps.clock.now();
    await repo.decideComplaint(trx, complaintId, {
      status: input.decision,
      decisionNote: input.note,
      decidedBy: actor.userId,
      decidedAt: now,
    });
    let recorded = false;
    if (input.decision === 'upheld') {
      const e = (await repo.findEngagement(trx, c.engagementId))!;
      const { intermediary, service } = await context(trx, e);
      const subject = await ensureOrganisationSubject(
        trx,
        { kind: 'intermediary', name: intermediary.name, creditCode: intermediary.creditCode },
        now,
      );
      recorded = await recordForSubject(
        trx,
        calendar,
        {
          subjectId: subject.id,
          kind: 'service_complaint',
          reason: `${service.name}（合同 ${e.contractNo}）投诉经核实：${c.reason}（${input.note}）`,
          basis: COMPLAINT_BASIS,
          sourceType: 'market_complaint',
          sourceId: c.id,
          departmentCode: 'zwb',
        },
        now,
        actor,
      );
    }
    await recordEvent(trx, actor, now, {
      action: `marketplace.complaint_${input.decision}`,
      objectType: 'market_complaint',
      objectId: complaintId,
      fromState: 'filed',
      toState: input.decision,
      reason: input.note,
    });
    return { id: complaintId, status: input.decision, creditRecordWritten: recorded };
  });
}

/**
 * The sweep's part: every running service's clock state is kept (预警 / 逾期) and an overdue one writes
 * its credit record once.
 */
export async function sweepClocks(db: Kysely<DB>, deps: MarketDeps) {
  const calendar = await deps.calendar.get();
  let warnings = 0;
  let overdue = 0;
  for (const { id } of await repo.runningEngagementIds(db)) {
    await db.transaction().execute(async (trx) => {
      const e = await repo.lockEngagement(trx, id);
      if (!e || e.status !== 'in_service') return;
      const now = deps.clock.now();
      const clock = serviceClock(calendar, e, beijingDate(now));
      if (clock.clockState === 'warning') warnings++;
      if (clock.clockState !== e.clockState) {
        await repo.updateEngagement(trx, id, { clockState: clock.clockState });
        await recordEvent(trx, null, now, {
          action: `marketplace.clock_${clock.clockState}`,
          objectType: 'market_engagement',
          objectId: id,
          fromState: e.clockState,
          toState: clock.clockState,
        });
        await writeExchangeRows(trx, id, clock.clockState === 'overdue' ? '逾期' : '预警', null, now, null);
      }
      if (clock.clockState === 'overdue' && (await recordOverdue(trx, calendar, e, clock, now))) overdue++;
    });
  }
  return { warnings, overdueRecorded: overdue };
}

// ---- 中介服务事项办理信息表 / 中介服务事项办理过程信息表

/** 行政区划代码 of the rows: the city's, as every other SPGL row of this system. */
const XZQHDM = '410100';

/**
 * Keeps the exchange rows of an engagement: its 办理信息 row (upserted) and one 办理过程 row per step,
 * with the national field codes of SPGL_ZJFWSXBLXXB_V3 / SPGL_ZJFWSXBLGCXXB_V3 (the exchange module's
 * registry). The recorded event of the same step puts the engagement in the exchange's outbox, so the
 * rows reach the 省前置库 with its next upload. 时限类型 (SXLX) and 办理状态 (BLZT) stay empty: their code
 * lists were not found.
 */
export async function writeExchangeRows(
  trx: Transaction<DB>,
  engagementId: string,
  stepName: string,
  actor: Actor | null,
  now: Date,
  opinion: string | null,
) {
  const e = (await repo.findEngagement(trx, engagementId))!;
  const { need, intermediary, service } = await context(trx, e);
  const [project, owner] = await Promise.all([
    findProjectRow(trx, need.projectId),
    findEnterprise(trx, need.enterpriseId),
  ]);
  await repo.upsertExchangeRow(trx, {
    tableName: '中介服务事项办理信息表',
    localKey: e.id,
    engagementId: e.id,
    row: JSON.stringify({
      DFSJZJ: e.id,
      XZQHDM,
      XMDM: project?.code ?? null,
      ZJFWSXMC: service.name,
      ZJFWSXBM: service.code,
      DYBZZJFWSXBM: null,
      ZJFWSXSLBM: e.id,
      SPSXSLBM: null,
      BLSX: e.committedDays,
      SXLX: null,
      ZJJGDM: intermediary.creditCode,
      ZJJGMC: intermediary.name,
      WTR: owner?.name ?? null,
      WTRDM: owner?.creditCode ?? null,
      SJYXBS: 1,
      SJWXYY: null,
    }),
    writtenAt: now,
  });
  const seq =
    (await repo.exchangeRowsOf(trx, e.id)).filter((r) => r.tableName === '中介服务事项办理过程信息表')
      .length + 1;
  const withReport = stepName === '提交成果' && e.reportFileId;
  await repo.upsertExchangeRow(trx, {
    tableName: '中介服务事项办理过程信息表',
    localKey: `${e.id}:${seq}`,
    engagementId: e.id,
    row: JSON.stringify({
      DFSJZJ: `${e.id}:${seq}`,
      XZQHDM,
      XMDM: project?.code ?? null,
      ZJFWSXSLBM: e.id,
      // BLZT's code list (国标_中介服务事项办理状态) was not found: it stays empty, the step leads BLYJ.
      BLZT: null,
      BLR: actor?.displayName ?? '系统',
      BLYJ: opinion ? `${stepName}：${opinion}` : stepName,
      BLSJ: now.toISOString(),
      FJMC: withReport ? e.reportNo : null,
      FJID: withReport ? e.reportFileId : null,
      SJYXBS: 1,
      SJWXYY: null,
    }),
    writtenAt: now,
  });
}

/** The rows the province receives for one engagement (read by the exchange's upload). */
export async function provinceRowsOf(db: Db, engagementId: string) {
  const e = await repo.findEngagement(db, engagementId);
  if (!e) return [];
  const need = (await repo.findNeed(db, e.needId))!;
  return (await repo.exchangeRowsOf(db, engagementId)).map((r) => ({
    tableName: r.tableName,
    projectId: need.projectId,
    row: r.row,
  }));
}

export async function exchangeRows(db: Kysely<DB>, actor: Actor, engagementId: string) {
  if (!canWatch(actor)) throw new DomainError('FORBIDDEN_ROLE', '仅政务办及监察人员可查看');
  return (await repo.exchangeRowsOf(db, engagementId)).map((r) => ({
    tableName: r.tableName,
    localKey: r.localKey,
    row: r.row,
    writtenAt: r.writtenAt.toISOString(),
  }));
}
