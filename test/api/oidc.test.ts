/**
 * 统一身份认证 (issue 14 item 4) end to end over HTTP: a real OpenID Connect provider (oidc-provider, the
 * local IdP) on a free port, the app's start → provider login → callback, on each database.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import type { OidcConfig } from '../../src/config';
import { idpPeople, loginWithoutBrowser, startLocalIdp, type LocalIdp } from '../../src/dev/local-idp';
import { demoEnterprises } from '../../src/seed/demo';
import { createTestSystem, type TestSystem } from '../app';
import { databaseKinds } from '../db';

const REDIRECT = 'http://app.test/api/auth/oidc/callback';

function person(login: string) {
  const p = idpPeople.find((x) => x.login === login);
  if (!p) throw new Error(login);
  return p;
}

for (const kind of databaseKinds()) {
  describe(`provincial login through OpenID Connect [${kind}]`, () => {
    let idp: LocalIdp;
    let system: TestSystem & { close(): Promise<void> };

    beforeAll(async () => {
      idp = await startLocalIdp({
        client: { clientId: 'zz-approval', clientSecret: 'test-secret', redirectUris: [REDIRECT] },
      });
      const oidc: OidcConfig = {
        issuerUrl: idp.issuer,
        clientId: 'zz-approval',
        clientSecret: 'test-secret',
        redirectUrl: REDIRECT,
        creditCodeClaim: 'uscc',
        staffIdClaim: 'staff_id',
        scopes: 'openid profile',
        mfaAcrValues: [],
        allowInsecure: true,
      };
      system = await createTestSystem(kind, { oidc });
    });
    afterAll(async () => {
      await system?.close();
      await idp?.close();
    });

    /** GET start: the redirect to the provider and the browser-binding cookie. */
    async function start() {
      const res = await system.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(res.statusCode).toBe(302);
      const browser = res.cookies.find((c) => c.name === 'zz_oidc');
      expect(browser?.httpOnly).toBe(true);
      return { authorizationUrl: String(res.headers.location), browser: browser!.value };
    }

    function callback(back: URL, browser: string | undefined) {
      return system.app.inject({
        method: 'GET',
        url: `/api/auth/oidc/callback${back.search}`,
        cookies: browser ? { zz_oidc: browser } : {},
      });
    }

    /** The whole code flow for one person; the callback's answer. */
    async function loginAs(login: string) {
      const { authorizationUrl, browser } = await start();
      const back = await loginWithoutBrowser(authorizationUrl, login);
      return callback(back, browser);
    }

    async function sessionOf(res: Awaited<ReturnType<typeof callback>>) {
      const cookie = res.cookies.find((c) => c.name === 'zz_session');
      expect(cookie, `no session cookie; Location ${res.headers.location}`).toBeDefined();
      const s = await system.app.inject({
        method: 'GET',
        url: '/api/auth/session',
        cookies: { zz_session: cookie!.value },
      });
      expect(s.statusCode).toBe(200);
      return s.json() as {
        user: { id: string; username: string; role: string; enterpriseName: string | null };
      };
    }

    it('tells the web that the button shows', async () => {
      const res = await system.app.inject({ method: 'GET', url: '/api/auth/oidc/config' });
      expect(res.json()).toEqual({ enabled: true });
    });

    it('asks for the code with PKCE (S256), state and nonce, and keeps them on the server', async () => {
      const { authorizationUrl } = await start();
      const url = new URL(authorizationUrl);
      expect(url.origin).toBe(idp.issuer);
      expect(url.searchParams.get('response_type')).toBe('code');
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(url.searchParams.get('state')).toBeTruthy();
      expect(url.searchParams.get('nonce')).toBeTruthy();
      expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
      // Only the state's hash is stored; the verifier never leaves the server.
      const rows = await system.db.selectFrom('oidcLoginState').selectAll().execute();
      expect(rows.some((r) => r.stateHash === url.searchParams.get('state'))).toBe(false);
      expect(authorizationUrl).not.toContain(rows.at(-1)!.codeVerifier);
    });

    it('maps an enterprise person by 统一社会信用代码 to a new applicant of the confirmed enterprise, once', async () => {
      const first = await loginAs('zhangjianguo');
      expect(first.statusCode).toBe(302);
      expect(first.headers.location).toBe('/');
      const { user } = await sessionOf(first);
      expect(user.role).toBe('applicant');
      expect(user.enterpriseName).toBe(demoEnterprises[0]!.name);
      expect(user.username).toMatch(/^gov_[0-9a-f]{16}$/);

      // The same person again: the linked account, no second one.
      const again = await sessionOf(await loginAs('zhangjianguo'));
      expect(again.user.id).toBe(user.id);
      const links = await system.db
        .selectFrom('userIdentityLink')
        .selectAll()
        .where('subject', '=', person('zhangjianguo').sub)
        .execute();
      expect(links).toHaveLength(1);
      expect(links[0]).toMatchObject({ userId: user.id, issuer: idp.issuer });

      const events = await system.db
        .selectFrom('auditEvent')
        .select(['action', 'detail'])
        .where('objectId', '=', user.id)
        .where('action', 'in', ['auth.login', 'user.created_by_identity_provider'])
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.action)).toEqual([
        'user.created_by_identity_provider',
        'auth.login',
        'auth.login',
      ]);
      expect(events[1]!.detail).toMatchObject({ method: 'oidc', subject: person('zhangjianguo').sub });
    });

    it('maps staff by 工号 to the existing staff account', async () => {
      const { user } = await sessionOf(await loginAs('wangmin'));
      expect(user.username).toBe('window');
      expect(user.role).toBe('window');
    });

    it('refuses an unknown 工号 and never creates staff', async () => {
      const before = await system.db.selectFrom('appUser').select('id').execute();
      const res = await loginAs('liuyang');
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/login?oidc=unknown_staff');
      expect(res.cookies.find((c) => c.name === 'zz_session')).toBeUndefined();
      const after = await system.db.selectFrom('appUser').select('id').execute();
      expect(after.length).toBe(before.length);
      const refusal = await system.db
        .selectFrom('auditEvent')
        .select(['reason', 'detail'])
        .where('action', '=', 'auth.login_refused')
        .where('objectId', '=', `${idp.issuer}#${person('liuyang').sub}`)
        .executeTakeFirst();
      expect(refusal).toMatchObject({ reason: 'unknown_staff', detail: { method: 'oidc' } });
    });

    it('refuses an unknown enterprise, and one whose self-registration is not confirmed', async () => {
      expect((await loginAs('chenxin')).headers.location).toBe('/login?oidc=unknown_enterprise');
      await system.db
        .insertInto('enterprise')
        .values({
          name: '河南待确认建设有限公司',
          creditCode: person('chenxin').uscc!,
          legalPerson: '陈欣',
          status: 'pending',
        })
        .execute();
      expect((await loginAs('chenxin')).headers.location).toBe('/login?oidc=enterprise_not_confirmed');
      const links = await system.db
        .selectFrom('userIdentityLink')
        .select('id')
        .where('subject', '=', person('chenxin').sub)
        .execute();
      expect(links).toEqual([]);
    });

    it('refuses a replayed state, and a callback in another browser', async () => {
      const { authorizationUrl, browser } = await start();
      const back = await loginWithoutBrowser(authorizationUrl, 'wangmin');
      // Another browser (no binding cookie) burns the state without a session...
      const elsewhere = await callback(back, undefined);
      expect(elsewhere.headers.location).toBe('/login?oidc=state');
      // ...and the state is good once: the rightful browser is refused too now.
      const replay = await callback(back, browser);
      expect(replay.headers.location).toBe('/login?oidc=state');
      expect(replay.cookies.find((c) => c.name === 'zz_session')).toBeUndefined();

      // A state that did log in is spent as well.
      const second = await start();
      const backOk = await loginWithoutBrowser(second.authorizationUrl, 'wangmin');
      expect((await callback(backOk, second.browser)).headers.location).toBe('/');
      expect((await callback(backOk, second.browser)).headers.location).toBe('/login?oidc=state');
    });

    it('refuses an expired state', async () => {
      const { authorizationUrl, browser } = await start();
      const back = await loginWithoutBrowser(authorizationUrl, 'wangmin');
      const before = system.clock.now();
      system.clock.set(new Date(before.getTime() + 11 * 60_000));
      try {
        expect((await callback(back, browser)).headers.location).toBe('/login?oidc=state');
      } finally {
        system.clock.set(before);
      }
    });

    it('refuses an ID token whose nonce is not the one sent', async () => {
      const { authorizationUrl, browser } = await start();
      await system.db.updateTable('oidcLoginState').set({ nonce: 'not-the-nonce-sent' }).execute();
      const res = await callback(await loginWithoutBrowser(authorizationUrl, 'wangmin'), browser);
      expect(res.headers.location).toBe('/login?oidc=token');
      const refusal = await system.db
        .selectFrom('auditEvent')
        .select('detail')
        .where('action', '=', 'auth.login_refused')
        .where('reason', '=', 'token')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(refusal.detail)).toMatch(/nonce/i);
    });

    it('refuses a code exchanged with another PKCE verifier (the provider checks it)', async () => {
      const { authorizationUrl, browser } = await start();
      await system.db
        .updateTable('oidcLoginState')
        .set({ codeVerifier: 'a'.repeat(43) })
        .execute();
      const res = await callback(await loginWithoutBrowser(authorizationUrl, 'wangmin'), browser);
      expect(res.headers.location).toBe('/login?oidc=token');
    });

    it('asks the provider for two factors where a local login would ask for the TOTP code', async () => {
      await system.db
        .updateTable('appUser')
        .set({ mfaRequired: true })
        .where('username', 'in', ['window', 'supervisor'])
        .execute();
      try {
        // 王敏 logs in with a password only (amr pwd): refused.
        expect((await loginAs('wangmin')).headers.location).toBe('/login?oidc=second_factor');
        // 赵磊's login is pwd + otp: two factors, a full session.
        const { user } = await sessionOf(await loginAs('zhaolei'));
        expect(user.username).toBe('supervisor');
      } finally {
        await system.db
          .updateTable('appUser')
          .set({ mfaRequired: false })
          .where('username', 'in', ['window', 'supervisor'])
          .execute();
      }
    });

    it('refuses a disabled account', async () => {
      await system.db
        .updateTable('appUser')
        .set({ disabled: true })
        .where('username', '=', 'window')
        .execute();
      try {
        expect((await loginAs('wangmin')).headers.location).toBe('/login?oidc=account_disabled');
      } finally {
        await system.db
          .updateTable('appUser')
          .set({ disabled: false })
          .where('username', '=', 'window')
          .execute();
      }
    });
  });
}

describe('provincial login not configured, or its provider unreachable', () => {
  let system: Awaited<ReturnType<typeof createTestSystem>>;
  beforeAll(async () => {
    system = await createTestSystem('pglite');
  });
  afterAll(() => system?.close());

  it('sends the person back to the login page when the provider cannot be reached', async () => {
    // A port that was free a moment ago: nothing answers there.
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise((done) => closed.close(done));
    const down = await buildApp({
      ...system.ctx,
      config: {
        ...system.ctx.config,
        oidc: {
          issuerUrl: `http://127.0.0.1:${port}/`,
          clientId: 'zz-approval',
          clientSecret: 'x',
          redirectUrl: REDIRECT,
          creditCodeClaim: 'uscc',
          staffIdClaim: 'staff_id',
          scopes: 'openid',
          mfaAcrValues: [],
          allowInsecure: true,
        },
      },
    });
    try {
      const res = await down.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/login?oidc=unavailable');
      const refusal = await system.db
        .selectFrom('auditEvent')
        .select('reason')
        .where('action', '=', 'auth.login_refused')
        .executeTakeFirst();
      expect(refusal?.reason).toBe('unavailable');
    } finally {
      await down.close();
    }
  });

  it('hides the button and has no start', async () => {
    expect((await system.app.inject({ method: 'GET', url: '/api/auth/oidc/config' })).json()).toEqual({
      enabled: false,
    });
    const res = await system.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
