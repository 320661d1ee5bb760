/**
 * 电子监察 in the browser: the supervisor's dashboard with data (the demo projects, started through the
 * API at start-up) and task clocks in 预警, and a coordinator seeing the late departments of its stages.
 * The warning comes from the per-item threshold (a frozen CLOCK_NOW server cannot move later; a CLOCK_NOW
 * before the browser's real date would expire the session cookie on reload).
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

beforeAll(async () => {
  server = await startServer({ env: { CLOCK_NOW: '2027-03-01T09:00:00+08:00' } });
  browser = await launchBrowser();
  // Make every running item warn: the threshold is a supervisor setting (working days left).
  const s = await apiSession('supervisor');
  const tasks = (
    (await (
      await fetch(`${server.url}/api/supervision/tasks`, { headers: { cookie: s.cookie } })
    ).json()) as { tasks: { itemCode: string }[] }
  ).tasks;
  expect(tasks.length).toBeGreaterThan(0);
  for (const code of new Set(tasks.map((t) => t.itemCode))) {
    const res = await fetch(`${server.url}/api/supervision/clock-settings/${code}`, {
      method: 'PUT',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ warningDays: 365 }),
    });
    expect(res.status).toBe(200);
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('electronic supervision', () => {
  test('the supervisor dashboard renders charts and warning clocks', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    await login(page, server.url, 'supervisor');
    await page.goto(`${server.url}/supervision`);
    await page.getByTestId('supervision-dashboard').waitFor({ timeout: 30_000 });
    for (const id of ['chart-trend', 'chart-ranking', 'chart-funnel', 'chart-distribution']) {
      await page.getByTestId(id).locator('canvas').first().waitFor({ timeout: 15_000 });
    }
    await page.getByRole('tab', { name: '办件计时' }).click();
    await page.getByTestId('clock-warning').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('clock-warning').count()).toBeGreaterThan(0);
    await context.close();
  });

  test('a coordinator sees the late departments of its stages', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    await login(page, server.url, 'fgw.coordinator');
    await page.goto(`${server.url}/supervision`);
    const table = page.getByTestId('late-departments');
    await table.locator('tbody tr.ant-table-row').first().waitFor({ timeout: 30_000 });
    expect(await table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    await context.close();
  });
});
