/**
 * The joint module's rule points inside approvals (issue 11). Each is one small call at the place the
 * approvals use case already checks its rules; none imports an approvals service (only its pure state
 * names), so there is no cycle.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { taskStateNames } from '../approvals/lifecycle.rules';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { notify } from '../supervision/notification.channel';
import { usersById } from '../identity/identity.service';
import * as repo from './joint.repository';
import { peopleOfEnterprise, staffOf } from './people';
import {
  afterCoveredTaskEnded,
  CONNECT_AFTER_STAGE,
  CONSTRUCTION_PERMIT_ITEM,
  DRAWING_EXEMPTION_ITEM,
  DRAWING_ITEMS,
  DRAWING_REVIEW_ITEM,
  exemptionRefusal,
  JOINT_ACCEPTANCE_ITEMS,
  NOTIFY_AT_STAGE,
  SCHEME_REVIEW_ITEM,
  SITE_VISIT_KINDS,
  utilities,
  utilitiesNotFiled,
  utilityCodes,
  utilityOfItem,
} from './joint.rules';

/**
 * decide: an item a joint procedure decides is never approved on its own — 联合审图 approves through its
 * sections (task 28), 设计方案审查 through the 方案联审's one conclusion (task 17), the 联合验收 items
 * through the six sign-offs (task 36).
 */
export function assertDecidedJointly(task: { itemCode: string; stage: number }, outcome: string) {
  if (outcome !== 'approve') return;
  if (task.itemCode === DRAWING_REVIEW_ITEM)
    throw new DomainError(
      'RULE_VIOLATION',
      '施工图审查由图审机构按专业联合审查，各专业审查合格后出具施工图审查合格书，不单独审批 (decided by the joint drawing review’s sections)',
    );
  if (task.itemCode === SCHEME_REVIEW_ITEM)
    throw new DomainError(
      'RULE_VIOLATION',
      '设计方案审查实行方案联审：由审批部门征求相关部门意见后作出一个结论，不单独审批 (decided by the scheme joint review)',
    );
  if (task.stage === 4 && JOINT_ACCEPTANCE_ITEMS.includes(task.itemCode))
    throw new DomainError(
      'RULE_VIOLATION',
      '竣工验收实行联合验收：规划、质量、土地、消防、人防、档案在同一联合验收申请上签署意见，不单独验收 (signed off on the joint acceptance)',
    );
}

/**
 * decide: an item covered by a live 多评合一 is approved by the concentrated review's conclusions, not on
 * its own (task 50); withdrawing the merged assessment frees it.
 */
export async function assertNotInMergedAssessment(
  trx: Transaction<DB>,
  task: { id: string },
  outcome: string,
) {
  if (outcome !== 'approve') return;
  if (await repo.findLiveAssessmentOfTask(trx, task.id))
    throw new DomainError(
      'RULE_VIOLATION',
      '该评估事项已纳入多评合一，由集中评审结论办结，不单独审批（撤回多评合一后可单独办理） (decided by the merged assessment)',
    );
}

/**
 * submit: the commitment-based exemption of the drawings (task 30) needs the lifelong-responsibility
 * commitment of a 甲级 firm whose qualification is valid today.
 */
export async function assertDrawingExemption(
  trx: Transaction<DB>,
  projectId: string,
  stageItemCodes: readonly string[],
  commitments: readonly string[],
  now: Date,
) {
  const exempted =
    stageItemCodes.includes(DRAWING_EXEMPTION_ITEM) || commitments.some((c) => DRAWING_ITEMS.includes(c));
  if (!exempted) return;
  const commitment = await repo.findCommitmentInForce(trx, projectId);
  const refusal = exemptionRefusal(
    commitment && {
      name: commitment.firmName,
      grade: commitment.grade,
      qualificationExpires: commitment.qualificationExpires,
    },
    beijingDate(now),
  );
  if (refusal)
    throw new DomainError('RULE_VIOLATION', `施工图告知承诺免审不适用：${refusal}`, {
      field: stageItemCodes.includes(DRAWING_EXEMPTION_ITEM) ? 'body.stage' : 'body.commitments',
    });
}

/** special procedure: a joint acceptance rests on the shared reports, so no site visit is started on it. */
export function assertNoSiteVisit(task: { itemCode: string; stage: number }, kind: string) {
  if (task.stage === 4 && JOINT_ACCEPTANCE_ITEMS.includes(task.itemCode) && SITE_VISIT_KINDS.includes(kind))
    throw new DomainError(
      'RULE_VIOLATION',
      '联合验收依据联合测绘和检测报告签署意见，不再单独现场踏勘 (no site visits on a joint acceptance)',
      { field: 'body.kind' },
    );
}

/** submit (并行推进): a 报装 filed is recorded on the project's case of that utility. */
export async function recordUtilityApplication(
  trx: Transaction<DB>,
  projectId: string,
  itemCode: string | undefined,
  applicationId: string,
  now: Date,
) {
  const utility = itemCode ? utilityOfItem(itemCode) : undefined;
  if (!utility) return;
  const row = await repo.ensureUtilityCase(trx, projectId, utility);
  if (row.status === 'pending' || row.status === 'notified' || row.status === 'not_needed')
    await repo.updateUtilityCase(trx, row.id, { status: 'applied', appliedAt: now, applicationId });
}

/**
 * application ended (撤回, 终止, 不予受理) or its 报装 refused (不予许可): the utility's case goes back to
 * where it was before the 报装 was filed (told, or not yet told), so it holds 施工许可 again until a new
 * 报装 is filed or the applicant declares it unneeded.
 */
export async function releaseUtilityApplication(
  trx: Transaction<DB>,
  actor: Actor | null,
  applicationId: string,
  reason: string,
  now: Date,
) {
  for (const row of await repo.listUtilityCasesOfApplication(trx, applicationId)) {
    if (row.status !== 'applied' && row.status !== 'works') continue;
    const status = row.notifiedAt ? 'notified' : 'pending';
    await repo.updateUtilityCase(trx, row.id, { status, appliedAt: null, applicationId: null });
    await recordEvent(trx, actor, now, {
      action: 'joint.utility_application_released',
      objectType: 'utility_case',
      objectId: row.id,
      fromState: row.status,
      toState: status,
      reason,
      detail: { applicationId, utility: row.utility },
    });
  }
}

/** decide: 施工许可 waits until every utility told at 工程建设许可 has its 报装 filed (task 22). */
export async function assertUtilitiesFiled(trx: Transaction<DB>, projectId: string, itemCode: string) {
  if (itemCode !== CONSTRUCTION_PERMIT_ITEM) return;
  const missing = utilitiesNotFiled(await repo.listProjectUtilityCases(trx, projectId));
  if (missing.length > 0)
    throw new DomainError(
      'PREREQUISITE_NOT_MET',
      `施工许可前须办理市政公用报装：${missing.map((u) => utilities[u as keyof typeof utilities].name).join('、')}尚未报装（或声明不需要） (utility applications missing)`,
      { details: missing },
    );
}

export interface ProjectFacts {
  id: string;
  code: string;
  name: string;
  districtCode: string;
  siteAreaM2: number;
  enterpriseId: string;
  enterpriseName: string;
  creditCode: string;
}

/**
 * stage completion: 工程建设许可 done → every utility receives the project's facts (tasks 22, 57);
 * 竣工验收 done → their connection may go ahead.
 */
export async function onStageCompleted(
  trx: Transaction<DB>,
  project: ProjectFacts,
  stage: number,
  now: Date,
) {
  if (stage === NOTIFY_AT_STAGE) {
    const contacts = await peopleOfEnterprise(trx, project.enterpriseId);
    const contact = contacts[0] ? (await usersById(trx, [contacts[0].id])).get(contacts[0].id) : undefined;
    const facts = {
      projectCode: project.code,
      projectName: project.name,
      districtCode: project.districtCode,
      siteAreaM2: Math.round(project.siteAreaM2 * 100) / 100,
      enterpriseName: project.enterpriseName,
      creditCode: project.creditCode,
      contactName: contact?.displayName ?? project.enterpriseName,
    };
    for (const utility of utilityCodes) {
      const row = await repo.ensureUtilityCase(trx, project.id, utility);
      if (row.notifiedAt) continue;
      await repo.updateUtilityCase(trx, row.id, {
        status: row.status === 'pending' ? 'notified' : row.status,
        notifiedAt: now,
        facts: JSON.stringify(facts),
      });
      const staff = await staffOf(trx, utility);
      await notify(
        trx,
        now,
        staff.map((u) => ({
          userId: u.id,
          kind: 'utility_notified',
          title: `${utilities[utility].name}：新项目已取得工程建设许可`,
          body: `项目 ${project.code} ${project.name}（行政区 ${project.districtCode}，用地 ${facts.siteAreaM2} 平方米），建设单位 ${project.enterpriseName}，联系人 ${facts.contactName}。请提前对接报装。`,
          objectType: 'utility_case',
          objectId: row.id,
        })),
      );
    }
  }
  if (stage === CONNECT_AFTER_STAGE) {
    for (const row of await repo.listProjectUtilityCases(trx, project.id))
      await repo.updateUtilityCase(trx, row.id, { acceptedOn: beijingDate(now) });
  }
}

/**
 * A task ended on its own — 撤回 or 终止 (approvals' endTask) or 不予许可 (decide) — in that transaction:
 * a 多评合一 covering it loses that part (and closes when too little is left, afterCoveredTaskEnded), and a
 * 方案联审 still open on it ends. Nothing stays open on a task that no longer runs.
 */
export async function onTaskEnded(
  trx: Transaction<DB>,
  actor: Actor | null,
  now: Date,
  task: { id: string; itemCode: string },
  status: 'withdrawn' | 'terminated' | 'rejected',
  reason: string,
) {
  const why = `办件已${taskStateNames[status]}：${reason}`;
  const covered = await repo.findLiveAssessmentOfTask(trx, task.id);
  if (covered) {
    const row = (await repo.lockMergedAssessment(trx, covered.assessmentId))!;
    await repo.endAssessmentItem(trx, row.id, task.id, now, why);
    const remaining = (await repo.listAssessmentItems(trx, row.id)).filter((i) => i.endedAt === null);
    const conclusions = await repo.listConclusions(trx, row.id);
    const next = afterCoveredTaskEnded(
      row.status,
      remaining.map((i) => i.itemCode),
      conclusions,
      row.round,
    );
    const itemName = row.notice.find((n) => n.itemCode === covered.itemCode)?.itemName ?? '该评估';
    await recordEvent(trx, actor, now, {
      action: 'joint.merged_assessment_item_ended',
      objectType: 'merged_assessment',
      objectId: row.id,
      fromState: row.status,
      toState: next === 'close' ? 'withdrawn' : next === 'failed' ? 'failed' : row.status,
      reason: why,
      detail: { taskId: task.id, itemCode: covered.itemCode, outcome: next },
    });
    if (next === 'failed')
      await repo.updateMergedAssessment(trx, row.id, row.version, { status: 'failed', concludedAt: now });
    if (next === 'close') {
      const closedReason =
        remaining.length < 2
          ? `${itemName}${why}；其余评估不足两项，多评合一结束，由审批部门单独办理`
          : `${itemName}${why}；其余评估均已通过集中评审，多评合一结束，由审批部门依据评审结论单独办结`;
      await repo.updateMergedAssessment(trx, row.id, row.version, {
        status: 'withdrawn',
        concludedAt: now,
        closedReason,
      });
      await repo.releaseAssessmentItems(trx, row.id);
      const departments = [...new Set(remaining.map((i) => i.departmentCode))];
      for (const code of departments) {
        const staff = await staffOf(trx, code);
        await notify(
          trx,
          now,
          staff.map((u) => ({
            userId: u.id,
            kind: 'merged_assessment_closed',
            title: '多评合一已结束',
            body: `${closedReason}。`,
            objectType: 'merged_assessment',
            objectId: row.id,
          })),
        );
      }
    }
  }
  const scheme = await repo.findLiveSchemeReviewOfTask(trx, task.id);
  if (scheme && (scheme.status === 'consulting' || scheme.status === 'returned')) {
    await repo.updateSchemeReview(trx, scheme.id, scheme.version, {
      status: 'withdrawn',
      conclusion: `设计方案审查${why}，方案联审结束`,
      concludedBy: actor?.userId ?? null,
      concludedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.scheme_review_withdrawn',
      objectType: 'scheme_review',
      objectId: scheme.id,
      fromState: scheme.status,
      toState: 'withdrawn',
      reason: why,
      detail: { taskId: task.id },
    });
  }
}
