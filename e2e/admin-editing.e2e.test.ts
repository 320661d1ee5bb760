/**
 * Issue 15 in the browser: the administrator edits a process template, previews the computed totals
 * (a draft with a wrong date is refused by the preview, the corrected one passes) and publishes it;
 * edits a catalog item with its preview; manages districts; sees the 临时密码 tag of a new account.
 * The city supervisor sees the district ranking and generates the monthly report.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiLogin, call } from './approval-api';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

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

async function newPage(username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await login(page, server.url, username);
  return { context, page };
}

const TEMPLATE = 'SOCIAL_TRANSFER';

describe('administrator', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await newPage('admin'));
  });
  afterAll(async () => {
    await context?.close();
  });

  test('edits a template, previews its totals, and publishes only a draft the preview passed', async () => {
    await page.goto(`${server.url}/templates/${TEMPLATE}`);
    const before = await page.getByTestId('template-name').innerText();
    const publishedTotal = await page.getByTestId('template-total').first().innerText();
    await page.getByTestId('template-edit').click();
    await page.getByTestId('template-form').waitFor();
    const publish = page.getByTestId('template-publish');
    expect(await publish.isDisabled()).toBe(true);

    await page.getByTestId('template-edit-name').fill(`${before}（浏览器修订）`);
    // A date in the future: the preview says why it cannot be published yet.
    await page.getByTestId('template-edit-effective').fill('2099-01-01');
    await page.getByTestId('template-preview').click();
    await page.getByTestId('preview-publication').waitFor();
    expect(await page.getByTestId('preview-publication').innerText()).toContain('生效日期');
    expect(await publish.isDisabled()).toBe(true);

    // Back to today: the totals are shown, no problem, publishing is offered.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await page.getByTestId('template-edit-effective').fill(today);
    await page.getByTestId('template-preview').click();
    // The new answer replaces the refusal (waiting for it, not for the old result still on screen).
    await page.getByTestId('preview-publication').waitFor({ state: 'detached' });
    await page.getByTestId('preview-ok').waitFor();
    expect(await page.getByTestId('preview-total').innerText()).toBe(publishedTotal);
    expect(await page.getByTestId('preview-stages').locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
    await expect.poll(() => publish.isDisabled()).toBe(false);
    await publish.click();

    await page.waitForURL(new RegExp(`/templates/${TEMPLATE}$`));
    await expect.poll(() => page.getByTestId('template-name').innerText()).toContain('浏览器修订');
    expect(await page.locator('body').innerText()).toContain('v2');
  });

  test('edits a catalog item: the preview lists the processes using it with their totals', async () => {
    await page.goto(`${server.url}/catalog/ZZ-ZRZY-002`);
    await page.getByTestId('item-edit').click();
    await page.getByTestId('item-form').waitFor();
    await page.getByTestId('item-edit-name').fill('建设用地规划许可证核发（浏览器修订）');
    await page.getByTestId('item-preview').click();
    const templates = page.getByTestId('item-preview-templates');
    await templates.waitFor();
    expect(await templates.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await templates.innerText()).toContain('个工作日');
    await page.getByTestId('item-publish').click();
    await page.waitForURL(/\/catalog\/ZZ-ZRZY-002$/);
    await expect.poll(() => page.getByTestId('item-name').innerText()).toContain('浏览器修订');
  });

  test('lists the districts and adds a functional zone', async () => {
    await page.goto(`${server.url}/admin/districts`);
    const table = page.getByTestId('district-table');
    await table.getByText('中牟县').waitFor();
    await page.getByTestId('district-create').click();
    await page.getByTestId('district-code').fill('410199');
    await page.getByTestId('district-name').fill('浏览器测试功能区');
    await page.locator('.ant-modal:visible .ant-modal-footer .ant-btn-primary').click();
    await page.locator('.ant-message').getByText('已保存').waitFor();
    await table.getByText('浏览器测试功能区').waitFor();
  });

  test('shows 临时密码 for an account whose password the administrator set', async () => {
    const admin = await apiLogin(server.url, 'admin');
    await call(server.url, admin, 'POST', '/api/admin/users', {
      username: 'temp.e2e.window',
      displayName: '临时密码 窗口',
      role: 'window',
      password: 'Temporary#2026ok',
    });
    await page.goto(`${server.url}/admin/users`);
    await page.getByTestId('user-search').locator('input').fill('temp.e2e');
    await page.getByTestId('user-search').locator('input').press('Enter');
    await page.getByTestId('user-temporary-temp.e2e.window').waitFor();
    expect(await page.getByTestId('user-temporary-temp.e2e.window').innerText()).toBe('临时密码');
  });
});

describe('city supervisor', () => {
  test('sees the districts ranked and generates the city’s monthly report', async () => {
    const { context, page } = await newPage('supervisor');
    try {
      await page.goto(`${server.url}/supervision`);
      await page.locator('.ant-tabs-tab', { hasText: '区县排名' }).click();
      const ranking = page.getByTestId('district-ranking');
      // The demo projects are registered in 中原区.
      await ranking.locator('tbody tr', { hasText: '中原区' }).waitFor();
      expect(await ranking.innerText()).toContain('全流程平均');

      await page.locator('.ant-tabs-tab', { hasText: '月度通报' }).click();
      await page.getByTestId('report-generate').click();
      await page.locator('.ant-message').getByText('通报已生成').waitFor();
      await page.getByTestId('report-table').locator('tbody tr', { hasText: '全市' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
