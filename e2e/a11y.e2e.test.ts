/**
 * Accessibility (issue 16 §8): the main page of every role — applicant, window, reviewer, supervisor,
 * administrator — and the public portal pass axe-core without a serious or critical violation (contrast
 * of tags and text, labelled controls, landmarks).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { acceptedProject, apiLogin, applicationTasks } from './approval-api';
import { expectAccessible } from './axe';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let reviewer = 'fgw.reviewer';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Something in each list, so its rows and tags are checked too.
  const applicant = await apiLogin(server.url, 'applicant');
  const window = await apiLogin(server.url, 'window');
  const project = await acceptedProject(server.url, applicant, window);
  const task = (await applicationTasks(server.url, window, project.applicationId)).find(
    (t) => t.currentStep === 'initial',
  );
  if (task) reviewer = `${task.departmentCode}.reviewer`;
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function pageFor(username: string | null): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  if (username) await login(page, server.url, username);
  return page;
}

/** Opens the page, waits for it to settle (its table or main content drawn), then runs axe. */
async function check(username: string | null, path: string, ready: string) {
  const page = await pageFor(username);
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, `${path} as ${username ?? 'the public'}`);
}

describe('axe-core: no serious or critical violation on each role’s main page', () => {
  test('applicant: 我的项目', () =>
    check('applicant', '/projects', '[data-testid="projects-table"] tbody tr'));
  test('window: 收件队列', () => check('window', '/window', '[data-testid="queue-table"]'));
  test('reviewer: 待办箱', () => check(reviewer, '/review', '[data-testid="inbox-table"] tbody tr'));
  test('supervisor: 电子监察', () => check('supervisor', '/supervision', 'main .ant-card'));
  test('administrator: 用户', () => check('admin', '/admin/users', 'main .ant-table'));
  test('public portal', () => check(null, '/portal', 'main, [role="main"], .ant-card'));
});
