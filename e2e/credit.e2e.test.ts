/**
 * Credit in the browser (issue 12): a department enters two serious records (through the API), which opens
 * a black-list notice; the enterprise sees its grade and the notice on its credit page and objects there;
 * the supervisor upholds the objection at the credit desk, which cancels the notice; the public credit page
 * opens without login.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

async function apiSession(username: string) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

async function api(
  session: { cookie: string; csrfToken: string },
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('credit', () => {
  test('records open a notice; the enterprise objects; the supervisor upholds it; the public page opens', async () => {
    const applicant = await apiSession('applicant');
    const mine = await api(applicant, 'GET', '/api/credit/mine');
    expect(mine.status).toBe(200);
    const subjectId = (mine.body.subject as { id: string }).id;
    const head = await apiSession('supervisor');
    for (const reason of ['提供虚假材料', '隐瞒有关情况']) {
      const entered = await api(head, 'POST', '/api/credit/records', {
        subjectId,
        kind: 'false_materials',
        severity: 'serious',
        reason,
        basis: '《行政许可法》第七十八条',
      });
      expect(entered.status, JSON.stringify(entered.body)).toBe(201);
    }

    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    await login(page, server.url, 'applicant');
    await page.goto(`${server.url}/credit/mine`);
    await page.getByTestId('credit-grade').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('credit-grade').textContent()).toContain('C');
    await page.getByTestId('listing-noticed').waitFor();
    await page.getByTestId('credit-object').click();
    await page.getByTestId('credit-text').fill('两项记录为同一事实，请核实');
    await page.locator('.ant-modal-footer .ant-btn-primary').click(); // antd spaces two-character labels (提 交)
    await page.getByText('两项记录为同一事实，请核实').waitFor({ timeout: 15_000 });

    const staff = await context.newPage();
    await staff.context().clearCookies();
    await login(staff, server.url, 'supervisor');
    await staff.goto(`${server.url}/credit`);
    await staff.getByTestId('credit-desk').waitFor({ timeout: 30_000 });
    await staff.getByTestId('decide-objection-text').fill('经核实为同一事实，异议成立');
    await staff.getByTestId('decide-objection-yes').click();
    // The desk may still list other subjects (the demo seeds a black-listed intermediary): the upheld objection leaves it.
    await staff.getByTestId('decide-objection-yes').waitFor({ state: 'detached', timeout: 15_000 });
    const after = await api(applicant, 'GET', '/api/credit/mine');
    expect((after.body.listings as { status: string }[])[0]!.status).toBe('cancelled');

    const pub = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const publicPage = await pub.newPage();
    await publicPage.goto(`${server.url}/public/credit`);
    await publicPage.getByTestId('public-black-list').waitFor({ timeout: 30_000 });
    await publicPage.getByRole('tab', { name: /失信行为/ }).click();
    await publicPage.getByText('隐瞒有关情况').waitFor({ timeout: 15_000 });
    await pub.close();
    await context.close();
  });
});
