/**
 * 多评合一 (task 50, 豫政办〔2018〕81号): "一次申请、一次告知、同步编制、集中评审". The applicant asks once for
 * several of its running assessment items (环评, 节能, 水土保持, 地震安评, …) with one commissioned assessment
 * organisation; the system answers with one notice of everything the merged report must contain; one
 * report is prepared for all of them; one concentrated review meeting (集中评审, organised by 市发展改革委
 * or a department concerned) is recorded with its experts; each department gives its assessment's
 * conclusion from that meeting. When all pass, the covered items are approved by it (not reviewed again);
 * a failed assessment goes back for a revised report and only the failed ones are decided again.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { DomainError, notFound } from '../../shared/errors';
import { approveByJointResult, projectFacts, taskFacts } from '../approvals/joint-result.service';
import { taskStateNames } from '../approvals/lifecycle.rules';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import * as catalog from '../catalog/catalog.service';
import { type Actor, isStaffOf } from '../identity/identity.rules';
import { notify } from '../supervision/notification.channel';
import * as repo from './joint.repository';
import { staffOf, withUserNames } from './people';
import type { AssessmentNoticeEntry } from './joint.tables';
import {
  assessmentOutcome,
  MERGEABLE_ASSESSMENTS,
  MERGED_ASSESSMENT_LEAD,
  mergedAssessmentStateNames,
} from './joint.rules';

interface Deps {
  clock: Clock;
}

const RUNNING = new Set(['in_review', 'paused']);
/** 专家评审: a concentrated review is held by at least three experts. */
export const MIN_EXPERTS = 3;

function assertOwner(actor: Actor, project: { enterpriseId: string }) {
  if (actor.role === 'agent') return;
  if (actor.role !== 'applicant' || actor.enterpriseId !== project.enterpriseId)
    throw new DomainError('FORBIDDEN_SCOPE', '只能为本单位的项目办理 (not your project)');
}

export async function openMergedAssessment(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  input: { projectId: string; taskIds: string[]; organisationId: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const project = await projectFacts(trx, input.projectId);
    assertOwner(actor, project);
    const org = await repo.findOrganisation(trx, input.organisationId);
    if (!org || org.kind !== 'assessment')
      throw new DomainError(
        'RULE_VIOLATION',
        '多评合一须委托登记的评估机构编制 (not a registered assessment organisation)',
        { field: 'body.organisationId' },
      );
    const ids = [...new Set(input.taskIds)];
    const tasks = [];
    for (const id of ids) {
      const { task } = await taskFacts(trx, id);
      if (task.projectId !== project.id)
        throw new DomainError('VALIDATION_FAILED', `办件 ${id} 不属于该项目 (task of another project)`, {
          field: 'body.taskIds',
        });
      if (!MERGEABLE_ASSESSMENTS.includes(task.itemCode))
        throw new DomainError(
          'RULE_VIOLATION',
          `${task.itemCode} 不是可合并编制的评估评价事项 (not an assessment item)`,
          { field: 'body.taskIds' },
        );
      if (!RUNNING.has(task.status))
        throw new DomainError(
          'CONFLICT_STATE',
          `办件当前为「${taskStateNames[task.status]}」，不能纳入多评合一 (task not in review)`,
        );
      if (await repo.findLiveAssessmentOfTask(trx, task.id))
        throw new DomainError(
          'CONFLICT_DUPLICATE',
          `${task.itemCode} 已纳入另一个多评合一 (already covered by a merged assessment)`,
          { field: 'body.taskIds' },
        );
      tasks.push(task);
    }
    if (new Set(tasks.map((t) => t.itemCode)).size < 2)
      throw new DomainError(
        'RULE_VIOLATION',
        '多评合一至少合并两项不同的评估评价 (at least two assessments)',
        { field: 'body.taskIds' },
      );
    // 一次告知: everything the merged report must contain, from each item's catalog entry.
    const notice: AssessmentNoticeEntry[] = [];
    for (const t of tasks) {
      const item = await catalog.findCurrentItem(trx, t.itemCode);
      notice.push({
        itemCode: t.itemCode,
        itemName: item?.name ?? t.itemCode,
        departmentCode: t.departmentCode,
        materials: (item?.materials ?? []).filter((m) => m.required).map((m) => m.name),
      });
    }
    const row = await repo.insertMergedAssessment(trx, {
      projectId: project.id,
      organisationId: org.id,
      status: 'preparing',
      notice: JSON.stringify(notice),
      openedBy: actor.userId,
      openedAt: now,
    });
    await repo.insertAssessmentItems(
      trx,
      tasks.map((t) => ({
        assessmentId: row.id,
        taskId: t.id,
        itemCode: t.itemCode,
        departmentCode: t.departmentCode,
      })),
    );
    await recordEvent(trx, actor, now, {
      action: 'joint.merged_assessment_opened',
      objectType: 'merged_assessment',
      objectId: row.id,
      toState: 'preparing',
      detail: { projectId: project.id, organisationId: org.id, items: tasks.map((t) => t.itemCode) },
    });
    const departments = [...new Set([MERGED_ASSESSMENT_LEAD, ...tasks.map((t) => t.departmentCode)])];
    for (const code of departments) {
      const staff = await staffOf(trx, code);
      await notify(
        trx,
        now,
        staff.map((u) => ({
          userId: u.id,
          kind: 'merged_assessment_opened',
          title: `多评合一：项目 ${project.code}`,
          body: `“${project.name}”申请多评合一（${notice.map((n) => n.itemName).join('、')}），由${org.name}同步编制，报告提交后集中评审。`,
          objectType: 'merged_assessment',
          objectId: row.id,
        })),
      );
    }
    return assessmentView(trx, row.id);
  });
}

/** The one merged report (同步编制), or after a failed review the revised one (the next round). */
export async function submitReport(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  assessmentId: string,
  input: { reportNumber: string; summary: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockMergedAssessment(trx, assessmentId);
    if (!row) throw notFound('多评合一 merged assessment', assessmentId);
    assertOwner(actor, await projectFacts(trx, row.projectId));
    if (row.status !== 'preparing' && row.status !== 'failed')
      throw new DomainError(
        'CONFLICT_STATE',
        `多评合一当前为「${mergedAssessmentStateNames[row.status]}」，不能提交报告 (report already under review or concluded)`,
      );
    const round = row.status === 'failed' ? row.round + 1 : row.round;
    await repo.updateMergedAssessment(trx, row.id, row.version, {
      status: 'in_review',
      round,
      reportNumber: input.reportNumber.trim(),
      reportSummary: input.summary.trim(),
      reportAt: now,
      concludedAt: null,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.merged_report_submitted',
      objectType: 'merged_assessment',
      objectId: row.id,
      fromState: row.status,
      toState: 'in_review',
      detail: { reportNumber: input.reportNumber.trim(), round },
    });
    return assessmentView(trx, row.id);
  });
}

function assertMeetingOrganiser(actor: Actor, items: readonly { departmentCode: string }[]) {
  const codes = [MERGED_ASSESSMENT_LEAD, ...items.map((i) => i.departmentCode)];
  if (!codes.some((c) => isStaffOf(actor, c)) || actor.role === 'coordinator')
    throw new DomainError(
      'FORBIDDEN_SCOPE',
      '集中评审由市发展改革委或相关审批部门组织 (lead or a department concerned)',
    );
}

/** 集中评审: one meeting per round, with its experts (at least three). */
export async function recordMeeting(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  assessmentId: string,
  input: { heldOn: string; place: string; experts: { name: string; specialty: string; title: string }[] },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockMergedAssessment(trx, assessmentId);
    if (!row) throw notFound('多评合一 merged assessment', assessmentId);
    assertMeetingOrganiser(actor, await repo.listAssessmentItems(trx, row.id));
    if (row.status !== 'in_review')
      throw new DomainError(
        'CONFLICT_STATE',
        row.status === 'preparing'
          ? '评估报告提交后才能集中评审 (no report yet)'
          : `多评合一当前为「${mergedAssessmentStateNames[row.status]}」，不能评审 (not under review)`,
      );
    if (compareDates(input.heldOn, beijingDate(now)) > 0)
      throw new DomainError('VALIDATION_FAILED', '评审会议日期不能晚于今天 (meeting in the future)', {
        field: 'body.heldOn',
      });
    if (input.experts.length < MIN_EXPERTS)
      throw new DomainError(
        'VALIDATION_FAILED',
        `集中评审专家不少于 ${MIN_EXPERTS} 人 (at least ${MIN_EXPERTS} experts)`,
        { field: 'body.experts' },
      );
    if ((await repo.listMeetings(trx, row.id)).some((m) => m.round === row.round))
      throw new DomainError('CONFLICT_DUPLICATE', '本轮集中评审已记录 (meeting of this round recorded)');
    await repo.insertMeeting(trx, {
      assessmentId: row.id,
      round: row.round,
      heldOn: input.heldOn,
      place: input.place.trim(),
      experts: JSON.stringify(
        input.experts.map((e) => ({
          name: e.name.trim(),
          specialty: e.specialty.trim(),
          title: e.title.trim(),
        })),
      ),
      recordedBy: actor.userId,
      recordedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.merged_meeting_recorded',
      objectType: 'merged_assessment',
      objectId: row.id,
      fromState: 'in_review',
      toState: 'in_review',
      detail: { round: row.round, heldOn: input.heldOn, experts: input.experts.map((e) => e.name) },
    });
    return assessmentView(trx, row.id);
  });
}

/** Each department's conclusion on its assessment, from the meeting; all passed → the items approved. */
export async function decideAssessment(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  assessmentId: string,
  input: { itemCode: string; outcome: 'pass' | 'fail'; opinion: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockMergedAssessment(trx, assessmentId);
    if (!row) throw notFound('多评合一 merged assessment', assessmentId);
    const all = await repo.listAssessmentItems(trx, row.id);
    const item = all.find((i) => i.itemCode === input.itemCode);
    if (!item)
      throw new DomainError('VALIDATION_FAILED', '本次多评合一不含该评估事项 (no such assessment)', {
        field: 'body.itemCode',
      });
    if (item.endedAt)
      throw new DomainError(
        'CONFLICT_STATE',
        `该评估事项的办件已结束，不再出具结论（${item.endedReason ?? ''}） (its task ended)`,
        { field: 'body.itemCode' },
      );
    const items = all.filter((i) => i.endedAt === null);
    if (!isStaffOf(actor, item.departmentCode) || !['reviewer', 'senior', 'head'].includes(actor.role))
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '评审结论由该评估事项的审批部门出具 (another department’s assessment)',
      );
    if (row.status !== 'in_review')
      throw new DomainError(
        'CONFLICT_STATE',
        `多评合一当前为「${mergedAssessmentStateNames[row.status]}」，不能出具结论 (not under review)`,
      );
    if (!(await repo.listMeetings(trx, row.id)).some((m) => m.round === row.round))
      throw new DomainError(
        'RULE_VIOLATION',
        '评审结论依据集中评审会议出具，请先记录本轮评审会议 (no meeting recorded for this round)',
      );
    const itemCodes = items.map((i) => i.itemCode);
    const before = await repo.listConclusions(trx, row.id);
    if (!assessmentOutcome(itemCodes, before, row.round).pending.includes(input.itemCode))
      throw new DomainError('CONFLICT_STATE', '该评估本轮已出具结论 (already decided)');
    await repo.insertConclusion(trx, {
      assessmentId: row.id,
      round: row.round,
      itemCode: input.itemCode,
      departmentCode: item.departmentCode,
      outcome: input.outcome,
      opinion: input.opinion.trim(),
      decidedBy: actor.userId,
      decidedAt: now,
    });
    const after = assessmentOutcome(
      itemCodes,
      [...before, { itemCode: input.itemCode, round: row.round, outcome: input.outcome }],
      row.round,
    );
    await recordEvent(trx, actor, now, {
      action: `joint.assessment_${input.outcome}`,
      objectType: 'merged_assessment',
      objectId: row.id,
      fromState: 'in_review',
      toState: after.state === 'open' ? 'in_review' : after.state,
      reason: input.opinion,
      detail: { itemCode: input.itemCode, round: row.round },
    });
    if (after.state === 'failed')
      await repo.updateMergedAssessment(trx, row.id, row.version, { status: 'failed', concludedAt: now });
    if (after.state === 'passed') await concludePassed(trx, actor, now, row.id, row.version);
    return assessmentView(trx, row.id);
  });
}

async function concludePassed(
  trx: Transaction<DB>,
  actor: Actor,
  now: Date,
  assessmentId: string,
  version: number,
) {
  const row = (await repo.findMergedAssessment(trx, assessmentId))!;
  const items = (await repo.listAssessmentItems(trx, row.id)).filter((i) => i.endedAt === null);
  const today = beijingDate(now);
  const number = `多评合一〔${today.slice(0, 4)}〕${row.id.slice(0, 8).toUpperCase()}号`;
  await approveByJointResult(trx, actor, now, {
    projectId: row.projectId,
    itemCodes: items.map((i) => i.itemCode),
    opinion: `多评合一集中评审通过（任务50）：评估报告 ${row.reportNumber ?? ''} 经集中评审，各项评估结论合格`,
    document: (itemCode, title) => ({ number: `${number}-${itemCode}`, title, date: today }),
    procedure: 'merged_assessment',
  });
  await repo.updateMergedAssessment(trx, row.id, version, {
    status: 'passed',
    concludedAt: now,
    opinionNumber: number,
  });
  await repo.releaseAssessmentItems(trx, row.id);
}

/** 撤回: the applicant (or the organising department) ends it; each item is then decided on its own. */
export async function withdrawMergedAssessment(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  assessmentId: string,
  reason: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockMergedAssessment(trx, assessmentId);
    if (!row) throw notFound('多评合一 merged assessment', assessmentId);
    const project = await projectFacts(trx, row.projectId);
    if (actor.role === 'applicant' || actor.role === 'agent') assertOwner(actor, project);
    else assertMeetingOrganiser(actor, await repo.listAssessmentItems(trx, row.id));
    if (row.status === 'passed' || row.status === 'withdrawn')
      throw new DomainError(
        'CONFLICT_STATE',
        `多评合一当前为「${mergedAssessmentStateNames[row.status]}」，不能撤回 (already concluded)`,
      );
    await repo.updateMergedAssessment(trx, row.id, row.version, {
      status: 'withdrawn',
      concludedAt: now,
      closedReason: `撤回：${reason}`,
    });
    await repo.releaseAssessmentItems(trx, row.id);
    await recordEvent(trx, actor, now, {
      action: 'joint.merged_assessment_withdrawn',
      objectType: 'merged_assessment',
      objectId: row.id,
      fromState: row.status,
      toState: 'withdrawn',
      reason,
    });
    return assessmentView(trx, row.id);
  });
}

export async function assessmentView(db: Kysely<DB> | Transaction<DB>, id: string) {
  const row = await repo.findMergedAssessment(db, id);
  if (!row) throw notFound('多评合一 merged assessment', id);
  const org = (await repo.findOrganisation(db, row.organisationId))!;
  const items = await repo.listAssessmentItems(db, row.id);
  const conclusions = await withUserNames(
    db,
    await repo.listConclusions(db, row.id),
    (c) => c.decidedBy,
    'decidedByName',
  );
  const meetings = await repo.listMeetings(db, row.id);
  const outcome = assessmentOutcome(
    items.filter((i) => i.endedAt === null).map((i) => i.itemCode),
    conclusions,
    row.round,
  );
  const names = new Map(row.notice.map((n) => [n.itemCode, n.itemName]));
  return {
    id: row.id,
    projectId: row.projectId,
    organisation: { id: org.id, name: org.name },
    status: row.status,
    statusName: mergedAssessmentStateNames[row.status],
    closedReason: row.closedReason,
    round: row.round,
    notice: row.notice,
    reportNumber: row.reportNumber,
    reportSummary: row.reportSummary,
    opinionNumber: row.opinionNumber,
    pendingItems: row.status === 'in_review' ? outcome.pending : [],
    items: items.map((i) => ({
      taskId: i.taskId,
      itemCode: i.itemCode,
      itemName: names.get(i.itemCode) ?? i.itemCode,
      departmentCode: i.departmentCode,
      ended: i.endedAt !== null,
      endedReason: i.endedReason,
    })),
    meetings: meetings.map((m) => ({
      round: m.round,
      heldOn: m.heldOn,
      place: m.place,
      experts: m.experts,
    })),
    conclusions: conclusions.map((c) => ({
      round: c.round,
      itemCode: c.itemCode,
      itemName: names.get(c.itemCode) ?? c.itemCode,
      departmentCode: c.departmentCode,
      outcome: c.outcome,
      opinion: c.opinion,
      decidedByName: c.decidedByName ?? '',
      decidedAt: c.decidedAt.toISOString(),
    })),
  };
}

export async function getMergedAssessment(db: Kysely<DB>, actor: Actor, id: string) {
  const view = await assessmentView(db, id);
  const project = await projectFacts(db, view.projectId);
  if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId)
    throw new DomainError('FORBIDDEN_SCOPE', '无权查看该项目 (not your project)');
  return view;
}

/** The desk: the lead (市发展改革委), supervisors and admins see all; a department sees its items'. */
export async function listMergedAssessments(db: Kysely<DB>, actor: Actor, projectId: string | undefined) {
  if ((actor.role === 'applicant' || actor.role === 'agent') && !projectId)
    throw new DomainError('VALIDATION_FAILED', '请指定项目 (projectId required)', {
      field: 'querystring.projectId',
    });
  const scoped =
    ['reviewer', 'senior', 'head', 'coordinator'].includes(actor.role) &&
    actor.departmentCode !== MERGED_ASSESSMENT_LEAD;
  const rows = await repo.listMergedAssessments(db, {
    ...(projectId ? { projectId } : {}),
    ...(scoped && actor.departmentCode ? { departmentCode: actor.departmentCode } : {}),
  });
  return {
    assessments: await Promise.all(
      rows
        .filter((r) => actor.role !== 'applicant' || r.enterpriseId === actor.enterpriseId)
        .map(async (r) => ({
          ...(await assessmentView(db, r.id)),
          projectCode: r.projectCode,
          projectName: r.projectName,
        })),
    ),
  };
}
