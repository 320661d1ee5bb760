/**
 * Marketplace rules (issue 13; tasks 12, 13, 63, 64). Pure: which (state, event) pairs exist for a need
 * and an engagement, whether an offer keeps to the published standard, who may be selected (with the
 * reason shown for each one left out), the sealed-quote opening and winner, and the 满意度 names.
 */
import { compareDates } from '../calendar/calendar.rules';
import type {
  EngagementStatus,
  Exclusion,
  NeedStatus,
  OfferStatus,
  IntermediaryStatus,
  ServiceList,
} from './marketplace.tables';

// ---- lifecycles: every state has a way out

export type NeedEvent = 'select' | 'start_quotes' | 'open_quotes' | 'contract' | 'cancel' | 'reselect';

const needTransitions: Record<NeedStatus, Partial<Record<NeedEvent, NeedStatus>>> = {
  // open: choose directly, draw, or ask for sealed quotes; or give up.
  open: { select: 'selected', start_quotes: 'quoting', cancel: 'cancelled' },
  // quoting: opened at the set time (a winner → selected; no valid quote → open again); or cancelled.
  quoting: { open_quotes: 'selected', reselect: 'open', cancel: 'cancelled' },
  // selected: the contract is recorded; the owner may drop the selection and choose again, or cancel.
  selected: { contract: 'contracted', reselect: 'open', cancel: 'cancelled' },
  // contracted: the engagement carries on (its own lifecycle); a terminated one reopens the need.
  contracted: { reselect: 'open' },
  // cancelled: the owner posts a new need.
  cancelled: {},
};

export function needNext(status: NeedStatus, event: NeedEvent): NeedStatus | null {
  return needTransitions[status][event] ?? null;
}

export type EngagementEvent = 'deliver' | 'return' | 'accept' | 'terminate' | 'rate';

const engagementTransitions: Record<EngagementStatus, Partial<Record<EngagementEvent, EngagementStatus>>> = {
  in_service: { deliver: 'delivered', terminate: 'terminated' },
  // The owner accepts the report or returns it for rework (the clock runs on); or ends the contract.
  delivered: { accept: 'accepted', return: 'in_service', terminate: 'terminated' },
  // Accepted: rated (once, may be revised); a complaint may still be filed.
  accepted: { rate: 'accepted' },
  terminated: { rate: 'terminated' },
};

export function engagementNext(status: EngagementStatus, event: EngagementEvent): EngagementStatus | null {
  return engagementTransitions[status][event] ?? null;
}

export const needStatusNames: Record<NeedStatus, string> = {
  open: '待选取',
  quoting: '竞价中（报价密封）',
  selected: '已选定',
  contracted: '已签约',
  cancelled: '已撤销',
};

export const engagementStatusNames: Record<EngagementStatus, string> = {
  in_service: '服务中',
  delivered: '已提交成果',
  accepted: '已验收',
  terminated: '已终止',
};

// ---- the published standard

export interface ServiceFacts {
  code: string;
  list: ServiceList;
  name: string;
  timeLimitDays: number;
  feeMaxYuan: number | null;
  chargesApplicant: boolean;
  active: boolean;
}

/** Task 12: the retained 公示 and 技术审查 items never charge the applicant; an intermediary service states its fee. */
export function serviceProblem(s: Pick<ServiceFacts, 'list' | 'chargesApplicant' | 'feeMaxYuan'>): {
  field: string;
  message: string;
} | null {
  if (s.list !== 'intermediary' && (s.chargesApplicant || s.feeMaxYuan !== null)) {
    return {
      field: 'body.chargesApplicant',
      message: '保留的公示、技术审查事项不得向申请人收取费用（任务12）',
    };
  }
  if (s.list === 'intermediary' && s.chargesApplicant && s.feeMaxYuan === null) {
    return { field: 'body.feeMaxYuan', message: '收费的中介服务须公布收费标准上限（元）' };
  }
  return null;
}

export interface OfferFacts {
  feeYuan: number;
  committedDays: number;
  qualificationExpiresOn: string;
}

/** An offer keeps to the list: fee within the standard, commitment within the time limit, a valid qualification. */
export function offerProblem(
  service: ServiceFacts,
  offer: OfferFacts,
  today: string,
): { field: string; message: string } | null {
  if (!service.active || service.list !== 'intermediary') {
    return { field: 'body.serviceCode', message: `「${service.name}」不是清单内现行的中介服务事项` };
  }
  if (!service.chargesApplicant && offer.feeYuan > 0) {
    return { field: 'body.feeYuan', message: `「${service.name}」不向申请人收费，报价须为 0` };
  }
  if (service.feeMaxYuan !== null && offer.feeYuan > service.feeMaxYuan) {
    return {
      field: 'body.feeYuan',
      message: `收费 ${offer.feeYuan} 元超过收费标准上限 ${service.feeMaxYuan} 元`,
    };
  }
  if (offer.committedDays > service.timeLimitDays) {
    return {
      field: 'body.committedDays',
      message: `承诺时限 ${offer.committedDays} 个工作日超过清单时限 ${service.timeLimitDays} 个工作日`,
    };
  }
  if (compareDates(offer.qualificationExpiresOn, today) < 0) {
    return { field: 'body.qualificationId', message: `资质已于 ${offer.qualificationExpiresOn} 过期` };
  }
  return null;
}

// ---- selection

export interface Candidate {
  offerId: string;
  intermediaryId: string;
  name: string;
  offerStatus: OfferStatus;
  unlistedReason: string | null;
  intermediaryStatus: IntermediaryStatus;
  qualificationExpiresOn: string;
  feeYuan: number;
  committedDays: number;
  /** The credit black listing, when the intermediary is on the black list today. */
  black: { id: string; listedOn: string; reason: string } | null;
}

/**
 * Who may be selected for a need, and why each other one may not: black-listed (the listing named),
 * not listed by 政务办, service unlisted (e.g. its qualification expired), over the budget, or unable to
 * meet the need's deadline is not checked here (the owner's choice).
 */
export function eligibility(
  candidates: readonly Candidate[],
  budgetYuan: number,
  today: string,
): { eligible: Candidate[]; excluded: Exclusion[] } {
  const eligible: Candidate[] = [];
  const excluded: Exclusion[] = [];
  for (const c of candidates) {
    const reason = exclusionReason(c, budgetYuan, today);
    if (reason) excluded.push({ intermediaryId: c.intermediaryId, name: c.name, reason });
    else eligible.push(c);
  }
  return { eligible, excluded };
}

export function exclusionReason(c: Candidate, budgetYuan: number, today: string): string | null {
  if (c.black) {
    return `已列入失信黑名单（名单编号 ${c.black.id}，${c.black.listedOn} 起：${c.black.reason}），不得选取`;
  }
  if (c.intermediaryStatus !== 'listed') return '中介机构未入驻或已暂停（未经政务办审核入库）';
  if (c.offerStatus !== 'listed') return `该服务已下架：${c.unlistedReason ?? '未经审核'}`;
  if (compareDates(c.qualificationExpiresOn, today) < 0) return `资质已于 ${c.qualificationExpiresOn} 过期`;
  if (c.feeYuan > budgetYuan) return `收费 ${c.feeYuan} 元高于预算 ${budgetYuan} 元`;
  return null;
}

// ---- sealed quotes

/** Quotes are sealed until the opening time; after it they are open to the owner, staff and the bidders. */
export function quotesOpen(opensAt: Date | null, now: Date): boolean {
  return opensAt !== null && now.getTime() >= opensAt.getTime();
}

export interface QuoteFacts {
  id: string;
  offerId: string;
  amountYuan: number;
  committedDays: number;
  submittedAt: Date;
}

/** 比价: the lowest amount within the budget wins; a tie goes to the shorter commitment, then the earlier quote. */
export function winningQuote<Q extends QuoteFacts>(quotes: readonly Q[], budgetYuan: number): Q | null {
  const valid = quotes.filter((q) => q.amountYuan <= budgetYuan);
  valid.sort(
    (a, b) =>
      a.amountYuan - b.amountYuan ||
      a.committedDays - b.committedDays ||
      a.submittedAt.getTime() - b.submittedAt.getTime(),
  );
  return valid[0] ?? null;
}

// ---- rating: GB/T 39046—2020 附录A A.8 满意度代码

export const satisfactionNames: Record<number, string> = {
  1: '非常满意',
  2: '满意',
  3: '基本满意',
  4: '不满意',
  5: '非常不满意',
};

/** The public summary of ratings: count per 满意度代码 and the share at 基本满意 or better. */
export function ratingSummary(codes: readonly number[]) {
  const counts = [1, 2, 3, 4, 5].map((code) => ({
    code,
    name: satisfactionNames[code]!,
    count: codes.filter((c) => c === code).length,
  }));
  const satisfied = codes.filter((c) => c <= 3).length;
  return {
    ratings: codes.length,
    satisfiedPercent: codes.length === 0 ? null : Math.round((satisfied / codes.length) * 1000) / 10,
    counts,
  };
}
