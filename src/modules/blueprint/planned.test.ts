import { expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../../../test/app';
import {
  acceptApplication,
  CLEAR_SITE_DISTRICT,
  clearSite,
  defaultAttributes,
  plannedDates,
} from '../../../test/factories';
import { submitStage } from '../../../test/lifecycle-helpers';

async function enterpriseOf(system: TestSystem, username: string) {
  const row = await system.ctx.db
    .selectFrom('appUser')
    .select('enterpriseId')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.enterpriseId!;
}

function register(system: TestSystem, who: Session, site: unknown, plannedProjectId: string) {
  return system.app.inject({
    method: 'POST',
    url: '/api/projects',
    headers: who.headers,
    payload: {
      name: '策划生成项目',
      templateCode: 'SOCIAL_TRANSFER',
      totalInvestment: 8000,
      districtCode: CLEAR_SITE_DISTRICT,
      site,
      ...plannedDates(system.clock.now()),
      attributes: defaultAttributes,
      plannedProjectId,
    },
  });
}

/** A site moved east by `dx` degrees. */
function shifted(site: { coordinates: number[][][] }, dx: number) {
  return { ...site, coordinates: site.coordinates.map((r) => r.map(([x, y]) => [x! + dx, y!])) };
}

describeEachSystem('策划生成: a planned project is used once, by its enterprise, on its site', (t) => {
  it('checks enterprise and site, marks it used, and carries its conditions into guide and task page', async () => {
    const { system } = t;
    const agent = await system.login('agent');
    const enterpriseId = await enterpriseOf(system, 'applicant');
    const site = clearSite(61) as { type: string; coordinates: number[][][] };
    const created = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/planned-projects',
      headers: agent.headers,
      payload: { name: '策划 冷链仓储', site, departments: ['zrzy', 'sthj'], workingDays: 5, enterpriseId },
    });
    expect(created.statusCode, created.body).toBe(201);
    const planned = created.json();
    expect(planned).toMatchObject({ enterpriseId, usedByProjectId: null, planYear: 2026 });
    const sthj = await system.login('sthj.reviewer');
    const opinion = await system.app.inject({
      method: 'POST',
      url: `/api/blueprint/planned-projects/${planned.id}/opinions`,
      headers: sthj.headers,
      payload: { opinion: '同意', conditions: ['落实雨污分流'] },
    });
    expect(opinion.statusCode, opinion.body).toBe(200);

    // Another enterprise may not use it.
    const other = await system.login('applicant2');
    const wrong = await register(system, other, site, planned.id);
    expect(wrong.statusCode, wrong.body).toBe(422);
    expect(wrong.json().error.field).toBe('body.plannedProjectId');

    // The right enterprise on a site moved ~110 m east (the square is ~100 m): beyond the tolerance.
    const applicant = await system.login('applicant');
    const moved = await register(system, applicant, shifted(site, 0.0012), planned.id);
    expect(moved.statusCode, moved.body).toBe(422);
    expect(moved.json().error.field).toBe('body.site');
    expect(moved.json().error.message).toContain('策划选址');

    // A survey correction of ~1 m is within it.
    const ok = await register(system, applicant, shifted(site, 0.00001), planned.id);
    expect(ok.statusCode, ok.body).toBe(201);
    const project = ok.json();
    expect(project.constructionConditions).toEqual(['市生态环境局: 落实雨污分流']);

    // Used once: a second registration from it is refused, and the planned project says by whom.
    const again = await register(system, applicant, site, planned.id);
    expect(again.statusCode, again.body).toBe(409);
    const after = await system.app.inject({
      method: 'GET',
      url: `/api/blueprint/planned-projects/${planned.id}`,
      headers: agent.headers,
    });
    expect(after.json()).toMatchObject({ usedByProjectId: project.id });
    expect(after.json().usedAt).not.toBeNull();

    // The stage guide and the reviewer's task page show the conditions.
    const guide = await system.app.inject({
      method: 'GET',
      url: `/api/projects/${project.id}/stages/1/guide`,
      headers: applicant.headers,
    });
    expect(guide.json().constructionConditions).toEqual(['市生态环境局: 落实雨污分流']);
    const submitted = await submitStage(system, applicant, project.id, { stage: 1 });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const window = await system.login('window');
    const [task] = await acceptApplication(system, window, submitted.body.id);
    const reviewer = await system.login(`${task!.departmentCode}.reviewer`);
    const page = await system.app.inject({
      method: 'GET',
      url: `/api/tasks/${task!.id}`,
      headers: reviewer.headers,
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().constructionConditions).toEqual(['市生态环境局: 落实雨污分流']);
  });
});
