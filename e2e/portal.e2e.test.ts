/**
 * 公众门户 on a phone (390 × 844, no login): a visitor finds a guide, follows a project by project code and
 * query code, verifies its certificate by the printed identifier, and asks a question the window answers
 * (answered through the API) — then reads the answer with the ticket.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acceptedProject, apiLogin, call, decideRemaining } from './approval-api';
import { launchBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('public portal on a phone', () => {
  test('guide, progress, verification by printed identifier, consultation', async () => {
    const applicant = await apiLogin(server.url, 'applicant');
    const window = await apiLogin(server.url, 'window');
    const project = await acceptedProject(server.url, applicant, window);
    await decideRemaining(server.url, project.applicationId, window);
    const { queryCode } = await call<{ queryCode: string }>(
      server.url,
      applicant,
      'POST',
      `/api/projects/${project.projectId}/query-code`,
    );
    const { certificates } = await call<{ certificates: { identifier: string }[] }>(
      server.url,
      applicant,
      'GET',
      `/api/projects/${project.projectId}/certificates`,
    );
    expect(certificates.length).toBeGreaterThan(0);

    // 办事指南
    await page.goto(`${server.url}/portal`);
    // Each select by keyboard (the first option is active when it opens): a closing dropdown cannot catch the click.
    await page.getByTestId('guide-template').click();
    await page.keyboard.press('Enter');
    await page.getByTestId('guide-stage').click();
    await page.keyboard.press('Enter');
    await page.getByTestId('guide-card').waitFor();
    expect(await page.getByTestId('guide-item').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('guide-material').count()).toBeGreaterThan(0);
    // Phone-sized: nothing wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // 进度查询
    await page.goto(`${server.url}/portal/progress`);
    await page.getByLabel(/项目代码/).fill(project.code);
    await page.getByLabel(/查询码/).fill(queryCode);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByTestId('progress-result').waitFor();
    expect(await page.getByTestId('progress-result').innerText()).toContain(project.code);

    // 证照核验 by the printed identifier
    await page.goto(`${server.url}/portal/verify`);
    await page.getByTestId('portal-verify').locator('input').fill(certificates[0]!.identifier);
    await page.getByTestId('portal-verify').locator('input').press('Enter');
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-valid')).toBe('true');

    // 咨询辅导
    await page.goto(`${server.url}/portal/consult`);
    await page.getByTestId('consult-topic').fill('施工许可');
    await page.getByTestId('consult-question').fill('施工许可需要哪些材料？');
    await page.getByTestId('consult-name').fill('张三');
    await page.getByTestId('consult-contact').fill('13812345678');
    await page.getByTestId('consult-submit').click();
    await page.getByTestId('consult-ticket').waitFor();
    const ticket = await page.getByTestId('consult-ticket-code').innerText();
    const { consultations } = await call<{ consultations: { id: string }[] }>(
      server.url,
      window,
      'GET',
      '/api/consultations?status=open',
    );
    await call(server.url, window, 'POST', `/api/consultations/${consultations[0]!.id}/answer`, {
      answer: '请按办事指南准备一套材料。',
      publish: true,
    });
    await page.goto(`${server.url}/portal/answer/${consultations[0]!.id}?ticket=${ticket}`);
    await page.getByTestId('consult-answer').waitFor();
    expect(await page.getByTestId('consult-answer').innerText()).toContain('请按办事指南准备一套材料');
  }, 240_000);
});
