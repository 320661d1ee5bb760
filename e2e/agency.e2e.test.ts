/**
 * 帮办代办 in the browser (issue 16 item 11): an enterprise gives the agent consent under 委托代办; the
 * agent registers a project for it (the 建设单位 field) and applies for stage 1 through the ordinary
 * stage page; the enterprise revokes, and the agent's desk shows it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiLogin, call, pdfFile, type ApiSession, type GuideView } from './approval-api';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let agentApi: ApiSession;
const contexts: BrowserContext[] = [];
const ENTERPRISE = '河南中原置业集团有限公司';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  agentApi = await apiLogin(server.url, 'agent');
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
  });
  contexts.push(context);
  const page = await context.newPage();
  await login(page, server.url, username);
  return page;
}

async function choose(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
    .first()
    .click();
}

describe('帮办代办', () => {
  let owner: Page;
  let agent: Page;
  let projectId: string;

  test('the enterprise gives the agent consent to register and apply', async () => {
    owner = await pageAs('applicant2');
    await owner.getByTestId('menu-agency-consents').click();
    await owner.waitForURL('**/agency/consents');
    await choose(owner, 'consent-agent', '孙丽');
    await owner.getByTestId('consent-until').click();
    await owner.keyboard.type('2030-06-30');
    await owner.keyboard.press('Enter');
    await owner.getByTestId('consent-submit').click();
    const row = owner.getByTestId('consent-table').locator('tr', { hasText: '孙丽' }).first();
    await row.getByText('有效').waitFor();
    expect(await row.innerText()).toContain('登记项目');
    expect(await row.innerText()).toContain('阶段申报');
  });

  test('the agent registers a project for the enterprise and applies for stage 1', async () => {
    agent = await pageAs('agent');
    await agent.getByTestId('menu-agency-desk').click();
    await agent.getByTestId('agent-consents').getByText(ENTERPRISE).first().waitFor();
    await agent.getByTestId('agent-register').click();
    await agent.waitForURL('**/projects/new');
    await choose(agent, 'project-enterprise', ENTERPRISE);
    await agent.getByTestId('project-name').fill('代办登记 浏览器项目');
    const { name: templateName } = await call<{ name: string }>(
      server.url,
      agentApi,
      'GET',
      '/api/process-templates/SOCIAL_TRANSFER',
    );
    await choose(agent, 'project-template', templateName);
    await agent.getByTestId('project-lon').fill('113.635');
    await agent.getByTestId('project-submit').click();
    await agent.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await agent.getByTestId('register-query-code').waitFor({ timeout: 30_000 });
    await agent.locator('.ant-modal-confirm-btns button').click();
    projectId = new URL(agent.url()).pathname.split('/').pop()!;
    const project = await call<{ enterpriseName: string }>(
      server.url,
      agentApi,
      'GET',
      `/api/projects/${projectId}`,
    );
    expect(project.enterpriseName).toBe(ENTERPRISE);

    await agent.getByTestId('apply-stage-1').click();
    await agent.waitForURL(`**/projects/${projectId}/stages/1/apply`);
    await agent.getByTestId('apply-on-behalf').getByText(ENTERPRISE).waitFor();
    const guide = await call<GuideView>(
      server.url,
      agentApi,
      'GET',
      `/api/projects/${projectId}/stages/1/guide`,
    );
    for (const [key, p] of Object.entries(guide.form.properties)) {
      const testId = `form-field-${key}`;
      if ((await agent.getByTestId(testId).count()) === 0) continue;
      const field = agent.locator(
        `input[data-testid="${testId}"], textarea[data-testid="${testId}"], [data-testid="${testId}"] input`,
      );
      if (p.enum?.length) {
        await agent.getByTestId(testId).click();
        await agent.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
      } else if (p.type === 'boolean') await field.first().check();
      else if (p.type === 'number' || p.type === 'integer') await field.first().fill('100');
      else if (p.format === 'date') await field.first().fill('2026-05-01');
      else await field.first().fill(`代办填写${key}`);
    }
    for (const m of guide.materials.filter((x) => x.required && !x.onFile)) {
      await agent.getByTestId(`upload-input-${m.code}`).setInputFiles(pdfFile(`${m.code}.pdf`));
      await agent.getByTestId(`uploaded-${m.code}`).waitFor();
    }
    await agent.getByTestId('apply-submit').click();
    await agent.waitForURL(/\/projects\/[0-9a-f-]{36}\?application=/);
    await expect
      .poll(() => agent.getByTestId('stage-status-1').getAttribute('data-status'))
      .toBe('submitted');
  });

  test('the enterprise revokes; the agent sees it and may no longer register for it', async () => {
    await owner.reload();
    const row = owner.getByTestId('consent-table').locator('tr', { hasText: '有效' }).first();
    await row.getByRole('button', { name: '撤销委托' }).click();
    await owner.getByTestId('consent-revoke-confirm').click();
    await owner.locator('.ant-message').getByText('委托已撤销').waitFor();

    await agent.goto(`${server.url}/agency/desk`);
    await agent
      .getByTestId('agent-consents')
      .locator('tr', { hasText: ENTERPRISE })
      .getByText('已撤销')
      .first()
      .waitFor();
    await agent.goto(`${server.url}/projects/new`);
    await agent.getByTestId('project-enterprise').click();
    expect(
      await agent
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: ENTERPRISE })
        .count(),
    ).toBe(0);
  });
});
