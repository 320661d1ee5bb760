/**
 * The administrator's first day in the browser: log-in errors, the item catalog, a process template
 * with its flowchart, and the working calendar's deadline calculator.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

const ITEM_NAME = '建设工程规划许可证核发';

/** The two fields of an <img> the flowchart check reads (the e2e tsconfig has no DOM lib). */
interface LoadedImage {
  complete: boolean;
  naturalWidth: number;
}

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newContext(): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
}

describe('login page', () => {
  test('sends an anonymous visitor to /login and shows the error for a wrong password', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/catalog`);
      await page.waitForURL('**/login');
      await expect.poll(() => page.title()).toContain('郑州市工程建设项目审批管理系统');

      await page.getByTestId('login-username').fill('admin');
      await page.getByTestId('login-password').fill('wrong-password');
      await page.getByTestId('login-submit').click();

      const error = page.getByTestId('login-error');
      await error.waitFor();
      expect(await error.innerText()).toContain('用户名或密码错误');
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await context.close();
    }
  });
});

describe('administrator', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await newContext();
    page = await context.newPage();
    await login(page, server.url, 'admin');
  });

  afterAll(async () => {
    await context?.close();
  });

  test('sees the system name, the role and the admin menu', async () => {
    expect(await page.getByTestId('app-title').innerText()).toContain('郑州市工程建设项目审批管理系统');
    expect(await page.getByTestId('current-role').innerText()).toBe('系统管理员');
    await page.getByTestId('menu-admin-calendar').waitFor();
  });

  test('searches the catalog and opens an item with its materials', async () => {
    await page.getByTestId('menu-catalog').click();
    await page.waitForURL('**/catalog');
    await page.getByTestId('catalog-search').fill(ITEM_NAME);
    await page.getByTestId('catalog-search').press('Enter');
    await page.waitForURL(/q=/);

    const row = page.locator('[data-testid^="catalog-row-"]', { hasText: ITEM_NAME }).first();
    await row.waitFor();
    const rows = await page.locator('[data-testid^="catalog-row-"]').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    for (const text of rows) expect(text).toContain(ITEM_NAME.slice(0, 4));

    await row.click();
    await page.waitForURL(/\/catalog\/[^/]+$/);
    expect(await page.getByTestId('item-name').innerText()).toBe(ITEM_NAME);
    const materials = page.getByTestId('materials-table').locator('tbody tr.ant-table-row');
    await materials.first().waitFor();
    expect(await materials.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('item-time-limits').innerText()).toMatch(
      /法定 \d+ 个工作日 \/ 承诺 \d+ 个工作日/,
    );
  });

  test('opens a process template and sees its flowchart', async () => {
    await page.getByTestId('menu-templates').click();
    await page.waitForURL('**/templates');
    const first = page.locator('[data-testid^="template-row-"]').first();
    await first.waitFor();
    await first.click();
    await page.waitForURL(/\/templates\/[^/]+$/);

    const name = await page.getByTestId('template-name').innerText();
    expect(name.length).toBeGreaterThan(0);
    expect(await page.getByTestId('stages-table').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(
      0,
    );

    const image = page.getByTestId('flowchart-image');
    await image.waitFor();
    await expect
      .poll(
        () =>
          image.evaluate(
            (img) => (img as unknown as LoadedImage).complete && (img as unknown as LoadedImage).naturalWidth,
          ),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);
  });

  test('computes a deadline on the calendar page', async () => {
    await page.getByTestId('menu-admin-calendar').click();
    await page.waitForURL('**/admin/calendar');
    await page.getByTestId('calendar-source').waitFor();

    const start = page.getByTestId('deadline-start');
    await start.click();
    await start.fill('2026-09-30');
    await start.press('Enter');
    await page.getByTestId('deadline-days').fill('5');
    await page.getByTestId('deadline-compute').click();

    const value = page.getByTestId('deadline-value');
    await value.waitFor();
    const answer = await page.request.get(
      `${server.url}/api/calendar/deadline?start=2026-09-30&workingDays=5`,
    );
    expect(answer.status()).toBe(200);
    const expected = (await answer.json()) as { deadline: string; calendarComplete: boolean };
    expect(await value.innerText()).toBe(expected.deadline);
    // National Day (1–7 October) is not counted: five working days after 30 September end after the 7th.
    expect(expected.deadline > '2026-10-07').toBe(true);
    await page.getByTestId(expected.calendarComplete ? 'deadline-complete' : 'deadline-incomplete').waitFor();
  });
});
