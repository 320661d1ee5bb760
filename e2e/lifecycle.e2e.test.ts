/**
 * The exits of the approval lifecycle in the browser (issue 8), one server for all roles: the applicant
 * withdraws; a department returns a task for 补正, the applicant answers before the due date and the
 * reviewer decides again in a new round; the applicant applies again after a refusal; a reviewer asks
 * for 延期 and the department's head approves it; the head asks to reopen a decided task and a supervisor
 * countersigns. The state a test needs but does not test is made through the API (approval-api.ts); the
 * action under test goes through the UI.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  acceptedProject,
  apiLogin,
  applicationTasks,
  call,
  decideRemaining,
  formValues,
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

function stageStatus(page: Page, stage: number): Promise<string | null> {
  return page.getByTestId(`stage-status-${stage}`).getAttribute('data-status');
}

interface TaskDetailView {
  status: string;
  currentStep: string | null;
  round: number;
  clock: { deadline: string; extendedBy: number };
  extensions: { status: string; reason: string; workingDays: number }[];
  reopenings: { status: string }[];
}

function taskDetail(id: string): Promise<TaskDetailView> {
  return call<TaskDetailView>(server.url, windowApi, 'GET', `/api/tasks/${id}`);
}

/** A task of the application at its first step (初核), decided by the department's reviewer. */
async function reviewerTask(applicationId: string): Promise<TaskView> {
  const tasks = await applicationTasks(server.url, windowApi, applicationId);
  const task = tasks.find((t) => t.status === 'in_review' && t.currentStep === 'initial');
  expect(task).toBeDefined();
  return task!;
}

describe('lifecycle exits in the browser', () => {
  test('applicant withdraws an accepted application with a reason; the stage may be applied for again', async () => {
    const { projectId, applicationId } = await acceptedProject(server.url, applicantApi, windowApi);
    const page = await pageAs('applicant');
    await page.goto(`${server.url}/projects/${projectId}`);
    await expect.poll(() => stageStatus(page, 1)).toBe('accepted');
    await page.getByTestId('withdraw').click();
    // The confirm dialog: no withdrawal without a reason.
    expect(await page.getByTestId('withdraw-confirm').isDisabled()).toBe(true);
    await page.getByTestId('withdraw-reason').fill('项目建设方案调整，撤回后重新申报');
    await page.getByTestId('withdraw-confirm').click();

    await expect.poll(() => stageStatus(page, 1)).toBe('withdrawn');
    expect(await page.getByTestId('stage-status-1').innerText()).toBe('已撤回');
    const ended = page.getByTestId('application-ended');
    await ended.waitFor();
    expect(await ended.innerText()).toContain('项目建设方案调整');
    await page.getByTestId('reapply-stage-1').waitFor();
    await shot(page, 'lifecycle-withdrawn');

    const app = await call<{ status: string; tasks: TaskView[] }>(
      server.url,
      applicantApi,
      'GET',
      `/api/applications/${applicationId}`,
    );
    expect(app.status).toBe('withdrawn');
    expect(app.tasks.every((t) => ['withdrawn', 'approved'].includes(t.status))).toBe(true);
  });

  test('a department returns a task for 补正; the applicant answers before the due date; the reviewer decides again', async () => {
    const { projectId, applicationId } = await acceptedProject(server.url, applicantApi, windowApi);
    const task = await reviewerTask(applicationId);

    const reviewer = await pageAs(`${task.departmentCode}.reviewer`);
    await reviewer.goto(`${server.url}/review/tasks/${task.id}`);
    await reviewer.getByTestId('decision-form').waitFor();
    await reviewer.locator('label:has([data-testid="outcome-return"])').click();
    await reviewer.getByTestId('return-due').waitFor();
    await reviewer.getByTestId('decision-opinion').fill('请补充总平面图的竖向设计内容');
    await reviewer.getByTestId('decision-submit').click();
    await expect
      .poll(() => reviewer.getByTestId('task-status').getAttribute('data-status'))
      .toBe('correction');
    expect(await reviewer.getByTestId('task-status').innerText()).toBe('待补正');

    const applicant = await pageAs('applicant');
    await applicant.goto(`${server.url}/projects/${projectId}`);
    const answer = applicant.locator(`[data-testid="correction-answer"][data-task-id="${task.id}"]`);
    await answer.waitFor();
    expect(await answer.innerText()).toContain('竖向设计');
    expect(await answer.getByTestId('correction-due').innerText()).toMatch(/答复期限：\d{4}-\d{2}-\d{2}/);
    expect(await answer.getByTestId('correction-remaining').innerText()).toMatch(/剩余 \d+ 个工作日/);
    await shot(applicant, 'lifecycle-correction');
    await answer.getByTestId('correction-note').fill('已补充竖向设计内容，详见总平面图');
    await answer.getByTestId('correction-submit').click();
    await answer.waitFor({ state: 'detached' });
    await expect.poll(async () => (await taskDetail(task.id)).status).toBe('in_review');
    expect((await taskDetail(task.id)).round).toBe(2);

    await reviewer.reload();
    await reviewer.getByTestId('decision-again').waitFor();
    // No outcome is preselected: the reviewer chooses 准予许可.
    await reviewer.locator('label:has([data-testid="outcome-approve"])').click();
    await reviewer.getByTestId('decision-opinion').fill('补正后材料齐全，符合要求，同意');
    await reviewer.getByTestId('decision-submit').click();
    // Both rounds stay in the history: the return of round 1 and the decision of round 2.
    await reviewer.locator('[data-testid="decision-initial"][data-round="2"]').waitFor();
    expect(
      await reviewer.locator('[data-testid="decision-initial"][data-round="1"]').getAttribute('data-outcome'),
    ).toBe('return');
    const after = await taskDetail(task.id);
    expect(after.round).toBe(2);
    expect(after.currentStep).toBe('final');
  });

  test('after a refusal the applicant applies for the stage again (materials on file, earlier answers kept)', async () => {
    const { projectId, applicationId } = await submittedProject(server.url, applicantApi);
    await call(server.url, windowApi, 'POST', `/api/applications/${applicationId}/refuse`, {
      reason: '申报项目不属于本阶段受理范围',
    });

    const page = await pageAs('applicant');
    await page.goto(`${server.url}/projects/${projectId}`);
    await expect.poll(() => stageStatus(page, 1)).toBe('refused');
    expect(await page.getByTestId('application-ended').innerText()).toContain('不属于本阶段受理范围');
    await page.getByTestId('reapply-1').click();
    await page.waitForURL(`**/projects/${projectId}/stages/1/apply`);
    await page.getByTestId('stage-form').waitFor();

    // Whatever the form does not carry over is filled in; the materials are on file already.
    const guide = await call<GuideView>(
      server.url,
      applicantApi,
      'GET',
      `/api/projects/${projectId}/stages/1/guide`,
    );
    expect(guide.materials.filter((m) => m.required).every((m) => m.onFile)).toBe(true);
    const values = formValues(guide);
    for (const [key, p] of Object.entries(guide.form.properties)) {
      const input = page.locator(
        `input[data-testid="form-field-${key}"], textarea[data-testid="form-field-${key}"]`,
      );
      if (p.enum?.length || p.type === 'boolean' || (await input.count()) === 0) continue;
      if ((await input.first().inputValue()) === '') await input.first().fill(String(values[key]));
    }
    await page.getByTestId('apply-submit').click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}\?application=/);
    const again = new URL(page.url()).searchParams.get('application')!;
    expect(again).not.toBe(applicationId);
    await expect.poll(() => stageStatus(page, 1)).toBe('submitted');
    const app = await call<{ status: string; stage: number }>(
      server.url,
      applicantApi,
      'GET',
      `/api/applications/${again}`,
    );
    expect(app).toMatchObject({ status: 'submitted', stage: 1 });
  });

  test('a reviewer asks for 延期; the department head approves it; the deadline moves and the applicant sees why', async () => {
    const { projectId, code, applicationId } = await acceptedProject(server.url, applicantApi, windowApi);
    const task = await reviewerTask(applicationId);
    const before = await taskDetail(task.id);

    const reviewer = await pageAs(`${task.departmentCode}.reviewer`);
    await reviewer.goto(`${server.url}/review/tasks/${task.id}`);
    const days = reviewer
      .locator('input[data-testid="extension-days"], [data-testid="extension-days"] input')
      .first();
    await days.fill('5');
    await reviewer.getByTestId('extension-reason').fill('需组织专家现场踏勘，无法在承诺时限内办结');
    await reviewer.getByTestId('extension-submit').click();
    await reviewer.locator('[data-testid^="extension-"][data-status="pending"]').waitFor();

    const head = await pageAs(`${task.departmentCode}.head`);
    expect(await head.getByTestId('current-role').innerText()).toBe('部门负责人');
    await head.getByTestId('menu-head').click();
    await head.getByTestId(`head-ext-open-${code}-${task.itemCode}`).click();
    await head.getByTestId('head-ext-opinion').fill('情况属实，同意延期');
    await shot(head, 'lifecycle-extension');
    await head.getByTestId('head-ext-approve').click();
    await head.getByTestId(`head-ext-row-${code}-${task.itemCode}`).waitFor({ state: 'detached' });

    const after = await taskDetail(task.id);
    expect(after.extensions).toEqual([expect.objectContaining({ status: 'approved', workingDays: 5 })]);
    expect(after.clock.extendedBy).toBe(5);
    expect(after.clock.deadline > before.clock.deadline).toBe(true);

    const applicant = await pageAs('applicant');
    await applicant.goto(`${server.url}/projects/${projectId}`);
    const row = applicant.getByTestId('stage-1').getByTestId(`task-row-${task.itemCode}`);
    const extension = row.getByTestId('task-extension');
    await extension.waitFor();
    expect(await extension.innerText()).toContain('需组织专家现场踏勘');
    expect(await row.getByTestId('task-deadline').innerText()).toBe(after.clock.deadline);
  });

  test('the head asks to reopen a decided task; a supervisor countersigns; the task is back in review', async () => {
    const { code, applicationId } = await acceptedProject(server.url, applicantApi, windowApi);
    await decideRemaining(server.url, applicationId, windowApi);
    const task = (await applicationTasks(server.url, windowApi, applicationId)).find(
      (t) => t.status === 'approved',
    )!;
    expect(task).toBeDefined();
    const row = `${code}-${task.itemCode}`;

    const head = await pageAs(`${task.departmentCode}.head`);
    await head.getByTestId('menu-head').click();
    await head.getByTestId(`head-reopen-${row}`).click();
    await head.getByTestId('head-reopen-reason').fill('原决定未审查规划条件的容积率指标，确有错误');
    await head.getByTestId('head-reopen-confirm').click();
    await head.getByTestId(`head-reopen-pending-${row}`).waitFor();

    const supervisor = await pageAs('supervisor');
    await supervisor.getByTestId('menu-reopenings').click();
    await supervisor.getByTestId(`reopening-open-${row}`).click();
    await supervisor.getByTestId('countersign-opinion').fill('经核查，原决定确有错误，同意重新办理');
    await shot(supervisor, 'lifecycle-countersign');
    await supervisor.getByTestId('countersign-approve').click();
    await supervisor.getByTestId(`reopening-row-${row}`).waitFor({ state: 'detached' });

    const after = await taskDetail(task.id);
    expect(after).toMatchObject({ status: 'in_review', currentStep: 'final', round: 2 });
    expect(after.reopenings).toEqual([expect.objectContaining({ status: 'approved' })]);
  });
});
