/**
 * 电子监察 in the browser: the supervisor's dashboard with data (the demo projects, started through the
 * API at start-up) and task clocks in 预警 and 逾期, and a coordinator seeing the late departments of its
 * stages. The demo data starts at CLOCK_NOW 2027-03-01; the server is then restarted on the same data at
 * 2027-06-01, past every deadline, so running tasks are overdue. A per-item threshold makes one item warn.
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
  // Demo tasks start at 2027-03-01; three months later every running one is past its deadline.
  const before = await apiSession('supervisor');
  const running = (
    (await (
      await fetch(`${server.url}/api/supervision/tasks`, { headers: { cookie: before.cookie } })
    ).json()) as { tasks: { clockState: string; paused: boolean }[] }
  ).tasks;
  expect(running.length).toBeGreaterThan(0);
  expect(running.some((t) => t.clockState === 'overdue')).toBe(false);
  await server.restart({ CLOCK_NOW: '2027-06-01T09:00:00+08:00' });
  const after = await apiSession('supervisor');
  const late = (
    (await (
      await fetch(`${server.url}/api/supervision/tasks?clockState=overdue`, {
        headers: { cookie: after.cookie },
      })
    ).json()) as { tasks: unknown[] }
  ).tasks;
  // Paused clocks (补正, a hearing) do not run out; every other running task is now overdue.
  expect(late.length).toBeGreaterThan(0);
  expect(late.length).toBe(running.filter((t) => !t.paused).length);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('electronic supervision', () => {
  test('the supervisor dashboard renders charts and overdue clocks', async () => {
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
    await page.getByTestId('clock-overdue').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('clock-overdue').count()).toBeGreaterThan(0);
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
