/** Types of the credit area (信用监管, 双随机一公开), as the API answers them. */
export type Grade = 'A' | 'B' | 'C' | 'D';

export interface CreditRecord {
  id: string;
  kind: string;
  severity: 'serious' | 'general' | 'good';
  reason: string;
  basis: string;
  validFrom: string;
  expiresOn: string | null;
  published: boolean;
  repairedOn: string | null;
  departmentCode: string | null;
  /** Withdrawn: the act it records was corrected (e.g. a mistaken revocation); no longer counted. */
  withdrawnOn?: string | null;
  withdrawnReason?: string | null;
}

export interface CreditRequest {
  id: string;
  listingId: string;
  status: string;
  text: string;
  decision: string | null;
  submittedAt: string;
}

export interface Listing {
  id: string;
  subjectId: string;
  list: 'black' | 'red';
  status: 'noticed' | 'listed' | 'cancelled' | 'removed' | 'expired';
  reason: string;
  basis: string;
  noticedOn: string;
  objectionUntil: string;
  listedOn: string | null;
  expiresOn: string | null;
  endedOn: string | null;
  endReason: string | null;
  objections?: CreditRequest[];
  repairs?: CreditRequest[];
  subjectName?: string;
}

export interface SubjectDetail {
  subject: {
    id: string;
    kind: string;
    name: string;
    creditCode: string | null;
    certificateNo: string | null;
    personalIdMasked: string | null;
  };
  grade: { grade: Grade; score: number; ruleVersion: number; reasons: string[] };
  measures: { code: string; effect: string; basis: string }[];
  denyCommitment: string | null;
  denyDeficiency: string | null;
  listings: Listing[];
  records: CreditRecord[];
}

export interface PublicCredit {
  asOf: string;
  blackList: {
    id: string;
    subjectName: string;
    creditCode: string | null;
    certificateNo: string | null;
    reason: string;
    basis: string;
    listedOn: string;
    expiresOn: string | null;
  }[];
  redList: PublicCredit['blackList'];
  dishonestActs: {
    id: string;
    subjectName: string;
    creditCode: string | null;
    kindName: string;
    reason: string;
    basis: string;
    validFrom: string;
    expiresOn: string | null;
  }[];
}

export interface DrawSummary {
  id: string;
  departmentCode: string;
  poolKind: string;
  seed: string;
  poolHash: string;
  drawnOn: string;
  publishBy: string;
  picked: number;
  recorded: number;
  failed: number;
}

export interface DrawView {
  id: string;
  departmentCode: string;
  poolKind: string;
  algorithm: string;
  seed: string;
  poolHash: string;
  pool: { objectId: string; subjectName: string; label: string; grade: Grade }[];
  ratios: Record<string, number>;
  result: {
    objectId: string;
    inspectorNames: string[];
    outcome: string | null;
    findings: string | null;
    publishedOn: string | null;
  }[];
  drawnOn: string;
  publishBy: string;
  publishOverdue: boolean;
  reproducible: boolean;
}

export const severityText: Record<string, [string, string]> = {
  serious: ['严重失信', 'Serious'],
  general: ['一般失信', 'General'],
  good: ['良好', 'Good'],
};

export const listingStatusText: Record<string, [string, string]> = {
  noticed: ['告知公示中（异议期）', 'Noticed (objection window)'],
  listed: ['已列入', 'Listed'],
  cancelled: ['已撤销（异议成立）', 'Cancelled'],
  removed: ['已移出', 'Removed'],
  expired: ['期满移出', 'Expired'],
};

export const outcomeText: Record<string, [string, string]> = {
  passed: ['合格', 'Passed'],
  correction: ['责令整改', 'Correction ordered'],
  revoked: ['撤销', 'Revoked'],
};

export const recordKindText: Record<string, [string, string]> = {
  commitment_broken: ['未履行告知承诺', 'Broken commitment'],
  deficiency_overdue: ['容缺材料逾期未补交', 'Overdue deferred material'],
  approval_revoked: ['审批决定被撤销', 'Approval revoked'],
  false_materials: ['提供虚假材料', 'False materials'],
  inspection_failed: ['双随机抽查不合格', 'Failed random inspection'],
  department_entry: ['部门认定', 'Department finding'],
  on_time_completion: ['按期履约', 'On-time completion'],
  award: ['表彰奖励', 'Award'],
  service_overdue: ['中介服务超过承诺时限', 'Intermediary service overdue'],
  service_complaint: ['中介服务投诉经核实', 'Upheld service complaint'],
};
