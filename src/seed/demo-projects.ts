/**
 * Demo projects for a first start outside production, made through the public API exactly as users
 * would (so they obey every rule): applications waiting at the window, tasks in review, a completed
 * stage, a 补正, a hearing that stops the clock, 告知承诺 decisions with inspections pending.
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../http/context';
import { squareSite } from '../shared/geo';
import { defaultProjectAttributes } from '../modules/templates/template.schemas';
import { DEMO_PASSWORD } from './demo';

/** A small real PDF; the label makes each file's bytes distinct. */
export function pdfBytes(label = randomBytes(6).toString('hex')): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${label}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n` +
      'trailer<</Root 1 0 R>>\n%%EOF\n',
  );
}

export function multipart(
  fields: Record<string, string>,
  file: { name: string; type: string; data: Buffer },
) {
  const boundary = `----zz${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

type Headers = Record<string, string>;

export class DemoClient {
  constructor(private readonly app: App) {}
  private sessions = new Map<string, Headers>();

  async as(username: string): Promise<Headers> {
    const known = this.sessions.get(username);
    if (known) return known;
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`demo login ${username}: ${res.body}`);
    const headers = {
      cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': res.json().csrfToken as string,
    };
    this.sessions.set(username, headers);
    return headers;
  }

  async call<T = Record<string, unknown>>(
    user: string,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
  ): Promise<T> {
    const res = await this.app.inject({
      method,
      url,
      headers: await this.as(user),
      ...(payload ? { payload: payload as object } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`demo ${method} ${url}: ${res.statusCode} ${res.body}`);
    return (res.body ? res.json() : {}) as T;
  }

  async upload(user: string, materialCode: string): Promise<string> {
    const body = multipart(
      { materialCode },
      { name: `${materialCode}.pdf`, type: 'application/pdf', data: pdfBytes() },
    );
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/materials',
      headers: { ...(await this.as(user)), ...body.headers },
      payload: body.payload,
    });
    if (res.statusCode !== 201) throw new Error(`demo upload: ${res.body}`);
    return res.json().id as string;
  }
}

interface Guide {
  items: { code: string; commitmentAllowed: boolean }[];
  form: { properties: Record<string, { type?: string; format?: string; title?: string; default?: unknown }> };
  materials: { code: string; required: boolean; onFile: boolean; items?: string[] }[];
}

interface Task {
  id: string;
  departmentCode: string;
  steps: string[];
  status: string;
}

function formValues(guide: Guide, projectName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(guide.form.properties)) {
    // The registry's facts as the guide prefills them: a different value would contradict the project (400).
    if (p.default !== undefined) out[key] = p.default;
    else if (key === 'projectName') out[key] = projectName;
    else if (p.type === 'number' || p.type === 'integer') out[key] = 12000;
    else if (p.type === 'boolean') out[key] = true;
    else if (p.format === 'date') out[key] = '2026-09-01';
    else out[key] = `${p.title ?? key}（示例）`;
  }
  return out;
}

async function register(
  c: DemoClient,
  name: string,
  templateCode: string,
  lon: number,
  attrs: Record<string, unknown> = {},
) {
  const totalInvestment = (attrs.totalInvestment as number | undefined) ?? 18000;
  // Planned start some months ahead of the day the demo is seeded: registration refuses a past one.
  const day = (monthsAhead: number) => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + monthsAhead, 1);
    return d.toISOString().slice(0, 10);
  };
  return c.call<{ id: string; code: string }>('applicant', 'POST', '/api/projects', {
    name,
    templateCode,
    totalInvestment,
    // The sites (113.605–113.62 E, 34.72 N) lie in 中原区, inside its synthetic demo boundary.
    districtCode: '410102',
    site: squareSite(lon, 34.72),
    plannedStart: day(3),
    plannedCompletion: day(30),
    attributes: { ...defaultProjectAttributes, buildingArea: 45000, ...attrs, totalInvestment },
  });
}

async function submit(
  c: DemoClient,
  projectId: string,
  projectName: string,
  stage: number,
  commitments = false,
  itemCode?: string,
) {
  const full = await c.call<Guide>('applicant', 'GET', `/api/projects/${projectId}/stages/${stage}/guide`);
  // 并行推进 is applied for one service at a time: only that service's items and materials.
  const guide = itemCode
    ? {
        ...full,
        items: full.items.filter((i) => i.code === itemCode),
        materials: full.materials.filter((m) => m.items?.includes(itemCode)),
      }
    : full;
  const materials = [];
  for (const m of guide.materials.filter((x) => x.required && !x.onFile)) {
    materials.push({ materialCode: m.code, fileId: await c.upload('applicant', m.code) });
  }
  const payload = {
    stage,
    ...(itemCode ? { itemCode } : {}),
    form: formValues(guide, projectName),
    materials,
    ...(commitments
      ? { commitments: guide.items.filter((i) => i.commitmentAllowed).map((i) => i.code) }
      : {}),
  };
  return c.call<{ id: string }>('applicant', 'POST', `/api/projects/${projectId}/applications`, payload);
}

/** The window accepts, agreeing to 容缺 for every missing material that allows it (default due date). */
async function accept(c: DemoClient, applicationId: string) {
  const view = await c.call<{ missingMaterials: { code: string; deficiencyAllowed: boolean }[] }>(
    'window',
    'GET',
    `/api/applications/${applicationId}`,
  );
  const deficiencies = view.missingMaterials
    .filter((m) => m.deficiencyAllowed)
    .map((m) => ({ materialCode: m.code }));
  return (
    await c.call<{ tasks: Task[] }>('window', 'POST', `/api/applications/${applicationId}/accept`, {
      deficiencies,
    })
  ).tasks;
}

async function decide(c: DemoClient, task: Task, upTo: 'initial' | 'final') {
  for (const step of task.steps) {
    const role = step === 'initial' ? 'reviewer' : 'senior';
    await c.call(`${task.departmentCode}.${role}`, 'POST', `/api/tasks/${task.id}/decisions`, {
      step,
      outcome: 'approve',
      opinion: step === 'initial' ? '材料齐全，符合要求，拟同意' : '同意',
    });
    if (step === upTo) return;
  }
}

export async function seedDemoProjects(app: App): Promise<number> {
  const c = new DemoClient(app);

  // 1. Waiting at the window.
  const a = await register(c, '郑东新区科创中心一期（示例）', 'SOCIAL_TRANSFER', 113.605);
  await submit(c, a.id, '郑东新区科创中心一期（示例）', 1);

  // 2. Stage 1 in parallel review: some departments through 初核, one done.
  const b = await register(c, '中原区智慧物流园（示例）', 'SOCIAL_TRANSFER', 113.61);
  const bTasks = await accept(c, (await submit(c, b.id, '中原区智慧物流园（示例）', 1)).id);
  if (bTasks[0]) await decide(c, bTasks[0], 'final');
  if (bTasks[1]) await decide(c, bTasks[1], 'initial');

  // 3. Stage 1 complete, stage 2 under review with one task returned for 补正.
  const d = await register(c, '高新区人才公寓（示例）', 'SOCIAL_TRANSFER', 113.615);
  for (const t of await accept(c, (await submit(c, d.id, '高新区人才公寓（示例）', 1)).id)) {
    if (t.status === 'in_review') await decide(c, t, 'final');
  }
  const dTasks = await accept(c, (await submit(c, d.id, '高新区人才公寓（示例）', 2)).id);
  const returned = dTasks.find((t) => t.steps[0] === 'initial');
  if (returned) {
    await c.call(`${returned.departmentCode}.reviewer`, 'POST', `/api/tasks/${returned.id}/decisions`, {
      step: 'initial',
      outcome: 'return',
      opinion: '请补充总平面图的竖向设计内容',
    });
  }

  // 4. A government project ≥ 5000万 with a hearing (听证) stopping one clock.
  const e = await register(c, '市第二人民医院新院区（示例）', 'GOV_BUILDING', 113.62, {
    investmentSource: 'government',
    landSupplyMethod: 'allocation',
    totalInvestment: 86000,
  });
  const eTasks = await accept(c, (await submit(c, e.id, '市第二人民医院新院区（示例）', 1)).id);
  const heard = eTasks.find((t) => t.steps[0] === 'initial');
  if (heard) {
    await c.call(`${heard.departmentCode}.reviewer`, 'POST', `/api/tasks/${heard.id}/special-procedures`, {
      kind: 'hearing',
      reason: '涉及相邻居民重大利益，依法举行听证',
    });
  }

  // 5. 并行推进 under 告知承诺, one service per application: decided at acceptance, inspections pending.
  const parallel = await c.call<Guide>('applicant', 'GET', `/api/projects/${a.id}/stages/5/guide`);
  for (const item of parallel.items.filter((i) => i.commitmentAllowed).slice(0, 2)) {
    await accept(c, (await submit(c, a.id, '郑东新区科创中心一期（示例）', 5, true, item.code)).id);
  }
  return 4;
}
