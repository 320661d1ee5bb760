/** Kysely types of the credit module's tables (0100 credit_record, extended by 0480; the rest 0480). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Json<T extends object | null> = JSONColumnType<T, string, string>;

export type SubjectKind = 'enterprise' | 'practitioner' | 'intermediary' | 'design_org' | 'review_org';
export type RecordKind =
  | 'commitment_broken'
  | 'deficiency_overdue'
  | 'approval_revoked'
  | 'false_materials'
  | 'inspection_failed'
  | 'department_entry'
  | 'on_time_completion'
  | 'award'
  | 'service_overdue'
  | 'service_complaint';
export type Severity = 'serious' | 'general' | 'good';
export type ListKind = 'black' | 'red';
export type ListingStatus = 'noticed' | 'listed' | 'cancelled' | 'removed' | 'expired';
export type MeasureTrigger = 'black' | 'red' | 'grade_A' | 'grade_B' | 'grade_C' | 'grade_D';
export type MeasureEffect =
  'deny_commitment' | 'deny_deficiency' | 'flag_window' | 'priority' | 'inspection_ratio';

export interface CreditSubjectTable {
  id: Generated<string>;
  kind: SubjectKind;
  name: string;
  creditCode: string | null;
  enterpriseId: string | null;
  certificateNo: string | null;
  personalId: string | null;
  profession: string | null;
  employerSubjectId: string | null;
  createdAt: Date;
}

export interface CreditRecordTable {
  id: Generated<string>;
  subjectId: string;
  /** Kept for the enterprise's records (0100); null for other subjects. */
  enterpriseId: string | null;
  kind: RecordKind;
  severity: Severity;
  reason: string;
  basis: ColumnType<string, string | undefined, string>;
  sourceType: string | null;
  sourceId: string | null;
  departmentCode: string | null;
  evidenceFileId: string | null;
  enteredBy: string | null;
  createdAt: Date;
  validFrom: string;
  expiresOn: string | null;
  published: ColumnType<boolean, boolean | undefined, boolean>;
  repairedOn: string | null;
  /** Records of one act share it and count once (0590); null: the record is its own incident. */
  incident: ColumnType<string | null, string | null | undefined, string | null>;
  /** Withdrawn (0640): the act it records was corrected (a mistaken revocation); kept, no longer counted. */
  withdrawnOn: ColumnType<string | null, string | null | undefined, string | null>;
  withdrawnReason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ListingCondition {
  type: 'bad_records' | 'clean_grade';
  severities?: Exclude<Severity, 'good'>[];
  minCount?: number;
  months: number;
  grade?: 'A' | 'B' | 'C' | 'D';
}

export interface CreditListingRuleTable {
  id: Generated<string>;
  code: string;
  version: number;
  list: ListKind;
  name: string;
  condition: Json<ListingCondition>;
  objectionWorkingDays: number;
  listingMonths: number;
  basis: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: Date;
}

export interface CreditListingTable {
  id: Generated<string>;
  subjectId: string;
  list: ListKind;
  ruleId: string | null;
  status: ListingStatus;
  reason: string;
  basis: string;
  recordIds: ColumnType<string[], string[] | undefined, string[]>;
  noticedOn: string;
  objectionUntil: string;
  listedOn: string | null;
  expiresOn: string | null;
  endedOn: string | null;
  endReason: string | null;
  version: ColumnType<number, number | undefined, number>;
  createdAt: Date;
}

export interface CreditObjectionTable {
  id: Generated<string>;
  listingId: string;
  submittedBy: string;
  reason: string;
  status: 'pending' | 'upheld' | 'rejected';
  decidedBy: string | null;
  decision: string | null;
  submittedAt: Date;
  decidedAt: Date | null;
}

export interface CreditRepairTable {
  id: Generated<string>;
  listingId: string;
  submittedBy: string;
  measures: string;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decision: string | null;
  submittedAt: Date;
  decidedAt: Date | null;
}

export interface GradeParams {
  base: number;
  deduct: { serious: number; general: number };
  bonus: { good: number };
  maxBonus: number;
  months: number;
  thresholds: { A: number; B: number; C: number };
  blackListedGrade: 'D';
}

export interface CreditGradeRuleTable {
  version: number;
  params: Json<GradeParams>;
  description: string;
  createdAt: Date;
}

export interface CreditMeasureTable {
  code: string;
  trigger: MeasureTrigger;
  effect: MeasureEffect;
  /** numeric: pg returns a string. */
  value: ColumnType<string | null, number | null, number | null>;
  basis: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updatedAt: Date;
}

export interface InspectionInspectorTable {
  id: Generated<string>;
  departmentCode: string;
  name: string;
  badgeNo: string;
  userId: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: Date;
}

export interface InspectionInspectorTieTable {
  inspectorId: string;
  subjectId: string;
  reason: string;
}

/** 双随机 pools (0590): 告知承诺 approvals, projects under construction, 施工图审查 exemptions. */
export type PoolKind = 'commitment' | 'construction' | 'exemption';

export interface PoolObject {
  objectId: string;
  subjectId: string;
  subjectName: string;
  label: string;
  grade: 'A' | 'B' | 'C' | 'D';
  /** Red-listed at the draw (sha256-fy-v2): drawn at the red ratio instead of its grade's. */
  red?: boolean;
  /** The project of an exemption object (its design commitment is looked up there). */
  projectId?: string;
}
export interface RosterEntry {
  inspectorId: string;
  name: string;
  badgeNo: string;
  tiedSubjectIds: string[];
}
export interface DrawPick {
  objectId: string;
  inspectorIds: string[];
}

export interface InspectionDrawTable {
  id: Generated<string>;
  departmentCode: string;
  poolKind: PoolKind;
  seed: string;
  algorithm: string;
  poolSnapshot: Json<PoolObject[]>;
  poolHash: string;
  inspectorSnapshot: Json<RosterEntry[]>;
  ratios: Json<Record<string, number>>;
  inspectorsPerObject: number;
  result: Json<DrawPick[]>;
  drawnBy: string;
  drawnAt: Date;
  drawnOn: string;
  publishBy: string;
}

export interface InspectionDrawResultTable {
  drawId: string;
  objectId: string;
  subjectId: string;
  outcome: 'passed' | 'correction' | 'revoked';
  findings: string;
  recordedBy: string;
  recordedAt: Date;
  publishedOn: string;
}

export interface CreditExportTable {
  id: Generated<string>;
  status: 'queued' | 'done' | 'failed';
  format: string;
  rowCount: number | null;
  content: string | null;
  requestedBy: string | null;
  requestedAt: Date;
  finishedAt: Date | null;
}

export interface CreditTables {
  creditSubject: CreditSubjectTable;
  creditRecord: CreditRecordTable;
  creditListingRule: CreditListingRuleTable;
  creditListing: CreditListingTable;
  creditObjection: CreditObjectionTable;
  creditRepair: CreditRepairTable;
  creditGradeRule: CreditGradeRuleTable;
  creditMeasure: CreditMeasureTable;
  inspectionInspector: InspectionInspectorTable;
  inspectionInspectorTie: InspectionInspectorTieTable;
  inspectionDraw: InspectionDrawTable;
  inspectionDrawResult: InspectionDrawResultTable;
  creditExport: CreditExportTable;
}
