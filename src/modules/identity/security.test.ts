/**
 * Issue 9, item 1 through the API on both databases: throttles by address and by (name, address),
 * identical answers for unknown names, password policy, reuse and expiry, the TOTP second factor and a
 * role that requires it. Limits are lowered so each test needs only a few slow argon2 verifications.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestSystem } from '../../../test/app';
import { databaseKinds } from '../../../test/db';
import { DEMO_PASSWORD } from '../../seed/demo';
import { totpCode } from './totp';

/** A 6-digit code valid neither now nor one step either side (the secret is random each run). */
function wrongCode(secret: string, at: Date, n = 0): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, new Date(at.getTime() + d))));
  for (let i = n; ; i++) {
    const c = String(i).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
}

const limits = {
  loginMaxFailures: 3,
  loginAddressMaxFailures: 6,
  loginLockMinutes: 15,
  loginWindowMinutes: 15,
  passwordMinLength: 10,
  passwordHistory: 3,
  passwordMaxAgeDays: 90,
  mfaRequiredRoles: ['supervisor'],
};

for (const kind of databaseKinds()) {
  describe(`login hardening [${kind}]`, () => {
    let system: Awaited<ReturnType<typeof createTestSystem>>;
    beforeAll(async () => {
      system = await createTestSystem(kind, limits);
    });
    afterAll(async () => {
      await system?.close();
    });

    const login = (
      remoteAddress: string,
      username: string,
      password: string,
      totp?: string,
    ): Promise<LightMyRequestResponse> =>
      system.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { username, password, ...(totp ? { totpCode: totp } : {}) },
      });
    const headersOf = (res: LightMyRequestResponse) => ({
      cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': res.json().csrfToken as string,
    });
    const post = (
      url: string,
      headers: Record<string, string>,
      payload?: object,
      remoteAddress = '127.0.0.1',
    ) => system.app.inject({ method: 'POST', url, headers, payload, remoteAddress });
    const get = (url: string, headers: Record<string, string>) =>
      system.app.inject({ method: 'GET', url, headers: { cookie: headers.cookie! } });
    const failuresOf = async (accountKey: string, address: string) =>
      (
        await system.db
          .selectFrom('loginFailure')
          .select('id')
          .where('accountKey', '=', accountKey)
          .where('address', '=', address)
          .execute()
      ).length;
    const auditCount = async (action: string) =>
      (await system.db.selectFrom('auditEvent').select('id').where('action', '=', action).execute()).length;

    it('an attacker failing from one address does not keep the victim out from another', async () => {
      for (let i = 0; i < limits.loginMaxFailures; i++) {
        expect((await login('10.0.1.1', 'window', 'wrong-Pass1')).statusCode).toBe(401);
      }
      // The attacker's address is throttled for this name, even with the right password …
      const refused = await login('10.0.1.1', 'window', DEMO_PASSWORD);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('RATE_LIMITED');
      expect(refused.body).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|分钟|minute/);
      // … while the owner, elsewhere, logs in.
      expect((await login('10.0.1.2', 'window', DEMO_PASSWORD)).statusCode).toBe(200);
      expect(await auditCount('auth.throttled')).toBeGreaterThanOrEqual(1);

      const admin = await system.login('admin');
      const forbidden = await get('/api/admin/login-throttles', (await system.login('agent')).headers);
      expect(forbidden.statusCode).toBe(403);
      const list = await get('/api/admin/login-throttles', admin.headers);
      expect(list.statusCode).toBe(200);
      const throttle = list
        .json()
        .throttles.find(
          (x: { accountName: string | null; address: string }) =>
            x.accountName === 'window' && x.address === '10.0.1.1',
        );
      expect(throttle).toMatchObject({ scope: 'account_address', failures: limits.loginMaxFailures });

      const cleared = await post(`/api/admin/login-throttles/${throttle.id}/clear`, admin.headers);
      expect(cleared.statusCode).toBe(200);
      expect(await auditCount('auth.throttle_cleared')).toBe(1);
      expect((await login('10.0.1.1', 'window', DEMO_PASSWORD)).statusCode).toBe(200);
      expect((await post(`/api/admin/login-throttles/${throttle.id}/clear`, admin.headers)).statusCode).toBe(
        409,
      );
    });

    it('answers an unknown name exactly as a known one, throttle included', async () => {
      const answers = async (address: string, username: string) => {
        const out: { status: number; body: unknown }[] = [];
        for (let i = 0; i < limits.loginMaxFailures + 2; i++) {
          const res = await login(address, username, 'wrong-Pass1');
          out.push({ status: res.statusCode, body: res.json() });
        }
        return out;
      };
      const known = await answers('10.0.2.1', 'agent');
      const unknown = await answers('10.0.2.2', 'nobody.here');
      expect(unknown).toEqual(known);
      expect(known.map((a) => a.status)).toEqual([401, 401, 401, 429, 429]);
    });

    it('throttles an address failing across many names, for every name', async () => {
      const names = ['fgw.senior', 'ghost.1', 'ghost.2', 'fgw.head', 'ghost.3', 'ghost.4'];
      expect(names).toHaveLength(limits.loginAddressMaxFailures);
      for (const name of names) expect((await login('10.0.3.1', name, 'wrong-Pass1')).statusCode).toBe(401);
      const refused = await login('10.0.3.1', 'admin', DEMO_PASSWORD);
      expect(refused.statusCode).toBe(429);
      expect((await login('10.0.3.2', 'admin', DEMO_PASSWORD)).statusCode).toBe(200);
      const admin = await system.login('admin');
      const list = (await get('/api/admin/login-throttles?address=10.0.3.1', admin.headers)).json();
      expect(list.throttles).toEqual([
        expect.objectContaining({ scope: 'address', accountName: null, address: '10.0.3.1' }),
      ]);
      // The throttle ends by itself after LOGIN_LOCK_MINUTES.
      const before = system.clock.now();
      system.clock.set(new Date(before.getTime() + (limits.loginLockMinutes + 1) * 60_000));
      expect((await login('10.0.3.1', 'admin', DEMO_PASSWORD)).statusCode).toBe(200);
      system.clock.set(before);
    });

    it('changes a password only within the policy, and never back to one of the last three', async () => {
      const addr = '10.0.4.1';
      const first = await login(addr, 'fgw.reviewer', DEMO_PASSWORD);
      const other = await login('10.0.4.2', 'fgw.reviewer', DEMO_PASSWORD);
      const h = headersOf(first);
      const change = (currentPassword: string, newPassword: string) =>
        post('/api/auth/password', h, { currentPassword, newPassword }, addr);
      const code = async (res: Promise<LightMyRequestResponse>) => {
        const r = await res;
        return [
          r.statusCode,
          r.json().error?.code,
          r.json().error?.details?.map((d: { rule: string }) => d.rule),
        ];
      };

      expect(await code(change('wrong-Pass1', 'Review#2026one'))).toEqual([
        422,
        'AUTH_PASSWORD_WRONG',
        undefined,
      ]);
      expect(await code(change(DEMO_PASSWORD, 'Ab1#short'))).toEqual([
        422,
        'PASSWORD_POLICY_VIOLATION',
        ['length'],
      ]);
      expect(await code(change(DEMO_PASSWORD, 'onlylowercaseletters'))).toEqual([
        422,
        'PASSWORD_POLICY_VIOLATION',
        ['classes'],
      ]);
      expect(await code(change(DEMO_PASSWORD, DEMO_PASSWORD))).toEqual([
        422,
        'PASSWORD_POLICY_VIOLATION',
        ['reuse'],
      ]);

      const ok = await change(DEMO_PASSWORD, 'Review#2026one');
      expect(ok.statusCode).toBe(200);
      expect(ok.json().restriction).toBeNull();
      expect((await get('/api/auth/session', h)).statusCode).toBe(200);
      // The other session ended with the old password.
      expect((await get('/api/auth/session', headersOf(other))).statusCode).toBe(401);
      expect((await login(addr, 'fgw.reviewer', DEMO_PASSWORD)).statusCode).toBe(401);
      expect((await login(addr, 'fgw.reviewer', 'Review#2026one')).statusCode).toBe(200);

      expect((await change('Review#2026one', 'Review#2026two')).statusCode).toBe(200);
      // Current (two), one, demo: all three are the last three.
      expect(await code(change('Review#2026two', DEMO_PASSWORD))).toEqual([
        422,
        'PASSWORD_POLICY_VIOLATION',
        ['reuse'],
      ]);
      expect(await code(change('Review#2026two', 'Review#2026one'))).toEqual([
        422,
        'PASSWORD_POLICY_VIOLATION',
        ['reuse'],
      ]);
      expect((await change('Review#2026two', 'Review#2026three')).statusCode).toBe(200);
      // The demo password is now the fourth-last: allowed again.
      expect((await change('Review#2026three', DEMO_PASSWORD)).statusCode).toBe(200);
      const kept = await system.db
        .selectFrom('passwordHistory')
        .innerJoin('appUser', 'appUser.id', 'passwordHistory.userId')
        .select('passwordHistory.id')
        .where('appUser.username', '=', 'fgw.reviewer')
        .execute();
      expect(kept).toHaveLength(limits.passwordHistory - 1);
      expect(await auditCount('auth.password_changed')).toBe(4);
    });

    it('lets an expired staff password log in only to change it', async () => {
      const now = system.clock.now();
      const old = new Date(now.getTime() - 91 * 86_400_000);
      await system.db
        .updateTable('appUser')
        .set({ passwordExpiryExempt: false, passwordChangedAt: old })
        .where('username', 'in', ['fgw.head', 'applicant2'])
        .execute();
      // Applicants are not staff: their passwords do not expire.
      expect((await login('10.0.5.1', 'applicant2', DEMO_PASSWORD)).json().restriction).toBeNull();

      const res = await login('10.0.5.1', 'fgw.head', DEMO_PASSWORD);
      expect(res.statusCode).toBe(200);
      expect(res.json().restriction).toBe('password_change');
      const h = headersOf(res);
      expect((await get('/api/auth/session', h)).statusCode).toBe(401);
      expect((await get('/api/projects', h)).statusCode).toBe(401);
      const enroll = await post('/api/auth/totp/enroll', h);
      expect(enroll.statusCode).toBe(403);
      expect(enroll.json().error.code).toBe('AUTH_SESSION_RESTRICTED');
      // The CSRF check applies to a restricted session too.
      const noCsrf = await post(
        '/api/auth/password',
        { cookie: h.cookie },
        {
          currentPassword: DEMO_PASSWORD,
          newPassword: 'Head#2026new',
        },
      );
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');

      const changed = await post('/api/auth/password', h, {
        currentPassword: DEMO_PASSWORD,
        newPassword: 'Head#2026new',
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().restriction).toBeNull();
      expect((await get('/api/auth/session', h)).statusCode).toBe(200);
      expect((await login('10.0.5.1', 'fgw.head', 'Head#2026new')).json().restriction).toBeNull();
    });

    it('enrols TOTP, then asks for a code at login; a wrong or reused code fails and counts', async () => {
      const addr = '10.0.6.1';
      const s = headersOf(await login(addr, 'agent', DEMO_PASSWORD));
      const enroll = await post('/api/auth/totp/enroll', s);
      expect(enroll.statusCode).toBe(200);
      const { secret, uri } = enroll.json() as { secret: string; uri: string };
      expect(uri).toContain(`secret=${secret}`);
      const wrong = await post('/api/auth/totp/confirm', s, {
        code: wrongCode(secret, system.clock.now()),
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');
      const confirm = await post('/api/auth/totp/confirm', s, { code: totpCode(secret, system.clock.now()) });
      expect(confirm.statusCode).toBe(200);
      expect((await post('/api/auth/totp/enroll', s)).statusCode).toBe(409);

      const missing = await login(addr, 'agent', DEMO_PASSWORD);
      expect(missing.statusCode).toBe(401);
      expect(missing.json().error).toMatchObject({
        code: 'AUTH_SECOND_FACTOR_REQUIRED',
        field: 'body.totpCode',
      });
      // A wrong password with a code is just a wrong password (nothing about the second factor).
      const wrongPassword = await login(addr, 'agent', 'wrong-Pass1', '123456');
      expect(wrongPassword.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
      // The code used to confirm is spent; the next step's code works once.
      const spent = await login(addr, 'agent', DEMO_PASSWORD, totpCode(secret, system.clock.now()));
      expect(spent.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');
      expect(await failuresOf('agent', addr)).toBe(2); // the wrong password and the spent code
      const before = system.clock.now();
      system.clock.set(new Date(before.getTime() + 30_000));
      const next = totpCode(secret, system.clock.now());
      const ok = await login(addr, 'agent', DEMO_PASSWORD, next);
      expect(ok.statusCode).toBe(200);
      expect(await failuresOf('agent', addr)).toBe(0); // a success forgets the pair's failures
      expect(ok.body).not.toContain(secret);
      expect((await login('10.0.6.2', 'agent', DEMO_PASSWORD, next)).json().error.code).toBe(
        'AUTH_SECOND_FACTOR_INVALID',
      );
      // Wrong codes count as failures: the pair is throttled like wrong passwords.
      for (let i = 0; i < limits.loginMaxFailures; i++) {
        const bad = await login(addr, 'agent', DEMO_PASSWORD, wrongCode(secret, system.clock.now(), i * 7));
        expect(bad.json().error.code).toBe('AUTH_SECOND_FACTOR_INVALID');
      }
      expect(await failuresOf('agent', addr)).toBe(limits.loginMaxFailures);
      system.clock.set(new Date(before.getTime() + 60_000));
      const right = totpCode(secret, system.clock.now());
      expect((await login(addr, 'agent', DEMO_PASSWORD, right)).statusCode).toBe(429);

      // An administrator resets a lost second factor: the password alone works again.
      const admin = await system.login('admin');
      const agent = await system.db
        .selectFrom('appUser')
        .select('id')
        .where('username', '=', 'agent')
        .executeTakeFirstOrThrow();
      expect((await post(`/api/admin/users/${agent.id}/totp/reset`, admin.headers)).statusCode).toBe(204);
      expect((await login('10.0.6.3', 'agent', DEMO_PASSWORD)).statusCode).toBe(200);
      system.clock.set(before);
    });

    it('gives a role that requires the second factor a session limited to enrolment', async () => {
      const res = await login('10.0.7.1', 'supervisor', DEMO_PASSWORD);
      expect(res.statusCode).toBe(200);
      expect(res.json().restriction).toBe('totp_enrolment');
      const h = headersOf(res);
      expect((await get('/api/auth/session', h)).statusCode).toBe(401);
      expect((await get('/api/projects', h)).statusCode).toBe(401);
      const pw = await post('/api/auth/password', h, {
        currentPassword: DEMO_PASSWORD,
        newPassword: 'Super#2026new',
      });
      expect(pw.json().error.code).toBe('AUTH_SESSION_RESTRICTED');
      const { secret } = (await post('/api/auth/totp/enroll', h)).json() as { secret: string };
      const confirmed = await post('/api/auth/totp/confirm', h, {
        code: totpCode(secret, system.clock.now()),
      });
      expect(confirmed.json().restriction).toBeNull();
      expect((await get('/api/auth/session', h)).statusCode).toBe(200);
      expect((await login('10.0.7.1', 'supervisor', DEMO_PASSWORD)).json().error.code).toBe(
        'AUTH_SECOND_FACTOR_REQUIRED',
      );
    });
  });
}
