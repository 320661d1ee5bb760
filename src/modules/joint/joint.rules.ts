/**
 * Joint procedures (郑政办〔2019〕26号 tasks 17, 22, 28–31, 36, 50, 57), pure: the sections of a
 * 联合审图 and what its certificate satisfies, the 甲级 exemption rule, the six sign-offs of a 联合验收,
 * and the utilities told at 工程建设许可.
 */
import { beijingDate, compareDates } from '../calendar/calendar.rules';

/** 联合审图 items: the review itself and the 甲级 commitment exemption (task 30). */
export const DRAWING_REVIEW_ITEM = 'ZZ-STSC-001';
export const DRAWING_EXEMPTION_ITEM = 'ZZ-STSC-002';
export const DRAWING_ITEMS: readonly string[] = [DRAWING_REVIEW_ITEM, DRAWING_EXEMPTION_ITEM];
/** 施工许可: its certificate rests on the drawing-review conclusion (or the commitment). */
export const CONSTRUCTION_PERMIT_ITEM = 'ZZ-CJJ-001';
export const DEPENDENT_CERTIFICATE_TYPES: readonly string[] = ['construction_permit'];

export const sections = {
  architecture: '建筑',
  structure: '结构',
  plumbing: '给排水',
  electrical: '电气',
  hvac: '暖通',
  fire: '消防',
  civil_air_defence: '人防',
  technical_defence: '技防',
} as const;
export type Section = keyof typeof sections;
export const sectionCodes = Object.keys(sections) as Section[];

/** The sections a review has: the five specialties, 技防, and the merged 消防 / 人防 when joint. */
export function reviewSections(options: { fireJoint: boolean; civilAirDefenceJoint: boolean }): Section[] {
  return sectionCodes.filter(
    (s) => (s !== 'fire' || options.fireJoint) && (s !== 'civil_air_defence' || options.civilAirDefenceJoint),
  );
}

/**
 * Task 29: once the 施工图审查合格书 is issued, the design reviews merged into it are satisfied and not
 * reviewed again. ZZ-RFB-004 (人防施工图审查) is merged into STSC-001 in the catalog; listed so a template
 * that still carries it is covered too.
 */
export const satisfiedByDrawingReview: Record<'fire' | 'civil_air_defence', readonly string[]> = {
  fire: ['ZZ-CJJ-002'],
  civil_air_defence: ['ZZ-RFB-004'],
};

export function satisfiedItems(review: { fireJoint: boolean; civilAirDefenceJoint: boolean }): string[] {
  return [
    ...(review.fireJoint ? satisfiedByDrawingReview.fire : []),
    ...(review.civilAirDefenceJoint ? satisfiedByDrawingReview.civil_air_defence : []),
  ];
}

export interface SectionDecision {
  section: string;
  round: number;
  outcome: 'pass' | 'fail';
  violations: number;
}

/** The latest decision per section (a later round re-decides only the sections that failed). */
export function latestDecisions(decisions: readonly SectionDecision[]): Map<string, SectionDecision> {
  const latest = new Map<string, SectionDecision>();
  for (const d of decisions) {
    const prev = latest.get(d.section);
    if (!prev || prev.round < d.round) latest.set(d.section, d);
  }
  return latest;
}

/** What the review's sections add up to: still open, failed (some section fails), or passed. */
export function reviewOutcome(
  required: readonly string[],
  decisions: readonly SectionDecision[],
  round: number,
): { state: 'open' | 'failed' | 'passed'; violationTotal: number; pending: string[] } {
  const latest = latestDecisions(decisions);
  const pending = required.filter((s) => {
    const d = latest.get(s);
    return !d || (d.outcome === 'fail' && d.round < round);
  });
  // 违反强条总数: the mandatory-clause violations found over every round (the exchange field counts all).
  const violationTotal = decisions.reduce((n, d) => n + d.violations, 0);
  if (pending.length > 0) return { state: 'open', violationTotal, pending };
  const failed = required.some((s) => latest.get(s)!.outcome === 'fail');
  return { state: failed ? 'failed' : 'passed', violationTotal, pending };
}

export const firmGrades = { grade_a: '甲级', grade_b: '乙级', grade_c: '丙级' } as const;
export type FirmGrade = keyof typeof firmGrades;

/**
 * Task 30: only drawings from a 甲级 firm with a qualification valid today may take the commitment
 * exemption. Null when allowed, otherwise why not (shown to the applicant as a 422).
 */
export function exemptionRefusal(
  firm: { name: string; grade: FirmGrade; qualificationExpires: string } | undefined,
  today: string,
): string | null {
  if (!firm)
    return '未签署设计单位终身负责承诺：请先登记甲级设计单位并由设计单位和设计负责人签署承诺 (no design commitment on file)';
  if (firm.grade !== 'grade_a')
    return `设计单位“${firm.name}”资质为${firmGrades[firm.grade]}，只有甲级设计单位可承诺免审 (only 甲级 firms may be exempted)`;
  if (compareDates(firm.qualificationExpires, today) < 0)
    return `设计单位“${firm.name}”资质已于 ${firm.qualificationExpires} 过期，不能承诺免审 (qualification expired)`;
  return null;
}

export function lifelongCommitmentText(input: {
  firmName: string;
  qualificationNumber: string;
  chiefDesigner: string;
  projectName: string;
}): string {
  return (
    `我单位（${input.firmName}，资质证书编号 ${input.qualificationNumber}）及设计负责人 ${input.chiefDesigner} ` +
    `承诺：“${input.projectName}”施工图设计文件符合法律法规和工程建设强制性标准，对设计质量终身负责；` +
    '如承诺不实，愿承担撤销审查结论、信用惩戒及相应法律责任。项目纳入事后监管抽查范围。'
  );
}

/** What the system signs (and prints) of a lifelong-responsibility commitment: its record, nothing else. */
export function commitmentContent(input: {
  id: string;
  project: { code: string; name: string };
  firm: { name: string; creditCode: string; grade: FirmGrade };
  qualificationNumber: string;
  chiefDesigner: string;
  chiefDesignerReg: string;
  text: string;
  signedAt: Date;
}) {
  return {
    format: 'zz-design-commitment/1',
    id: input.id,
    project: { code: input.project.code, name: input.project.name },
    firm: {
      name: input.firm.name,
      creditCode: input.firm.creditCode,
      grade: input.firm.grade,
      qualificationNumber: input.qualificationNumber,
    },
    chiefDesigner: { name: input.chiefDesigner, registration: input.chiefDesignerReg },
    text: input.text,
    signedAt: input.signedAt.toISOString(),
  };
}
export type CommitmentContent = ReturnType<typeof commitmentContent>;

/** The printed 设计单位及设计负责人终身负责承诺书: title, number, paragraphs and the signatories' table. */
export function commitmentPrint(
  c: CommitmentContent,
  state: { revokedOn: string | null; revokedReason: string | null },
) {
  const signedOn = beijingDate(new Date(c.signedAt));
  const grade = firmGrades[c.firm.grade] ?? c.firm.grade;
  const paragraphs = [
    `项目：“${c.project.name}”（项目代码 ${c.project.code}）。`,
    c.text,
    '本承诺书经建设单位在工程建设项目审批管理系统提交，施工图实行告知承诺免审（任务30），项目纳入事后监管抽查范围。',
  ];
  if (state.revokedOn)
    paragraphs.push(`本承诺已于 ${state.revokedOn} 撤销（承诺不实）：${state.revokedReason ?? ''}`);
  return {
    title: '施工图设计终身负责承诺书',
    number: `设承〔${signedOn.slice(0, 4)}〕${c.id.slice(0, 8).toUpperCase()}号`,
    issuerName: c.firm.name,
    addressee: '郑州市城乡建设局（施工图审查主管部门）',
    paragraphs,
    table: {
      head: ['承诺人', '名称 / 姓名', '资质或注册'],
      rows: [
        ['设计单位', `${c.firm.name}（${c.firm.creditCode}）`, `${grade} ${c.firm.qualificationNumber}`],
        ['设计负责人', c.chiefDesigner.name, c.chiefDesigner.registration],
      ],
    },
    issuedOn: signedOn,
    sealLabel: '出图专用章',
  };
}

/** 联合验收 (task 36): the six sign-offs on one application, each by its department, from the shared reports. */
export const signOffAreas = {
  planning: { name: '规划', departmentCode: 'zrzy', items: ['ZZ-ZRZY-008'] },
  quality: { name: '建设工程质量', departmentCode: 'cjj', items: [] as string[] },
  land: { name: '土地', departmentCode: 'zrzy', items: ['ZZ-ZRZY-008'] },
  fire: { name: '消防', departmentCode: 'cjj', items: ['ZZ-CJJ-003', 'ZZ-CJJ-004'] },
  civil_air_defence: { name: '人防', departmentCode: 'rfb', items: ['ZZ-RFB-005'] },
  archives: { name: '档案', departmentCode: 'cjda', items: ['ZZ-CJDA-001'] },
} as const;
export type SignOffArea = keyof typeof signOffAreas;
export const signOffAreaCodes = Object.keys(signOffAreas) as SignOffArea[];

export const JOINT_ACCEPTANCE_ITEM = 'ZZ-CJJ-006';
export const COMPLETION_FILING_ITEM = 'ZZ-CJJ-007';
/** Every stage-4 item decided through the joint acceptance, never on its own. */
export const JOINT_ACCEPTANCE_ITEMS: readonly string[] = [
  ...new Set([
    ...signOffAreaCodes.flatMap((a) => signOffAreas[a].items),
    JOINT_ACCEPTANCE_ITEM,
    COMPLETION_FILING_ITEM,
  ]),
];
/** Special procedures that are site visits: refused on a joint acceptance (it rests on the reports). */
export const SITE_VISIT_KINDS: readonly string[] = ['site_survey'];

export function acceptanceOutcome(
  signoffs: readonly { area: string; outcome: 'pass' | 'fail' }[],
): 'open' | 'failed' | 'passed' {
  const byArea = new Map(signoffs.map((s) => [s.area, s.outcome]));
  if (signOffAreaCodes.some((a) => byArea.get(a) === 'fail')) return 'failed';
  return signOffAreaCodes.every((a) => byArea.get(a) === 'pass') ? 'passed' : 'open';
}

/** 市政公用 (tasks 22, 57): the units told at 工程建设许可, with their 报装 item. */
export const utilities = {
  water: { name: '供水', itemCode: 'ZZ-WATER-001' },
  power: { name: '供电', itemCode: 'ZZ-POWER-001' },
  gas: { name: '燃气', itemCode: 'ZZ-GAS-001' },
  heat: { name: '供热', itemCode: 'ZZ-HEAT-001' },
  drainage: { name: '排水', itemCode: 'ZZ-DRAIN-001' },
  telecom: { name: '通信', itemCode: 'ZZ-TELECOM-001' },
} as const;
export type Utility = keyof typeof utilities;
export const utilityCodes = Object.keys(utilities) as Utility[];
export const NOTIFY_AT_STAGE = 2;
export const CONNECT_AFTER_STAGE = 4;

export function utilityOfItem(itemCode: string): Utility | undefined {
  return utilityCodes.find((u) => utilities[u].itemCode === itemCode);
}

/** The utilities whose 报装 is still missing (told, not filed, not declared unneeded) — they hold 施工许可. */
export function utilitiesNotFiled(cases: readonly { utility: string; status: string }[]): string[] {
  return cases.filter((c) => c.status === 'notified').map((c) => c.utility);
}

/**
 * 方案联审 (task 17): 设计方案审查 becomes an internal matter of the planning department, which asks the
 * departments concerned (征求意见) inside the system; they do not review the scheme on their own.
 */
export const SCHEME_REVIEW_ITEM = 'ZZ-ZRZY-006';
export const schemeAnswers = {
  agree: '同意',
  agree_with_conditions: '有条件同意',
  disagree: '不同意',
} as const;
export type SchemeAnswer = keyof typeof schemeAnswers;
export const schemeAnswerCodes = Object.keys(schemeAnswers) as SchemeAnswer[];
/** The working days a consulted department is given when the planning department names none. */
export const DEFAULT_OPINION_DAYS = 3;

export interface SchemeOpinion {
  departmentCode: string;
  departmentName?: string;
  dueDate: string;
  answer: SchemeAnswer | null;
  opinion: string | null;
}

/** An answer other than plain 同意 says why: the conditions, or the reasons for disagreeing. */
export function answerRefusal(answer: SchemeAnswer, opinion: string | undefined): string | null {
  if (answer === 'agree') return null;
  if ((opinion ?? '').trim() !== '') return null;
  return answer === 'agree_with_conditions'
    ? '有条件同意须写明条件 (conditions required)'
    : '不同意须写明理由 (reasons required)';
}

/**
 * Where each opinion stands on `today`: answered, still awaited (due date not passed), or overdue — an
 * overdue department that gave no answer is taken as having no objection (逾期未反馈视为无意见), so one
 * silent department cannot hold the scheme past its working-day limit.
 */
export function opinionState(o: SchemeOpinion, today: string): 'answered' | 'awaited' | 'overdue' {
  if (o.answer) return 'answered';
  return compareDates(o.dueDate, today) < 0 ? 'overdue' : 'awaited';
}

/** Null when the scheme may be passed on `today`, otherwise why not (a 422 to the planning department). */
export function schemePassRefusal(opinions: readonly SchemeOpinion[], today: string): string | null {
  const name = (o: SchemeOpinion) => o.departmentName ?? o.departmentCode;
  const awaited = opinions.filter((o) => opinionState(o, today) === 'awaited');
  if (awaited.length > 0)
    return `尚有部门未反馈意见且未到期：${awaited.map((o) => `${name(o)}（${o.dueDate}前）`).join('、')} (opinions still awaited)`;
  const against = opinions.filter((o) => o.answer === 'disagree');
  if (against.length > 0)
    return `${against.map(name).join('、')}不同意，须退回修改方案后重新征求意见 (a department disagrees)`;
  return null;
}

/** The one conclusion's text: the planning department's own words, the conditions, who stayed silent. */
export function schemeConclusionText(
  conclusion: string,
  opinions: readonly SchemeOpinion[],
  today: string,
): string {
  const name = (o: SchemeOpinion) => o.departmentName ?? o.departmentCode;
  const parts = [conclusion.trim()];
  const conditions = opinions.filter((o) => o.answer === 'agree_with_conditions');
  if (conditions.length > 0)
    parts.push(`征求意见条件：${conditions.map((o) => `${name(o)}：${o.opinion}`).join('；')}`);
  const silent = opinions.filter((o) => opinionState(o, today) === 'overdue');
  if (silent.length > 0) parts.push(`${silent.map(name).join('、')}逾期未反馈，视为无意见`);
  return parts.join('。');
}

/**
 * 多评合一 (task 50): "一次申请、一次告知、同步编制、集中评审" — the assessment items one commissioned
 * assessment may cover, and the department that organises the concentrated review (市发展改革委).
 */
export const MERGEABLE_ASSESSMENTS: readonly string[] = [
  'ZZ-STHJ-001',
  'ZZ-FGW-006',
  'ZZ-SLJ-001',
  'ZZ-SLJ-003',
  'ZZ-DZJ-001',
  'ZZ-ZRZY-009',
  'ZZ-WWJ-001',
];
export const MERGED_ASSESSMENT_LEAD = 'fgw';

export interface AssessmentConclusion {
  itemCode: string;
  round: number;
  outcome: 'pass' | 'fail';
}

/** What the meeting's conclusions add up to; a later round re-decides only the assessments that failed. */
export function assessmentOutcome(
  itemCodes: readonly string[],
  conclusions: readonly AssessmentConclusion[],
  round: number,
): { state: 'open' | 'failed' | 'passed'; pending: string[] } {
  const latest = new Map<string, AssessmentConclusion>();
  for (const c of conclusions) {
    const prev = latest.get(c.itemCode);
    if (!prev || prev.round < c.round) latest.set(c.itemCode, c);
  }
  const pending = itemCodes.filter((code) => {
    const c = latest.get(code);
    return !c || (c.outcome === 'fail' && c.round < round);
  });
  if (pending.length > 0) return { state: 'open', pending };
  const failed = itemCodes.some((code) => latest.get(code)!.outcome === 'fail');
  return { state: failed ? 'failed' : 'passed', pending };
}

/**
 * A covered task ended on its own (撤回, 终止, 不予许可): its part of the 多评合一 is void. Fewer than two
 * assessments left, or the rest already passed the concentrated review, and the merged assessment is
 * closed — what remains is released and decided by its department on its own (citing the review);
 * the rest all decided with a failure → it waits for the revised report; otherwise it goes on.
 */
export function afterCoveredTaskEnded(
  status: 'preparing' | 'in_review' | 'failed' | 'passed' | 'withdrawn',
  remainingItemCodes: readonly string[],
  conclusions: readonly AssessmentConclusion[],
  round: number,
): 'close' | 'failed' | 'unchanged' {
  if (status === 'passed' || status === 'withdrawn') return 'unchanged';
  if (new Set(remainingItemCodes).size < 2) return 'close';
  if (status === 'preparing') return 'unchanged';
  if (status === 'failed') {
    // Waiting for a revised report: it is only needed while a remaining assessment failed.
    const latest = assessmentOutcome(remainingItemCodes, conclusions, round + 1);
    return latest.pending.length > 0 ? 'unchanged' : 'close';
  }
  const now = assessmentOutcome(remainingItemCodes, conclusions, round).state;
  return now === 'passed' ? 'close' : now === 'failed' ? 'failed' : 'unchanged';
}

/** What a person reads for each state of the joint procedures (never the stored value). */
export const drawingReviewStateNames = {
  in_review: '审查中',
  failed: '审查不合格',
  passed: '审查合格',
  revoked: '结论已撤销',
} as const;
export const schemeReviewStateNames = {
  consulting: '征求意见中',
  returned: '退回修改',
  passed: '方案联审通过',
  withdrawn: '已结束',
} as const;
export const mergedAssessmentStateNames = {
  preparing: '报告编制中',
  in_review: '集中评审中',
  failed: '评审不通过，待修改报告',
  passed: '评审通过',
  withdrawn: '已结束',
} as const;
export const acceptanceStateNames = {
  in_review: '签署中',
  passed: '验收通过',
  failed: '验收不通过',
} as const;
export const utilityCaseStateNames = {
  pending: '未告知',
  notified: '已告知，待报装',
  applied: '已报装',
  works: '配套工程施工中',
  connected: '已接入',
  not_needed: '不需要',
} as const;
