/**
 * 联合审图 (tasks 28–31): one application to a drawing-review organisation; the review's sections
 * (建筑、结构、给排水、电气、暖通 and the merged 消防、人防、技防) are each decided by a reviewer qualified
 * for it; mandatory-clause violations (违反强条) are counted; when every section passes, one
 * 施工图审查合格书 listing them is issued and the fire / 人防 design reviews are satisfied by it (task 29).
 * Revoking the conclusion revokes the 合格书 and suspends the certificates resting on it.
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
import { recordAboutSubject } from '../credit/credit.service';
import {
  issueCertificate,
  restoreProjectCertificates,
  revokeCertificate,
  suspendProjectCertificates,
} from '../certificates/certificate.service';
import type { Actor } from '../identity/identity.rules';
import { notify } from '../supervision/notification.channel';
import * as repo from './joint.repository';
import { peopleOfEnterprise, supervisors, withUserNames } from './people';
import {
  DEPENDENT_CERTIFICATE_TYPES,
  DRAWING_REVIEW_ITEM,
  reviewOutcome,
  reviewSections,
  satisfiedItems,
  sections as sectionNames,
  type Section,
  drawingReviewStateNames,
} from './joint.rules';

interface Deps {
  clock: Clock;
}
interface RevokeDeps extends Deps {
  calendar: CalendarProvider;
}

const RUNNING = new Set(['in_review', 'paused']);

function canSeeProject(actor: Actor, project: { enterpriseId: string }) {
  if (actor.role === 'applicant' || actor.role === 'agent')
    return actor.role === 'agent' || actor.enterpriseId === project.enterpriseId;
  return true;
}

export async function openDrawingReview(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  input: {
    taskId: string;
    organisationId: string;
    fireJoint: boolean;
    civilAirDefenceJoint: boolean;
    initialReview: boolean;
  },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { task, project } = await taskFacts(trx, input.taskId);
    if (task.itemCode !== DRAWING_REVIEW_ITEM)
      throw new DomainError(
        'RULE_VIOLATION',
        `办件 ${task.itemCode} 不是施工图联合审查 (not a drawing review task)`,
        {
          field: 'body.taskId',
        },
      );
    const staff = actor.departmentCode === task.departmentCode;
    if (
      !staff &&
      !(actor.role === 'applicant' && actor.enterpriseId === project.enterpriseId) &&
      actor.role !== 'agent'
    )
      throw new DomainError('FORBIDDEN_SCOPE', '只有建设单位或审查机构可以申请联合审图 (not your project)');
    const existing = await repo.findActiveReviewOfTask(trx, task.id);
    // 复审 after a revoked conclusion: the task stays approved, the revised drawings are reviewed again
    // and a new 合格书 restores the certificates suspended on the old one.
    const reReview =
      task.status === 'approved' &&
      !existing &&
      (await repo.findRevokedReviewOfTask(trx, task.id)) !== undefined;
    if (!RUNNING.has(task.status) && !reReview)
      throw new DomainError(
        'CONFLICT_STATE',
        `办件当前为「${taskStateNames[task.status]}」，不能申请审查 (task not in review)`,
      );
    const org = await repo.findOrganisation(trx, input.organisationId);
    if (!org || org.kind !== 'drawing_review')
      throw notFound('施工图审查机构 organisation', input.organisationId);
    // A passed review of a task that runs again (纠错 reopened it) is superseded by the new review.
    if (existing?.status === 'passed') {
      await repo.updateReview(trx, existing.id, existing.version, {
        status: 'revoked',
        revokedAt: now,
        revokedReason: '办件经纠错重新办理，原审查结论由新的联合审图替代',
      });
    } else if (existing)
      throw new DomainError('CONFLICT_DUPLICATE', '该办件已有联合审图 (a review is already open)', {
        field: 'body.taskId',
      });
    const review = await repo.insertReview(trx, {
      taskId: task.id,
      projectId: task.projectId,
      organisationId: org.id,
      status: 'in_review',
      fireJoint: input.fireJoint,
      civilAirDefenceJoint: input.civilAirDefenceJoint,
      sections: reviewSections(input),
      openedBy: actor.userId,
      openedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.drawing_review_opened',
      objectType: 'drawing_review',
      objectId: review.id,
      toState: 'in_review',
      detail: {
        taskId: task.id,
        organisationId: org.id,
        sections: review.sections,
        initialReview: input.initialReview,
        reReview,
      },
    });
    return reviewView(trx, review.id);
  });
}

export async function decideSection(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  reviewId: string,
  input: { section: Section; outcome: 'pass' | 'fail'; violations: number; opinion: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const review = await repo.lockReview(trx, reviewId);
    if (!review) throw notFound('联合审图 drawing review', reviewId);
    if (review.status !== 'in_review')
      throw new DomainError(
        'CONFLICT_STATE',
        `联合审图当前为「${drawingReviewStateNames[review.status]}」，不能审查 (review not in progress)`,
      );
    if (!review.sections.includes(input.section))
      throw new DomainError(
        'VALIDATION_FAILED',
        `本次审查不含${sectionNames[input.section]}专业 (no such section)`,
        {
          field: 'body.section',
        },
      );
    const reviewer = await repo.findReviewer(trx, review.organisationId, actor.userId);
    if (!reviewer || !reviewer.sections.includes(input.section))
      throw new DomainError(
        'FORBIDDEN_ROLE',
        `${sectionNames[input.section]}专业须由具备该专业审查资格的审查人员审查 (reviewer not qualified for this section)`,
      );
    if (input.outcome === 'pass' && input.violations > 0)
      throw new DomainError(
        'VALIDATION_FAILED',
        '存在违反强制性条文的专业不能审查合格 (violations mean fail)',
        {
          field: 'body.violations',
        },
      );
    const decided = await repo.listSections(trx, review.id);
    if (!reviewOutcome(review.sections, decided, review.round).pending.includes(input.section))
      throw new DomainError(
        'CONFLICT_STATE',
        `${sectionNames[input.section]}专业本轮已审查 (section already decided)`,
      );
    await repo.insertSection(trx, {
      reviewId: review.id,
      round: review.round,
      section: input.section,
      outcome: input.outcome,
      violations: input.violations,
      opinion: input.opinion.trim(),
      reviewerId: actor.userId,
      decidedAt: now,
    });
    const all = [
      ...decided,
      { section: input.section, round: review.round, outcome: input.outcome, violations: input.violations },
    ];
    const outcome = reviewOutcome(review.sections, all, review.round);
    const status = outcome.state === 'open' ? 'in_review' : outcome.state;
    const updated = await repo.updateReview(trx, review.id, review.version, {
      status,
      violationTotal: outcome.violationTotal,
      ...(status !== 'in_review' ? { concludedAt: now } : {}),
    });
    if (Number(updated.numUpdatedRows) !== 1)
      throw new DomainError('CONFLICT_STATE', '联合审图已被他人更新 (review changed meanwhile)');
    await recordEvent(trx, actor, now, {
      action: `joint.section_${input.outcome}`,
      objectType: 'drawing_review',
      objectId: review.id,
      fromState: review.status,
      toState: status,
      reason: input.opinion,
      detail: { section: input.section, round: review.round, violations: input.violations },
    });
    if (status === 'passed') await concludePassed(trx, actor, now, review.id);
    return reviewView(trx, review.id);
  });
}

/** Every section passed: one 施工图审查合格书; the review item approved, the merged reviews satisfied. */
async function concludePassed(trx: Transaction<DB>, actor: Actor, now: Date, reviewId: string) {
  const review = (await repo.findReview(trx, reviewId))!;
  const { task, project } = await taskFacts(trx, review.taskId);
  const org = (await repo.findOrganisation(trx, review.organisationId))!;
  const decisions = await sectionsWithNames(trx, review.id);
  const today = beijingDate(now);
  const number = `审查合格书〔${today.slice(0, 4)}〕${review.id.slice(0, 8).toUpperCase()}号`;
  const satisfied = satisfiedItems(review);
  const opinion = `施工图联合审查合格（${review.sections.map((s) => sectionNames[s as Section]).join('、')}），违反强条 ${review.violationTotal} 条（均已整改）；审查机构：${org.name}`;
  await approveByJointResult(trx, actor, now, {
    projectId: review.projectId,
    itemCodes: [DRAWING_REVIEW_ITEM, ...satisfied],
    opinion,
    document: (itemCode, title) =>
      itemCode === DRAWING_REVIEW_ITEM
        ? { number, title, date: today }
        : { number: `${number}（替代）`, title: `${title}（由施工图审查合格书替代，任务29）`, date: today },
    procedure: 'drawing_review',
  });
  const latest = new Map(decisions.map((d) => [d.section, d]));
  const certificate = await issueCertificate(trx, {
    taskId: task.id,
    projectId: project.id,
    itemCode: task.itemCode,
    certificateType: 'drawing_review',
    title: '施工图审查合格书',
    holderName: project.enterpriseName,
    holderCode: project.creditCode,
    issuerDepartmentCode: task.departmentCode,
    issuerDepartmentName: org.name,
    issuerOrgCode: org.creditCode,
    document: { number, title: '施工图审查合格书', date: today, validUntil: '9999-01-01' },
    content: {
      organisation: org.name,
      purchasedService: org.purchasedService,
      fireJoint: review.fireJoint,
      civilAirDefenceJoint: review.civilAirDefenceJoint,
      violationTotal: review.violationTotal,
      rounds: review.round,
      sections: review.sections.map((s) => ({
        section: s,
        name: sectionNames[s as Section],
        reviewer: latest.get(s)?.reviewerName ?? '',
        opinion: latest.get(s)?.opinion ?? '',
      })),
      satisfies: satisfied,
    },
    simulated: false,
    now,
  });
  await repo.updateReview(trx, review.id, review.version, { certificateId: certificate.id });
  await restoreSuspension(trx, now, project, `施工图重新审查合格，出具新的施工图审查合格书 ${number}`);
}

/** After a failed review the drawings are revised: the next round re-decides the failed sections only. */
export async function startNextRound(db: Kysely<DB>, deps: Deps, actor: Actor, reviewId: string) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const review = await repo.lockReview(trx, reviewId);
    if (!review) throw notFound('联合审图 drawing review', reviewId);
    const { project } = await taskFacts(trx, review.taskId);
    if (!canSeeProject(actor, project))
      throw new DomainError('FORBIDDEN_SCOPE', '无权操作该项目 (not your project)');
    if (review.status !== 'failed')
      throw new DomainError(
        'CONFLICT_STATE',
        '只有审查不合格的联合审图可以提交修改后复审 (only a failed review goes to another round)',
      );
    await repo.updateReview(trx, review.id, review.version, {
      status: 'in_review',
      round: review.round + 1,
      concludedAt: null,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.drawing_review_resubmitted',
      objectType: 'drawing_review',
      objectId: review.id,
      fromState: 'failed',
      toState: 'in_review',
      detail: { round: review.round + 1 },
    });
    return reviewView(trx, review.id);
  });
}

/**
 * Revokes a passed conclusion: the 合格书 is revoked and every certificate resting on it (施工许可证)
 * is suspended; the holder and the supervisors are told; the review organisation whose conclusion it
 * was gets a 审批决定被撤销 credit record (task 59) — all in one transaction.
 */
export async function revokeDrawingReview(
  db: Kysely<DB>,
  deps: RevokeDeps,
  actor: Actor,
  reviewId: string,
  reason: string,
) {
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const review = await repo.lockReview(trx, reviewId);
    if (!review) throw notFound('联合审图 drawing review', reviewId);
    const { task, project } = await taskFacts(trx, review.taskId);
    if (!(
      actor.role === 'supervisor' ||
      actor.role === 'admin' ||
      (actor.role === 'head' && actor.departmentCode === task.departmentCode)
    ))
      throw new DomainError(
        'FORBIDDEN_ROLE',
        '撤销审查结论须由审查机构负责人或监察人员办理 (head or supervisor only)',
      );
    if (review.status !== 'passed')
      throw new DomainError(
        'CONFLICT_STATE',
        '只有审查合格的结论可以撤销 (only a passed review can be revoked)',
      );
    await repo.updateReview(trx, review.id, review.version, {
      status: 'revoked',
      revokedAt: now,
      revokedReason: reason,
    });
    const revoked = await revokeCertificate(trx, review.taskId, `施工图审查结论撤销：${reason}`, now);
    const suspended = await cascadeSuspension(trx, now, project, `施工图审查结论已撤销：${reason}`);
    const org = (await repo.findOrganisation(trx, review.organisationId))!;
    await recordAboutSubject(
      trx,
      calendar,
      {
        subject: { kind: 'review_org', name: org.name, creditCode: org.creditCode },
        kind: 'approval_revoked',
        reason: `施工图审查结论被撤销（项目 ${project.code} ${project.name}，第 ${review.round} 轮审查合格）：${reason}`,
        sourceType: 'drawing_review',
        sourceId: review.id,
        departmentCode: actor.departmentCode ?? task.departmentCode,
      },
      now,
      actor,
    );
    await recordEvent(trx, actor, now, {
      action: 'joint.drawing_review_revoked',
      objectType: 'drawing_review',
      objectId: review.id,
      fromState: 'passed',
      toState: 'revoked',
      reason,
      detail: { certificate: revoked?.identifier ?? null, suspended: suspended.map((s) => s.identifier) },
    });
    return {
      ...(await reviewView(trx, review.id)),
      suspendedCertificates: suspended.map((s) => s.identifier),
    };
  });
}

/** Suspends the certificates resting on a revoked conclusion and tells the holder and the supervisors. */
export async function cascadeSuspension(
  trx: Transaction<DB>,
  now: Date,
  project: { id: string; code: string; name: string; enterpriseId: string },
  reason: string,
) {
  const suspended = await suspendProjectCertificates(
    trx,
    project.id,
    DEPENDENT_CERTIFICATE_TYPES,
    reason,
    now,
  );
  if (suspended.length === 0) return suspended;
  const people = [...(await peopleOfEnterprise(trx, project.enterpriseId)), ...(await supervisors(trx))];
  await notify(
    trx,
    now,
    people.flatMap((u) =>
      suspended.map((c) => ({
        userId: u.id,
        kind: 'certificate_suspended',
        title: `证照已中止：项目 ${project.code}`,
        body: `项目“${project.name}”的证照 ${c.identifier} 已中止。原因：${reason}`,
        objectType: 'certificate',
        objectId: c.id,
      })),
    ),
  );
  return suspended;
}

/**
 * The conclusion is in force again (a new 合格书, or a new commitment): the certificates suspended on the
 * old one are restored, and the holder and the supervisors are told.
 */
export async function restoreSuspension(
  trx: Transaction<DB>,
  now: Date,
  project: { id: string; code: string; name: string; enterpriseId: string },
  reason: string,
) {
  const restored = await restoreProjectCertificates(
    trx,
    project.id,
    DEPENDENT_CERTIFICATE_TYPES,
    reason,
    now,
  );
  if (restored.length === 0) return restored;
  const people = [...(await peopleOfEnterprise(trx, project.enterpriseId)), ...(await supervisors(trx))];
  await notify(
    trx,
    now,
    people.flatMap((u) =>
      restored.map((c) => ({
        userId: u.id,
        kind: 'certificate_restored',
        title: `证照已恢复：项目 ${project.code}`,
        body: `项目“${project.name}”的证照 ${c.identifier} 已恢复有效。原因：${reason}`,
        objectType: 'certificate',
        objectId: c.id,
      })),
    ),
  );
  return restored;
}

async function sectionsWithNames(db: Kysely<DB> | Transaction<DB>, reviewId: string) {
  return withUserNames(db, await repo.listSections(db, reviewId), (d) => d.reviewerId, 'reviewerName');
}

export async function reviewView(db: Kysely<DB> | Transaction<DB>, reviewId: string) {
  const review = await repo.findReview(db, reviewId);
  if (!review) throw notFound('联合审图 drawing review', reviewId);
  const org = (await repo.findOrganisation(db, review.organisationId))!;
  const decisions = await sectionsWithNames(db, review.id);
  const outcome = reviewOutcome(review.sections, decisions, review.round);
  return {
    id: review.id,
    taskId: review.taskId,
    projectId: review.projectId,
    organisation: { id: org.id, name: org.name, purchasedService: org.purchasedService },
    status: review.status,
    round: review.round,
    fireJoint: review.fireJoint,
    civilAirDefenceJoint: review.civilAirDefenceJoint,
    violationTotal: review.violationTotal,
    certificateId: review.certificateId,
    revokedReason: review.revokedReason,
    pendingSections: review.status === 'in_review' ? outcome.pending : [],
    sections: review.sections.map((s) => ({ section: s, name: sectionNames[s as Section] })),
    decisions: decisions.map((d) => ({
      section: d.section,
      round: d.round,
      outcome: d.outcome,
      violations: d.violations,
      opinion: d.opinion,
      reviewerName: d.reviewerName ?? '',
      decidedAt: d.decidedAt.toISOString(),
    })),
  };
}

export async function getDrawingReview(db: Kysely<DB>, actor: Actor, reviewId: string) {
  const view = await reviewView(db, reviewId);
  const { project } = await taskFacts(db, view.taskId);
  if (!canSeeProject(actor, project))
    throw new DomainError('FORBIDDEN_SCOPE', '无权查看该项目 (not your project)');
  return view;
}

/** The organisation's desk: a reviewer sees the reviews of their organisations; staff see all. */
export async function listDrawingReviews(db: Kysely<DB>, actor: Actor, projectId?: string) {
  const organisationIds =
    actor.role === 'reviewer' || actor.role === 'senior'
      ? (await repo.listReviewerOrganisations(db, actor.userId)).map((r) => r.organisationId)
      : undefined;
  if (actor.role === 'applicant' && !projectId)
    throw new DomainError('VALIDATION_FAILED', '请指定项目 (projectId required)', {
      field: 'querystring.projectId',
    });
  const rows = await repo.listReviews(db, { organisationIds, projectId });
  const visible = [];
  for (const r of rows) {
    if (actor.role === 'applicant') {
      const { project } = await taskFacts(db, r.taskId);
      if (!canSeeProject(actor, project)) continue;
    }
    visible.push(r);
  }
  const myReviewer = new Map<string, string[]>();
  for (const r of visible) {
    if (!myReviewer.has(r.organisationId))
      myReviewer.set(
        r.organisationId,
        (await repo.findReviewer(db, r.organisationId, actor.userId))?.sections ?? [],
      );
  }
  return {
    reviews: await Promise.all(
      visible.map(async (r) => ({
        ...(await reviewView(db, r.id)),
        projectCode: r.projectCode,
        projectName: r.projectName,
        mySections: myReviewer.get(r.organisationId) ?? [],
      })),
    ),
  };
}
