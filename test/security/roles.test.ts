/**
 * Issue 9, roles where they were missing: planned projects (策划生成) only by planning staff; layer
 * features follow the layer's audience; the route's roles are checked before its body is validated.
 */
import { expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../app';

const rect = (x1: number, y1: number, x2: number, y2: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x1, y1],
      [x2, y1],
      [x2, y2],
      [x1, y2],
      [x1, y1],
    ],
  ],
});
const collection = (name: string) => ({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name, landUse: 'R2' }, geometry: rect(113.9, 34.9, 113.91, 34.91) },
  ],
});

function post(system: TestSystem, s: Session | null, url: string, payload: unknown) {
  return system.app.inject({ method: 'POST', url, headers: s?.headers ?? {}, payload: payload as object });
}

describeEachSystem('security: roles before validation', (t) => {
  it('refuses planned projects to applicants (403), even with a valid body; planning staff may', async () => {
    const { system } = t;
    const enterprise = await system.db
      .selectFrom('appUser')
      .select('enterpriseId')
      .where('username', '=', 'applicant')
      .executeTakeFirstOrThrow();
    const body = {
      name: '企业自行策划',
      enterpriseId: enterprise.enterpriseId!,
      site: rect(113.62, 34.72, 113.625, 34.725),
      departments: ['zrzy'],
      workingDays: 5,
    };
    const applicant = await system.login('applicant');
    const refused = await post(system, applicant, '/api/blueprint/planned-projects', body);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN_ROLE');
    // A bad body gets the same 403: the role is checked first.
    const bad = await post(system, applicant, '/api/blueprint/planned-projects', { name: 1 });
    expect(bad.statusCode).toBe(403);
    const zrzy = await system.login('zrzy.reviewer');
    const made = await post(system, zrzy, '/api/blueprint/planned-projects', body);
    expect(made.statusCode, made.body).toBe(201);
    // Anonymous: 401 before validation.
    expect((await post(system, null, '/api/blueprint/planned-projects', { name: 1 })).statusCode).toBe(401);
  });

  it('answers a non-admin 403 on admin routes whatever the body', async () => {
    const { system } = t;
    const reviewer = await system.login('fgw.reviewer');
    const applicant = await system.login('applicant');
    const routes: Array<{ method: 'POST' | 'PUT'; url: string }> = [
      { method: 'POST', url: '/api/blueprint/layers' },
      { method: 'POST', url: '/api/districts' },
      { method: 'PUT', url: '/api/districts/410102' },
      { method: 'POST', url: '/api/admin/login-throttles/00000000-0000-0000-0000-000000000000/clear' },
    ];
    for (const r of routes) {
      for (const s of [reviewer, applicant]) {
        const res = await system.app.inject({
          method: r.method,
          url: r.url,
          headers: s.headers,
          payload: { bad: ['body'], name: 42 },
        });
        expect(res.statusCode, `${r.method} ${r.url} ${res.body}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN_ROLE');
      }
    }
    // The administrator gets the schema error for the same body.
    const admin = await system.login('admin');
    const res = await post(system, admin, '/api/districts', { bad: ['body'], name: 42 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('shows staff-only layers to staff only; public layers to everyone logged in', async () => {
    const { system } = t;
    const admin = await system.login('admin');
    const staffLayer = await post(system, admin, '/api/blueprint/layers', {
      name: '内部控制线',
      kind: 'ecological_redline',
      geojson: collection('S1'),
    });
    expect(staffLayer.statusCode, staffLayer.body).toBe(201);
    const publicLayer = await post(system, admin, '/api/blueprint/layers', {
      name: '公开规划',
      kind: 'urban_plan',
      audience: 'public',
      geojson: collection('P1'),
    });
    expect(publicLayer.statusCode, publicLayer.body).toBe(201);

    const applicant = await system.login('applicant');
    const features = (s: Session, id: string) =>
      system.app.inject({
        method: 'GET',
        url: `/api/blueprint/layers/${id}/features`,
        headers: { cookie: s.cookie },
      });
    const hidden = await features(applicant, staffLayer.json().id);
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json().error.code).toBe('FORBIDDEN_ROLE');
    expect((await features(applicant, publicLayer.json().id)).statusCode).toBe(200);
    const reviewer = await system.login('sthj.reviewer');
    expect((await features(reviewer, staffLayer.json().id)).statusCode).toBe(200);

    const listed = (
      await system.app.inject({
        method: 'GET',
        url: '/api/blueprint/layers',
        headers: { cookie: applicant.cookie },
      })
    ).json().layers as Array<{ id: string; audience: string }>;
    expect(listed.map((l) => l.id)).toContain(publicLayer.json().id);
    expect(listed.every((l) => l.audience === 'public')).toBe(true);
  });
});
