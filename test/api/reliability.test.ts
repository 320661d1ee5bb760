/**
 * Reliability: bad input on every route never yields a 500 or changes anything; a database whose
 * connections are all killed mid-flight (what a PostgreSQL restart looks like to the client) does not
 * take the process down, and every decision that was answered 200 is still there afterwards.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { fillForm, getGuide, registerProject, uploadRequired, deferAll } from '../factories';

const garbageBodies: unknown[] = [
  'not json',
  { __proto__: { admin: true }, stage: 1 },
  { stage: -1, form: [], materials: 'x', site: { type: 'Polygon', coordinates: [[[999, 999]]] } },
  { name: 'x'.repeat(100_000) },
  [1, 2, 3],
  {
    deficiencies: [{ materialCode: '../../etc/passwd', dueDate: '2026-02-30' }],
    items: [{}],
    step: 'third',
    outcome: 'maybe',
  },
];
const garbageIds = ['nope', '00000000-0000-0000-0000-000000000000', "1' OR '1'='1", '%00', '😀'];

describeEachSystem('reliability', (t) => {
  it('answers bad input on every route with a 4xx error body, never a 500', async () => {
    const { system } = t;
    const doc = (await system.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const sessions = [
      await system.login('admin'),
      await system.login('applicant'),
      await system.login('fgw.reviewer'),
    ];
    const stateEvents = async () =>
      (await system.db.selectFrom('auditEvent').select('id').where('action', 'not like', 'auth.%').execute())
        .length;
    const before = await stateEvents();
    let calls = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        if (path === '/api/auth/login' || path === '/api/auth/logout') continue;
        for (const id of garbageIds) {
          const url =
            path.replace(/\{[^}]+\}/g, encodeURIComponent(id)) +
            '?stage=abc&workingDays=-5&start=2026-13-45&bbox=a,b';
          for (const session of sessions) {
            const bodies = method === 'get' ? [undefined] : garbageBodies;
            for (const body of bodies) {
              const res = await system.app.inject({
                method: method.toUpperCase() as 'GET',
                url,
                headers: {
                  ...session.headers,
                  ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
                },
                ...(body === undefined
                  ? {}
                  : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
              });
              calls++;
              if (res.statusCode >= 500)
                throw new Error(
                  `${method.toUpperCase()} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`,
                );
              if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json')) {
                expect(res.json().error?.code, `${method} ${url}`).toBeTypeOf('string');
                expect(res.body).not.toMatch(/at .*\.ts:\d+/);
              }
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(200);
    expect(Object.prototype).not.toHaveProperty('admin');
    // Logins write audit events; nothing else may have changed state.
    expect(await stateEvents()).toBe(before);
  }, 600_000);

  it('survives every database connection being killed during decisions; answered decisions persist', async () => {
    const { system } = t;
    if (system.kind !== 'postgres') return; // PGlite runs in-process: there is no server to restart
    const applicant = await system.login('applicant');
    const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
    const project = await registerProject(system, applicant, { templateCode: templates[1].code, offset: 90 });
    const guide = await getGuide(system, applicant, project.id, 1);
    const materials = await uploadRequired(system, applicant, guide);
    const app = (
      await system.app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/applications`,
        headers: applicant.headers,
        payload: { stage: 1, form: fillForm(guide.form), materials },
      })
    ).json();
    const window = await system.login('window');
    const tasks = (
      await system.app.inject({
        method: 'POST',
        url: `/api/applications/${app.id}/accept`,
        headers: window.headers,
        payload: await deferAll(system, window, app.id),
      })
    ).json().tasks as { id: string; departmentCode: string; steps: string[] }[];
    const sessions = new Map<string, Awaited<ReturnType<typeof system.login>>>();
    for (const task of tasks) {
      const who = `${task.departmentCode}.${task.steps[0] === 'initial' ? 'reviewer' : 'senior'}`;
      if (!sessions.has(who)) sessions.set(who, await system.login(who));
    }

    const url = process.env.DATABASE_URL!;
    const dbName = (
      await system.db
        .selectNoFrom((eb) => eb.fn<string>('current_database', []).as('d'))
        .executeTakeFirstOrThrow()
    ).d;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const answered: string[] = [];
    const outcomes = await Promise.all(
      tasks.map(async (task, i) => {
        if (i === Math.floor(tasks.length / 2)) {
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [dbName],
          );
        }
        const who = `${task.departmentCode}.${task.steps[0] === 'initial' ? 'reviewer' : 'senior'}`;
        const res = await system.app.inject({
          method: 'POST',
          url: `/api/tasks/${task.id}/decisions`,
          headers: sessions.get(who)!.headers,
          payload: { step: task.steps[0], outcome: 'approve', opinion: '同意' },
        });
        if (res.statusCode === 200) answered.push(task.id);
        return res.statusCode;
      }),
    );
    await admin.end();
    // 409: a filing item decided at once may wait for a prerequisite (the order rule); nothing is written.
    expect(outcomes.filter((s) => ![200, 401, 409, 503].includes(s))).toEqual([]);
    // The process is alive and the pool recovers.
    const health = await system.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    const persisted = await system.db
      .selectFrom('taskDecision')
      .select('taskId')
      .where('taskId', 'in', answered.length ? answered : ['00000000-0000-0000-0000-000000000000'])
      .execute();
    expect(new Set(persisted.map((p) => p.taskId))).toEqual(new Set(answered));
  });
});
