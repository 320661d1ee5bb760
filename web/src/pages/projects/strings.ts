/**
 * Page strings of the approval areas (projects, window, review, coordination, verify), Chinese first.
 * `useTx()` picks the text of the current language: tx('中文', 'English').
 */
import { useI18n, type Lang } from '../../i18n';

export function pick(lang: Lang, zh: string, en: string): string {
  return lang === 'en' ? en : zh;
}

export function useTx(): (zh: string, en: string) => string {
  const { lang } = useI18n();
  return (zh, en) => pick(lang, zh, en);
}

export const applicationStatusText: Record<string, [string, string]> = {
  submitted: ['待受理', 'Submitted'],
  correction_requested: ['待补正', 'Correction requested'],
  accepted: ['审批中', 'Accepted'],
  refused: ['不予受理', 'Refused'],
  rejected: ['不予许可', 'Rejected'],
  withdrawn: ['已撤回', 'Withdrawn'],
  terminated: ['已终止', 'Terminated'],
  completed: ['已办结', 'Completed'],
};

export const stageStatusText: Record<string, [string, string]> = {
  locked: ['未开放', 'Locked'],
  open: ['可申报', 'Open'],
  submitted: ['待受理', 'Submitted'],
  correction_requested: ['待补正', 'Correction requested'],
  accepted: ['审批中', 'In review'],
  refused: ['不予受理', 'Refused'],
  rejected: ['不予许可', 'Rejected'],
  withdrawn: ['已撤回', 'Withdrawn'],
  terminated: ['已终止', 'Terminated'],
  completed: ['完成', 'Completed'],
};

export const taskStatusText: Record<string, [string, string]> = {
  in_review: ['审查中', 'In review'],
  paused: ['特别程序中', 'Special procedure'],
  correction: ['待补正', 'Awaiting correction'],
  approved: ['通过', 'Approved'],
  rejected: ['不予许可', 'Rejected'],
  returned: ['退回补正', 'Returned'],
  revoked: ['已撤销', 'Revoked'],
  withdrawn: ['已撤回', 'Withdrawn'],
  terminated: ['已终止', 'Terminated'],
};

export const extensionStatusText: Record<string, [string, string]> = {
  pending: ['待负责人审批', 'Awaiting the head'],
  approved: ['已批准', 'Approved'],
  refused: ['未批准', 'Refused'],
};

export const reopeningStatusText: Record<string, [string, string]> = {
  pending: ['待监察会签', 'Awaiting countersignature'],
  approved: ['已会签，重新办理', 'Countersigned'],
  refused: ['会签未同意', 'Not countersigned'],
};

/** The notice of remedies a 不予许可 carries (《行政许可法》第三十八条; server lifecycle.rules REMEDY_NOTICE). */
export const remedyNotice: [string, string] = [
  '申请人如对本决定不服，可自收到本决定之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。',
  'If you disagree with this decision you may apply for administrative reconsideration within 60 days of receiving it, or bring an administrative lawsuit before a people’s court within six months.',
];

export const clockText: Record<string, [string, string]> = {
  normal: ['正常', 'On time'],
  warning: ['预警', 'Warning'],
  overdue: ['逾期', 'Overdue'],
};

export const stepText: Record<string, [string, string]> = {
  initial: ['初核', 'Initial review'],
  final: ['复核', 'Final review'],
};

export const outcomeText: Record<string, [string, string]> = {
  approve: ['通过', 'Approve'],
  reject: ['不予许可', 'Reject'],
  return: ['退回补正', 'Return for correction'],
};

export const preconditionText: Record<string, [string, string]> = {
  land_transferred: ['土地出让/划拨完成', 'Land transferred'],
  project_approved: ['立项（审批/核准/备案）完成', 'Project approved'],
  land_use_permit_issued: ['建设用地规划许可证已核发', 'Land-use planning permit issued'],
};

export const specialProcedureText: Record<string, [string, string]> = {
  hearing: ['听证', 'Hearing'],
  tender: ['招标', 'Tender'],
  auction: ['拍卖', 'Auction'],
  inspection: ['检验', 'Inspection'],
  testing: ['检测', 'Testing'],
  quarantine: ['检疫', 'Quarantine'],
  appraisal: ['鉴定', 'Appraisal'],
  expert_review: ['专家评审（计入时限）', 'Expert review (counted)'],
  technical_review: ['技术审查（计入时限）', 'Technical review (counted)'],
  site_survey: ['现场踏勘（计入时限）', 'Site survey (counted)'],
};
