/**
 * Builders that create the world a test needs through the public API (the same calls a client makes):
 * projects, uploaded materials, stage applications taken through the window.
 */
import { randomBytes } from 'node:crypto';
import { multipart, pdfBytes } from '../src/seed/demo-projects';
import { squareSite } from '../src/shared/geo';
import { defaultProjectAttributes } from '../src/modules/templates/template.schemas';
import type { Session, TestSystem } from './app';

export { multipart, pdfBytes };

export async function uploadMaterial(
  system: TestSystem,
  session: Session,
  materialCode: string,
): Promise<string> {
  const body = multipart(
    { materialCode },
    { name: `${materialCode}.pdf`, type: 'application/pdf', data: pdfBytes() },
  );
  const res = await system.app.inject({
    method: 'POST',
    url: '/api/materials',
    headers: { ...session.headers, ...body.headers },
    payload: body.payload,
  });
  if (res.statusCode !== 201) throw new Error(`upload ${materialCode}: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

/**
 * A ~100 m square inside the known-clear zone (113.60–113.65 E, 34.70–34.76 N), which lies in 中原区
 * (410102) — also inside the demo seed's synthetic boundary of 中原区 (src/seed/demo-layers.ts).
 */
export function clearSite(offset = 0) {
  const x = 113.61 + (offset % 30) * 0.0012;
  const y = 34.71 + Math.floor(offset / 30) * 0.0012;
  return squareSite(x, y, 0.001);
}

/** The district of clearSite(). */
export const CLEAR_SITE_DISTRICT = '410102';

/**
 * Attributes of a plain project. No investmentSource / landSupplyMethod: registration takes them from
 * the template (a test that means a different one says so in `attributes`).
 */
const { investmentSource: _source, landSupplyMethod: _land, ...plainAttributes } = defaultProjectAttributes;
export const defaultAttributes = plainAttributes;

/** A planned start the registration accepts: some weeks after the test clock's today. */
export function plannedDates(now: Date) {
  const start = new Date(now.getTime() + 30 * 86_400_000);
  const completion = new Date(now.getTime() + 760 * 86_400_000);
  const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { plannedStart: day(start), plannedCompletion: day(completion) };
}

export async function registerProject(
  system: TestSystem,
  session: Session,
  overrides: {
    templateCode: string;
    attributes?: Record<string, unknown>;
    totalInvestment?: number;
    offset?: number;
  },
) {
  const totalInvestment = overrides.totalInvestment ?? 8000;
  const res = await system.app.inject({
    method: 'POST',
    url: '/api/projects',
    headers: session.headers,
    payload: {
      name: `测试项目 ${randomBytes(3).toString('hex')}`,
      templateCode: overrides.templateCode,
      totalInvestment,
      districtCode: CLEAR_SITE_DISTRICT,
      site: clearSite(overrides.offset ?? 0),
      ...plannedDates(system.clock.now()),
      attributes: { ...defaultAttributes, ...overrides.attributes },
    },
  });
  if (res.statusCode !== 201) throw new Error(`register project: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; code: string };
}

/** Fills every form field of a guide with a plausible value of its type. */
/** Fills a stage form as a person would: what the guide prefills (the registry's facts) kept, the rest made up. */
export function fillForm(form: {
  properties: Record<string, { type?: string; format?: string; default?: unknown }>;
}) {
  const values: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(form.properties)) {
    values[key] =
      p.default !== undefined
        ? p.default
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

export interface Guide {
  items: { code: string; departmentCode: string; commitmentAllowed: boolean }[];
  form: { properties: Record<string, { type?: string; format?: string }> };
  materials: { code: string; required: boolean; deficiencyAllowed: boolean; onFile: boolean }[];
}

export async function getGuide(
  system: TestSystem,
  session: Session,
  projectId: string,
  stage: number,
): Promise<Guide> {
  const res = await system.app.inject({
    method: 'GET',
    url: `/api/projects/${projectId}/stages/${stage}/guide`,
    headers: { cookie: session.cookie },
  });
  if (res.statusCode !== 200) throw new Error(`guide: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Uploads every required material not on file (optionally leaving out some codes). */
export async function uploadRequired(
  system: TestSystem,
  session: Session,
  guide: Guide,
  skip: string[] = [],
) {
  const out: { materialCode: string; fileId: string }[] = [];
  for (const m of guide.materials) {
    if (!m.required || m.onFile || skip.includes(m.code)) continue;
    out.push({ materialCode: m.code, fileId: await uploadMaterial(system, session, m.code) });
  }
  return out;
}

export interface AcceptedTask {
  id: string;
  itemCode: string;
  departmentCode: string;
  status: string;
  steps: string[];
  currentStep: string | null;
  deadline: string;
  viaCommitment: boolean;
  simulated: boolean;
}

/** The payload by which the window accepts every missing 容缺 material of an application (default due date). */
export async function deferAll(system: TestSystem, window: Session, applicationId: string) {
  const view = await system.app.inject({
    method: 'GET',
    url: `/api/applications/${applicationId}`,
    headers: window.headers,
  });
  const missing = (view.json().missingMaterials ?? []) as { code: string; deficiencyAllowed: boolean }[];
  return { deficiencies: missing.filter((m) => m.deficiencyAllowed).map((m) => ({ materialCode: m.code })) };
}

/** The window accepts an application; returns the started tasks. */
export async function acceptApplication(
  system: TestSystem,
  window: Session,
  applicationId: string,
  payload?: { deficiencies?: { materialCode: string; dueDate?: string }[] },
) {
  // By default the window accepts every missing 容缺 material (with the default due date), as a clerk
  // who agrees to 容缺受理 would; pass a payload to choose.
  payload ??= await deferAll(system, window, applicationId);
  const res = await system.app.inject({
    method: 'POST',
    url: `/api/applications/${applicationId}/accept`,
    headers: window.headers,
    payload,
  });
  if (res.statusCode !== 200) throw new Error(`accept: ${res.statusCode} ${res.body}`);
  return res.json().tasks as AcceptedTask[];
}

/** Every step of every task in review approved by its department's reviewer and senior. */
export async function approveAllSteps(system: TestSystem, tasks: readonly AcceptedTask[]) {
  for (const task of tasks.filter((t) => t.status === 'in_review')) {
    for (const step of task.steps) {
      const who = await system.login(`${task.departmentCode}.${step === 'initial' ? 'reviewer' : 'senior'}`);
      const res = await system.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/decisions`,
        headers: who.headers,
        payload: { step, outcome: 'approve', opinion: '符合要求，同意' },
      });
      if (res.statusCode !== 200)
        throw new Error(`decide ${task.itemCode}/${step}: ${res.statusCode} ${res.body}`);
    }
  }
}
