import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NOW, describeEachSystem, type Session } from '../../../test/app';
import { insertDefinitions } from '../templates/template.repository';
import { processTemplates } from '../templates/template.data';
import { defaultProjectAttributes } from '../templates/template.schemas';
import { PROJECT_CODE_PATTERN } from './project.rules';

/** A ~100 m square in the known-clear zone (113.60–113.65 E, 34.70–34.76 N). */
function square(lon = 113.62, lat = 34.72, side = 0.001) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon, lat],
        [lon + side, lat],
        [lon + side, lat + side],
        [lon, lat + side],
        [lon, lat],
      ],
    ],
  };
}

const { totalInvestment: _ignored, ...socialAttributes } = defaultProjectAttributes;
const governmentAttributes = {
  ...socialAttributes,
  investmentSource: 'government' as const,
  landSupplyMethod: 'allocation' as const,
};

function body(over: Record<string, unknown> = {}) {
  return {
    name: '郑州市示范产业园一期',
    templateCode: 'SOCIAL_TRANSFER',
    totalInvestment: 12000,
    districtCode: '410122',
    site: square(),
    plannedStart: '2026-05-01',
    plannedCompletion: '2027-12-31',
    attributes: socialAttributes,
    ...over,
  };
}

describe('project code pattern', () => {
  it('matches the national format', () => {
    expect(PROJECT_CODE_PATTERN.test('2026-410122-47-03-000123')).toBe(true);
  });
});

describeEachSystem('projects', (t) => {
  let applicant: Session;
  const register = async (session: Session, payload: Record<string, unknown>) =>
    t.system.app.inject({ method: 'POST', url: '/api/projects', headers: session.headers, payload });

  it('registers a project with the national code, ellipsoidal area, template version and an audit event', async () => {
    applicant = await t.system.login('applicant');
    const res = await register(applicant, body());
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p.code).toBe('2026-410122-47-03-000001');
    expect(p).toMatchObject({
      name: '郑州市示范产业园一期',
      templateCode: 'SOCIAL_TRANSFER',
      templateVersion: 1,
      districtCode: '410122',
      industryCode: '47',
      approvalType: '03',
      totalInvestment: 12000,
      plannedStart: '2026-05-01',
      plannedCompletion: '2027-12-31',
      enterpriseName: '郑州市示范建设发展有限公司',
    });
    expect(p.attributes.totalInvestment).toBe(12000);
    expect(p.site.type).toBe('MultiPolygon');
    // 0.001° × 0.001° at 34.72 N ≈ 91.5 m × 110.9 m.
    expect(p.siteAreaM2).toBeGreaterThan(9_900);
    expect(p.siteAreaM2).toBeLessThan(10_400);
    expect(
      p.stages.map((s: { nationalStage: number; status: string }) => [s.nationalStage, s.status]),
    ).toEqual([
      [1, 'open'],
      [2, 'locked'],
      [3, 'locked'],
      [4, 'locked'],
      [5, 'open'],
    ]);
    expect(p.stages[0].timeLimitWorkingDays).toBeGreaterThan(0);
    const events = await t.system.database.db
      .selectFrom('auditEvent')
      .select('action')
      .where('objectId', '=', p.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(['project.registered']);
  });

  it('numbers serials per year and district; a government project defaults to 01 审批', async () => {
    const second = await register(
      applicant,
      body({ attributes: governmentAttributes, templateCode: 'GOV_BUILDING' }),
    );
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().code).toBe('2026-410122-47-01-000002');
    // 核准 (02) is for a project listed in the 核准目录.
    const other = await register(
      applicant,
      body({
        districtCode: '410102',
        industryCode: '48',
        approvalType: '02',
        attributes: { ...socialAttributes, requiresVerification: true },
      }),
    );
    expect(other.json().code).toBe('2026-410102-48-02-000001');
    t.system.clock.set(new Date('2026-12-31T16:30:00Z')); // 2027-01-01 00:30 in Beijing
    try {
      const later = await t.system.login('applicant');
      const nextYear = await register(
        later,
        body({ plannedStart: '2027-03-01', plannedCompletion: '2028-01-01' }),
      );
      expect(nextYear.json().code).toBe('2027-410122-47-03-000001');
    } finally {
      t.system.clock.set(DEFAULT_NOW);
      applicant = await t.system.login('applicant');
    }
  });

  it('gives 20 concurrent registrations 20 distinct consecutive codes', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        register(applicant, body({ name: `并发项目 ${i}`, districtCode: '410105' })),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const codes = results.map((r) => r.json().code as string);
    expect(new Set(codes).size).toBe(20);
    expect(codes.map((c) => Number(c.slice(-6))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it.each([
    [
      'a self-intersecting bowtie',
      {
        site: {
          type: 'Polygon',
          coordinates: [
            [
              [113.62, 34.72],
              [113.621, 34.721],
              [113.621, 34.72],
              [113.62, 34.721],
              [113.62, 34.72],
            ],
          ],
        },
      },
      'body.site',
      /自相交/,
    ],
    [
      'swapped latitude and longitude',
      { site: { type: 'Polygon', coordinates: [square().coordinates[0]!.map(([lon, lat]) => [lat, lon])] } },
      'body.site',
      /颠倒/,
    ],
    [
      'an unclosed ring',
      {
        site: {
          type: 'Polygon',
          coordinates: [
            square()
              .coordinates[0]!.slice(0, 4)
              .concat([[113.6205, 34.7205]]),
          ],
        },
      },
      'body.site',
      /未闭合/,
    ],
    ['a site of 100 km² or more', { site: square(113.6, 34.7, 0.2) }, 'body.site', /100 km²/],
    [
      'start equal to completion',
      { plannedStart: '2027-01-01', plannedCompletion: '2027-01-01' },
      'body.plannedCompletion',
      /早于/,
    ],
    [
      'start after completion',
      { plannedStart: '2027-02-01', plannedCompletion: '2027-01-01' },
      'body.plannedCompletion',
      /早于/,
    ],
    ['an unknown template', { templateCode: 'NO_SUCH_TEMPLATE' }, 'body.templateCode', /不存在/],
    ['a district of no province', { districtCode: '990101' }, 'body.districtCode', /11–65/],
    ['a five-digit district', { districtCode: '41012' }, 'body.districtCode', /6 位/],
    ['a negative investment', { totalInvestment: -1 }, 'body.totalInvestment', /./],
    ['a one-character name', { name: '园' }, 'body.name', /./],
    ['an impossible date', { plannedStart: '2026-02-30' }, 'body.plannedStart', /真实存在/],
  ])('refuses %s with 400 naming the field', async (_what, over, field, message) => {
    const before = await t.system.database.db
      .selectFrom('project')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await register(applicant, body(over));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field,
      message: expect.stringMatching(message),
    });
    const after = await t.system.database.db
      .selectFrom('project')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('lets an agent register for a named enterprise, and refuses roles that may not', async () => {
    const agent = await t.system.login('agent');
    const missing = await register(agent, body());
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('body.enterpriseId');
    const enterprise = await t.system.database.db
      .selectFrom('enterprise')
      .select(['id', 'name'])
      .where('name', '=', '河南中原置业集团有限公司')
      .executeTakeFirstOrThrow();
    // No consent of 河南中原置业 yet: 403 saying so (the demo consent is the other enterprise's).
    const noConsent = await register(agent, body({ enterpriseId: enterprise.id }));
    expect(noConsent.statusCode).toBe(403);
    expect(noConsent.json().error.code).toBe('CONSENT_REQUIRED');
    const owner = await t.system.login('applicant2');
    const agents = await t.system.app.inject({
      method: 'GET',
      url: '/api/agency/agents',
      headers: { cookie: owner.cookie },
    });
    const granted = await t.system.app.inject({
      method: 'POST',
      url: '/api/agency/consents',
      headers: owner.headers,
      payload: {
        agentUserId: agents
          .json()
          .agents.find((a: { displayName: string }) => a.displayName === '帮办代办 孙丽').id,
        scopes: ['register_project'],
        validUntil: '2026-12-31',
      },
    });
    expect(granted.statusCode, granted.body).toBe(201);
    const ok = await register(agent, body({ enterpriseId: enterprise.id }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().enterpriseName).toBe(enterprise.name);
    // An enterprise that does not exist never consented: the same 403.
    const unknown = await register(agent, body({ enterpriseId: randomUUID() }));
    expect(unknown.statusCode).toBe(403);
    const foreign = await register(applicant, body({ enterpriseId: enterprise.id }));
    expect(foreign.statusCode).toBe(403);
    const window = await t.system.login('window');
    expect((await register(window, body())).statusCode).toBe(403);
  });

  it('shows a project to its enterprise and to window, 403 to another enterprise, 404 when absent', async () => {
    const created = (await register(applicant, body({ name: '可见性测试项目' }))).json();
    const get = (s: Session, id = created.id) =>
      t.system.app.inject({ method: 'GET', url: `/api/projects/${id}`, headers: s.headers });
    expect((await get(applicant)).statusCode).toBe(200);
    const window = await t.system.login('window');
    const asWindow = await get(window);
    expect(asWindow.statusCode).toBe(200);
    expect(asWindow.json().code).toBe(created.code);
    const other = await t.system.login('applicant2');
    const foreign = await get(other);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('FORBIDDEN_SCOPE');
    const reviewer = await t.system.login('zrzy.reviewer');
    expect((await get(reviewer)).statusCode).toBe(403);
    expect((await get(applicant, randomUUID())).statusCode).toBe(404);

    const mine = await t.system.app.inject({
      method: 'GET',
      url: '/api/projects',
      headers: applicant.headers,
    });
    const theirs = await t.system.app.inject({ method: 'GET', url: '/api/projects', headers: other.headers });
    const all = await t.system.app.inject({
      method: 'GET',
      url: '/api/projects?limit=500',
      headers: window.headers,
    });
    const reviewerList = await t.system.app.inject({
      method: 'GET',
      url: '/api/projects',
      headers: reviewer.headers,
    });
    const mineCodes = mine.json().projects.map((p: { code: string }) => p.code);
    expect(mineCodes).toContain(created.code);
    expect(theirs.json().projects.map((p: { code: string }) => p.code)).not.toContain(created.code);
    expect(all.json().projects.length).toBeGreaterThan(mineCodes.length - 1);
    expect(reviewerList.json().projects).toEqual([]);
    expect(mine.json().projects.find((p: { code: string }) => p.code === created.code).currentStage).toEqual({
      nationalStage: 1,
      name: expect.any(String),
      status: 'open',
    });
  });
});

describeEachSystem('stage guide', (t) => {
  async function project(totalInvestment: number) {
    const applicant = await t.system.login('applicant');
    const res = await t.system.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: applicant.headers,
      payload: body({ templateCode: 'GOV_BUILDING', totalInvestment, attributes: governmentAttributes }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return { applicant, id: res.json().id as string };
  }
  const guide = (s: Session, id: string, n: number) =>
    t.system.app.inject({ method: 'GET', url: `/api/projects/${id}/stages/${n}/guide`, headers: s.headers });

  it('gives a government project of 5000万 the 项目建议书 item and one of 4999万 not', async () => {
    const big = await project(5000);
    const small = await project(4999);
    const bigGuide = (await guide(big.applicant, big.id, 1)).json();
    const smallGuide = (await guide(small.applicant, small.id, 1)).json();
    const codes = (g: { items: { code: string }[] }) => g.items.map((i) => i.code);
    expect(codes(bigGuide)).toContain('ZZ-FGW-001');
    expect(codes(smallGuide)).not.toContain('ZZ-FGW-001');
    expect(codes(smallGuide)).toContain('ZZ-FGW-002');
    expect(bigGuide.materials.map((m: { code: string }) => m.code)).toContain('M_PROJECT_PROPOSAL');
    expect(smallGuide.materials.map((m: { code: string }) => m.code)).not.toContain('M_PROJECT_PROPOSAL');
    expect(bigGuide.stage).toMatchObject({ nationalStage: 1, leadDepartmentCode: 'fgw' });
    expect(bigGuide.stage.timeLimitWorkingDays).toBeGreaterThan(smallGuide.stage.timeLimitWorkingDays - 1);
  });

  it('merges the form and de-duplicates materials across items; onFile after the project has the material', async () => {
    const { applicant, id } = await project(6000);
    const g = (await guide(applicant, id, 1)).json();
    expect(g.form.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(g.form.type).toBe('object');
    for (const key of g.form.required) expect(g.form.properties[key]).toBeDefined();
    for (const prop of Object.values(g.form.properties) as { title: string }[])
      expect(prop.title).toEqual(expect.any(String));
    const codes = g.materials.map((m: { code: string }) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    const shared = g.materials.find((m: { items: string[] }) => m.items.length > 1);
    expect(shared).toBeDefined();
    expect(g.materials.every((m: { onFile: boolean }) => !m.onFile)).toBe(true);
    expect(g.expectedCompletion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(g.calendarComplete).toBe(true);

    // A file the project already submitted is never asked for again (task 58).
    const file = await t.system.database.db
      .insertInto('materialFile')
      .values({
        sha256: 'a'.repeat(64),
        sizeBytes: 10,
        mediaType: 'application/pdf',
        originalName: 'x.pdf',
        materialCode: shared.code,
        enterpriseId: (
          await t.system.database.db
            .selectFrom('project')
            .select('enterpriseId')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).enterpriseId,
        uploadedBy: (
          await t.system.database.db
            .selectFrom('appUser')
            .select('id')
            .where('username', '=', 'applicant')
            .executeTakeFirstOrThrow()
        ).id,
        uploadedAt: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.system.database.db.transaction().execute(async (trx) => {
      const { recordProjectMaterials } = await import('../materials/material.service');
      await recordProjectMaterials(trx, id, [{ materialCode: shared.code, fileId: file.id }], new Date());
    });
    const again = (await guide(applicant, id, 1)).json();
    expect(again.materials.find((m: { code: string }) => m.code === shared.code)).toMatchObject({
      onFile: true,
      fileId: file.id,
    });
  });

  it('answers a merged stage (带方案出让 2+3) by either number', async () => {
    const applicant = await t.system.login('applicant');
    const res = await t.system.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: applicant.headers,
      payload: body({
        templateCode: 'SOCIAL_TRANSFER_WITH_DESIGN',
        attributes: { ...socialAttributes, landSupplyMethod: 'transfer_with_design' },
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const g = await guide(applicant, res.json().id, 3);
    expect(g.statusCode, g.body).toBe(200);
    expect(g.json().stage.nationalStage).toBe(2);
  });

  it('answers 404 for a stage the template does not have, 400 for no stage number, 403 outside the scope', async () => {
    // A template version without stages 2 and 3 (an administrator's edit); the project keeps it.
    const base = processTemplates.find((d) => d.code === 'SOCIAL_TRANSFER')!;
    await insertDefinitions(t.system.database.db, [
      {
        ...base,
        code: 'TEST_SHORT',
        name: '测试流程',
        stages: base.stages.filter((s) => s.nationalStage !== 2 && s.nationalStage !== 3),
      },
    ]);
    const applicant = await t.system.login('applicant');
    const res = await t.system.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: applicant.headers,
      payload: body({ templateCode: 'TEST_SHORT' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect(res.json().stages.map((s: { nationalStage: number }) => s.nationalStage)).toEqual([1, 4, 5]);
    const missing = await guide(applicant, id, 2);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    expect((await guide(applicant, id, 6)).statusCode).toBe(400);
    const other = await t.system.login('applicant2');
    expect((await guide(other, id, 1)).statusCode).toBe(403);
  });
});

/** A boundary for 410102 around the known-clear zone, as a city would load it (layer kind district_boundary). */
const zhongyuanBoundary = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { adcode: '410102', name: '中原区（测试区界）' },
      geometry: square(113.5, 34.69, 0.17),
    },
  ],
};

describeEachSystem('registration that cannot contradict itself', (t) => {
  let applicant: Session;
  const register = async (payload: Record<string, unknown>) =>
    t.system.app.inject({ method: 'POST', url: '/api/projects', headers: applicant.headers, payload });
  /** Lean payload: attributes left to the template's defaults. */
  const lean = (over: Record<string, unknown> = {}) => ({
    name: '郑州市登记校验项目',
    templateCode: 'SOCIAL_TRANSFER',
    totalInvestment: 12000,
    districtCode: '410102',
    site: square(113.62, 34.72),
    plannedStart: '2026-05-01',
    plannedCompletion: '2027-12-31',
    ...over,
  });
  const refusal = async (payload: Record<string, unknown>) => {
    const res = await register(payload);
    expect(res.statusCode, res.body).toBe(422);
    return res.json().error as { code: string; field: string; message: string };
  };

  it('defaults investment source, land supply and approval type from the template', async () => {
    applicant = await t.system.login('applicant');
    const social = await register(lean());
    expect(social.statusCode, social.body).toBe(201);
    expect(social.json().attributes).toMatchObject({
      investmentSource: 'social',
      landSupplyMethod: 'transfer',
    });
    expect(social.json().approvalType).toBe('03');
    const gov = await register(lean({ templateCode: 'GOV_BUILDING' }));
    expect(gov.statusCode, gov.body).toBe(201);
    expect(gov.json().attributes).toMatchObject({
      investmentSource: 'government',
      landSupplyMethod: 'allocation',
    });
    expect(gov.json().approvalType).toBe('01');
    // An older client still sending every attribute (including unused ones) is accepted.
    const old = await register(lean({ attributes: { ...socialAttributes, withinRegionalAssessment: true } }));
    expect(old.statusCode, old.body).toBe(201);
    // Task 44: whether the site is in a regional-assessment unit comes from the site check, not the payload.
    expect(old.json().attributes.withinRegionalAssessment).toBe(false);
  });

  it('refuses government investment on a 社会投资 template, naming the field', async () => {
    const err = await refusal(lean({ attributes: { investmentSource: 'government' } }));
    expect(err).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.attributes.investmentSource' });
    expect(err.message).toContain('社会投资');
  });

  it('refuses 划拨 on the 出让 template, naming the field', async () => {
    const err = await refusal(lean({ attributes: { landSupplyMethod: 'allocation' } }));
    expect(err).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.attributes.landSupplyMethod' });
    expect(err.message).toContain('划拨');
  });

  it("refuses a district that is not one of the city's (110101), naming the field", async () => {
    const err = await refusal(lean({ districtCode: '110101' }));
    expect(err).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.districtCode' });
  });

  it('refuses a planned start in the past (Beijing date of the clock), naming the field', async () => {
    // DEFAULT_NOW is 2026-03-02 in Beijing.
    const err = await refusal(lean({ plannedStart: '2026-03-01' }));
    expect(err).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.plannedStart' });
    expect((await register(lean({ plannedStart: '2026-03-02' }))).statusCode).toBe(201);
  });

  it('refuses an approval type that does not fit the investment source, naming the field', async () => {
    const gov = await refusal(lean({ templateCode: 'GOV_BUILDING', approvalType: '03' }));
    expect(gov).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.approvalType' });
    const filed = await refusal(lean({ approvalType: '02', attributes: { requiresVerification: false } }));
    expect(filed.field).toBe('body.approvalType');
    // 核准 without the question answered answers it.
    const verified = await register(lean({ approvalType: '02' }));
    expect(verified.statusCode, verified.body).toBe(201);
    expect(verified.json().attributes.requiresVerification).toBe(true);
  });

  it('accepts a site of a district without a loaded boundary, with a warning in the site check', async () => {
    const res = await register(lean());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().siteCheck.district).toMatchObject({
      code: '410102',
      name: '中原区',
      boundaryLoaded: false,
      inside: null,
    });
    expect(res.json().siteCheck.district.warning).toContain('行政区界');
  });

  it('refuses a Beijing site filed under 410102 once the boundary is loaded; accepts one inside', async () => {
    const admin = await t.system.login('admin');
    const upload = await t.system.app.inject({
      method: 'POST',
      url: '/api/blueprint/layers',
      headers: admin.headers,
      payload: { name: '中原区行政区界', kind: 'district_boundary', geojson: zhongyuanBoundary },
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const districts = await t.system.app.inject({
      method: 'GET',
      url: '/api/districts',
      headers: { cookie: applicant.cookie },
    });
    const zhongyuan = districts.json().districts.find((d: { code: string }) => d.code === '410102');
    expect(zhongyuan).toMatchObject({ name: '中原区', kind: 'county', boundaryLoaded: true });

    const beijing = await refusal(lean({ site: square(116.39, 39.9) }));
    expect(beijing).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.districtCode' });
    expect(beijing.message).toContain('中原区');
    const inside = await register(lean());
    expect(inside.statusCode, inside.body).toBe(201);
    expect(inside.json().siteCheck.district).toMatchObject({ boundaryLoaded: true, inside: true });
    // A boundary feature without its code is refused with the field named.
    const bad = await t.system.app.inject({
      method: 'POST',
      url: '/api/blueprint/layers',
      headers: admin.headers,
      payload: {
        name: '无代码区界',
        kind: 'district_boundary',
        geojson: {
          ...zhongyuanBoundary,
          features: [{ ...zhongyuanBoundary.features[0], properties: { name: 'x' } }],
        },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('body.geojson.features.0.properties.adcode');
  });

  it('lists the template questions with Chinese labels and defaults; unused attributes are not asked', async () => {
    const res = await t.system.app.inject({ method: 'GET', url: '/api/process-templates/SOCIAL_TRANSFER' });
    expect(res.statusCode).toBe(200);
    const tpl = res.json();
    expect(tpl.allowedAttributes).toEqual({ investmentSource: ['social'], landSupplyMethod: ['transfer'] });
    const questions = tpl.questions as { key: string; label: string; default: unknown; fixed: boolean }[];
    const keys = questions.map((q) => q.key);
    expect(keys).toEqual(
      expect.arrayContaining(['investmentSource', 'landSupplyMethod', 'requiresVerification']),
    );
    expect(keys).not.toContain('withinRegionalAssessment');
    expect(keys).not.toContain('totalInvestment');
    // No condition of this template reads the 初步设计 threshold question.
    expect(keys).not.toContain('simpleTechnicalScheme');
    for (const q of questions) {
      expect(q.default).not.toBeUndefined();
      expect(q.label).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(questions.find((q) => q.key === 'investmentSource')).toMatchObject({
      fixed: true,
      default: 'social',
    });
    const water = (
      await t.system.app.inject({ method: 'GET', url: '/api/process-templates/WATER_WORKS' })
    ).json();
    expect(water.questions.find((q: { key: string }) => q.key === 'investmentSource')).toMatchObject({
      fixed: false,
      options: [
        { value: 'government', label: '政府投资' },
        { value: 'social', label: '社会投资' },
      ],
    });
  });

  it('lets the administrator add, edit and retire districts (audited); others only read', async () => {
    const admin = await t.system.login('admin');
    const anonymous = await t.system.app.inject({ method: 'GET', url: '/api/districts' });
    expect(anonymous.statusCode).toBe(401);
    const list = await t.system.app.inject({
      method: 'GET',
      url: '/api/districts',
      headers: { cookie: applicant.cookie },
    });
    const codes = list.json().districts.map((d: { code: string }) => d.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        '410102',
        '410103',
        '410104',
        '410105',
        '410106',
        '410108',
        '410122',
        '410181',
        '410182',
        '410183',
        '410184',
        '410185',
      ]),
    );
    const byApplicant = await t.system.app.inject({
      method: 'POST',
      url: '/api/districts',
      headers: applicant.headers,
      payload: { code: '410190', name: '郑东新区', kind: 'functional_zone' },
    });
    expect(byApplicant.statusCode).toBe(403);
    const created = await t.system.app.inject({
      method: 'POST',
      url: '/api/districts',
      headers: admin.headers,
      payload: { code: '410190', name: '郑东新区', kind: 'functional_zone' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const again = await t.system.app.inject({
      method: 'POST',
      url: '/api/districts',
      headers: admin.headers,
      payload: { code: '410190', name: '郑东新区', kind: 'functional_zone' },
    });
    expect(again.statusCode).toBe(409);
    expect((await register(lean({ districtCode: '410190' }))).statusCode).toBe(201);
    const retired = await t.system.app.inject({
      method: 'PUT',
      url: '/api/districts/410190',
      headers: admin.headers,
      payload: { name: '郑东新区', kind: 'functional_zone', active: false },
    });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json().active).toBe(false);
    const refused = await refusal(lean({ districtCode: '410190' }));
    expect(refused.field).toBe('body.districtCode');
    const events = await t.system.database.db
      .selectFrom('auditEvent')
      .select(['action', 'toState'])
      .where('objectType', '=', 'district')
      .where('objectId', '=', '410190')
      .orderBy('occurredAt')
      .execute();
    expect(events).toEqual([
      { action: 'district.created', toState: 'active' },
      { action: 'district.updated', toState: 'inactive' },
    ]);
  });
});
