/**
 * Types and calls of the stage-application API (projects, applications, tasks, materials, certificates)
 * shared by the applicant, window, review, coordination and verify areas.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, buildUrl } from '../../api/client';
import { queryKeys } from '../../api/hooks';
import type { ApiResponse, paths, Session } from '../../api/types';

export type ApplicationStatus =
  | 'submitted'
  | 'correction_requested'
  | 'accepted'
  | 'refused'
  | 'rejected'
  | 'withdrawn'
  | 'terminated'
  | 'completed';
export type StageStatus = 'locked' | 'open' | ApplicationStatus;
export type TaskStatus =
  | 'in_review'
  | 'paused'
  | 'correction'
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'revoked'
  | 'withdrawn'
  | 'terminated';
export type ClockState = 'normal' | 'warning' | 'overdue';

/** A stage whose last application ended this way may be applied for again (lifecycle.rules reapplicableStates). */
export const REAPPLICABLE: ReadonlySet<string> = new Set(['refused', 'rejected', 'withdrawn', 'terminated']);
/** Task states that are no longer running (no clock to watch). */
export const TASK_ENDED: ReadonlySet<string> = new Set([
  'approved',
  'rejected',
  'returned',
  'revoked',
  'withdrawn',
  'terminated',
]);

export interface ProjectTask {
  id: string;
  itemCode: string;
  itemName: string;
  departmentCode: string;
  status: TaskStatus;
  deadline: string;
}

export interface ProjectStage {
  nationalStage: number;
  name: string;
  leadDepartmentCode: string;
  timeLimitWorkingDays: number;
  status: StageStatus;
  applicationId: string | null;
  tasks: ProjectTask[];
}

export interface Project {
  id: string;
  code: string;
  name: string;
  templateCode: string;
  templateVersion: number;
  districtCode: string;
  totalInvestment: number;
  siteAreaM2: number;
  plannedStart: string;
  plannedCompletion: string;
  enterpriseId: string;
  enterpriseName: string;
  createdAt: string;
  stages: ProjectStage[];
}

export interface ProjectSummary {
  id: string;
  code: string;
  name: string;
  templateCode: string;
  enterpriseName: string;
  districtCode: string;
  createdAt: string;
  currentStage: { nationalStage: number; name: string; status: StageStatus } | null;
}

export interface JsonSchemaProperty {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export interface Guide {
  stage: { nationalStage: number; name: string; leadDepartmentCode: string; timeLimitWorkingDays: number };
  items: {
    code: string;
    name: string;
    departmentCode: string;
    promisedTimeLimitDays: number;
    commitmentAllowed: boolean;
    milestone: boolean;
    simulatedUntil: string | null;
    resultDocumentType: string;
  }[];
  form: { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
  materials: {
    code: string;
    name: string;
    required: boolean;
    deficiencyAllowed: boolean;
    onFile: boolean;
    fileId: string | null;
    items: string[];
  }[];
  expectedCompletion: string;
  calendarComplete: boolean;
}

export interface TaskClock {
  deadline: string;
  pausedWorkingDays: number;
  paused: boolean;
  remainingWorkingDays: number;
  overdueWorkingDays: number;
  clockState: ClockState;
  calendarComplete: boolean;
  /** Working days added by an approved 延期 (0 without one). */
  extendedBy?: number;
}

/** An approved 延期 as the application view shows it. */
export interface TaskExtensionSummary {
  workingDays: number;
  reason: string;
  decidedAt: string | null;
}

export interface TaskExtension {
  id: string;
  workingDays: number;
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  requestedAt: string;
  decidedAt: string | null;
  opinion: string | null;
}

export interface TaskReopening {
  id: string;
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  requestedAt: string;
  countersignedAt: string | null;
  opinion: string | null;
}

/** GET /api/reopenings: the pending reopenings supervisors countersign. */
export interface PendingReopening {
  id: string;
  taskId: string;
  reason: string;
  status: string;
  requestedAt: string;
  itemCode: string;
  departmentCode: string;
  projectCode: string;
  projectName: string;
}

export interface AppMaterial {
  materialCode: string;
  fileId: string;
  originalName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface ApplicationSummary {
  id: string;
  projectId: string;
  stage: number;
  status: ApplicationStatus;
  submittedAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
  expectedCompletion: string | null;
  projectCode: string;
  projectName: string;
  enterpriseName: string;
  districtCode?: string;
}

export interface CorrectionItem {
  materialCode?: string;
  field?: string;
  reason: string;
}

export interface Application extends ApplicationSummary {
  /** The enterprise (its credit standing is shown beside its name). */
  enterpriseId?: string;
  statusName?: string;
  endedAt: string | null;
  endedReason: string | null;
  form: Record<string, unknown>;
  itemCodes: string[];
  refusedReason: string | null;
  materials: AppMaterial[];
  /** Required materials not received: blocking ones, and those the window may accept under 容缺. */
  missingMaterials: { code: string; name: string; deficiencyAllowed: boolean }[];
  deficiencies: { materialCode: string; dueDate: string; fulfilledAt: string | null; overdue: boolean }[];
  corrections: {
    id: string;
    taskId: string | null;
    items: CorrectionItem[];
    requestedAt: string;
    dueDate: string | null;
    overdue: boolean;
    answeredAt: string | null;
  }[];
  commitments: { itemCode: string; text: string; signedAt: string }[];
  tasks: {
    id: string;
    itemCode: string;
    departmentCode: string;
    status: TaskStatus;
    statusName?: string;
    round: number;
    currentStep: 'initial' | 'final' | null;
    deadline: string;
    clock: TaskClock;
    extension: TaskExtensionSummary | null;
    viaCommitment: boolean;
    simulated: boolean;
    outcome: string | null;
    opinion: string | null;
    endedReason: string | null;
    decidedAt: string | null;
  }[];
}

export interface InboxTask {
  id: string;
  itemCode: string;
  departmentCode: string;
  status: TaskStatus;
  currentStep: 'initial' | 'final' | null;
  deadline: string;
  startedOn: string;
  simulated: boolean;
  applicationId: string;
  projectCode: string;
  projectName: string;
  itemName: string;
  statusName: string;
  clock: TaskClock;
}

export interface ReplyDocument {
  number: string;
  title: string;
  date: string;
  validUntil: string;
}

export interface TaskDetail {
  /** The enterprise (its credit standing is shown beside its name). */
  enterpriseId?: string;
  id: string;
  applicationId: string;
  projectId: string;
  projectCode: string;
  projectName: string;
  enterpriseName: string;
  itemCode: string;
  itemName: string;
  departmentCode: string;
  stage: number;
  status: TaskStatus;
  statusName?: string;
  round: number;
  endedReason: string | null;
  extensions: TaskExtension[];
  reopenings: TaskReopening[];
  steps: ('initial' | 'final')[];
  currentStep: 'initial' | 'final' | null;
  startedOn: string;
  deadline: string;
  clock: TaskClock;
  viaCommitment: boolean;
  simulated: boolean;
  simulatedUntil: string | null;
  outcome: string | null;
  opinion: string | null;
  document: ReplyDocument | null;
  decisions: {
    id: string;
    round?: number;
    step: 'initial' | 'final';
    outcome: 'approve' | 'reject' | 'return';
    opinion: string;
    document: ReplyDocument | null;
    decidedAt: string;
    decidedByName: string;
  }[];
  pauses: {
    id: string;
    kind: string;
    pausesClock: boolean;
    reason: string;
    startedOn: string;
    endedOn: string | null;
  }[];
  form: Record<string, unknown>;
  materials: AppMaterial[];
  alreadyReviewed: {
    materialCode: string;
    reviewedByItem: string;
    departmentCode: string;
    decidedAt: string;
  }[];
}

export interface Inspection {
  id: string;
  taskId?: string;
  itemCode?: string;
  projectCode?: string;
  projectName?: string;
  dueDate?: string;
  status: 'pending' | 'confirmed' | 'revoked';
  [key: string]: unknown;
}

export interface Certificate {
  id: string;
  identifier: string;
  type: string;
  title: string;
  holderName: string;
  issuedAt: string;
  validUntil: string;
  simulated: boolean;
  revoked: boolean;
  verifyUrl: string;
}

export interface VerifyResult {
  valid: boolean;
  id: string;
  identifier?: string;
  type?: string;
  title?: string;
  holderName?: string;
  issuedAt?: string;
  validUntil?: string;
  simulated?: boolean;
  revoked?: boolean;
  reason?: string;
}

export const keys = {
  projects: ['projects'] as const,
  project: (id: string) => ['projects', id] as const,
  guide: (id: string, n: number) => ['projects', id, 'guide', n] as const,
  certificates: (id: string) => ['projects', id, 'certificates'] as const,
  documents: (id: string) => ['projects', id, 'documents'] as const,
  applications: (status: string) => ['applications', status] as const,
  application: (id: string) => ['applications', 'one', id] as const,
  inbox: ['tasks', 'inbox'] as const,
  task: (id: string) => ['tasks', id] as const,
  inspections: ['inspections'] as const,
  reopenings: ['reopenings'] as const,
};

export function useProjects() {
  return useQuery({
    queryKey: keys.projects,
    queryFn: ({ signal }) => api.get<{ projects: ProjectSummary[] }>('/api/projects', { limit: 500 }, signal),
    select: (d) => d.projects,
  });
}

export function useProject(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.project(id ?? ''),
    queryFn: ({ signal }) => api.get<Project>(`/api/projects/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useGuide(id: string, stage: number) {
  return useQuery({
    queryKey: keys.guide(id, stage),
    queryFn: ({ signal }) => api.get<Guide>(`/api/projects/${id}/stages/${stage}/guide`, undefined, signal),
  });
}

export function useCertificates(id: string) {
  return useQuery({
    queryKey: keys.certificates(id),
    queryFn: ({ signal }) =>
      api.get<{ certificates: Certificate[] }>(`/api/projects/${id}/certificates`, undefined, signal),
    select: (d) => d.certificates,
  });
}

/** A document an office issued on the project (受理通知书, 补正告知书, 不予受理/不予许可决定书, 延期告知书, 办结通知书). */
export interface IssuedDocument {
  id: string;
  kind: 'acceptance' | 'correction' | 'refusal' | 'denial' | 'extension' | 'completion' | 'receipt';
  number: string;
  issuerName: string;
  title: string;
  applicationId: string | null;
  taskId: string | null;
  issuedAt: string;
}

export function useDocuments(id: string) {
  return useQuery({
    queryKey: keys.documents(id),
    queryFn: ({ signal }) =>
      api.get<{ documents: IssuedDocument[] }>(`/api/projects/${id}/documents`, undefined, signal),
    select: (d) => d.documents,
  });
}

export function useApplications(status: string) {
  return useQuery({
    queryKey: keys.applications(status),
    queryFn: ({ signal }) =>
      api.get<{ applications: ApplicationSummary[] }>('/api/applications', { status }, signal),
    select: (d) => d.applications,
  });
}

/** 我的项目's search, filters, order and page (GET /api/projects); the same without page for the export. */
export type ProjectListParams = NonNullable<paths['/api/projects']['get']['parameters']['query']>;
export type ProjectListPage = ApiResponse<'/api/projects'>;

export function useProjectList(params: ProjectListParams) {
  return useQuery({
    queryKey: [...keys.projects, 'list', params],
    queryFn: ({ signal }) => api.get<ProjectListPage>('/api/projects', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

export const projectsExportUrl = (params: ProjectListParams) => {
  const { page: _page, pageSize: _pageSize, limit: _limit, offset: _offset, ...rest } = params;
  return buildUrl('/api/projects/export.xlsx', { ...rest });
};

/** The window's queue: search, filters, order and page (GET /api/applications). */
export type QueueParams = NonNullable<paths['/api/applications']['get']['parameters']['query']>;
export type QueuePage = ApiResponse<'/api/applications'>;

export function useApplicationQueue(params: QueueParams) {
  return useQuery({
    queryKey: ['applications', 'queue', params],
    queryFn: ({ signal }) => api.get<QueuePage>('/api/applications', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

export const applicationsExportUrl = (params: QueueParams) => {
  const { page: _page, pageSize: _pageSize, ...rest } = params;
  return buildUrl('/api/applications/export.xlsx', { ...rest });
};

/** 本市区县及功能区 (GET /api/districts): names for district codes and the lists' district filter. */
export function useDistricts() {
  return useQuery({
    queryKey: ['districts'],
    queryFn: ({ signal }) => api.get<ApiResponse<'/api/districts'>>('/api/districts', undefined, signal),
    select: (d) => d.districts,
    staleTime: 10 * 60_000,
  });
}

/** The server's reference values (default 容缺 / 补正 due dates, working days): never copied here. */
export function useReferenceValues() {
  return useQuery({
    queryKey: ['reference-values'],
    queryFn: ({ signal }) =>
      api.get<ApiResponse<'/api/reference-values'>>('/api/reference-values', undefined, signal),
    staleTime: 10 * 60_000,
  });
}

export function useApplication(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.application(id ?? ''),
    queryFn: ({ signal }) => api.get<Application>(`/api/applications/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** The inbox's search, filters, order and page (GET /api/tasks); the same without page for the export. */
export interface InboxParams {
  q?: string;
  state?: 'in_review' | 'correction' | 'paused' | 'running';
  clockState?: 'normal' | 'warning' | 'overdue';
  sort?: 'deadline' | 'startedOn' | 'projectName' | 'projectCode' | 'itemName';
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

export interface InboxPage {
  tasks: InboxTask[];
  total: number;
  page: number;
  pageSize: number;
}

export function useInbox(params: InboxParams = {}) {
  return useQuery({
    queryKey: [...keys.inbox, params],
    queryFn: ({ signal }) => api.get<InboxPage>('/api/tasks', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

export const inboxExportUrl = (params: InboxParams) => {
  const { page: _page, pageSize: _pageSize, ...rest } = params;
  return buildUrl('/api/tasks/export.xlsx', { ...rest });
};

export function useTask(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.task(id ?? ''),
    queryFn: ({ signal }) => api.get<TaskDetail>(`/api/tasks/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useInspections() {
  return useQuery({
    queryKey: keys.inspections,
    queryFn: ({ signal }) => api.get<{ inspections: Inspection[] }>('/api/inspections', undefined, signal),
    select: (d) => d.inspections,
  });
}

/** The session's CSRF token (kept by the auth context in the query cache), for XMLHttpRequest uploads. */
export function useCsrfToken(): () => string | null {
  const client = useQueryClient();
  return () => client.getQueryData<Session | null>(queryKeys.session)?.csrfToken ?? null;
}

/**
 * Uploads one material with XMLHttpRequest (fetch has no upload progress): multipart fields
 * materialCode + file; resolves with the stored file's id.
 */
export function uploadMaterial(
  materialCode: string,
  file: File,
  csrf: string | null,
  onProgress: (percent: number) => void,
  /** 帮办代办: the enterprise the file belongs to (its consent is checked by the server). */
  enterpriseId?: string,
): Promise<{ id: string; sha256: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/materials');
    xhr.withCredentials = true;
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: handled below by the status
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve(data as { id: string; sha256: string });
      } else {
        const error = (data as { error?: { code?: string; message?: string; field?: string } })?.error;
        reject(
          new ApiError(
            xhr.status,
            error?.code ?? `HTTP_${xhr.status}`,
            error?.message ?? `HTTP ${xhr.status}`,
            error?.field,
          ),
        );
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', '网络错误 (network error)'));
    const body = new FormData();
    body.append('materialCode', materialCode);
    if (enterpriseId) body.append('enterpriseId', enterpriseId);
    body.append('file', file);
    xhr.send(body);
  });
}

export function materialUrl(fileId: string): string {
  return `/api/materials/${fileId}`;
}

/** POST with an Idempotency-Key header (the shared client sends no custom headers). */
export async function submitApplication(
  projectId: string,
  body: unknown,
  idempotencyKey: string,
  csrf: string | null,
): Promise<{ id: string; status: string; stage: number; replayed: boolean }> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/json',
    'Idempotency-Key': idempotencyKey,
  };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(`/api/projects/${projectId}/applications`, {
    method: 'POST',
    credentials: 'include',
    headers,
    body: JSON.stringify(body),
  });
  const data = (await res.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string; field?: string } } | undefined;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      data?.error?.code ?? `HTTP_${res.status}`,
      data?.error?.message ?? `HTTP ${res.status}`,
      data?.error?.field,
    );
  }
  return data as unknown as { id: string; status: string; stage: number; replayed: boolean };
}
