/** Types of the marketplace API answers (src/modules/marketplace/marketplace.schemas.ts). */
export interface Service {
  code: string;
  list: 'intermediary' | 'publicity' | 'technical_review';
  listName: string;
  name: string;
  basis: string;
  itemCodes: string[];
  standard: string;
  timeLimitDays: number;
  feeStandard: string;
  feeMaxYuan: number | null;
  chargesApplicant: boolean;
}

export interface Offer {
  id: string;
  serviceCode: string;
  qualificationId: string;
  feeYuan: number;
  committedDays: number;
  commitment: string;
  status: 'pending' | 'listed' | 'unlisted';
  unlistedReason: string | null;
}

export interface Intermediary {
  id: string;
  name: string;
  creditCode: string;
  status: 'pending' | 'listed' | 'rejected' | 'suspended';
  statusName: string;
  qualifications: { id: string; name: string; grade: string; expiresOn: string }[];
  offers: Offer[];
}

export interface Need {
  id: string;
  projectId: string;
  serviceCode: string;
  serviceName: string;
  description: string;
  budgetYuan: number;
  dueOn: string;
  status: 'open' | 'quoting' | 'selected' | 'contracted' | 'cancelled';
  statusName: string;
  method: 'direct' | 'draw' | 'quote' | null;
  quoteOpensAt: string | null;
  quotesOpened: boolean;
  quoteCount: number;
  quotes: { id: string; name: string; amountYuan: number; committedDays: number }[];
  myQuoteSubmitted: boolean;
  draw: { algorithm: string; seed: string; poolHash: string; pool: { name: string }[] } | null;
  excluded: { intermediaryId: string; name: string; reason: string }[];
  selected: { name: string; feeYuan: number; committedDays: number } | null;
  selectionNote: string | null;
  engagementId: string | null;
}

export interface Engagement {
  id: string;
  projectCode: string;
  projectName: string;
  serviceName: string;
  intermediaryName: string;
  contractNo: string;
  amountYuan: number;
  committedDays: number;
  signedOn: string;
  deadline: string;
  status: 'in_service' | 'delivered' | 'accepted' | 'terminated';
  statusName: string;
  clock: {
    state: 'normal' | 'warning' | 'overdue';
    remainingWorkingDays: number;
    overdueWorkingDays: number;
  };
  report: { reportNo: string; deliveredOn: string } | null;
  rating: { code: number; name: string } | null;
  materialCode: string | null;
  complaints: { id: string; status: string }[];
}

export interface Complaint {
  id: string;
  engagementId: string;
  reason: string;
  status: 'filed' | 'upheld' | 'dismissed';
  decisionNote: string | null;
  createdAt: string;
}

export const complaintStatusNames: Record<Complaint['status'], { zh: string; en: string }> = {
  filed: { zh: '待处理', en: 'Filed' },
  upheld: { zh: '属实', en: 'Upheld' },
  dismissed: { zh: '不属实', en: 'Dismissed' },
};

export interface PublicMarketplace {
  services: Service[];
  intermediaries: {
    id: string;
    name: string;
    creditCode: string;
    contactPhone: string;
    creditGrade: string;
    qualifications: { name: string; grade: string; expiresOn: string }[];
    services: {
      serviceCode: string;
      serviceName: string;
      feeYuan: number;
      committedDays: number;
      commitment: string;
    }[];
    rating: {
      ratings: number;
      satisfiedPercent: number | null;
      counts: { code: number; name: string; count: number }[];
    };
  }[];
  blackList: { intermediaryId: string; name: string; creditCode: string; listedOn: string; reason: string }[];
}

export const satisfaction = [
  { code: 1, zh: '非常满意', en: 'Very satisfied' },
  { code: 2, zh: '满意', en: 'Satisfied' },
  { code: 3, zh: '基本满意', en: 'Fairly satisfied' },
  { code: 4, zh: '不满意', en: 'Dissatisfied' },
  { code: 5, zh: '非常不满意', en: 'Very dissatisfied' },
];

export const yuan = (n: number) => `${n.toLocaleString('zh-CN')} 元`;
