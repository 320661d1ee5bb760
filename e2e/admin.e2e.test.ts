/**
 * The administrator's first day in the browser: log-in errors, the item catalog, a process template
 * with its flowchart, the working calendar's deadline calculator; a second-factor login and the
 * administrator's login-security page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { totpCode } from '../src/modules/identity/totp';
import { apiLogin, call } from './approval-api';
import { DEMO_PASSWORD, launchBrowser, login, startServer, type RunningServer } from './harness';

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

describe('second factor and login security', () => {
  test('a supervisor with a second factor logs in with the 6-digit code; an administrator clears a login throttle', async () => {
    // Enrolment through the API (the authenticator app's part), with codes computed as the app would.
    const supervisor = await apiLogin(server.url, 'supervisor');
    const enrolment = await call<{ secret: string }>(
      server.url,
      supervisor,
      'POST',
      '/api/auth/totp/enroll',
      {},
    );
    await call(server.url, supervisor, 'POST', '/api/auth/totp/confirm', {
      code: totpCode(enrolment.secret, new Date()),
    });

    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-username').fill('supervisor');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      const code = page.getByTestId('login-totp');
      await code.waitFor();
      // A code works once: the next 30-second step's code (accepted within one step of drift).
      await code.fill(totpCode(enrolment.secret, new Date(Date.now() + 30_000)));
      await page.getByTestId('login-submit').click();
      await page.getByTestId('current-role').waitFor();
      expect(await page.getByTestId('current-role').innerText()).toBe('电子监察');
    } finally {
      await context.close();
    }

    // Five wrong passwords for one name from this address: that pair is held back, nobody else.
    for (let i = 0; i < 5; i++) {
      await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'ghost.user', password: 'wrong-password' }),
      });
    }
    const admin = await newContext();
    try {
      const page = await admin.newPage();
      await login(page, server.url, 'admin');
      await page.goto(`${server.url}/admin/security`);
      const row = page.getByTestId('throttle-table').locator('tr', { hasText: 'ghost.user' });
      await row.waitFor();
      expect(await row.innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      await row.getByRole('button', { name: /解\s*除/ }).click();
      await page
        .locator('.ant-popconfirm')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
      await row.waitFor({ state: 'detached' });
    } finally {
      await admin.close();
    }
  });
});
