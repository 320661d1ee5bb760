/** Queries of the joint desks (issue 11): drawing reviews, joint acceptances, utility cases. */
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
