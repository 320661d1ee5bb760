import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Json<T extends object | null> = JSONColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export type ApplicationStatus =
  | 'submitted'
  | 'correction_requested'
  | 'accepted'
  | 'refused'
  | 'rejected'
  | 'withdrawn'
  | 'terminated'
  | 'completed';
export type TaskStatus =
  'in_review' | 'paused' | 'correction' | 'approved' | 'rejected' | 'revoked' | 'withdrawn' | 'terminated';
export type ReviewStep = 'initial' | 'final';

export interface ReplyDocument {
  number: string;
  title: string;
  date: string;
  validUntil: string;
}

export interface StageApplicationTable {
  id: Generated<string>;
  projectId: string;
  stage: number;
  status: ApplicationStatus;
  form: Json<Record<string, unknown>>;
  itemCodes: string[];
  commitments: ColumnType<string[], string[] | undefined, string[]>;
  submittedBy: string;
  onBehalfOf: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  submittedAt: Date;
  acceptedAt: Date | null;
  acceptedOn: string | null;
  acceptedBy: string | null;
  refusedReason: string | null;
  completedAt: Date | null;
  expectedCompletion: string | null;
  endedAt: Date | null;
  endedReason: string | null;
  endedBy: string | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface ApplicationMaterialTable {
  applicationId: string;
  materialCode: string;
  fileId: string;
}

export interface DeficiencyTable {
  applicationId: string;
  materialCode: string;
  dueDate: string;
  fulfilledAt: Date | null;
  fileId: string | null;
}

export interface CorrectionItem {
  materialCode?: string;
  field?: string;
  reason: string;
}

export interface CorrectionRequestTable {
  id: Generated<string>;
  applicationId: string;
  taskId: string | null;
  items: Json<CorrectionItem[]>;
  requestedBy: string;
  requestedAt: Date;
  answeredAt: Date | null;
  answer: NullableJson<Record<string, unknown>>;
  dueDate: string | null;
  remindedAt: Date | null;
}

export interface ItemTaskTable {
  id: Generated<string>;
  applicationId: string;
  projectId: string;
  itemCode: string;
  itemVersion: number;
  departmentCode: string;
  stage: number;
  status: TaskStatus;
  steps: ReviewStep[];
  currentStep: ReviewStep | null;
  promisedDays: number;
  startedOn: string;
  deadline: string;
  viaCommitment: ColumnType<boolean, boolean | undefined, boolean>;
  simulated: ColumnType<boolean, boolean | undefined, boolean>;
  simulatedUntil: string | null;
  milestone: ColumnType<boolean, boolean | undefined, boolean>;
  outcome: string | null;
  opinion: string | null;
  document: NullableJson<ReplyDocument>;
  decidedAt: Date | null;
  createdAt: Date;
  limitWorkingDays: number;
  extendedDays: ColumnType<number, number | undefined, number>;
  round: ColumnType<number, number | undefined, number>;
  endedReason: string | null;
  endedByTask: string | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface TaskDecisionTable {
  id: Generated<string>;
  taskId: string;
  step: ReviewStep;
  outcome: 'approve' | 'reject' | 'return';
  opinion: string;
  document: NullableJson<ReplyDocument>;
  decidedBy: string;
  decidedAt: Date;
  round: ColumnType<number, number | undefined, number>;
}

export interface ClockPauseTable {
  id: Generated<string>;
  taskId: string;
  kind: string;
  pausesClock: boolean;
  reason: string;
  startedAt: Date;
  startedOn: string;
  endedAt: Date | null;
  endedOn: string | null;
  startedBy: string | null;
}

export interface CommitmentTable {
  applicationId: string;
  itemCode: string;
  text: string;
  signedBy: string;
  signedAt: Date;
}

export interface InspectionTable {
  id: Generated<string>;
  taskId: string;
  enterpriseId: string;
  departmentCode: string;
  dueDate: string;
  status: 'pending' | 'confirmed' | 'revoked';
  result: string | null;
  inspectedBy: string | null;
  inspectedAt: Date | null;
  createdAt: Date;
}

export interface TaskExtensionTable {
  id: Generated<string>;
  taskId: string;
  workingDays: number;
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  opinion: string | null;
}

export interface TaskReopeningTable {
  id: Generated<string>;
  taskId: string;
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  fromStatus: string;
  requestedBy: string;
  requestedAt: Date;
  countersignedBy: string | null;
  countersignedAt: Date | null;
  opinion: string | null;
}

export interface PreconditionEvidenceTable {
  projectId: string;
  precondition: string;
  documentNumber: string | null;
  fileId: string | null;
  suppliedBy: string;
  suppliedAt: Date;
}

/** 撤销 of an approved task (0590): one per task and round. */
export interface TaskRevocationTable {
  id: Generated<string>;
  taskId: string;
  round: number;
  reason: string;
  legalBasis: string;
  sourceType: 'department' | 'inspection' | 'inspection_draw';
  sourceId: string | null;
  certificateIdentifier: string | null;
  revokedBy: string | null;
  revokedAt: Date;
  /** 纠错 (0640): the revocation was a mistake and the approval is reinstated; null = in force. */
  correctedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  correctedReason: ColumnType<string | null, string | null | undefined, string | null>;
  reopeningId: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApprovalTables {
  taskRevocation: TaskRevocationTable;
  preconditionEvidence: PreconditionEvidenceTable;
  taskExtension: TaskExtensionTable;
  taskReopening: TaskReopeningTable;
  stageApplication: StageApplicationTable;
  applicationMaterial: ApplicationMaterialTable;
  deficiency: DeficiencyTable;
  correctionRequest: CorrectionRequestTable;
  itemTask: ItemTaskTable;
  taskDecision: TaskDecisionTable;
  clockPause: ClockPauseTable;
  commitment: CommitmentTable;
  inspection: InspectionTable;
}
