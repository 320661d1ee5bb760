/**
 * Pure rules of parallel approval: review steps (at most 初核 + 复核, task 8), who decides which step,
 * where a decision leads, clock pauses (补正 and legally prescribed special procedures only), stage
 * completion, and the applicant's form and materials.
 */
import { isIsoDate } from '../calendar/calendar.schemas';
import type { Role } from '../identity/identity.rules';
import type { ReviewStep, TaskStatus } from './approval.tables';

export const stepRole: Record<ReviewStep, Role> = { initial: 'reviewer', final: 'senior' };

/** Filing-type items (备案) are checked once; everything else gets 初核 then 复核 — never more (task 8). */
export function reviewSteps(resultDocumentType: string): ReviewStep[] {
  return /备案/.test(resultDocumentType) ? ['final'] : ['initial', 'final'];
}

export type Outcome = 'approve' | 'reject' | 'return';

export interface DecisionEffect {
  status: TaskStatus;
  currentStep: ReviewStep | null;
  /** The decision ends the task (a reply document is issued or refused). */
  ends: boolean;
  /** The task waits for the applicant (补正) with its clock paused. */
  pausesForCorrection: boolean;
}

/**
 * Where a decision leads. At 初核 approve and reject are proposals that go on to 复核; only 复核 ends the
 * task. "return" at either step sends the task back to the applicant for 补正 (the clock pauses).
 */
export function decisionEffect(
  steps: readonly ReviewStep[],
  step: ReviewStep,
  outcome: Outcome,
): DecisionEffect {
  if (outcome === 'return')
    return { status: 'paused', currentStep: step, ends: false, pausesForCorrection: true };
  const next = steps[steps.indexOf(step) + 1];
  if (next) return { status: 'in_review', currentStep: next, ends: false, pausesForCorrection: false };
  return {
    status: outcome === 'approve' ? 'approved' : 'rejected',
    currentStep: null,
    ends: true,
    pausesForCorrection: false,
  };
}

/** A reply document without an expiry date is valid "forever": the national convention 9999-01-01. */
export const NO_EXPIRY = '9999-01-01';

/**
 * Special procedures (特别程序). Only those the law lets run outside the time limit pause the clock
 * (《行政许可法》第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定); the plan (任务 12) counts expert
 * reviews, technical reviews and other internal evaluations inside the time limit, so they do not.
 */
export const specialProcedures = {
  hearing: { name: '听证', pausesClock: true },
  tender: { name: '招标', pausesClock: true },
  auction: { name: '拍卖', pausesClock: true },
  inspection: { name: '检验', pausesClock: true },
  testing: { name: '检测', pausesClock: true },
  quarantine: { name: '检疫', pausesClock: true },
  appraisal: { name: '鉴定', pausesClock: true },
  expert_review: { name: '专家评审', pausesClock: false },
  technical_review: { name: '技术审查', pausesClock: false },
  site_survey: { name: '现场踏勘', pausesClock: false },
} as const;
export type SpecialProcedureKind = keyof typeof specialProcedures;
export const specialProcedureKinds = Object.keys(specialProcedures) as SpecialProcedureKind[];

export type CompletionRule = 'all_milestones' | 'any_milestone';

/** Stage completion (national LCBSXLX): all milestone items approved, or any one of them. */
export function stageComplete(
  rule: CompletionRule,
  tasks: readonly { milestone: boolean; status: TaskStatus }[],
): boolean {
  const milestones = tasks.filter((t) => t.milestone);
  if (milestones.length === 0) return tasks.length > 0 && tasks.every((t) => t.status === 'approved');
  return rule === 'all_milestones'
    ? milestones.every((t) => t.status === 'approved')
    : milestones.some((t) => t.status === 'approved');
}

export interface FormFieldSpec {
  key: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'boolean';
  required: boolean;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Checks the one stage form against every applicable item's fields (merged by key). */
export function checkForm(fields: readonly FormFieldSpec[], form: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const byKey = new Map<string, FormFieldSpec>();
  for (const f of fields) {
    const seen = byKey.get(f.key);
    byKey.set(f.key, seen ? { ...seen, required: seen.required || f.required } : f);
  }
  for (const f of byKey.values()) {
    const v = form[f.key];
    if (v === undefined || v === null || v === '') {
      if (f.required) problems.push({ field: f.key, message: `${f.label} 必填 (required)` });
      continue;
    }
    const ok =
      f.type === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : f.type === 'boolean'
          ? typeof v === 'boolean'
          : f.type === 'date'
            ? typeof v === 'string' && isIsoDate(v)
            : typeof v === 'string' && v.length <= 2000;
    if (!ok) problems.push({ field: f.key, message: `${f.label} 应为 ${f.type} (wrong type)` });
  }
  return problems;
}

export interface MaterialNeed {
  code: string;
  name: string;
  required: boolean;
  deficiencyAllowed: boolean;
}

/**
 * Which required materials are still missing after what is submitted now and what the project has on
 * file (task 58: never ask twice). Missing ones that allow 容缺 are returned separately: the window may
 * accept them against a due date.
 */
export function missingMaterials(needs: readonly MaterialNeed[], provided: ReadonlySet<string>) {
  const missing = needs.filter((m) => m.required && !provided.has(m.code));
  return {
    blocking: missing.filter((m) => !m.deficiencyAllowed),
    deferrable: missing.filter((m) => m.deficiencyAllowed),
  };
}

/** The standard written commitment (告知承诺书) an applicant signs for one item (task 37). */
export function commitmentText(itemName: string, enterpriseName: string): string {
  return (
    `${enterpriseName}郑重承诺：本单位已知晓“${itemName}”的审批条件和要求，所提交的材料真实、合法、有效，` +
    '项目符合相关法律法规和技术标准规定的条件；本单位愿意接受事中事后监管，如有不实或未履行承诺，' +
    '审批部门可依法撤销审批决定，由本单位承担相应法律责任，并记入信用记录。'
  );
}

/** Working days after acceptance within which a commitment must be checked on site (task 59). */
export const INSPECTION_WITHIN_WORKING_DAYS = 20;

/** Working days a 容缺 material may stay missing when the window sets no date. */
export const DEFAULT_DEFICIENCY_WORKING_DAYS = 10;
