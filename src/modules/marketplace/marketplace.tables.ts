/** Kysely types of the marketplace's tables (migration 0540). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Json<T extends object | null> = JSONColumnType<T, string, string>;
/** numeric columns arrive as numbers (src/db/types.ts). */
type Money = number;

export type ServiceList = 'intermediary' | 'publicity' | 'technical_review';
export type IntermediaryStatus = 'pending' | 'listed' | 'rejected' | 'suspended';
export type OfferStatus = 'pending' | 'listed' | 'unlisted';
export type NeedStatus = 'open' | 'quoting' | 'selected' | 'contracted' | 'cancelled';
export type SelectionMethod = 'direct' | 'draw' | 'quote';
export type EngagementStatus = 'in_service' | 'delivered' | 'accepted' | 'terminated';
export type ComplaintStatus = 'filed' | 'upheld' | 'dismissed';

/** An intermediary left out of a selection, with the reason shown to the owner. */
export interface Exclusion {
  intermediaryId: string;
  name: string;
  reason: string;
}

/** One entry of a draw's pool snapshot (hashed with the credit module's canonical JSON). */
export interface DrawPoolEntry {
  offerId: string;
  intermediaryId: string;
  name: string;
  feeYuan: number;
}

export interface MarketServiceTable {
  code: string;
  list: ServiceList;
  name: string;
  basis: string;
  itemCodes: string[];
  standard: string;
  timeLimitDays: number;
  feeStandard: string;
  feeMaxYuan: number | null;
  chargesApplicant: boolean;
  materialCode: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updatedAt: Date;
}

export interface MarketIntermediaryTable {
  id: Generated<string>;
  enterpriseId: string;
  name: string;
  creditCode: string;
  contactName: string;
  contactPhone: string;
  address: string;
  status: IntermediaryStatus;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MarketQualificationTable {
  id: Generated<string>;
  intermediaryId: string;
  name: string;
  grade: string;
  certificateNo: string;
  issuer: string;
  expiresOn: string;
}

export interface MarketOfferTable {
  id: Generated<string>;
  intermediaryId: string;
  serviceCode: string;
  qualificationId: string;
  feeYuan: Money;
  committedDays: number;
  commitment: string;
  status: OfferStatus;
  unlistedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MarketNeedTable {
  id: Generated<string>;
  projectId: string;
  enterpriseId: string;
  serviceCode: string;
  description: string;
  budgetYuan: Money;
  dueOn: string;
  status: NeedStatus;
  method: SelectionMethod | null;
  quoteOpensAt: Date | null;
  quotesOpenedAt: Date | null;
  drawAlgorithm: string | null;
  drawSeed: string | null;
  drawPool: JSONColumnType<DrawPoolEntry[] | null, string | null, string | null>;
  drawPoolHash: string | null;
  excluded: Json<Exclusion[]>;
  selectedOfferId: string | null;
  selectionNote: string | null;
  cancelReason: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MarketQuoteTable {
  id: Generated<string>;
  needId: string;
  offerId: string;
  amountYuan: Money;
  committedDays: number;
  note: ColumnType<string, string | undefined, string>;
  submittedAt: Date;
}

export interface MarketEngagementTable {
  id: Generated<string>;
  needId: string;
  offerId: string;
  intermediaryId: string;
  contractNo: string;
  amountYuan: Money;
  committedDays: number;
  signedOn: string;
  deadline: string;
  status: EngagementStatus;
  clockState: ColumnType<'normal' | 'warning' | 'overdue', 'normal' | 'warning' | 'overdue' | undefined>;
  reportFileId: string | null;
  reportNo: string | null;
  reportSummary: string | null;
  deliveredOn: string | null;
  returnReason: string | null;
  acceptedAt: Date | null;
  adoptedFileId: string | null;
  satisfactionCode: number | null;
  ratingComment: string | null;
  ratedAt: Date | null;
  endedReason: string | null;
  finishedOn: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MarketComplaintTable {
  id: Generated<string>;
  engagementId: string;
  filedBy: string;
  reason: string;
  status: ComplaintStatus;
  decisionNote: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export interface MarketExchangeRowTable {
  id: Generated<number>;
  tableName: '中介服务事项办理信息表' | '中介服务事项办理过程信息表';
  localKey: string;
  engagementId: string;
  row: Json<Record<string, string | number | null>>;
  writtenAt: Date;
}

export interface MarketplaceTables {
  marketService: MarketServiceTable;
  marketIntermediary: MarketIntermediaryTable;
  marketQualification: MarketQualificationTable;
  marketOffer: MarketOfferTable;
  marketNeed: MarketNeedTable;
  marketQuote: MarketQuoteTable;
  marketEngagement: MarketEngagementTable;
  marketComplaint: MarketComplaintTable;
  marketExchangeRow: MarketExchangeRowTable;
}
