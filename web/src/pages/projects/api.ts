/**
 * Types and calls of the stage-application API (projects, applications, tasks, materials, certificates)
 * shared by the applicant, window, review, coordination and verify areas.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, buildUrl } from '../../api/client';
import { queryKeys } from '../../api/hooks';
import type { ApiResponse, paths, Session } from '../../api/types';

type ProjectAnswer = ApiResponse<'/api/projects/{id}'>;
type GuideAnswer = ApiResponse<'/api/projects/{id}/stages/{n}/guide'>;

export type Project = ProjectAnswer;
export type ProjectStage = Project['stages'][number];
export type ProjectTask = ProjectStage['tasks'][number];
export type ProjectSummary = ApiResponse<'/api/projects'>['projects'][number];
export type StageStatus = ProjectStage['status'];

export type ApplicationSummary = ApiResponse<'/api/applications'>['applications'][number];
export type ApplicationStatus = ApplicationSummary['status'];

export type TaskDetail = ApiResponse<'/api/tasks/{id}'>;
export type TaskStatus = TaskDetail['status'];
export type TaskClock = TaskDetail['clock'];
export type ClockState = TaskClock['clockState'];
export type TaskExtension = TaskDetail['extensions'][number];
export type TaskReopening = TaskDetail['reopenings'][number];
export type ReplyDocument = NonNullable<TaskDetail['document']>;
export type AppMaterial = TaskDetail['materials'][number];
export type PendingReopening = ApiResponse<'/api/reopenings'>['reopenings'][number];

export type InboxPage = ApiResponse<'/api/tasks'>;
export type InboxTask = InboxPage['tasks'][number];
export type Inspection = ApiResponse<'/api/inspections'>['inspections'][number];

export type Certificate = ApiResponse<'/api/projects/{id}/certificates'>['certificates'][number];
export type VerifyResult = ApiResponse<'/api/certificates/{id}/verify'>;
/** A document an office issued on the project (受理通知书, 补正告知书, 不予受理/不予许可决定书, 延期告知书, 办结通知书). */
export type IssuedDocument = ApiResponse<'/api/projects/{id}/documents'>['documents'][number];
export type ReferenceValues = ApiResponse<'/api/reference-values'>;
export type DesignCommitment =
  ApiResponse<'/api/joint/projects/{id}/design-commitments'>['commitments'][number];

/**
 * GET /api/applications/:id is the one route still without a response schema (the contract test's pending
 * list), so its answer is written here, from the generated parts it shares with the other views. Replace
 * with ApiResponse<'/api/applications/{id}'> once the route declares its schema.
 */
export interface CorrectionItem {
  materialCode?: string;
  field?: string;
  reason: string;
}

/** An approved 延期 as the application view shows it. */
export interface TaskExtensionSummary {
  workingDays: number;
  reason: string;
  decidedAt: string | null;
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
  tasks: (Pick<
    TaskDetail,
    | 'id'
    | 'itemCode'
    | 'departmentCode'
    | 'status'
    | 'statusName'
    | 'round'
    | 'currentStep'
    | 'deadline'
    | 'clock'
    | 'viaCommitment'
    | 'simulated'
    | 'outcome'
    | 'opinion'
    | 'endedReason'
  > & { extension: TaskExtensionSummary | null; decidedAt: string | null })[];
}

/** A stage application's lifecycle states that allow applying again (lifecycle.rules reapplicableStates). */
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

/** A property of the stage form's JSON Schema (draft 2020-12) as the guide describes it. */
export interface JsonSchemaProperty {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** 计量单位 (万元, 平方米). */
  unit?: string;
  /** A value the project already knows. */
  default?: unknown;
  /** A registered fact: shown, not edited. */
  readOnly?: boolean;
}

/** The stage guide; its form is a JSON Schema document the server types only as an object. */
export type Guide = Omit<GuideAnswer, 'form'> & {
  form: { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
};

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
  referenceValues: ['reference-values'] as const,
  designCommitments: (id: string) => ['projects', id, 'design-commitments'] as const,
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

/** The approval rules' values the pages show (长期有效 date, default due dates): the server's, never copies. */
export function useReferenceValues() {
  return useQuery({
    queryKey: keys.referenceValues,
    queryFn: ({ signal }) => api.get<ReferenceValues>('/api/reference-values', undefined, signal),
    staleTime: 10 * 60_000,
  });
}

/** The project's 设计终身负责承诺 (甲级免审, joint procedures), each with its printable PDF. */
export function useDesignCommitments(projectId: string) {
  return useQuery({
    queryKey: keys.designCommitments(projectId),
    queryFn: ({ signal }) =>
      api.get<{ commitments: DesignCommitment[] }>(
        `/api/joint/projects/${projectId}/design-commitments`,
        undefined,
        signal,
      ),
    select: (d) => d.commitments,
    retry: false,
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
