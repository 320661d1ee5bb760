/**
 * Helpers for the lifecycle tests (issue 8): short request calls, a stage taken to acceptance, and
 * decisions made by the right person of the task's department. Everything goes through the public API.
 */
import type { Session, TestSystem } from './app';
import { fillForm, getGuide, registerProject, uploadRequired, type Guide } from './factories';
import { decideJointly } from './joint-helpers';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One request as `who` (a session, or nobody); the reply's status and parsed JSON body. */
export async function call(
  system: TestSystem,
  who: Session | null,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
): Promise<Reply> {
  const res = await system.app.inject({
    method,
    url,
    headers: who ? (method === 'GET' ? { cookie: who.cookie } : who.headers) : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  let body: unknown;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body };
}

/** Sessions are cached per user name (a login per request would be slow and would fill the session table). */
export function sessions(system: TestSystem) {
  const cache = new Map<string, Session>();
  return async (username: string) => {
    let s = cache.get(username);
    if (!s) {
      s = await system.login(username);
      cache.set(username, s);
    }
    return s;
  };
}

export interface GuideWithItems extends Guide {
  items: (Guide['items'][number] & { name?: string })[];
  materials: (Guide['materials'][number] & { items?: string[] })[];
  prefill?: Record<string, unknown>;
}

/** The guide of a stage, narrowed to one item for 并行推进 (stage 5 is applied for one service at a time). */
export async function stageGuide(
  system: TestSystem,
  applicant: Session,
  projectId: string,
  stage: number,
  itemCode?: string,
): Promise<GuideWithItems> {
  const guide = (await getGuide(system, applicant, projectId, stage)) as GuideWithItems;
  if (!itemCode) return guide;
  return {
    ...guide,
    items: guide.items.filter((i) => i.code === itemCode),
    materials: guide.materials.filter((m) => !m.items || m.items.includes(itemCode)),
  };
}

export interface SubmitOptions {
  stage: number;
  itemCode?: string;
  /** Required material codes not uploaded (e.g. a 容缺 material). */
  skip?: string[];
  commitments?: string[];
}

/** Submits a stage with every required material not on file (less `skip`); the raw reply. */
export async function submitStage(
  system: TestSystem,
  applicant: Session,
  projectId: string,
  options: SubmitOptions,
): Promise<Reply & { guide: GuideWithItems }> {
  const guide = await stageGuide(system, applicant, projectId, options.stage, options.itemCode);
  const materials = await uploadRequired(system, applicant, guide, options.skip ?? []);
  const reply = await call(system, applicant, 'POST', `/api/projects/${projectId}/applications`, {
    stage: options.stage,
    ...(options.itemCode ? { itemCode: options.itemCode } : {}),
    form: { ...fillForm(guide.form), ...(guide.prefill ?? {}) },
    materials,
    ...(options.commitments ? { commitments: options.commitments } : {}),
  });
  return { ...reply, guide };
}

/** The 容缺 declarations that accept every missing deferrable material of an application. */
export async function declareAllMissing(system: TestSystem, window: Session, applicationId: string) {
  const view = await call(system, window, 'GET', `/api/applications/${applicationId}`);
  const missing = (view.body.missingMaterials ?? []) as { code: string; deficiencyAllowed: boolean }[];
  return { deficiencies: missing.filter((m) => m.deficiencyAllowed).map((m) => ({ materialCode: m.code })) };
}

export interface TaskRow {
  id: string;
  itemCode: string;
  departmentCode: string;
  status: string;
  steps: ('initial' | 'final')[];
  currentStep: 'initial' | 'final' | null;
  round: number;
  deadline: string;
}

/** Registers a project, submits a stage and has the window accept it (declaring every missing 容缺). */
export async function acceptedStage(
  system: TestSystem,
  applicant: Session,
  window: Session,
  project: { id: string },
  options: SubmitOptions,
) {
  const submitted = await submitStage(system, applicant, project.id, options);
  if (submitted.status !== 201)
    throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const applicationId = submitted.body.id as string;
  const accepted = await call(
    system,
    window,
    'POST',
    `/api/applications/${applicationId}/accept`,
    await declareAllMissing(system, window, applicationId),
  );
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { applicationId, tasks: accepted.body.tasks as TaskRow[], guide: submitted.guide };
}

export async function newProject(
  system: TestSystem,
  applicant: Session,
  templateCode: string,
  offset: number,
  attributes?: Record<string, unknown>,
) {
  return registerProject(system, applicant, { templateCode, offset, attributes });
}

/** The reviewer (初核) or senior (复核) of a department. */
export const stepUser = (departmentCode: string, step: 'initial' | 'final') =>
  `${departmentCode}.${step === 'initial' ? 'reviewer' : 'senior'}`;

/** A decision by the right person of the task's department at the given step. */
export async function decideAs(
  system: TestSystem,
  who: Session,
  taskId: string,
  step: 'initial' | 'final',
  outcome: 'approve' | 'reject' | 'return',
  extra: Record<string, unknown> = {},
) {
  return call(system, who, 'POST', `/api/tasks/${taskId}/decisions`, {
    step,
    outcome,
    opinion: outcome === 'approve' ? '符合要求，同意' : '材料不符合要求',
    ...extra,
  });
}

/** Approves every remaining step of a task in review; throws on any other answer. */
export async function approveTask(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  task: { id: string; departmentCode: string; steps: readonly string[]; itemCode?: string },
) {
  let view = await getTask(system, await login(stepUser(task.departmentCode, 'final')), task.id);
  // Items a joint procedure decides (issue 11) go through it: 联合审图's sections, 联合验收's sign-offs.
  if (view.status === 'in_review' && (await decideJointly(system, login, view)))
    view = await getTask(system, await login(stepUser(task.departmentCode, 'final')), task.id);
  while (view.status === 'in_review' && view.currentStep) {
    const step = view.currentStep as 'initial' | 'final';
    const res = await decideAs(
      system,
      await login(stepUser(task.departmentCode, step)),
      task.id,
      step,
      'approve',
    );
    if (res.status !== 200)
      throw new Error(
        `approve ${task.itemCode ?? task.id}/${step}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    view = await getTask(system, await login(stepUser(task.departmentCode, 'final')), task.id);
  }
  return view;
}

/** Approves every task of an application in an order its prerequisites allow. */
export async function approveAll(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  tasks: readonly TaskRow[],
) {
  let pending = tasks.filter((t) => t.status === 'in_review');
  for (let pass = 0; pending.length > 0 && pass < 10; pass++) {
    const next: TaskRow[] = [];
    for (const t of pending) {
      try {
        await approveTask(system, login, t);
      } catch (e) {
        if (!String(e).includes('PREREQUISITE_NOT_MET')) throw e;
        next.push(t);
      }
    }
    pending = next;
  }
  if (pending.length > 0) throw new Error(`cannot approve: ${pending.map((t) => t.itemCode).join(', ')}`);
}

export async function getTask(system: TestSystem, who: Session, taskId: string) {
  const res = await call(system, who, 'GET', `/api/tasks/${taskId}`);
  if (res.status !== 200) throw new Error(`task ${taskId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function getApplication(system: TestSystem, who: Session, applicationId: string) {
  const res = await call(system, who, 'GET', `/api/applications/${applicationId}`);
  if (res.status !== 200)
    throw new Error(`application ${applicationId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A template's items by stage with their order: `prerequisites` and `requiredBefore`. */
export async function templateOrder(system: TestSystem, templateCode: string) {
  const res = await call(system, null, 'GET', `/api/process-templates/${templateCode}`);
  if (res.status !== 200) throw new Error(`template ${templateCode}: ${res.status}`);
  return res.body.stages as {
    nationalStage: number;
    items: { itemCode: string; prerequisites: string[]; requiredBefore: string | null }[];
  }[];
}

/** The enterprise of a demo applicant. */
export async function enterpriseOf(system: TestSystem, username: string): Promise<string> {
  const row = await system.db
    .selectFrom('appUser')
    .select('enterpriseId')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.enterpriseId!;
}

/** A moment on a Beijing date (09:00), for moving the test clock. */
export const beijingMorning = (date: string) => new Date(`${date}T09:00:00+08:00`);
