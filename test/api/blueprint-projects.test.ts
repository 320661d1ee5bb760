/**
 * 一张蓝图 at project registration: a site on a control line is refused, every project keeps its site
 * check, and a regional assessment (区域评估) puts the covered items of the stage guide under 告知承诺.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { defaultAttributes, getGuide } from '../factories';

const square = (x: number, y: number, d = 0.002) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

describeEachSystem('blueprint at project registration', (t) => {
  it('refuses a site on a red line, stores the check with the project, and marks regionally assessed items', async () => {
    const { system } = t;
    const admin = await system.login('admin');
    const layer = (name: string, kind: string, geometry: unknown, properties: Record<string, unknown>) =>
      system.app.inject({
        method: 'POST',
        url: '/api/blueprint/layers',
        headers: admin.headers,
        payload: {
          name,
          kind,
          geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', properties, geometry }] },
        },
      });
    expect(
      (await layer('测试红线', 'ecological_redline', square(113.7, 34.8), { name: '测试红线' })).statusCode,
    ).toBe(201);
    const unit = await layer('测试区域评估', 'regional_assessment', square(113.75, 34.8, 0.01), {
      name: '测试区域评估单元',
      unitCode: 'QYPG-410100-001',
      assessments: ['environmental_impact', 'seismic_safety'],
    });
    expect(unit.statusCode).toBe(201);

    const applicant = await system.login('applicant');
    const register = (site: unknown) =>
      system.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: applicant.headers,
        payload: {
          name: '选址测试项目',
          templateCode: 'SOCIAL_TRANSFER',
          totalInvestment: 5000,
          districtCode: '410122',
          site,
          plannedStart: '2026-06-01',
          plannedCompletion: '2027-06-01',
          attributes: { ...defaultAttributes, totalInvestment: undefined },
        },
      });
    const blocked = await register(square(113.701, 34.801, 0.001));
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().error).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.site' });
    expect(blocked.json().error.message).toContain('测试红线');

    const inside = await register(square(113.752, 34.802, 0.001));
    expect(inside.statusCode).toBe(201);
    const project = inside.json();
    expect(project.siteCheck).toMatchObject({ verdict: expect.stringMatching(/clear|warning/) });

    const guide = (await getGuide(system, applicant, project.id, 5)) as unknown as {
      items: { code: string; regionalAssessment: boolean; commitmentAllowed: boolean }[];
    };
    const covered = guide.items.filter((i) => i.regionalAssessment);
    expect(covered.length).toBeGreaterThan(0);
    expect(covered.every((i) => i.commitmentAllowed)).toBe(true);
  });
});
