/**
 * 统一身份认证 in Chromium: the login page's “河南政务服务网统一身份认证登录” button → the local identity
 * provider's login page (oidc-provider) → back through the callback to the applicant's desk; and a person
 * the system does not know is sent back to the login page with a sentence saying why.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalIdp, type LocalIdp } from '../src/dev/local-idp';
import { demoEnterprises } from '../src/seed/demo';
import { DEMO_PASSWORD, launchBrowser, startServer, type RunningServer } from './harness';

let idp: LocalIdp;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The provider first (the server needs its address); its client once the server's address is known.
  idp = await startLocalIdp();
  server = await startServer({
    env: {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: 'zz-approval',
      OIDC_CLIENT_SECRET: 'e2e-secret',
    },
  });
  idp.setClient({
    clientId: 'zz-approval',
    clientSecret: 'e2e-secret',
    redirectUris: [`${server.url}/api/auth/oidc/callback`],
  });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await idp?.close();
});

describe('provincial login', () => {
  test('an enterprise person logs in through 统一身份认证 and reaches the applicant’s desk', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('oidc-login').click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    expect(await page.locator('h1').innerText()).toContain('统一身份认证');
    await page.getByTestId('idp-login').fill('zhangjianguo');
    await page.getByTestId('idp-password').fill(DEMO_PASSWORD);
    await page.getByTestId('idp-submit').click();
    await page.getByTestId('current-user').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).origin).toBe(server.url);
    const session = (await page.evaluate(async () => (await fetch('/api/auth/session')).json())) as {
      user: { role: string; enterpriseName: string | null };
    };
    expect(session.user.role).toBe('applicant');
    expect(session.user.enterpriseName).toBe(demoEnterprises[0]!.name);
    expect(await page.getByTestId('current-user').innerText()).toContain('张建国');
    await page.close();
  });

  test('a staff id the system does not know comes back to the login page with the reason', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('oidc-login').click();
    await page.getByTestId('idp-login').fill('liuyang');
    await page.getByTestId('idp-password').fill(DEMO_PASSWORD);
    await page.getByTestId('idp-submit').click();
    await page.getByTestId('oidc-refusal').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('oidc-refusal').innerText()).toContain('未找到与您工号对应的工作人员账号');
    // The local login is still there.
    expect(await page.getByTestId('login-form').count()).toBe(1);
    await page.close();
  });
});
