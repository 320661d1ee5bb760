/**
 * Joint desks in the browser (issue 11): a project is taken through the API to 工程建设许可 with its design
 * scheme's 方案联审 asking 人防; 人防 answers on the 方案联审 desk and the planning department passes the
 * scheme there; the project then goes to 施工许可 with its drawing review opened at a registered
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
  await call(
    url,
    await apiLogin(url, `${planningDepartment}.reviewer`),
    'POST',
    '/api/joint/scheme-reviews',
    {
      taskId: schemeTask.id,
      departments: [{ departmentCode: 'rfb', limitDays: 3 }],
    },
  );
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

describe('joint desks in the browser', () => {
  test('人防 answers the 征求意见 and the planning department passes the scheme on the 方案联审 desk', async () => {
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
