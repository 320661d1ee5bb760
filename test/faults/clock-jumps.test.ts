/**
 * F-09: the application clock (ctx.clock, the one source of "now") jumps forward and backward by hours
 * and across midnight. Sessions expire by their idle and absolute limits, a lockout ends, certificate
 * validity follows the date, and task deadlines and clocks stay whole numbers ≥ 0 with the deadline
 * unmoved — and nothing answers 5xx along the way.
 */
import { expect, it } from 'vitest';
import { createTaskFixture, issueFor } from '../../src/modules/certificates/certificate.fixtures';
import { DEFAULT_NOW, describeEachSystem, type Session } from '../app';
import { DEMO_PASSWORD } from '../../src/seed/demo';
import { acceptedStage, call, newProject } from '../lifecycle-helpers';

const HOUR = 3_600_000;
const at = (ms: number) => new Date(DEFAULT_NOW.getTime() + ms);

describeEachSystem('F-09 clock jumps', (t) => {
  const set = (d: Date) => t.system.clock.set(d);
  const noServerError = (status: number, what: string) => expect(status, what).toBeLessThan(500);

  it('sessions: idle and absolute limits hold when the clock jumps forward and back', async () => {
    const { system } = t;
    const { config } = system.ctx;
    set(DEFAULT_NOW);
    const read = (s: Session) => call(system, s, 'GET', '/api/projects');
    const first = await system.login('applicant');
    set(at((config.sessionIdleMinutes - 1) * 60_000));
    expect((await read(first)).status).toBe(200);
    set(at(2 * HOUR)); // +2 h: idle far beyond its limit
    const expired = await read(first);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('AUTH_REQUIRED');

    const second = await system.login('applicant');
    set(at(-2 * HOUR)); // back 4 h, before the session began
    const back = await read(second);
    noServerError(back.status, 'read after jumping back');
    expect([200, 401]).toContain(back.status);
    // Past the absolute limit counted from the login, whatever happened in between.
    set(at(2 * HOUR + config.sessionAbsoluteHours * HOUR + 60_000));
    expect((await read(second)).status).toBe(401);
    set(DEFAULT_NOW);
  });

  it('lockouts: failures around a backward jump never crash, and the lock is over a day later', async () => {
    const { system } = t;
    const attempt = (password: string) =>
      system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'agent', password } });
    set(DEFAULT_NOW);
    for (let i = 0; i < system.ctx.config.loginMaxFailures + 1; i++) {
      const res = await attempt('wrong-password-1');
      expect([401, 423, 429], res.body).toContain(res.statusCode);
    }
    set(at(-2 * HOUR));
    for (const password of ['wrong-password-2', DEMO_PASSWORD]) {
      const res = await attempt(password);
      noServerError(res.statusCode, `login after jumping back: ${res.body}`);
    }
    set(at(24 * HOUR));
    const later = await attempt(DEMO_PASSWORD);
    expect(later.statusCode, later.body).toBe(200);
    set(DEFAULT_NOW);
  });

  it('certificate validity follows the date through jumps (inclusive last day), never valid after it', async () => {
    const { system } = t;
    set(DEFAULT_NOW);
    const db = system.ctx.db;
    const cert = await issueFor(db, await createTaskFixture(db), DEFAULT_NOW, {
      document: {
        number: '建字第410100202600009号',
        title: '建设工程规划许可证',
        date: '2026-03-02',
        validUntil: '2026-03-03',
      },
    });
    const verify = async () => {
      const res = await system.app.inject({ method: 'GET', url: `/api/certificates/${cert.id}/verify` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { valid: boolean; status?: string };
    };
    const beijing = (s: string) => new Date(`${s}+08:00`);
    const steps: [string, boolean][] = [
      ['2026-03-02T09:00:00', true],
      ['2026-03-03T23:59:00', true], // last day, inclusive
      ['2026-03-04T00:01:00', false], // the midnight jump
      ['2026-03-03T22:00:00', true], // back two hours: the last day again
      ['2026-03-04T02:00:00', false],
      ['2027-03-04T02:00:00', false],
    ];
    for (const [when, valid] of steps) {
      set(beijing(when));
      const result = await verify();
      expect(result.valid, when).toBe(valid);
      if (!valid) expect(result.status, when).toBe('expired');
    }
    set(DEFAULT_NOW);
  });

  it('task deadlines and clocks stay whole and non-negative, the deadline unmoved, through jumps', async () => {
    const { system } = t;
    set(DEFAULT_NOW);
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
    const project = await newProject(system, applicant, templates[1].code, 211);
    const { tasks } = await acceptedStage(system, applicant, window, project, { stage: 1 });
    expect(tasks.length).toBeGreaterThan(0);
    const task = tasks[0]!;
    const who = `${task.departmentCode}.reviewer`;
    const jumps = [-2 * HOUR, 2 * HOUR, 15 * HOUR, -1 * HOUR, 24 * HOUR, 60 * 24 * HOUR, 3 * HOUR];
    const seen: { when: string; remaining: number; overdue: number; state: string }[] = [];
    for (const offset of jumps) {
      set(at(offset));
      const session = await system.login(who); // sessions do not survive some of these jumps
      const res = await call(system, session, 'GET', `/api/tasks/${task.id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const clock = res.body.clock as {
        deadline: string;
        remainingWorkingDays: number;
        overdueWorkingDays: number;
        clockState: string;
        pausedWorkingDays: number;
      };
      expect(clock.deadline).toBe(task.deadline);
      for (const n of [clock.remainingWorkingDays, clock.overdueWorkingDays, clock.pausedWorkingDays]) {
        expect(Number.isInteger(n) && n >= 0, JSON.stringify(clock)).toBe(true);
      }
      expect(clock.remainingWorkingDays === 0 || clock.overdueWorkingDays === 0).toBe(true);
      seen.push({
        when: at(offset).toISOString(),
        remaining: clock.remainingWorkingDays,
        overdue: clock.overdueWorkingDays,
        state: clock.clockState,
      });
    }
    // 60 days on, the task is overdue; back again, it is not.
    const far = seen[jumps.indexOf(60 * 24 * HOUR)]!;
    expect(far.state).toBe('overdue');
    expect(far.overdue).toBeGreaterThan(0);
    expect(seen.at(-1)!.state).not.toBe('overdue');
    console.log('F-09 task clock through jumps:', JSON.stringify(seen));
    set(DEFAULT_NOW);
  });
});
