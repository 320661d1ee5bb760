/**
 * Joint desks in the browser (issue 11): a project is taken through the API to 施工许可 with its drawing
 * review opened at a registered organisation; the organisation's reviewer passes every section on the
 * drawing-review desk (the review turns 审查合格 with its violation count), and the water utility sees the
 * project it was told about at 工程建设许可 on its desk.
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
  const stage2 = await applyStage(url, applicant, window, submitted.projectId, 2);
  await decideRemaining(url, stage2.applicationId, window);
  const stage3 = await applyStage(url, applicant, window, submitted.projectId, 3);
  const drawingTask = stage3.tasks.find((t) => t.itemCode === 'ZZ-STSC-001')!;
  await call(url, applicant, 'POST', '/api/joint/drawing-reviews', {
    taskId: drawingTask.id,
    organisationId: org.id,
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('joint desks in the browser', () => {
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
    await page.close();
  });
});
