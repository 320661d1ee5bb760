/**
 * Answers of the joint API the desks read (issue 11; shapes of src/modules/joint/joint.schemas.ts): drawing
 * reviews, joint acceptances, utility cases, 方案联审, 多评合一, design commitments, organisations.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface DrawingReview {
  id: string;
  taskId: string;
  projectCode: string;
  projectName: string;
  organisation: { id: string; name: string; purchasedService: boolean };
  status: 'in_review' | 'failed' | 'passed' | 'revoked';
  round: number;
  fireJoint: boolean;
  civilAirDefenceJoint: boolean;
  violationTotal: number;
  certificateId: string | null;
  pendingSections: string[];
  mySections: string[];
  sections: { section: string; name: string }[];
  decisions: {
    section: string;
    round: number;
    outcome: 'pass' | 'fail';
    violations: number;
    opinion: string;
    reviewerName: string;
    decidedAt: string;
  }[];
}

export interface JointAcceptance {
  id: string;
  applicationId: string;
  projectCode: string;
  projectName: string;
  status: 'in_review' | 'passed' | 'failed';
  surveyOrganisation: { id: string; name: string };
  surveyReportNumber: string;
  testReports: string[];
  opinionNumber: string | null;
  signoffs: {
    area: string;
    name: string;
    departmentCode: string;
    outcome: 'pass' | 'fail' | null;
    opinion: string | null;
    signerName: string | null;
  }[];
}

export interface UtilityCase {
  id: string;
  utility: string;
  utilityName: string;
  projectCode: string;
  projectName: string;
  status: 'pending' | 'notified' | 'applied' | 'works' | 'connected' | 'not_needed';
  facts: Record<string, unknown> | null;
  notifiedAt: string | null;
  appliedAt: string | null;
  acceptedOn: string | null;
  connectedAt: string | null;
  works: { note: string; recordedAt: string }[];
}

export const jointKeys = {
  reviews: ['joint', 'reviews'] as const,
  acceptances: ['joint', 'acceptances'] as const,
  utilities: ['joint', 'utilities'] as const,
};

export interface SchemeReview {
  id: string;
  taskId: string;
  projectCode: string;
  projectName: string;
  planningDepartmentCode: string;
  status: 'consulting' | 'returned' | 'passed' | 'withdrawn';
  round: number;
  conclusion: string | null;
  canPass: boolean;
  passRefusal: string | null;
  opinions: {
    round: number;
    departmentCode: string;
    departmentName: string;
    limitDays: number;
    dueDate: string;
    state: 'answered' | 'awaited' | 'overdue';
    answer: 'agree' | 'agree_with_conditions' | 'disagree' | null;
    answerName: string | null;
    opinion: string | null;
    answeredByName: string | null;
    answeredAt: string | null;
  }[];
}

export interface MergedAssessment {
  id: string;
  projectCode: string;
  projectName: string;
  organisation: { id: string; name: string };
  status: 'preparing' | 'in_review' | 'failed' | 'passed' | 'withdrawn';
  closedReason: string | null;
  round: number;
  notice: { itemCode: string; itemName: string; departmentCode: string; materials: string[] }[];
  reportNumber: string | null;
  reportSummary: string | null;
  opinionNumber: string | null;
  pendingItems: string[];
  items: {
    taskId: string;
    itemCode: string;
    itemName: string;
    departmentCode: string;
    ended: boolean;
    endedReason: string | null;
  }[];
  meetings: {
    round: number;
    heldOn: string;
    place: string;
    experts: { name: string; specialty: string; title: string }[];
  }[];
  conclusions: {
    round: number;
    itemCode: string;
    itemName: string;
    outcome: 'pass' | 'fail';
    opinion: string;
    decidedByName: string;
  }[];
}

export interface UtilityStat {
  utility: string;
  name: string;
  notified: number;
  applied: number;
  connected: number;
  avgDaysToApply: number | null;
  avgDaysToConnect: number | null;
}

/** A lifelong-responsibility design commitment (task 30); `pdfUrl` prints it (打印承诺书). */
export interface DesignCommitment {
  id: string;
  projectId: string;
  firmName: string;
  firmGradeName: string;
  qualificationNumber: string;
  chiefDesigner: string;
  chiefDesignerReg: string;
  signedOn: string;
  postInspectionPool: boolean;
  revoked: boolean;
  revokedReason: string | null;
  pdfUrl: string;
}

export interface Organisation {
  id: string;
  kind: 'drawing_review' | 'survey' | 'assessment';
  name: string;
  purchasedService: boolean;
}

export const jointMoreKeys = {
  schemes: ['joint', 'schemes'] as const,
  assessments: ['joint', 'assessments'] as const,
  utilityStats: ['joint', 'utilities', 'stats'] as const,
  commitments: ['joint', 'commitments'] as const,
  organisations: ['joint', 'organisations'] as const,
};

/** The joint rules the desks offer choices by (GET /api/joint/reference: the server's one rule). */
export interface JointReference {
  schemeReviewItem: string;
  defaultOpinionDays: number;
  mergeableAssessments: string[];
}

export function useJointReference() {
  return useQuery({
    queryKey: ['joint', 'reference'],
    queryFn: ({ signal }) => api.get<JointReference>('/api/joint/reference', undefined, signal),
    staleTime: Infinity,
  });
}
