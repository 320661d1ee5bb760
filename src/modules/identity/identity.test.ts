import { describe, expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import { creditCodeCheckChar, isValidCreditCode } from './identity.rules';
import { passwordProblems } from './password-policy.rules';

describe('identity rules', () => {
  it('validates 统一社会信用代码 check characters (GB 32100)', () => {
    // A real, published code: 国家税务总局 (check character X is computed, not typed).
    expect(isValidCreditCode('11100000000013338W')).toBe(true);
    expect(isValidCreditCode('11100000000013338X')).toBe(false);
    expect(isValidCreditCode('91410100MA9GK0001' + creditCodeCheckChar('91410100MA9GK0001'))).toBe(true);
    expect(isValidCreditCode('91410100MA9GK000I0')).toBe(false); // I is not in the alphabet
    expect(isValidCreditCode('123')).toBe(false);
  });

  it('demands password complexity (MLPS 8.1.4.1 a)', () => {
    const staff = { role: 'reviewer', minLength: 10 };
    expect(passwordProblems('Demo#2026zz', staff)).toEqual([]);
    expect(passwordProblems('short1A', staff)).toHaveLength(1);
    expect(passwordProblems('alllowercaseletters', staff)).toHaveLength(1);
  });
});

describeEachSystem('auth', (t) => {
  it('logs in, returns a CSRF token, and answers the session', async () => {
    const s = await t.system.login('admin');
    const res = await t.system.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: s.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { username: 'admin', role: 'admin' }, csrfToken: s.csrfToken });
    const setCookie = (
      await t.system.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'window', password: 'Demo#2026zz' },
      })
    ).headers['set-cookie'];
    expect(String(setCookie)).toMatch(/HttpOnly/i);
  });

  it('answers 401 for a wrong password and the same for an unknown user', async () => {
    const wrong = await t.system.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'window', password: 'nope-Nope1' },
    });
    const unknown = await t.system.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ghost', password: 'nope-Nope1' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(unknown.json().error).toEqual(wrong.json().error);
  });

  it('throttles a name from the failing address only: the right password elsewhere still logs in', async () => {
    // Before issue 9 five failures locked the account everywhere, so anyone could keep its owner out.
    const attempt = (password: string, remoteAddress: string) =>
      t.system.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { username: 'supervisor', password },
      });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-Pass1', '203.0.113.9')).statusCode).toBe(401);
    const throttled = await attempt('Demo#2026zz', '203.0.113.9');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error.code).toBe('RATE_LIMITED');
    // No unlock time: neither a timestamp nor a clock time in the answer.
    expect(throttled.body).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}/);
    expect((await attempt('Demo#2026zz', '198.51.100.7')).statusCode).toBe(200);
    const before = t.system.clock.now();
    t.system.clock.set(new Date(before.getTime() + 16 * 60_000));
    expect((await attempt('Demo#2026zz', '203.0.113.9')).statusCode).toBe(200);
    t.system.clock.set(before);
    const events = await t.system.db
      .selectFrom('auditEvent')
      .select('action')
      .where('action', '=', 'auth.throttled')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const s = await t.system.login('admin');
    const noToken = await t.system.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: s.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const bad = await t.system.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': 'x' },
    });
    expect(bad.statusCode).toBe(403);
    const ok = await t.system.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(ok.statusCode).toBe(204);
    const after = await t.system.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: s.cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('expires an idle session', async () => {
    const s = await t.system.login('window');
    const before = t.system.clock.now();
    t.system.clock.set(new Date(before.getTime() + 31 * 60_000));
    const res = await t.system.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: s.cookie },
    });
    t.system.clock.set(before);
    expect(res.statusCode).toBe(401);
  });

  it('keeps admin routes to administrators', async () => {
    const s = await t.system.login('fgw.reviewer');
    const res = await t.system.app.inject({
      method: 'PUT',
      url: '/api/admin/calendar/notices/2030',
      headers: s.headers,
      payload: { year: 2030, title: 't', documentNumber: 'n', days: [] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN_ROLE');
  });
});
