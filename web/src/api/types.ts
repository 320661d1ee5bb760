/** Types of the HTTP API answers (the server's contract). */

export type Role =
  | 'applicant'
  | 'window'
  | 'reviewer'
  | 'senior'
  | 'head'
  | 'coordinator'
  | 'supervisor'
  | 'agent'
  | 'admin'
  | 'intermediary';

export const ALL_ROLES: readonly Role[] = [
  'applicant',
  'window',
  'reviewer',
  'senior',
  'head',
  'coordinator',
  'supervisor',
  'agent',
  'admin',
  'intermediary',
];

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentCode: string | null;
  enterpriseName: string | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface Department {
  code: string;
  name: string;
  kind: 'government' | 'utility' | 'review_body';
  leadsStages: number[];
}

export type LegalBasisLevel =
  'law' | 'regulation' | 'state_council_decision' | 'department_rule' | 'normative_document';

export type ItemStatus = 'active' | 'cancelled' | 'merged';

export interface ItemMaterial {
  code: string;
  name: string;
  required: boolean;
  deficiencyAllowed: boolean;
}

export interface ItemFormField {
  key: string;
  label: string;
  type: string;
  required: boolean;
  unit?: string;
}

export interface CatalogItem {
  code: string;
  name: string;
  stage: number;
  departmentCode: string;
  legalBasisLevel: LegalBasisLevel;
  legalBasis: string;
  legalTimeLimitDays: number;
  promisedTimeLimitDays: number;
  timeLimitConfirmed: boolean;
  commitmentAllowed: boolean;
  materials: ItemMaterial[];
  formFields: ItemFormField[];
  resultDocumentType: string;
  certificateType: string | null;
  regionalAssessment: string | null;
  status: ItemStatus;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface CatalogIssue {
  itemCode: string;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export interface CatalogItemDetail {
  item: CatalogItem;
  versions: { version: number; effectiveFrom: string; effectiveTo: string | null; status: ItemStatus }[];
  issues: CatalogIssue[];
}

export interface CatalogChange {
  id: string | number;
  kind: 'merge' | 'cancel' | 'create' | 'amend';
  itemCodes: string[];
  resultItemCode: string | null;
  basis: string;
  description: string;
  effectiveDate: string;
}

export interface TemplateItem {
  itemCode: string;
  itemName: string;
  departmentCode: string;
  promisedTimeLimitDays: number;
  milestone: boolean;
  condition: unknown;
  prerequisites: string[];
  simulatedUntil?: 'land_transferred' | 'project_approved' | 'land_use_permit_issued' | null;
}

export interface TemplateStage {
  nationalStage: number;
  name: string;
  leadDepartmentCode: string;
  mergedStages: number[];
  completionRule: 'all_milestones' | 'any_milestone' | string;
  parallelWithPrevious?: boolean;
  timeLimitWorkingDays: number;
  items: TemplateItem[];
}

export interface ProcessTemplate {
  code: string;
  name: string;
  version: number;
  nationalProcessType: string;
  effectiveFrom?: string;
  stages: TemplateStage[];
  totalWorkingDays: number;
}

export type CalendarSource = 'chinese-days' | 'notice' | 'none';

export interface CalendarYearSummary {
  year: number;
  source: CalendarSource;
  holidays: number;
  workdays: number;
  title: string | null;
  documentNumber: string | null;
}

export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}

export interface CalendarYear {
  year: number;
  source: CalendarSource;
  title: string | null;
  documentNumber: string | null;
  days: CalendarDay[];
}

export interface CalendarNotice {
  year: number;
  title: string;
  documentNumber: string;
  days: { date: string; kind: 'holiday' | 'workday'; name?: string }[];
}

export interface DeadlineResult {
  start: string;
  workingDays: number;
  deadline: string;
  calendarComplete: boolean;
}

export interface Health {
  status: 'ok';
  database: 'pglite' | 'postgres';
  postgis: string;
}
