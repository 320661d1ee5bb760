/**
 * The marketplace in the browser (issue 13): the owner's need (posted through the API) is drawn in the
 * page, the draw's seed and pool are shown, the contract is recorded; the winner delivers its report
 * (API); the owner accepts it and rates the service in the page; the public page opens without login at
 * phone width and shows the intermediaries, their services and the rating.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

type Session = { cookie: string; csrfToken: string };

async function apiSession(username: string): Promise<Session> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(session: Session, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('marketplace', () => {
  test('draw, contract, report, acceptance and rating in the page; the public page at phone width', async () => {
    const owner = await apiSession('applicant');
    const { projects } = await api(owner, 'GET', '/api/projects');
    const need = await api(owner, 'POST', '/api/marketplace/needs', {
      projectId: projects[0].id,
      serviceCode: 'ZJ-DZZH-PG',
      description: '浏览器测试：地质灾害危险性评估',
      budgetYuan: 80000,
      dueOn: '2099-12-31',
    });
    expect(need.status).toBe('open');

    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    await login(page, server.url, 'applicant');
    await page.goto(`${server.url}/marketplace`);
    await page.getByTestId('need-draw').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('need-draw').first().click();
    await page.getByTestId('draw-record').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('draw-record').first().textContent()).toMatch(/sha256-fy-v\d/);
    await page.getByTestId('need-contract').first().click();
    await page.getByTestId('engagement-clock').first().waitFor({ timeout: 15_000 });

    const drawn = await api(owner, 'GET', `/api/marketplace/needs/${need.id}`);
    const winner = drawn.selected.intermediaryId as string;
    const usernames = ['intermediary', 'intermediary2', 'intermediary3'];
    let deliverer: Session | null = null;
    for (const u of usernames) {
      const s = await apiSession(u);
      if ((await api(s, 'GET', '/api/marketplace/intermediaries/mine')).id === winner) deliverer = s;
    }
    const form = new FormData();
    form.append('materialCode', 'M_GEO_HAZARD_REPORT');
    form.append(
      'file',
      new Blob(['%PDF-1.4\n% e2e\ntrailer<</Root 1 0 R>>\n%%EOF\n'], { type: 'application/pdf' }),
      'report.pdf',
    );
    const upload = await fetch(`${server.url}/api/materials`, {
      method: 'POST',
      headers: { cookie: deliverer!.cookie, 'x-csrf-token': deliverer!.csrfToken },
      body: form,
    });
    const file = (await upload.json()) as { id: string };
    const delivered = await api(
      deliverer!,
      'POST',
      `/api/marketplace/engagements/${drawn.engagementId}/report`,
      {
        fileId: file.id,
        reportNo: 'E2E-001',
        summary: '浏览器测试成果',
      },
    );
    expect(delivered.status).toBe('delivered');

    await page.reload();
    await page.getByTestId('engagement-accept').first().click();
    await page.getByTestId('engagement-rate').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('engagement-rate').first().click();
    await page.getByText('非常满意').last().click();
    await page.getByText('评价：非常满意').first().waitFor({ timeout: 15_000 });

    const pub = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
    });
    const publicPage = await pub.newPage();
    await publicPage.goto(`${server.url}/public/marketplace`);
    await publicPage.getByTestId('public-intermediaries').waitFor({ timeout: 30_000 });
    await publicPage.getByText('河南中地勘察评估有限公司').waitFor();
    expect(await publicPage.getByTestId('public-rating').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('非常满意 1')]),
    );
    await publicPage.getByRole('tab', { name: /黑名单/ }).click();
    await publicPage.getByTestId('public-market-black-list').waitFor();
    await pub.close();
    await context.close();
  });
});
