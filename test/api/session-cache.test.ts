/**
 * The per-process session cache (issue 10 §8): a second API process on the same database (a second app
 * here) stops accepting a session as soon as it is ended anywhere — log-out, disabling, a hand edit —
 * through 0550's NOTIFY, long before the cache's own time limit; the process that ended it stops at once.
 * Idle expiry is still judged on every request, and the idle timer is written at most once a minute.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import type { App } from '../../src/http/context';
import { describeEachSystem, type Session } from '../app';

const status = async (app: App, who: Session) =>
  (await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: who.cookie } })).statusCode;

/** Polls until `app` refuses the session; the time it took, or a failure after `limitMs`. */
async function refusedWithin(app: App, who: Session, limitMs: number) {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if ((await status(app, who)) === 401) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`still accepted after ${limitMs} ms`);
}

describeEachSystem('session cache across processes', (t) => {
  let other: App;

  beforeAll(async () => {
    // The second process trusts an entry for 60 s: only the change notices can end it sooner.
    other = await buildApp({ ...t.system.ctx, config: { ...t.system.ctx.config, sessionCacheSeconds: 60 } });
    // The second process's listener connects in the background.
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(async () => {
    await other?.close();
  });

  it('a log-out on one process ends the session on the other within moments, and at once on its own', async () => {
    const who = await t.system.login('applicant');
    expect(await status(t.system.app, who)).toBe(200);
    expect(await status(other, who)).toBe(200);
    const out = await t.system.app.inject({ method: 'POST', url: '/api/auth/logout', headers: who.headers });
    expect(out.statusCode).toBe(204);
    expect(await status(t.system.app, who)).toBe(401);
    expect(await refusedWithin(other, who, 3000)).toBeLessThan(3000);
  });

  it('disabling the user by a hand edit in the database ends its cached sessions everywhere', async () => {
    const who = await t.system.login('applicant2');
    expect(await status(t.system.app, who)).toBe(200);
    expect(await status(other, who)).toBe(200);
    await t.system.db
      .updateTable('appUser')
      .set({ disabled: true })
      .where('username', '=', 'applicant2')
      .execute();
    try {
      expect(await refusedWithin(t.system.app, who, 3000)).toBeLessThan(3000);
      expect(await refusedWithin(other, who, 3000)).toBeLessThan(3000);
    } finally {
      await t.system.db
        .updateTable('appUser')
        .set({ disabled: false })
        .where('username', '=', 'applicant2')
        .execute();
    }
  });

  it('an administrator’s role change ends the cached session on the other process', async () => {
    const admin = await t.system.login('admin');
    const who = await t.system.login('fgw.reviewer');
    expect(await status(other, who)).toBe(200);
    const user = await t.system.db
      .selectFrom('appUser')
      .select(['id', 'displayName', 'departmentCode', 'districtCode', 'mfaRequired'])
      .where('username', '=', 'fgw.reviewer')
      .executeTakeFirstOrThrow();
    const res = await t.system.app.inject({
      method: 'PUT',
      url: `/api/admin/users/${user.id}`,
      headers: admin.headers,
      payload: {
        displayName: user.displayName,
        role: 'senior',
        departmentCode: user.departmentCode,
        enterpriseId: null,
        districtCode: user.districtCode,
        mfaRequired: user.mfaRequired,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(await refusedWithin(other, who, 3000)).toBeLessThan(3000);
  });

  it('judges idle expiry on every request and writes the idle timer at most once a minute', async () => {
    const system = t.system;
    const before = system.clock.now();
    const who = await system.login('zrzy.reviewer');
    const lastSeen = async () =>
      (
        await system.db
          .selectFrom('userSession')
          .innerJoin('appUser', 'appUser.id', 'userSession.userId')
          .select('userSession.lastSeenAt')
          .where('appUser.username', '=', 'zrzy.reviewer')
          .orderBy('userSession.createdAt', 'desc')
          .executeTakeFirstOrThrow()
      ).lastSeenAt.getTime();
    try {
      expect(await status(system.app, who)).toBe(200);
      system.clock.set(new Date(before.getTime() + 30_000));
      expect(await status(system.app, who)).toBe(200);
      expect(await lastSeen()).toBe(before.getTime());
      system.clock.set(new Date(before.getTime() + 61_000));
      expect(await status(system.app, who)).toBe(200);
      expect(await lastSeen()).toBe(before.getTime() + 61_000);
      // Past the idle limit from the last touch: refused although the entry is still in the cache.
      system.clock.set(new Date(before.getTime() + 61_000 + system.ctx.config.sessionIdleMinutes * 60_000));
      expect(await status(system.app, who)).toBe(401);
      expect(await status(other, who)).toBe(401);
    } finally {
      system.clock.set(before);
    }
  });
});
