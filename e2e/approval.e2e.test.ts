/**
 * Stage applications and parallel approval in the browser, one server for all roles: the applicant
 * registers and applies (one form, one material set, uploads with progress), the window accepts or asks
 * for 补正 at once, a department's reviewer and senior decide through the workbench, the stage lead
 * watches the parallel tasks, and one project goes through stage 1 end to end to a verified certificate.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  acceptApplication,
  apiLogin,
  call,
  decideRemaining,
  pdfFile,
  submittedProject,
  type ApiSession,
  type GuideView,
  type TaskView,
} from './approval-api';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let applicantApi: ApiSession;
let windowApi: ApiSession;
const contexts: BrowserContext[] = [];
const SHOTS = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  applicantApi = await apiLogin(server.url, 'applicant');
  windowApi = await apiLogin(server.url, 'window');
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function pageAs(username: string): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  await login(page, server.url, username);
  return page;
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function stageStatus(page: Page, stage: number): Promise<string | null> {
  return page.getByTestId(`stage-status-${stage}`).getAttribute('data-status');
}

/** Registers a project through the form (default square site at 113.62, 34.72); returns its id and code. */
async function registerThroughUi(page: Page, name: string, lon: number) {
  await page.getByTestId('menu-projects').click();
  await page.getByTestId('project-new').click();
  await page.waitForURL('**/projects/new');
  await page.getByTestId('project-name').fill(name);
  // The template is chosen by its Chinese name (people never see codes).
  const { name: templateName } = await call<{ name: string }>(
    server.url,
    applicantApi,
    'GET',
    '/api/process-templates/SOCIAL_TRANSFER',
  );
  await page.getByTestId('project-template').click();
  await page.keyboard.type(templateName);
  await page.locator('.ant-select-item-option', { hasText: templateName }).first().click();
  await page.getByTestId('project-lon').fill(String(lon));
  await shot(page, 'project-register');
  await page.getByTestId('project-submit').click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  // The query code (for following the project on the public portal) is shown once, in a dialog to acknowledge.
  const queryCode = page.getByTestId('register-query-code');
  await queryCode.waitFor({ timeout: 30_000 });
  expect((await queryCode.innerText()).trim().length).toBeGreaterThan(4);
  await page.locator('.ant-modal-confirm-btns button').click();
  await queryCode.waitFor({ state: 'hidden' });
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const code = (await page.getByTestId('project-code').innerText()).trim();
  expect(code).toMatch(/^\d{4}-4101\d{2}-47-/);
  await expect.poll(() => stageStatus(page, 1)).toBe('open');
  expect(await stageStatus(page, 2)).toBe('locked');
  return { id, code };
}

/** Opens the stage-1 guide, fills the merged form, uploads every required material and submits. */
async function applyThroughUi(page: Page, projectId: string) {
  await page.getByTestId('apply-stage-1').click();
  await page.waitForURL(`**/projects/${projectId}/stages/1/apply`);
  await page.getByTestId('stage-form').waitFor();
  const guide = await call<GuideView>(
    server.url,
    applicantApi,
    'GET',
    `/api/projects/${projectId}/stages/1/guide`,
  );
  expect(await page.getByTestId('guide-items').locator('tbody tr.ant-table-row').count()).toBe(
    guide.items.length,
  );

  for (const [key, p] of Object.entries(guide.form.properties)) {
    const testId = `form-field-${key}`;
    const field = page.locator(
      `input[data-testid="${testId}"], textarea[data-testid="${testId}"], [data-testid="${testId}"] input`,
    );
    // Facts the project already holds are shown read-only, not asked again (task 58).
    if ((await page.getByTestId(testId).count()) === 0) continue;
    if (p.enum?.length) {
      await page.getByTestId(testId).click();
      await page.locator('.ant-select-item-option').first().click();
    } else if (p.type === 'boolean') {
      await field.first().check();
    } else if (p.type === 'number' || p.type === 'integer') {
      await field.first().fill('100');
    } else if (p.format === 'date') {
      await field.first().fill('2026-05-01');
    } else {
      await field.first().fill(`浏览器填写${key}`);
    }
  }

  const required = guide.materials.filter((m) => m.required && !m.onFile);
  expect(required.length).toBeGreaterThan(0);
  for (const m of required) {
    await page.getByTestId(`upload-input-${m.code}`).setInputFiles(pdfFile(`${m.code}.pdf`));
    await page.getByTestId(`uploaded-${m.code}`).waitFor();
    await page.locator(`[data-testid="upload-progress-${m.code}"][data-percent="100"]`).waitFor();
  }
  await shot(page, 'stage-apply');
  await page.getByTestId('apply-submit').click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}\?application=/);
  await expect.poll(() => stageStatus(page, 1)).toBe('submitted');
  return new URL(page.url()).searchParams.get('application')!;
}

async function acceptThroughUi(page: Page, code: string) {
  await page.getByTestId('menu-window').click();
  await page.getByTestId(`queue-open-${code}`).click();
  await page.waitForURL(/\/window\/applications\//);
  await page.getByTestId('checklist').waitFor();
  // Each missing material that allows 容缺 is declared by the clerk (the default due date kept).
  for (const box of await page.locator('input[type="checkbox"][data-testid^="defer-"]').all())
    await box.check();
  await page.getByTestId('accept').click();
  // 受理 cannot be undone by the window: it is confirmed.
  await page.getByTestId('accept-confirm').click();
  await page.waitForURL(/\/window$/);
}

async function tasksOf(applicationId: string): Promise<TaskView[]> {
  const app = await call<{ tasks: TaskView[] }>(
    server.url,
    windowApi,
    'GET',
    `/api/applications/${applicationId}`,
  );
  return app.tasks;
}

/** The reviewer's 初核 then the senior's 复核 of one task, both through the workbench. */
async function decideThroughUi(task: TaskView, code: string, withHearing = false) {
  const reviewer = await pageAs(`${task.departmentCode}.reviewer`);
  await reviewer.getByTestId('menu-review').click();
  const open = reviewer.getByTestId(`inbox-open-${code}-${task.itemCode}`);
  await open.waitFor();
  await reviewer.getByTestId(`inbox-row-${code}-${task.itemCode}`).getByTestId('clock-tag').waitFor();
  await shot(reviewer, 'review-inbox');
  await open.click();
  await reviewer.waitForURL(`**/review/tasks/${task.id}`);
  expect(await reviewer.getByTestId('task-step').innerText()).toBe('初核');
  await reviewer.getByTestId('task-materials').locator('tbody tr.ant-table-row').first().waitFor();
  await reviewer.getByTestId('material-preview').waitFor();
  if (withHearing) {
    // 特别程序: a hearing stops the clock (the task is paused and cannot be decided) until it ends.
    await reviewer.getByTestId('pause-reason').fill('涉及相邻权利人重大利益，依申请举行听证');
    await reviewer.getByTestId('pause-start').click();
    await reviewer.getByTestId('pause-hearing').waitFor();
    await expect.poll(() => reviewer.getByTestId('task-status').getAttribute('data-status')).toBe('paused');
    await reviewer.getByTestId('decision-closed').waitFor();
    await reviewer.getByTestId('pause-end').click();
    await expect
      .poll(() => reviewer.getByTestId('task-status').getAttribute('data-status'))
      .toBe('in_review');
    expect(await reviewer.getByTestId('pause-hearing').innerText()).toMatch(
      /\d{4}-\d{2}-\d{2} — \d{4}-\d{2}-\d{2}/,
    );
  }
  // No outcome is preselected: the reviewer chooses 准予许可.
  await reviewer.locator('label:has([data-testid="outcome-approve"])').click();
  await reviewer.getByTestId('decision-opinion').fill('材料齐全，符合要求，同意');
  await shot(reviewer, 'review-task');
  await reviewer.getByTestId('decision-submit').click();
  await reviewer.getByTestId('decision-initial').waitFor();
  await reviewer.getByTestId('decision-closed').waitFor();

  const senior = await pageAs(`${task.departmentCode}.senior`);
  await senior.goto(`${server.url}/review`);
  await senior.getByTestId(`inbox-open-${code}-${task.itemCode}`).click();
  await senior.waitForURL(`**/review/tasks/${task.id}`);
  expect(await senior.getByTestId('task-step').innerText()).toBe('复核');
  expect(await senior.getByTestId('decision-initial').innerText()).toContain('材料齐全');
  // No outcome is preselected: the reviewer chooses 准予许可.
  await senior.locator('label:has([data-testid="outcome-approve"])').click();
  await senior.getByTestId('decision-opinion').fill('经复核，同意');
  await senior.getByTestId('doc-number').fill(`郑审〔2026〕${code.slice(-4)}号`);
  await senior.getByTestId('decision-submit').click();
  await senior.getByTestId('decision-final').waitFor();
  await senior.getByTestId('task-document').waitFor();
  expect(await senior.getByTestId('task-document').innerText()).toContain(`郑审〔2026〕${code.slice(-4)}号`);
  expect(await senior.getByTestId('task-status').getAttribute('data-status')).toBe('approved');
}

describe('stage 1 in the browser', () => {
  test('applicant: registers a project, fills the one form, uploads the one material set and submits', async () => {
    const page = await pageAs('applicant');
    const { id, code } = await registerThroughUi(page, '郑州浏览器测试项目（申请人）', 113.62);
    const applicationId = await applyThroughUi(page, id);
    await shot(page, 'project-detail');

    const app = await call<{
      status: string;
      materials: unknown[];
      projectCode: string;
      enterpriseName: string;
    }>(server.url, applicantApi, 'GET', `/api/applications/${applicationId}`);
    expect(app.status).toBe('submitted');
    expect(app.projectCode).toBe(code);
    expect(app.materials.length).toBeGreaterThan(0);

    // The materials are now on file: the guide of the same stage marks them instead of asking again (task 58).
    const guide = await call<GuideView>(
      server.url,
      applicantApi,
      'GET',
      `/api/projects/${id}/stages/1/guide`,
    );
    expect(guide.materials.filter((m) => m.required).every((m) => m.onFile)).toBe(true);

    // 告知承诺: the parallel stage (5) offers items under commitment; ticking one shows the commitment text.
    await page.goto(`${server.url}/projects/${id}`);
    await page.getByTestId('apply-stage-5').click();
    await page.getByTestId('stage-form').waitFor();
    const commit = page.locator('[data-testid^="commit-"]').first();
    await commit.waitFor();
    await commit.check();
    const text = await page.getByTestId('commitment-text').innerText();
    expect(text).toContain('郑重承诺');
    expect(text).toContain(app.enterpriseName);
    // The materials submitted in stage 1 are on file here too: shown as 已在档, not asked again (task 58).
    expect(await page.locator('[data-testid^="onfile-"]').count()).toBeGreaterThan(0);
  });

  test('window: accepts after the checklist and preview, deferring one material (容缺); the applicant supplies it', async () => {
    const deferred = 'M_POWER_OF_ATTORNEY';
    const { projectId, code, applicationId } = await submittedProject(server.url, applicantApi, [deferred]);
    const page = await pageAs('window');
    await page.getByTestId('menu-window').click();
    await page.getByTestId(`queue-open-${code}`).click();
    await page.waitForURL(`**/window/applications/${applicationId}`);
    const rows = page.getByTestId('checklist').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    const previews = page.locator('[data-testid^="preview-"]');
    expect(await previews.count()).toBeGreaterThan(0);
    await previews.first().click();
    await page.getByTestId('material-preview').waitFor();
    expect(await page.getByTestId(`check-row-${deferred}`).innerText()).toContain('未提交');
    await page.getByTestId(`defer-${deferred}`).check();
    const due = await page.getByTestId(`defer-due-${deferred}`).inputValue();
    expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await shot(page, 'window-checklist');
    expect(await page.getByTestId('accept').innerText()).toContain('容缺受理');
    await page.getByTestId('accept').click();
    await page.getByTestId('accept-confirm').click();
    await page.waitForURL(/\/window$/);

    const accepted = await call<{
      status: string;
      deficiencies: { materialCode: string; dueDate: string }[];
    }>(server.url, windowApi, 'GET', `/api/applications/${applicationId}`);
    expect(accepted.status).toBe('accepted');
    expect(accepted.deficiencies).toEqual([
      expect.objectContaining({ materialCode: deferred, dueDate: due }),
    ]);
    const tasks = await tasksOf(applicationId);
    expect(tasks.length).toBeGreaterThan(1);
    expect(tasks.every((t) => ['in_review', 'approved'].includes(t.status))).toBe(true);

    const applicant = await pageAs('applicant');
    await applicant.goto(`${server.url}/projects/${projectId}`);
    const supply = applicant.getByTestId(`deficiency-${deferred}`);
    expect(await supply.innerText()).toContain(due);
    await supply.getByTestId(`upload-input-${deferred}`).setInputFiles(pdfFile('authorization.pdf'));
    await supply.getByTestId(`uploaded-${deferred}`).waitFor();
    await applicant.getByTestId(`deficiency-supply-${deferred}`).click();
    await supply.waitFor({ state: 'detached' });
    const supplied = await call<{ deficiencies: { fulfilledAt: string | null }[] }>(
      server.url,
      windowApi,
      'GET',
      `/api/applications/${applicationId}`,
    );
    expect(supplied.deficiencies[0]!.fulfilledAt).not.toBeNull();
  });

  test('window asks for 补正 at once; the applicant answers it with a new file', async () => {
    const { projectId, code, applicationId } = await submittedProject(server.url, applicantApi);
    const before = await call<{ materials: { materialCode: string; fileId: string }[] }>(
      server.url,
      windowApi,
      'GET',
      `/api/applications/${applicationId}`,
    );
    const material = before.materials[0]!.materialCode;

    const clerk = await pageAs('window');
    await clerk.getByTestId('menu-window').click();
    await clerk.getByTestId(`queue-open-${code}`).click();
    await clerk.getByTestId('checklist').waitFor();
    await clerk.getByTestId('correction-add').click();
    await clerk.getByTestId('correction-target-0').click();
    await clerk.locator('.ant-select-item-option').first().click();
    await clerk.getByTestId('correction-reason-0').fill('材料未加盖公章，请补正');
    await shot(clerk, 'window-corrections');
    await clerk.getByTestId('corrections-submit').click();
    await clerk.waitForURL(/\/window$/);

    const asked = await call<{ status: string; corrections: { items: { materialCode?: string }[] }[] }>(
      server.url,
      windowApi,
      'GET',
      `/api/applications/${applicationId}`,
    );
    expect(asked.status).toBe('correction_requested');
    const target = asked.corrections[0]!.items[0]!.materialCode!;
    expect(target).toBe(material);

    const applicant = await pageAs('applicant');
    await applicant.goto(`${server.url}/projects/${projectId}`);
    await expect.poll(() => stageStatus(applicant, 1)).toBe('correction_requested');
    const answer = applicant.getByTestId('correction-answer');
    expect(await answer.innerText()).toContain('材料未加盖公章');
    await answer.getByTestId(`upload-input-${target}`).setInputFiles(pdfFile('corrected.pdf'));
    await answer.getByTestId(`uploaded-${target}`).waitFor();
    await answer.getByTestId('correction-submit').click();
    await expect
      .poll(
        async () =>
          (await call<{ status: string }>(server.url, windowApi, 'GET', `/api/applications/${applicationId}`))
            .status,
      )
      .toBe('submitted');
    const after = await call<{ materials: { materialCode: string; fileId: string }[] }>(
      server.url,
      windowApi,
      'GET',
      `/api/applications/${applicationId}`,
    );
    const oldFile = before.materials.find((m) => m.materialCode === target)!.fileId;
    expect(after.materials.find((m) => m.materialCode === target)!.fileId).not.toBe(oldFile);
  });

  test('reviewer and senior of one department decide their task through the workbench', async () => {
    const { code, applicationId } = await submittedProject(server.url, applicantApi);
    await acceptApplication(server.url, windowApi, applicationId);
    const tasks = await tasksOf(applicationId);
    const task = tasks.find((t) => t.status === 'in_review' && t.currentStep === 'initial')!;
    expect(task).toBeDefined();
    // Other departments first, so this task's prerequisites (if any) are done.
    await decideRemaining(server.url, applicationId, windowApi, [task.id]);
    await decideThroughUi(task, code, true);
    const after = (await tasksOf(applicationId)).find((t) => t.id === task.id)!;
    expect(after.status).toBe('approved');
  });

  test('coordinator: sees the stage’s parallel tasks with department, deadline and state', async () => {
    const { projectId, code, applicationId } = await submittedProject(server.url, applicantApi);
    await acceptApplication(server.url, windowApi, applicationId);
    const tasks = await tasksOf(applicationId);

    const page = await pageAs('fgw.coordinator');
    await page.getByTestId('menu-coordination').click();
    await page.getByTestId(`coord-open-${code}`).click();
    await page.waitForURL(`**/coordination/${projectId}`);
    const stage1 = page.getByTestId('stage-1');
    await stage1.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await stage1.locator('[data-testid^="task-row-"]').count()).toBe(tasks.length);
    for (const t of tasks) {
      const clock = (
        await call<{ clock: { clockState: string; deadline: string } }>(
          server.url,
          windowApi,
          'GET',
          `/api/tasks/${t.id}`,
        )
      ).clock;
      const row = stage1.getByTestId(`task-row-${t.itemCode}`);
      const tag = row.locator('[data-testid="clock-tag"]');
      await tag.waitFor();
      expect(await tag.getAttribute('data-state')).toBe(clock.clockState);
      expect(await row.innerText()).toContain(clock.deadline);
    }
    await shot(page, 'coordination');
  });

  test('one project through stage 1 end to end: stage 1 完成, stage 2 open, certificate verified', async () => {
    const applicant = await pageAs('applicant');
    const { id, code } = await registerThroughUi(applicant, '郑州浏览器测试项目（全流程）', 113.623);
    const applicationId = await applyThroughUi(applicant, id);

    const clerk = await pageAs('window');
    await acceptThroughUi(clerk, code);
    const tasks = await tasksOf(applicationId);
    const task = tasks.find((t) => t.status === 'in_review' && t.currentStep === 'initial')!;
    await decideRemaining(server.url, applicationId, windowApi, [task.id]);
    await decideThroughUi(task, code);
    await decideRemaining(server.url, applicationId, windowApi);

    await applicant.goto(`${server.url}/projects/${id}`);
    await expect.poll(() => stageStatus(applicant, 1)).toBe('completed');
    expect(await applicant.getByTestId('stage-status-1').innerText()).toBe('完成');
    expect(await stageStatus(applicant, 2)).toBe('open');
    await applicant.getByTestId('apply-stage-2').waitFor();
    const rows = applicant.getByTestId('stage-1').locator('[data-testid="task-status"]');
    expect(await rows.count()).toBe(tasks.length);
    for (const status of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))
      expect(status).toBe('approved');

    await applicant.getByTestId('certificates-table').waitFor();
    await shot(applicant, 'project-completed');
    type Cert = { id: string; simulated: boolean; revoked: boolean };
    const certificates = async () =>
      (
        await call<{ certificates: Cert[] }>(
          server.url,
          applicantApi,
          'GET',
          `/api/projects/${id}/certificates`,
        )
      ).certificates;
    const issued = await certificates();
    expect(issued.length).toBeGreaterThan(0);
    await applicant.getByTestId(`certificate-row-${issued[0]!.id}`).waitFor();

    // 模拟审批: the stage-1 land items were decided before the land transfer; supplying the precondition
    // turns their results formal without another review, and formal certificates are issued.
    if (issued.some((c) => c.simulated)) {
      await applicant.getByTestId('precondition-number').fill('郑土出让〔2026〕018号');
      await applicant.getByTestId('precondition-submit').click();
      await applicant.getByText('证明已提交').waitFor();
      // The deciding departments confirm the evidence; only then the results turn formal.
      for (const t of await tasksOf(applicationId)) {
        const detail = await call<{ simulated: boolean; status: string }>(
          server.url,
          windowApi,
          'GET',
          `/api/tasks/${t.id}`,
        );
        if (!detail.simulated || detail.status !== 'approved') continue;
        const senior = await apiLogin(server.url, `${t.departmentCode}.senior`);
        await call(server.url, senior, 'POST', `/api/tasks/${t.id}/confirm-precondition`, {
          opinion: '土地出让合同已核验',
        });
      }
      await expect
        .poll(async () => (await certificates()).some((c) => !c.simulated && !c.revoked), { timeout: 10_000 })
        .toBe(true);
    }
    const formal = (await certificates()).find((c) => !c.simulated && !c.revoked)!;
    await applicant.getByTestId(`certificate-row-${formal.id}`).waitFor();

    // The public page works without a session.
    const context = await browser.newContext({ locale: 'zh-CN' });
    contexts.push(context);
    const visitor = await context.newPage();
    await visitor.goto(`${server.url}/verify/${formal.id}`);
    await visitor.getByTestId('verify-result').waitFor();
    expect(await visitor.getByTestId('verify-status').innerText()).toBe('证照有效');
    const details = await visitor.getByTestId('verify-details').innerText();
    const { enterpriseName } = await call<{ enterpriseName: string }>(
      server.url,
      applicantApi,
      'GET',
      `/api/applications/${applicationId}`,
    );
    expect(details).toContain(enterpriseName);
    expect(details).not.toContain('模拟审批');
    await shot(visitor, 'verify');
    await visitor.getByTestId('verify-search').locator('input').fill('no-such-certificate');
    await visitor.getByTestId('verify-search').locator('input').press('Enter');
    await visitor.waitForURL('**/verify/no-such-certificate');
    await expect.poll(() => visitor.getByTestId('verify-result').getAttribute('data-valid')).toBe('false');
    expect(await visitor.getByTestId('verify-status').innerText()).toBe('证照无效');
  });
});
