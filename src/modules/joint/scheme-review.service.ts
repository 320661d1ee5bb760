/**
 * 方案联审 (task 17): once the applicant has submitted the design scheme, its review is the planning
 * department's internal matter: it asks the departments concerned for their opinions inside the system
 * (征求意见 — one record per department, each with a working-day limit: 同意 / 有条件同意 with the
 * conditions / 不同意 with the reasons) and gives one conclusion, which approves 设计方案审查. The other
 * departments do not review the scheme on their own. A scheme a department disagrees with is returned
 * for revision and asked about again (the next round).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { DomainError, notFound } from '../../shared/errors';
import { approveByJointResult, taskFacts } from '../approvals/joint-result.service';
import { taskStateNames } from '../approvals/lifecycle.rules';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import { nextDocumentNumber } from '../documents/document.service';
import { type Actor, isStaffOf } from '../identity/identity.rules';
import { notify } from '../supervision/notification.channel';
import * as repo from './joint.repository';
import { departmentNamesOf, peopleOfEnterprise, staffOf, withUserNames } from './people';
import {
  answerRefusal,
  DEFAULT_OPINION_DAYS,
  opinionState,
  SCHEME_REVIEW_ITEM,
  schemeAnswers,
  schemeConclusionText,
  schemePassRefusal,
  type SchemeAnswer,
  schemeReviewStateNames,
} from './joint.rules';

interface Deps {
  clock: Clock;
  calendar: CalendarProvider;
}

const RUNNING = new Set(['in_review', 'paused']);

export interface ConsultedDepartment {
  departmentCode: string;
  limitDays?: number;
}

function canSee(actor: Actor, project: { enterpriseId: string }) {
  if (actor.role === 'applicant') return actor.enterpriseId === project.enterpriseId;
  return true;
}

/** Asks each department of this round: one record each, its due date the limit's working day. */
async function askDepartments(
  trx: Transaction<DB>,
  deps: Deps,
  now: Date,
  review: { id: string; round: number; planningCode: string; project: { code: string; name: string } },
  departments: readonly ConsultedDepartment[],
) {
  const codes = departments.map((d) => d.departmentCode);
  if (new Set(codes).size !== codes.length)
    throw new DomainError('VALIDATION_FAILED', '征求意见部门重复 (a department is listed twice)', {
      field: 'body.departments',
    });
  if (codes.includes(review.planningCode))
    throw new DomainError(
      'VALIDATION_FAILED',
      '审批部门自身不需征求意见 (the planning department does not consult itself)',
      { field: 'body.departments' },
    );
  const known = await departmentNamesOf(trx, codes);
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw new DomainError('VALIDATION_FAILED', `没有这些部门：${unknown.join('、')} (unknown departments)`, {
      field: 'body.departments',
    });
  const calendar = await deps.calendar.get();
  const today = beijingDate(now);
  const rows = departments.map((d) => {
    const limitDays = d.limitDays ?? DEFAULT_OPINION_DAYS;
    return {
      reviewId: review.id,
      round: review.round,
      departmentCode: d.departmentCode,
      limitDays,
      requestedAt: now,
      dueDate: calendar.addWorkingDays(today, limitDays).deadline,
    };
  });
  await repo.insertOpinions(trx, rows);
  for (const row of rows) {
    const staff = await staffOf(trx, row.departmentCode);
    await notify(
      trx,
      now,
      staff.map((u) => ({
        userId: u.id,
        kind: 'scheme_opinion_requested',
        title: `方案联审征求意见：项目 ${review.project.code}`,
        body: `请于 ${row.dueDate} 前就“${review.project.name}”的设计方案反馈意见（同意 / 有条件同意 / 不同意）。逾期未反馈视为无意见。`,
        objectType: 'scheme_review',
        objectId: review.id,
      })),
    );
  }
  return rows;
}

export async function openSchemeReview(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  input: { taskId: string; departments: ConsultedDepartment[] },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { task, project } = await taskFacts(trx, input.taskId);
    if (task.itemCode !== SCHEME_REVIEW_ITEM)
      throw new DomainError(
        'RULE_VIOLATION',
        `办件 ${task.itemCode} 不是设计方案审查 (not a design-scheme review task)`,
        { field: 'body.taskId' },
      );
    if (!isStaffOf(actor, task.departmentCode) || actor.role === 'coordinator')
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '方案联审由设计方案审查的审批部门组织 (only the planning department opens it)',
      );
    if (!RUNNING.has(task.status))
      throw new DomainError(
        'CONFLICT_STATE',
        `办件当前为「${taskStateNames[task.status]}」，不能组织方案联审 (task not in review)`,
      );
    if (await repo.findLiveSchemeReviewOfTask(trx, task.id))
      throw new DomainError('CONFLICT_DUPLICATE', '该办件已有方案联审 (a scheme review is already open)', {
        field: 'body.taskId',
      });
    const review = await repo.insertSchemeReview(trx, {
      taskId: task.id,
      projectId: project.id,
      status: 'consulting',
      openedBy: actor.userId,
      openedAt: now,
    });
    const asked = await askDepartments(
      trx,
      deps,
      now,
      { id: review.id, round: 1, planningCode: task.departmentCode, project },
      input.departments,
    );
    await recordEvent(trx, actor, now, {
      action: 'joint.scheme_review_opened',
      objectType: 'scheme_review',
      objectId: review.id,
      toState: 'consulting',
      detail: {
        taskId: task.id,
        asked: asked.map((a) => ({ department: a.departmentCode, due: a.dueDate })),
      },
    });
    return schemeReviewView(trx, review.id, now);
  });
}

/** A consulted department's answer (its reviewer, senior or head), once per round. */
export async function answerSchemeOpinion(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  reviewId: string,
  input: { answer: SchemeAnswer; opinion?: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const review = await repo.lockSchemeReview(trx, reviewId);
    if (!review) throw notFound('方案联审 scheme review', reviewId);
    const asked = (await opinionsOf(trx, review.id)).find(
      (o) => o.round === review.round && o.departmentCode === actor.departmentCode,
    );
    if (!asked || !['reviewer', 'senior', 'head'].includes(actor.role))
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '只有被征求意见部门的人员可以反馈意见 (your department was not asked)',
      );
    if (review.status !== 'consulting')
      throw new DomainError(
        'CONFLICT_STATE',
        `方案联审当前为「${schemeReviewStateNames[review.status]}」，不能反馈意见 (not consulting)`,
      );
    const refusal = answerRefusal(input.answer, input.opinion);
    if (refusal) throw new DomainError('VALIDATION_FAILED', refusal, { field: 'body.opinion' });
    const done = await repo.answerOpinion(
      trx,
      { reviewId: review.id, round: review.round, departmentCode: asked.departmentCode },
      {
        answer: input.answer,
        opinion: input.opinion?.trim() || null,
        answeredBy: actor.userId,
        answeredAt: now,
      },
    );
    if (Number(done.numUpdatedRows) !== 1)
      throw new DomainError('CONFLICT_STATE', '本部门本轮意见已反馈 (already answered)');
    await recordEvent(trx, actor, now, {
      action: `joint.scheme_opinion_${input.answer}`,
      objectType: 'scheme_review',
      objectId: review.id,
      fromState: 'consulting',
      toState: 'consulting',
      reason: input.opinion ?? schemeAnswers[input.answer],
      detail: {
        department: asked.departmentCode,
        round: review.round,
        late: opinionState(
          { ...asked, answer: null, departmentName: asked.departmentName },
          beijingDate(now),
        ),
      },
    });
    return schemeReviewView(trx, review.id, now);
  });
}

/**
 * The one conclusion, by the planning department's 复核 (senior) or head: 通过 approves 设计方案审查
 * with the conditions gathered; 退回修改 returns the scheme for revision (then asked about again).
 */
export async function concludeSchemeReview(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  reviewId: string,
  input: { outcome: 'pass' | 'return'; conclusion: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const review = await repo.lockSchemeReview(trx, reviewId);
    if (!review) throw notFound('方案联审 scheme review', reviewId);
    const { task, project } = await taskFacts(trx, review.taskId);
    if (!isStaffOf(actor, task.departmentCode) || !['senior', 'head'].includes(actor.role))
      throw new DomainError(
        'FORBIDDEN_ROLE',
        '方案联审结论由审批部门复核人员或负责人作出 (senior or head of the planning department)',
      );
    if (review.status !== 'consulting')
      throw new DomainError(
        'CONFLICT_STATE',
        `方案联审当前为「${schemeReviewStateNames[review.status]}」，不能作出结论 (not consulting)`,
      );
    if (!RUNNING.has(task.status))
      throw new DomainError(
        'CONFLICT_STATE',
        `办件当前为「${taskStateNames[task.status]}」，不能作出结论 (task not in review)`,
      );
    const opinions = (await opinionsOf(trx, review.id)).filter((o) => o.round === review.round);
    const status = input.outcome === 'pass' ? 'passed' : 'returned';
    let conclusion = input.conclusion.trim();
    if (input.outcome === 'pass') {
      const refusal = schemePassRefusal(opinions, today);
      if (refusal) throw new DomainError('RULE_VIOLATION', `方案联审不能通过：${refusal}`);
      conclusion = schemeConclusionText(conclusion, opinions, today);
      const number = await nextDocumentNumber(trx, task.departmentCode, 'approval', now);
      await approveByJointResult(trx, actor, now, {
        projectId: project.id,
        itemCodes: [SCHEME_REVIEW_ITEM],
        opinion: `方案联审通过（任务17）：${conclusion}`,
        document: (_code, title) => ({ number, title, date: today }),
        procedure: 'scheme_review',
      });
    }
    const updated = await repo.updateSchemeReview(trx, review.id, review.version, {
      status,
      conclusion,
      concludedBy: actor.userId,
      concludedAt: now,
    });
    if (Number(updated.numUpdatedRows) !== 1)
      throw new DomainError('CONFLICT_STATE', '方案联审已被他人更新 (review changed meanwhile)');
    await recordEvent(trx, actor, now, {
      action: `joint.scheme_review_${status}`,
      objectType: 'scheme_review',
      objectId: review.id,
      fromState: 'consulting',
      toState: status,
      reason: conclusion,
      detail: { round: review.round },
    });
    if (status === 'returned') {
      const people = await peopleOfEnterprise(trx, project.enterpriseId);
      await notify(
        trx,
        now,
        people.map((u) => ({
          userId: u.id,
          kind: 'scheme_returned',
          title: `设计方案须修改：项目 ${project.code}`,
          body: `“${project.name}”的设计方案经征求意见须修改：${conclusion}。修改后由审批部门重新征求意见。`,
          objectType: 'scheme_review',
          objectId: review.id,
        })),
      );
    }
    return schemeReviewView(trx, review.id, now);
  });
}

/** The revised scheme is asked about again: the next round, the same departments unless others are named. */
export async function nextSchemeRound(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  reviewId: string,
  input: { departments?: ConsultedDepartment[] },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const review = await repo.lockSchemeReview(trx, reviewId);
    if (!review) throw notFound('方案联审 scheme review', reviewId);
    const { task, project } = await taskFacts(trx, review.taskId);
    if (!isStaffOf(actor, task.departmentCode) || actor.role === 'coordinator')
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '重新征求意见由审批部门组织 (only the planning department asks again)',
      );
    if (review.status !== 'returned')
      throw new DomainError(
        'CONFLICT_STATE',
        '只有退回修改的方案可以重新征求意见 (only a returned scheme is asked about again)',
      );
    if (!RUNNING.has(task.status))
      throw new DomainError(
        'CONFLICT_STATE',
        `办件当前为「${taskStateNames[task.status]}」，不能重新征求意见 (task not in review)`,
      );
    const previous = (await opinionsOf(trx, review.id)).filter((o) => o.round === review.round);
    const departments =
      input.departments ??
      previous.map((o) => ({ departmentCode: o.departmentCode, limitDays: o.limitDays }));
    const round = review.round + 1;
    await repo.updateSchemeReview(trx, review.id, review.version, {
      status: 'consulting',
      round,
      conclusion: null,
      concludedBy: null,
      concludedAt: null,
    });
    await askDepartments(
      trx,
      deps,
      now,
      { id: review.id, round, planningCode: task.departmentCode, project },
      departments,
    );
    await recordEvent(trx, actor, now, {
      action: 'joint.scheme_review_reopened',
      objectType: 'scheme_review',
      objectId: review.id,
      fromState: 'returned',
      toState: 'consulting',
      detail: { round },
    });
    return schemeReviewView(trx, review.id, now);
  });
}

/** The opinions asked, with the departments' and the answerers' names. */
async function opinionsOf(db: Kysely<DB> | Transaction<DB>, reviewId: string) {
  const rows = await withUserNames(
    db,
    await repo.listOpinions(db, reviewId),
    (o) => o.answeredBy,
    'answeredByName',
  );
  const names = await departmentNamesOf(
    db,
    rows.map((o) => o.departmentCode),
  );
  return rows.map((o) => ({ ...o, departmentName: names.get(o.departmentCode) ?? o.departmentCode }));
}

export async function schemeReviewView(db: Kysely<DB> | Transaction<DB>, id: string, now: Date) {
  const review = await repo.findSchemeReview(db, id);
  if (!review) throw notFound('方案联审 scheme review', id);
  const today = beijingDate(now);
  const opinions = await opinionsOf(db, review.id);
  const current = opinions.filter((o) => o.round === review.round);
  return {
    id: review.id,
    taskId: review.taskId,
    projectId: review.projectId,
    status: review.status,
    round: review.round,
    conclusion: review.conclusion,
    concludedAt: review.concludedAt?.toISOString() ?? null,
    canPass: review.status === 'consulting' && schemePassRefusal(current, today) === null,
    passRefusal: review.status === 'consulting' ? schemePassRefusal(current, today) : null,
    opinions: opinions.map((o) => ({
      round: o.round,
      departmentCode: o.departmentCode,
      departmentName: o.departmentName,
      limitDays: o.limitDays,
      requestedAt: o.requestedAt.toISOString(),
      dueDate: o.dueDate,
      state: opinionState(o, today),
      answer: o.answer,
      answerName: o.answer ? schemeAnswers[o.answer] : null,
      opinion: o.opinion,
      answeredByName: o.answeredByName,
      answeredAt: o.answeredAt?.toISOString() ?? null,
    })),
  };
}

export async function getSchemeReview(db: Kysely<DB>, deps: Deps, actor: Actor, id: string) {
  const view = await schemeReviewView(db, id, deps.clock.now());
  const { project } = await taskFacts(db, view.taskId);
  if (!canSee(actor, project)) throw new DomainError('FORBIDDEN_SCOPE', '无权查看该项目 (not your project)');
  return view;
}

/**
 * The desk: a department's staff see the reviews they organise or are asked in; supervisors and admins
 * see all; an applicant names the project.
 */
export async function listSchemeReviews(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  projectId: string | undefined,
) {
  if ((actor.role === 'applicant' || actor.role === 'agent') && !projectId)
    throw new DomainError('VALIDATION_FAILED', '请指定项目 (projectId required)', {
      field: 'querystring.projectId',
    });
  const scoped = ['reviewer', 'senior', 'head', 'coordinator'].includes(actor.role);
  const rows = await repo.listSchemeReviews(db, {
    ...(projectId ? { projectId } : {}),
    ...(scoped && actor.departmentCode ? { departmentCode: actor.departmentCode } : {}),
  });
  const now = deps.clock.now();
  return {
    reviews: await Promise.all(
      rows
        .filter((r) => canSee(actor, r))
        .map(async (r) => ({
          ...(await schemeReviewView(db, r.id, now)),
          projectCode: r.projectCode,
          projectName: r.projectName,
          planningDepartmentCode: r.planningDepartmentCode,
        })),
    ),
  };
}
