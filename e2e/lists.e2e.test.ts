/**
 * Lists that scale, in the browser (issue 16 §6–7): 我的项目 and the window's queue are searched, sorted
 * and paged by the server and exported to Excel; a queue row opens by keyboard, and the window's
 * shortcuts (A 受理, R 不予受理) open their confirmations.
 */
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiLogin, submittedProject, type ApiSession } from './approval-api';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let applicantApi: ApiSession;
const made: { code: string; applicationId: string }[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  applicantApi = await apiLogin(server.url, 'applicant');
  for (let i = 0; i < 3; i++) made.push(await submittedProject(server.url, applicantApi));
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function pageAs(username: string): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  await login(page, server.url, username);
  return page;
}

async function downloadedRows(page: Page, testId: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const wb = new ExcelJS.Workbook();
  const bytes = await readFile((await download.path())!);
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
  );
  return rows;
}

describe('lists', () => {
  test('我的项目: search, total, sort and the Excel export of the same list', async () => {
    const page = await pageAs('applicant');
    await page.goto(`${server.url}/projects`);
    await page.getByTestId('projects-table').waitFor();
    const search = page.getByTestId('projects-search');
    await search.fill(made[0]!.code);
    await search.press('Enter');
    await page.getByTestId(`project-row-${made[0]!.code}`).waitFor();
    await expect.poll(() => page.locator('[data-testid^="project-row-"]').count()).toBe(1);
    await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toContain('共 1 个项目');
    const rows = await downloadedRows(page, 'projects-export');
    expect(rows[0]).toContain('项目代码');
    expect(rows.filter((r) => r[0] === made[0]!.code)).toHaveLength(1);
    expect(rows.at(-1)![0]).toMatch(/共 1 件$/);

    // Sorting by name asks the server again, and the order follows it.
    await search.fill('接口准备项目');
    await search.press('Enter');
    await expect.poll(() => page.locator('[data-testid^="project-row-"]').count()).toBeGreaterThanOrEqual(3);
    await page.locator('th', { hasText: '项目名称' }).click();
    await expect
      .poll(async () => {
        const names = await page.locator('[data-testid^="project-row-"] td:nth-child(2)').allInnerTexts();
        return names.join('|') === [...names].sort().join('|') && names.length >= 3;
      })
      .toBe(true);
  });

  test('the window queue: search, a row opened by keyboard, shortcuts open their confirmations', async () => {
    const page = await pageAs('window');
    await page.goto(`${server.url}/window`);
    await page.getByTestId('queue-table').waitFor();
    const target = made[1]!;
    const search = page.getByTestId('queue-search');
    await search.fill(target.code);
    await search.press('Enter');
    await page.getByTestId(`queue-row-${target.code}`).waitFor();
    await expect.poll(() => page.locator('[data-testid^="queue-row-"]').count()).toBe(1);
    const rows = await downloadedRows(page, 'queue-export');
    expect(rows[0]).toEqual([
      '项目代码',
      '项目名称',
      '建设单位',
      '所在区县',
      '阶段',
      '状态',
      '提交时间',
      '预计办结',
    ]);
    expect(rows[1]!.slice(3, 6)).toEqual(['中原区', '立项用地规划许可', '待受理']);

    // The row's link takes the keyboard focus and opens with Enter.
    await page.getByTestId(`queue-open-${target.code}`).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/window\/applications\//);
    await page.getByTestId('checklist').waitFor();
    await page.getByTestId('shortcut-help').waitFor();
    // R opens the refusal (which says it cannot be undone); Escape leaves it; nothing happened.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('r');
    await page.getByTestId('refuse-reason').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('refuse-reason').waitFor({ state: 'hidden' });
    // Typing an r in a text box is text, not the shortcut.
    await page.getByTestId('correction-add').click();
    await page.getByTestId('correction-reason-0').fill('r');
    await expect(page.getByTestId('refuse-reason').isVisible()).resolves.toBe(false);
    expect(await page.getByTestId('accept').innerText()).toMatch(/\(A\)/);
  });
});
