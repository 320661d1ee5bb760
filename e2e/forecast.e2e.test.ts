/**
 * Foresight in the browser (issue 17): the applicant sees 预计办结 P50 / P90 with its basis on a running
 * demo project, supervision lists every running project's dates, and an administrator computes a reform
 * scenario in the sandbox beside the live template.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

async function apiGet<T>(username: string, path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  return (await (await fetch(`${server.url}${path}`, { headers: { cookie } })).json()) as T;
}

beforeAll(async () => {
  server = await startServer({ env: { CLOCK_NOW: '2027-03-01T09:00:00+08:00' } });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const newPage = async () => {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  return { context, page: await context.newPage() };
};

describe('predicted completion', () => {
  test('the applicant sees P50 / P90 and the basis on a running project', async () => {
    const { projects } = await apiGet<{ projects: { id: string; currentStage: unknown }[] }>(
      'applicant',
      '/api/projects',
    );
    const running = projects.find((p) => p.currentStage !== null)!;
    const forecast = await apiGet<{ completion: { p50Date: string; p90Date: string }; basis: string }>(
      'applicant',
      `/api/projects/${running.id}/forecast`,
    );
    const { context, page } = await newPage();
    await login(page, server.url, 'applicant');
    await page.goto(`${server.url}/projects/${running.id}`);
    await page.getByTestId('forecast-card').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('forecast-p50').textContent()).toBe(forecast.completion.p50Date);
    expect(await page.getByTestId('forecast-p90').textContent()).toBe(forecast.completion.p90Date);
    expect(await page.getByTestId('forecast-basis').first().getAttribute('data-basis')).toBe(forecast.basis);
    await context.close();
  });

  test('supervision lists running projects with their dates', async () => {
    const { context, page } = await newPage();
    await login(page, server.url, 'supervisor');
    await page.goto(`${server.url}/forecast`);
    await page
      .getByTestId('forecast-list')
      .locator('tbody tr[data-testid^="forecast-row-"]')
      .first()
      .waitFor({
        timeout: 30_000,
      });
    expect(
      await page.getByTestId('forecast-list').locator('tbody tr[data-testid^="forecast-row-"]').count(),
    ).toBeGreaterThan(0);
    await context.close();
  });

  test('an administrator computes a sandbox scenario beside the live template', async () => {
    const { context, page } = await newPage();
    await login(page, server.url, 'admin');
    await page.goto(`${server.url}/forecast/scenarios`);
    await page.getByTestId('scenario-items').locator('tbody tr').first().waitFor({ timeout: 30_000 });
    const firstLimit = page.getByTestId('scenario-items').locator('input').first();
    await firstLimit.fill('1');
    await page.getByTestId('scenario-preview').click();
    await page.getByTestId('scenario-sandbox').waitFor({ timeout: 30_000 });
    await page.getByTestId('scenario-live').waitFor();
    await page.getByTestId('scenario-save').click();
    await page.getByTestId('scenario-export').waitFor({ timeout: 30_000 });
    await page.getByTestId('scenario-list').locator('tbody tr').first().waitFor();
    await context.close();
  });
});
