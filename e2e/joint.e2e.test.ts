/**
 * Joint desks in the browser (issue 11): a project is taken through the API to 工程建设许可; the planning
 * department's reviewer opens the design scheme's 方案联审 on its desk (the task picked, 人防 asked); 人防
 * answers on the 方案联审 desk and the planning department passes the scheme there. On a second project
 * the applicant opens a 多评合一 of two running assessments on its 联合办理 page and submits the merged
 * report; once reviewed its results (status, opinion number) show there too. The first project then goes
 * on; the project then goes to 施工许可 with its drawing review opened at a registered
 * organisation, whose reviewer passes every section on the drawing-review desk (the review turns 审查合格
 * with its violation count); the water utility sees the project it was told about at 工程建设许可 on its
 * desk, with its times in the statistics.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  acceptApplication,
  apiLogin,
  call,
  decideRemaining,
  formValues,
  submittedProject,
  uploadPdf,
  type ApiSession,
  type GuideView,
  type TaskView,
} from './approval-api';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let projectCode = '';
let planningDepartment = 'zrzy';
let rfbName = '';
/** The second project, whose two assessments the applicant merges in the browser. */
let assessed = { projectId: '', code: '' };
const assessmentTasks: (TaskView & { itemName: string })[] = [];
const MERGEABLE = ['ZZ-STHJ-001', 'ZZ-FGW-006', 'ZZ-SLJ-001', 'ZZ-DZJ-001', 'ZZ-ZRZY-009'];
/** The API steps after the scheme is passed in the browser: stage 2 completes, stage 3 is applied for. */
let later: () => Promise<void> = async () => {};

const UTILITY_ITEMS = [
  'ZZ-WATER-001',
  'ZZ-POWER-001',
  'ZZ-GAS-001',
  'ZZ-HEAT-001',
  'ZZ-DRAIN-001',
  'ZZ-TELECOM-001',
];
const SECTIONS = [
  'architecture',
  'structure',
  'plumbing',
  'electrical',
  'hvac',
  'fire',
  'civil_air_defence',
  'technical_defence',
];

type StageGuide = GuideView & { materials: (GuideView['materials'][number] & { items?: string[] })[] };

async function applyStage(
  url: string,
  applicant: ApiSession,
  window: ApiSession,
  projectId: string,
  stage: number,
  itemCode?: string,
) {
  const guide = await call<StageGuide>(
    url,
    applicant,
    'GET',
    `/api/projects/${projectId}/stages/${stage}/guide`,
  );
  const materials = [];
  for (const m of guide.materials) {
    if (!m.required || m.onFile || (itemCode && m.items && !m.items.includes(itemCode))) continue;
    materials.push({ materialCode: m.code, fileId: await uploadPdf(url, applicant, m.code) });
  }
  const app = await call<{ id: string }>(url, applicant, 'POST', `/api/projects/${projectId}/applications`, {
    stage,
    ...(itemCode ? { itemCode } : {}),
    form: formValues(guide),
    materials,
  });
  const accepted = await acceptApplication(url, window, app.id);
  return { applicationId: app.id, tasks: accepted.tasks as TaskView[] };
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const url = server.url;
  const admin = await apiLogin(url, 'admin');
  const applicant = await apiLogin(url, 'applicant');
  const window = await apiLogin(url, 'window');
  const org = await call<{ id: string }>(url, admin, 'POST', '/api/joint/organisations', {
    kind: 'drawing_review',
    name: '郑州市施工图联合审查中心',
    creditCode: '12410100MB1234567X',
    purchasedService: true,
  });
  await call(url, admin, 'POST', `/api/joint/organisations/${org.id}/reviewers`, {
    username: 'stsc.reviewer',
    sections: SECTIONS,
    qualification: '审查人员证书 2026-001',
  });
  const submitted = await submittedProject(url, applicant);
  projectCode = submitted.code;
  const parallel = await call<GuideView>(
    url,
    applicant,
    'GET',
    `/api/projects/${submitted.projectId}/stages/5/guide`,
  );
  for (const item of parallel.items.filter((i) => !UTILITY_ITEMS.includes(i.code))) {
    const { applicationId } = await applyStage(url, applicant, window, submitted.projectId, 5, item.code);
    await decideRemaining(url, applicationId, window);
  }
  await acceptApplication(url, window, submitted.applicationId);
  await decideRemaining(url, submitted.applicationId, window);
  // Stage 2: everything but the design scheme (方案联审, asked of 人防 here) and the permit waiting for it.
  const stage2 = await applyStage(url, applicant, window, submitted.projectId, 2);
  await decideRemaining(url, stage2.applicationId, window);
  const schemeTask = stage2.tasks.find((t) => t.itemCode === 'ZZ-ZRZY-006')!;
  planningDepartment = schemeTask.departmentCode;
  const departments = await call<{ departments: { code: string; name: string }[] }>(
    url,
    applicant,
    'GET',
    '/api/departments',
  );
  rfbName = departments.departments.find((d) => d.code === 'rfb')!.name;

  // The second project: two of its assessments applied for and running, an assessment organisation.
  await call(url, admin, 'POST', '/api/joint/organisations', {
    kind: 'assessment',
    name: '河南中原工程咨询评估有限公司',
    creditCode: '91410100MA4AB00179',
  });
  const second = await submittedProject(url, applicant);
  assessed = { projectId: second.projectId, code: second.code };
  const guide5 = await call<{ items: { code: string; name: string }[] }>(
    url,
    applicant,
    'GET',
    `/api/projects/${second.projectId}/stages/5/guide`,
  );
  for (const code of guide5.items
    .map((i) => i.code)
    .filter((c) => MERGEABLE.includes(c))
    .slice(0, 2)) {
    const { tasks } = await applyStage(url, applicant, window, second.projectId, 5, code);
    assessmentTasks.push({ ...tasks[0]!, itemName: guide5.items.find((i) => i.code === code)!.name });
  }
  later = async () => {
    await decideRemaining(url, stage2.applicationId, window);
    const stage3 = await applyStage(url, applicant, window, submitted.projectId, 3);
    const drawingTask = stage3.tasks.find((t) => t.itemCode === 'ZZ-STSC-001')!;
    await call(url, applicant, 'POST', '/api/joint/drawing-reviews', {
      taskId: drawingTask.id,
      organisationId: org.id,
    });
  };
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Picks options of an AntD select by their text: typed into its search (the dropdown, in a portal, shows
 * only a window of a long list), then clicked.
 */
async function choose(page: import('playwright-core').Page, testId: string, texts: string[]) {
  await page.getByTestId(testId).click();
  for (const text of texts) {
    await page.keyboard.type(text);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
      .first()
      .click();
  }
  await page.keyboard.press('Escape');
}

describe('joint desks in the browser', () => {
  test('the planning department opens the 方案联审, 人防 answers, the scheme passes on the desk', async () => {
    const planner = await browser.newPage();
    await login(planner, server.url, `${planningDepartment}.reviewer`);
    await planner.goto(`${server.url}/joint`);
    await planner.getByRole('tab', { name: '方案联审' }).click();
    await planner.getByTestId('scheme-open').waitFor();
    await choose(planner, 'scheme-open-task', [projectCode]);
    await choose(planner, 'scheme-open-departments', [rfbName]);
    await planner.getByTestId('scheme-open-submit').click();
    const opened = planner.getByTestId(`scheme-${projectCode}`);
    await opened.waitFor({ timeout: 30_000 });
    expect(await opened.getByTestId('scheme-status').getAttribute('data-status')).toBe('consulting');
    // Names, not codes: the department asked is shown by its name.
    expect(await opened.textContent()).toContain(rfbName);
    await planner.close();

    const rfb = await browser.newPage();
    await login(rfb, server.url, 'rfb.reviewer');
    await rfb.goto(`${server.url}/joint`);
    await rfb.getByRole('tab', { name: '方案联审' }).click();
    const asked = rfb.getByTestId(`scheme-${projectCode}`);
    await asked.waitFor();
    expect(await asked.getByTestId('opinion-rfb-1').getAttribute('data-state')).toBe('awaited');
    await asked.getByTestId('scheme-agree').click();
    await expect
      .poll(() => asked.getByTestId('opinion-rfb-1').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('answered');
    await rfb.close();

    const chief = await browser.newPage();
    await login(chief, server.url, `${planningDepartment}.senior`);
    await chief.goto(`${server.url}/joint`);
    await chief.getByRole('tab', { name: '方案联审' }).click();
    const card = chief.getByTestId(`scheme-${projectCode}`);
    await card.waitFor();
    await card.getByTestId('scheme-text').fill('设计方案符合规划条件，同意');
    await card.getByTestId('scheme-pass').click();
    await expect
      .poll(() => card.getByTestId('scheme-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('passed');
    await chief.close();
    await later();
  }, 600_000);

  test('the applicant opens a 多评合一 and submits the merged report, then sees its results', async () => {
    const page = await browser.newPage();
    await login(page, server.url, 'applicant');
    await page.goto(`${server.url}/joint/project?project=${assessed.projectId}`);
    await page.getByTestId('assessment-open').waitFor();
    const names = assessmentTasks.map((t) => t.itemName);
    await choose(page, 'assessment-open-tasks', names);
    await choose(page, 'assessment-open-org', ['河南中原工程咨询评估有限公司']);
    await page.getByTestId('assessment-open-submit').click();
    const card = page.getByTestId(`assessment-${assessed.code}`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('assessment-status').getAttribute('data-status')).toBe('preparing');
    await card.getByTestId('report-number').fill('DPHY-2026-E2E');
    await card.getByTestId('report-summary').fill('环评、节能等评估内容同步编制，结论可信');
    await card.getByTestId('report-submit').click();
    await expect
      .poll(() => card.getByTestId('assessment-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('in_review');
    expect(await card.textContent()).toContain('集中评审中');

    // The concentrated review through the API; the applicant's page shows the result.
    const url = server.url;
    const applicant = await apiLogin(url, 'applicant');
    const list = await call<{ assessments: { id: string }[] }>(
      url,
      applicant,
      'GET',
      `/api/joint/merged-assessments?projectId=${assessed.projectId}`,
    );
    const id = list.assessments[0]!.id;
    await call(
      url,
      await apiLogin(url, 'fgw.reviewer'),
      'POST',
      `/api/joint/merged-assessments/${id}/meeting`,
      {
        heldOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        place: '市民之家评审室',
        experts: [1, 2, 3].map((n) => ({ name: `专家${n}`, specialty: '环境工程', title: '高级工程师' })),
      },
    );
    for (const t of assessmentTasks)
      await call(
        url,
        await apiLogin(url, `${t.departmentCode}.reviewer`),
        'POST',
        `/api/joint/merged-assessments/${id}/conclusions`,
        {
          itemCode: t.itemCode,
          outcome: 'pass',
          opinion: '经集中评审，评估结论可信，同意',
        },
      );
    await page.reload();
    const done = page.getByTestId(`assessment-${assessed.code}`);
    await expect
      .poll(() => done.getByTestId('assessment-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('passed');
    expect(await done.getByTestId('assessment-opinion').textContent()).toContain('多评合一');
    expect(await done.textContent()).toContain('专家1');
    await page.close();
  }, 600_000);

  test('the drawing-review organisation passes every section on its desk', async () => {
    const page = await browser.newPage();
    await login(page, server.url, 'stsc.reviewer');
    await page.goto(`${server.url}/joint`);
    const card = page.getByTestId(`review-${projectCode}`);
    await card.waitFor();
    for (const section of SECTIONS) {
      await card.getByTestId(`pass-${section}`).click();
      await card.getByTestId(`section-form-${section}`).waitFor({ state: 'detached' });
    }
    await expect
      .poll(() => card.getByTestId('review-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('passed');
    expect(await card.getByTestId('violation-total').textContent()).toBe('0');
    await page.close();
  });

  test('the water utility sees the project it was told about', async () => {
    const page = await browser.newPage();
    await login(page, server.url, 'water.reviewer');
    await page.goto(`${server.url}/joint`);
    const row = page.getByTestId(`utility-row-${projectCode}-water`);
    await row.waitFor();
    expect(await row.getByTestId('utility-status').getAttribute('data-status')).toBe('notified');
    // Its times: the statistics count the project told.
    const stat = page.getByTestId('utility-stat-water');
    await stat.waitFor();
    expect(Number(await stat.getByTestId('stat-notified').textContent())).toBeGreaterThanOrEqual(1);
    await page.close();
  });
});
