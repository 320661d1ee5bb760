/**
 * Issue 15 in the browser: the administrator manages users (a 中牟县 reviewer created, then disabled),
 * sees the district departments, previews where a 中牟县 project's items go; the window confirms an
 * enterprise that registered itself, whose account can then log in.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { creditCodeCheckChar } from '../src/modules/identity/identity.rules';
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

/** Picks an option of an Ant Design select by typing its label. */
async function choose(page: Page, testId: string, label: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(label);
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}

describe('administrator', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await newPage('admin'));
  });
  afterAll(async () => {
    await context?.close();
  });

  test('creates a 中牟县 reviewer, who belongs to 中牟县 through the department, then disables it', async () => {
    await page.goto(`${server.url}/admin/users`);
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-username').fill('zm.e2e.reviewer');
    await page.getByTestId('user-displayname').fill('中牟县 浏览器初核');
    await choose(page, 'user-department', '中牟县自然资源和规划局');
    await page.getByTestId('user-password').fill('Browser#2026ok');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.ant-message').getByText('已保存').waitFor();

    await page.getByTestId('user-search').locator('input').fill('zm.e2e');
    await page.getByTestId('user-search').locator('input').press('Enter');
    const row = page.getByTestId('user-table').locator('tr', { hasText: 'zm.e2e.reviewer' });
    await row.waitFor();
    expect(await row.innerText()).toContain('中牟县');
    expect(await row.innerText()).toContain('中牟县自然资源和规划局');

    await page.getByTestId('user-toggle-zm.e2e.reviewer').click();
    await page.getByTestId('disable-reason').fill('测试停用');
    await page.locator('.ant-modal:visible .ant-modal-footer .ant-btn-primary').click();
    await row.getByText('已停用').waitFor();
  });

  test('lists the district departments and previews where a 中牟县 project’s items go', async () => {
    await page.goto(`${server.url}/admin/departments`);
    await choose(page, 'department-filter', '中牟县');
    const table = page.getByTestId('department-table');
    await table.getByText('中牟县自然资源和规划局').waitFor();
    expect(await table.innerText()).not.toContain('金水区自然资源和规划局');

    await page.goto(`${server.url}/admin/jurisdiction`);
    await choose(page, 'preview-district', '中牟县');
    await page.getByTestId('preview-run').click();
    const preview = page.getByTestId('preview-table');
    const district = preview.locator('tr', { hasText: '建设用地规划许可证核发' });
    await district.waitFor();
    expect(await district.innerText()).toContain('中牟县自然资源和规划局');
    const city = preview.locator('tr', { hasText: '建设用地批准书核发' });
    expect(await city.innerText()).toContain('市自然资源和规划局');
  });
});

describe('window', () => {
  test('confirms an enterprise that registered itself on the public page; its account then logs in', async () => {
    const first17 = '91410105MA9GJ0015';
    const creditCode = first17 + creditCodeCheckChar(first17);
    // The enterprise registers itself on the public page (no login).
    const visitor = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    try {
      const page = await visitor.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-register').click();
      const form = page.getByTestId('register-form');
      await form.waitFor();
      const fill = (label: string, value: string) => form.getByLabel(label, { exact: true }).fill(value);
      await fill('企业名称', '金水区浏览器测试有限公司');
      await fill('统一社会信用代码', creditCode);
      await fill('法定代表人', '周七');
      await fill('联系电话', '0371-65000000');
      await fill('经办人姓名', '经办人 周八');
      await fill('登录用户名', 'jsbrowser');
      await fill('密码', 'Apply#2026ok');
      await page.getByTestId('register-submit').click();
      await page.getByTestId('register-done').waitFor();
    } finally {
      await visitor.close();
    }

    const { context, page } = await newPage('window');
    try {
      await page.goto(`${server.url}/admin/enterprises`);
      const row = page.getByTestId('enterprise-table').locator('tr', { hasText: creditCode });
      await row.waitFor();
      expect(await row.innerText()).toContain('待确认');
      await page.getByTestId(`enterprise-confirm-${creditCode}`).click();
      await page.locator('.ant-message').getByText('已确认').waitFor();
    } finally {
      await context.close();
    }

    const applicant = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    try {
      const page = await applicant.newPage();
      await login(page, server.url, 'jsbrowser', 'Apply#2026ok');
      expect(await page.getByTestId('current-user').innerText()).toContain('周八');
    } finally {
      await applicant.close();
    }
  });
});
