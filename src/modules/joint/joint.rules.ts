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
