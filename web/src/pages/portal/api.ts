/** Types of the public portal API (/api/public/…), as the server's Zod schemas declare them. */
export interface GuideIndex {
  templates: {
    code: string;
    name: string;
    totalWorkingDays: number;
    stages: { nationalStage: number; name: string; timeLimitWorkingDays: number; itemCount: number }[];
  }[];
}

export interface StageGuide {
  template: { code: string; name: string; version: number };
  stage: { nationalStage: number; name: string; leadDepartmentName: string; timeLimitWorkingDays: number };
  items: {
    code: string;
    name: string;
    departmentName: string;
    promisedTimeLimitDays: number;
    legalTimeLimitDays: number;
    conditional: boolean;
    commitmentAllowed: boolean;
    resultDocumentType: string;
  }[];
  materials: { code: string; name: string; required: boolean; deficiencyAllowed: boolean; items: string[] }[];
  form: { properties?: Record<string, { title?: string; type?: string }>; required?: string[] };
  flowchartUrl: string;
}

export interface Progress {
  code: string;
  name: string;
  enterpriseName: string;
  registeredOn: string;
  stages: {
    nationalStage: number;
    name: string;
    status: string;
    timeLimitWorkingDays: number;
    items: {
      itemCode: string;
      itemName: string;
      departmentName: string;
      status: string;
      deadline: string;
      remainingWorkingDays: number | null;
      overdueWorkingDays: number | null;
      paused: boolean;
    }[];
  }[];
}

export interface Disclosure {
  certificates: {
    id: string;
    identifier: string;
    title: string;
    holderName: string;
    projectCode: string;
    projectName: string;
    issuedOn: string;
    revoked: boolean;
  }[];
}

export interface Consultation {
  id: string;
  topic: string;
  question: string;
  askerName: string;
  dueOn: string;
  status: 'open' | 'answered' | 'closed';
  overdue: boolean;
  answer: string | null;
  published: boolean;
  ticket?: string;
}

export interface Faq {
  faq: { id: string; topic: string; question: string; answer: string; answeredOn: string }[];
}
