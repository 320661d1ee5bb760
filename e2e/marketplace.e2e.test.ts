/**
 * The marketplace in the browser (issue 13): the owner's need (posted through the API) is drawn in the
 * page, the draw's seed and pool are shown, the contract is recorded; the winner uploads and delivers its
 * report in the page; the owner accepts it, rates and complains; 政务办's complaints desk upholds the
 * complaint (a credit record); an intermediary submits a sealed quote in the page; the public page opens
 * without login at phone width and shows the intermediaries, the rating and the seeded black list.
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
    let deliverer = '';
    for (const u of ['intermediary', 'intermediary2', 'intermediary3']) {
      const s = await apiSession(u);
      if ((await api(s, 'GET', '/api/marketplace/intermediaries/mine')).id === winner) deliverer = u;
    }
    expect(deliverer).not.toBe('intermediary3'); // black-listed by the demo seed: never drawn

    // The winner uploads and delivers its report in the page.
    const ic = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    const ip = await ic.newPage();
    await login(ip, server.url, deliverer);
    await ip.goto(`${server.url}/marketplace`);
    await ip.getByTestId('deliver-form').first().waitFor({ timeout: 30_000 });
    await ip.getByTestId('upload-input-M_GEO_HAZARD_REPORT').setInputFiles({
      name: '地质灾害危险性评估报告.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% e2e\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
    });
    await ip.getByTestId('uploaded-M_GEO_HAZARD_REPORT').waitFor({ timeout: 30_000 });
    await ip.getByTestId('deliver-report-no').fill('E2E-001');
    await ip.getByTestId('deliver-summary').fill('浏览器测试成果');
    await ip.getByTestId('deliver-submit').click();
    await ip.getByText('成果 E2E-001').first().waitFor({ timeout: 15_000 });
    const delivered = await api(
      await apiSession(deliverer),
      'GET',
      `/api/marketplace/engagements/${drawn.engagementId}`,
    );
    expect(delivered.status).toBe('delivered');

    await page.reload();
    await page.getByTestId('engagement-accept').first().click();
    await page.getByTestId('engagement-rate').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('engagement-rate').first().click();
    await page.getByText('非常满意').last().click();
    await page.getByText('评价：非常满意').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('complain-reason').first().fill('现场踏勘未通知建设单位');
    await page.getByTestId('complain-submit').first().click();
    await page.getByText('投诉已提交').first().waitFor({ timeout: 15_000 });

    // 政务办's complaints desk: names, not codes; upheld → a credit record.
    const wc = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    const wp = await wc.newPage();
    await login(wp, server.url, 'window');
    await wp.goto(`${server.url}/marketplace`);
    const desk = wp.getByTestId('market-complaints');
    await desk.getByText('现场踏勘未通知建设单位').waitFor({ timeout: 30_000 });
    // The service's name comes from the engagements list, which may answer after the complaints.
    await desk.getByText('地质灾害危险性评估', { exact: false }).first().waitFor({ timeout: 30_000 });
    await desk.getByTestId('complaint-note').first().fill('经核实属实');
    await desk.getByTestId('complaint-uphold').first().click();
    await wp.getByText('已认定属实，已记入信用记录').waitFor({ timeout: 15_000 });
    await desk.getByText('属实', { exact: true }).first().waitFor({ timeout: 15_000 });
    await wc.close();

    // A sealed quote, submitted by an intermediary in the page.
    const quoted = await api(owner, 'POST', '/api/marketplace/needs', {
      projectId: projects[0].id,
      serviceCode: 'ZJ-JGLHCH',
      description: '浏览器测试：竣工联合测绘（比价）',
      budgetYuan: 60000,
      dueOn: '2099-12-31',
    });
    const opening = await api(owner, 'POST', `/api/marketplace/needs/${quoted.id}/selection`, {
      method: 'quote',
      opensAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    expect(opening.status).toBe('quoting');
    await ip.goto(`${server.url}/marketplace`);
    await ip.getByTestId('quote-form').first().waitFor({ timeout: 30_000 });
    await ip.getByTestId('quote-amount').first().fill('42000');
    await ip.getByTestId('quote-days').first().fill('9');
    await ip.getByTestId('quote-submit').first().click();
    await ip.getByTestId('quote-sealed').first().waitFor({ timeout: 15_000 });
    expect((await api(owner, 'GET', `/api/marketplace/needs/${quoted.id}`)).quotes).toEqual([]);
    await ic.close();

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
    await publicPage
      .getByTestId('public-market-black-list')
      .getByText('河南豫安环境科技有限公司')
      .waitFor({ timeout: 15_000 });
    await pub.close();
    await context.close();
  });
});
