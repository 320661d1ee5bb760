import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export interface JointOrganisationTable {
  id: Generated<string>;
  kind: 'drawing_review' | 'survey' | 'assessment';
  name: string;
  creditCode: string;
  purchasedService: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: Date;
}

export interface JointReviewerTable {
  organisationId: string;
  userId: string;
  sections: string[];
  qualification: string;
  createdAt: Date;
}

export interface DesignFirmTable {
  id: Generated<string>;
  name: string;
  creditCode: string;
  grade: 'grade_a' | 'grade_b' | 'grade_c';
  qualificationNumber: string;
  qualificationExpires: string;
  createdAt: Date;
}

export interface DesignCommitmentTable {
  id: Generated<string>;
  projectId: string;
  designFirmId: string;
  firmGrade: string;
  qualificationNumber: string;
  chiefDesigner: string;
  chiefDesignerReg: string;
  text: string;
  signedBy: string;
  signedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  signature: ColumnType<string | null, string | null | undefined, string | null>;
  signerKeyId: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DrawingReviewTable {
  id: Generated<string>;
  taskId: string;
  projectId: string;
  organisationId: string;
  status: 'in_review' | 'failed' | 'passed' | 'revoked';
  round: ColumnType<number, number | undefined, number>;
  fireJoint: boolean;
  civilAirDefenceJoint: boolean;
  sections: string[];
  violationTotal: ColumnType<number, number | undefined, number>;
  certificateId: string | null;
  openedBy: string;
  openedAt: Date;
  concludedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface DrawingReviewSectionTable {
  reviewId: string;
  round: number;
  section: string;
  outcome: 'pass' | 'fail';
  violations: number;
  opinion: string;
  reviewerId: string;
  decidedAt: Date;
}

export interface JointAcceptanceTable {
  id: Generated<string>;
  applicationId: string;
  projectId: string;
  surveyOrganisationId: string;
  surveyReportNumber: string;
  testReports: string[];
  status: 'in_review' | 'passed' | 'failed';
  opinionNumber: string | null;
  openedBy: string;
  openedAt: Date;
  concludedAt: Date | null;
}

export interface JointAcceptanceSignoffTable {
  acceptanceId: string;
  area: string;
  departmentCode: string;
  outcome: 'pass' | 'fail';
  opinion: string;
  signedBy: string;
  signedAt: Date;
}

export type UtilityStatus = 'pending' | 'notified' | 'applied' | 'works' | 'connected' | 'not_needed';

export interface UtilityCaseTable {
  id: Generated<string>;
  projectId: string;
  utility: string;
  status: UtilityStatus;
  facts: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  notifiedAt: Date | null;
  appliedAt: Date | null;
  applicationId: string | null;
  acceptedOn: string | null;
  connectedAt: Date | null;
  connectedBy: string | null;
  note: string | null;
}

export interface UtilityWorkTable {
  id: Generated<string>;
  caseId: string;
  note: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface SchemeReviewTable {
  id: Generated<string>;
  taskId: string;
  projectId: string;
  status: 'consulting' | 'returned' | 'passed' | 'withdrawn';
  round: ColumnType<number, number | undefined, number>;
  conclusion: string | null;
  concludedBy: string | null;
  concludedAt: Date | null;
  openedBy: string;
  openedAt: Date;
  version: ColumnType<number, number | undefined, number>;
}

export interface SchemeReviewOpinionTable {
  reviewId: string;
  round: number;
  departmentCode: string;
  limitDays: number;
  requestedAt: Date;
  dueDate: string;
  answer: 'agree' | 'agree_with_conditions' | 'disagree' | null;
  opinion: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
}

export interface MergedAssessmentTable {
  id: Generated<string>;
  projectId: string;
  organisationId: string;
  status: 'preparing' | 'in_review' | 'failed' | 'passed' | 'withdrawn';
  round: ColumnType<number, number | undefined, number>;
  notice: JSONColumnType<AssessmentNoticeEntry[], string, string>;
  reportNumber: string | null;
  reportSummary: string | null;
  reportAt: Date | null;
  opinionNumber: string | null;
  openedBy: string;
  openedAt: Date;
  concludedAt: Date | null;
  /** Why it closed without passing (withdrawn, or its covered tasks ended on their own). */
  closedReason: ColumnType<string | null, string | null | undefined, string | null>;
  version: ColumnType<number, number | undefined, number>;
}

/** 一次性告知: what one assessment item needs in the merged report. */
export interface AssessmentNoticeEntry {
  itemCode: string;
  itemName: string;
  departmentCode: string;
  materials: string[];
}

export interface MergedAssessmentItemTable {
  assessmentId: string;
  taskId: string;
  itemCode: string;
  departmentCode: string;
  live: ColumnType<boolean, boolean | undefined, boolean>;
  /** The covered task ended on its own: this part of the assessment is void. */
  endedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  endedReason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MergedAssessmentMeetingTable {
  assessmentId: string;
  round: number;
  heldOn: string;
  place: string;
  experts: JSONColumnType<{ name: string; specialty: string; title: string }[], string, string>;
  recordedBy: string;
  recordedAt: Date;
}

export interface MergedAssessmentConclusionTable {
  assessmentId: string;
  round: number;
  itemCode: string;
  departmentCode: string;
  outcome: 'pass' | 'fail';
  opinion: string;
  decidedBy: string;
  decidedAt: Date;
}

export interface JointTables {
  jointOrganisation: JointOrganisationTable;
  jointReviewer: JointReviewerTable;
  designFirm: DesignFirmTable;
  designCommitment: DesignCommitmentTable;
  drawingReview: DrawingReviewTable;
  drawingReviewSection: DrawingReviewSectionTable;
  jointAcceptance: JointAcceptanceTable;
  jointAcceptanceSignoff: JointAcceptanceSignoffTable;
  utilityCase: UtilityCaseTable;
  utilityWork: UtilityWorkTable;
  schemeReview: SchemeReviewTable;
  schemeReviewOpinion: SchemeReviewOpinionTable;
  mergedAssessment: MergedAssessmentTable;
  mergedAssessmentItem: MergedAssessmentItemTable;
  mergedAssessmentMeeting: MergedAssessmentMeetingTable;
  mergedAssessmentConclusion: MergedAssessmentConclusionTable;
}
