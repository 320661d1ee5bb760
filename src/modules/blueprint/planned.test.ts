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

describeEachSystem('年度实施计划: the year’s planned projects with opinions and readiness', (t) => {
  it('lists the year, says how ready each is, and exports the same to Excel', async () => {
    const { system } = t;
    const agent = await system.login('agent');
    const enterpriseId = await enterpriseOf(system, 'applicant');
    const plan = async (name: string, offset: number, planYear?: number) => {
      const res = await system.app.inject({
        method: 'POST',
        url: '/api/blueprint/planned-projects',
        headers: agent.headers,
        payload: {
          name,
          site: clearSite(offset),
          departments: ['sthj'],
          workingDays: 5,
          enterpriseId,
          ...(planYear ? { planYear } : {}),
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const answered = await plan('年度 A', 71);
    await plan('年度 B', 72);
    await plan('明年 丙', 73, 2027);
    const sthj = await system.login('sthj.reviewer');
    await system.app.inject({
      method: 'POST',
      url: `/api/blueprint/planned-projects/${answered}/opinions`,
      headers: sthj.headers,
      payload: { opinion: '同意', conditions: ['控制噪声'] },
    });
    const res = await system.app.inject({
      method: 'GET',
      url: '/api/blueprint/annual-plans/2026',
      headers: agent.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.projects.map((p: { name: string; readiness: string }) => [p.name, p.readiness])).toEqual([
      ['年度 A', 'ready'],
      ['年度 B', 'consulting'],
    ]);
    expect(body.projects[0].opinions[0]).toMatchObject({ status: 'answered', conditions: ['控制噪声'] });
    expect(body.projects[0].site.type).toBe('MultiPolygon');
    expect(body.readinessNames).toMatchObject({ ready: '意见齐备，可申报', consulting: '征求意见中' });

    const xlsx = await system.app.inject({
      method: 'GET',
      url: '/api/blueprint/annual-plans/2026/export.xlsx',
      headers: agent.headers,
    });
    expect(xlsx.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('2026年度实施计划');
    expect(sheet.getRow(2).getCell(2).value).toBe('年度 A');
    expect(sheet.getRow(2).getCell(6).value).toBe('意见齐备，可申报');
    expect(String(sheet.getRow(2).getCell(9).value)).toContain('控制噪声');
    const applicant = await system.login('applicant');
    const refused = await system.app.inject({
      method: 'GET',
      url: '/api/blueprint/annual-plans/2026',
      headers: applicant.headers,
    });
    expect(refused.statusCode).toBe(403);
  });
});
