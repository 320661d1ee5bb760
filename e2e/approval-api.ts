/**
 * API helpers for the approval browser tests: the data a test needs but does not test (a project
 * submitted or accepted by another role) is made through the same public API the UI calls.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from './harness';
import { squareSite } from '../src/shared/geo';
import { defaultProjectAttributes } from '../src/modules/templates/template.schemas';

export interface ApiSession {
  cookie: string;
  csrf: string;
}

export interface GuideView {
  items: { code: string; departmentCode: string; commitmentAllowed: boolean }[];
  form: {
    properties: Record<string, { type?: string; format?: string; enum?: string[]; default?: unknown }>;
  };
  materials: { code: string; name: string; required: boolean; deficiencyAllowed: boolean; onFile: boolean }[];
}

export interface TaskView {
  id: string;
  itemCode: string;
  departmentCode: string;
  status: string;
  currentStep: 'initial' | 'final' | null;
  round?: number;
  clock?: { deadline: string; extendedBy?: number };
}

/**
 * The window accepts, declaring under 容缺 every missing material that allows it (the API refuses an
 * acceptance that leaves one undeclared: 422 MATERIALS_MISSING); `dueDate` omitted = the default.
 */
export async function acceptApplication(
  url: string,
  window: ApiSession,
  applicationId: string,
): Promise<{ tasks: TaskView[] }> {
  const view = await call<{ missingMaterials: { code: string; deficiencyAllowed: boolean }[] }>(
    url,
    window,
    'GET',
    `/api/applications/${applicationId}`,
  );
  const deficiencies = view.missingMaterials
    .filter((m) => m.deficiencyAllowed)
    .map((m) => ({ materialCode: m.code }));
  return call(url, window, 'POST', `/api/applications/${applicationId}/accept`, { deficiencies });
}

/** A project whose stage-1 application the window has accepted (items running in parallel). */
export async function acceptedProject(url: string, applicant: ApiSession, window: ApiSession) {
  const submitted = await submittedProject(url, applicant);
  await acceptApplication(url, window, submitted.applicationId);
  return submitted;
}

export async function applicationTasks(
  url: string,
  session: ApiSession,
  applicationId: string,
): Promise<TaskView[]> {
  return (await call<{ tasks: TaskView[] }>(url, session, 'GET', `/api/applications/${applicationId}`)).tasks;
}

export async function apiLogin(url: string, username: string): Promise<ApiSession> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

export async function call<T>(
  url: string,
  session: ApiSession,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  expected = method === 'POST' ? [200, 201] : [200],
): Promise<T> {
  const headers: Record<string, string> = { cookie: session.cookie };
  if (method === 'POST') {
    headers['X-CSRF-Token'] = session.csrf;
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = randomUUID();
  }
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body),
  });
  const text = await res.text();
  if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A tiny but well-formed PDF file on disk (the server sniffs the %PDF- signature). */
export function pdfFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zz-pdf-'));
  const path = join(dir, name);
  const body =
    `%PDF-1.4\n% ${randomUUID()}\n` +
    '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
  writeFileSync(path, body);
  return path;
}

export async function uploadPdf(url: string, session: ApiSession, materialCode: string): Promise<string> {
  const form = new FormData();
  form.append('materialCode', materialCode);
  form.append(
    'file',
    new Blob([Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n%%EOF\n`)], { type: 'application/pdf' }),
    `${materialCode}.pdf`,
  );
  const res = await fetch(`${url}/api/materials`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: form,
  });
  if (res.status !== 201) throw new Error(`upload ${materialCode}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

let siteOffset = 0;

/** A planned start in the future (registration refuses one in the past): a month from today in Beijing. */
function plannedStart(): string {
  const d = new Date(Date.now() + 8 * 3_600_000 + 30 * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Registers a SOCIAL_TRANSFER project on a clear site and submits stage 1 with every required material. */
export async function submittedProject(
  url: string,
  applicant: ApiSession,
  skip: string[] = [],
): Promise<{ projectId: string; code: string; applicationId: string }> {
  siteOffset += 1;
  const x = 113.612 + siteOffset * 0.0015;
  const y = 34.715;
  const d = 0.001;
  const project = await call<{ id: string; code: string }>(url, applicant, 'POST', '/api/projects', {
    name: `接口准备项目 ${siteOffset}`,
    templateCode: 'SOCIAL_TRANSFER',
    totalInvestment: 8000,
    districtCode: '410102', // 中原区: the demo district boundaries put these sites there
    site: squareSite(x, y, d),
    plannedStart: plannedStart(),
    plannedCompletion: `${Number(plannedStart().slice(0, 4)) + 2}-06-01`,
    attributes: defaultAttributes,
  });
  const guide = await call<GuideView>(url, applicant, 'GET', `/api/projects/${project.id}/stages/1/guide`);
  const materials = [];
  for (const m of guide.materials) {
    if (!m.required || m.onFile || skip.includes(m.code)) continue;
    materials.push({ materialCode: m.code, fileId: await uploadPdf(url, applicant, m.code) });
  }
  const app = await call<{ id: string }>(url, applicant, 'POST', `/api/projects/${project.id}/applications`, {
    stage: 1,
    form: formValues(guide),
    materials,
  });
  return { projectId: project.id, code: project.code, applicationId: app.id };
}

export function formValues(guide: GuideView): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(guide.form.properties)) {
    // The registry's facts as the guide prefills them (a different value would contradict the project).
    values[key] =
      p.default !== undefined
        ? p.default
        : p.enum?.length
          ? p.enum[0]
          : p.type === 'number' || p.type === 'integer'
            ? 100
            : p.type === 'boolean'
              ? true
              : p.format === 'date'
                ? '2026-05-01'
                : `测试${key}`;
  }
  return values;
}

/** The schema's default project (social investment, transferred land) with a building area. */
const { totalInvestment: _omitted, ...schemaDefaults } = defaultProjectAttributes;
export const defaultAttributes = { ...schemaDefaults, buildingArea: 20000 };

/**
 * Decides every task still in review (but `exclude`) through the API, step by step, with the
 * department's reviewer and senior. A task waiting for a prerequisite item is tried again in the next
 * round; it stops when a round decides nothing.
 */
export async function decideRemaining(
  url: string,
  applicationId: string,
  observer: ApiSession,
  exclude: string[] = [],
) {
  const sessions = new Map<string, ApiSession>();
  const as = async (name: string) => {
    if (!sessions.has(name)) sessions.set(name, await apiLogin(url, name));
    return sessions.get(name)!;
  };
  for (;;) {
    const app = await call<{ status: string; tasks: TaskView[] }>(
      url,
      observer,
      'GET',
      `/api/applications/${applicationId}`,
    );
    const open = app.tasks.filter(
      (t) => t.status === 'in_review' && t.currentStep && !exclude.includes(t.id),
    );
    let decided = 0;
    for (const task of open) {
      const who = await as(
        `${task.departmentCode}.${task.currentStep === 'initial' ? 'reviewer' : 'senior'}`,
      );
      const res = await fetch(`${url}/api/tasks/${task.id}/decisions`, {
        method: 'POST',
        headers: { cookie: who.cookie, 'X-CSRF-Token': who.csrf, 'Content-Type': 'application/json' },
        body: JSON.stringify({ step: task.currentStep, outcome: 'approve', opinion: '符合要求，同意' }),
      });
      if (res.status === 200) decided++;
      else if (![409, 422].includes(res.status))
        throw new Error(`decide ${task.itemCode}: ${await res.text()}`);
    }
    if (decided === 0) return;
  }
}
