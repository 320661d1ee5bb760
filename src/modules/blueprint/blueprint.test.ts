import { expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../../../test/app';
import { CLEAR_SITE_DISTRICT, registerProject } from '../../../test/factories';
import { startJobs } from '../../jobs/boss';
import {
  CLEAR_ZONE,
  DEMO_DISTRICT_BOXES,
  DEMO_REDLINE_EXAMPLE,
  seedDemoLayers,
} from '../../seed/demo-layers';
import { registerBlueprintWorkers } from './blueprint.jobs';
import { runDifferenceAnalysis, startDifferenceAnalysis } from './difference.service';
import type { Actor } from '../identity/identity.rules';
import { layerFeatures } from './layer.service';
import { regionalAssessmentsForProject } from './site-check.service';

/** Area (m²) of a lon/lat rectangle on the WGS84 ellipsoid (authalic-latitude formula), computed independently of PostGIS. */
function ellipsoidRectArea(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = 6378137;
  const f = 1 / 298.257223563;
  const b = a * (1 - f);
  const e = Math.sqrt(1 - (b * b) / (a * a));
  const q = (phi: number) => {
    const s = Math.sin(phi);
    return s / (1 - e * e * s * s) + (1 / (2 * e)) * Math.log((1 + e * s) / (1 - e * s));
  };
  const rad = Math.PI / 180;
  return ((b * b) / 2) * (lon2 - lon1) * rad * (q(lat2 * rad) - q(lat1 * rad));
}

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
const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties,
  geometry,
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

async function upload(system: TestSystem, s: Session, name: string, kind: string, geojson: unknown) {
  return system.app.inject({
    method: 'POST',
    url: '/api/blueprint/layers',
    headers: s.headers,
    payload: { name, kind, geojson },
  });
}

async function siteCheck(system: TestSystem, s: Session, site: unknown) {
  const res = await system.app.inject({
    method: 'POST',
    url: '/api/blueprint/site-checks',
    headers: s.headers,
    payload: { site },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describeEachSystem('blueprint layers and site checks', (t) => {
  it('uploads layers, versions them, and lists the current ones', async () => {
    const { system } = t;
    const admin = await system.login('admin');
    const red = await upload(
      system,
      admin,
      '测试生态红线',
      'ecological_redline',
      collection(feature(rect(113.7, 34.7, 113.71, 34.71), { name: 'R1' })),
    );
    expect(red.statusCode, red.body).toBe(201);
    expect(red.json()).toMatchObject({ featureCount: 1, version: 1 });
    const farm = await upload(
      system,
      admin,
      '测试基本农田',
      'basic_farmland',
      collection(feature(rect(113.8, 34.7, 113.81, 34.71), { name: 'F1' })),
    );
    expect(farm.statusCode).toBe(201);
    const urban1 = await upload(
      system,
      admin,
      '测试开发边界',
      'urban_boundary',
      collection(feature(rect(113.6, 34.6, 113.7, 34.8))),
    );
    expect(urban1.json().version).toBe(1);
    const urban2 = await upload(
      system,
      admin,
      '测试开发边界',
      'urban_boundary',
      collection(feature(rect(113.6, 34.6, 113.75, 34.8))),
    );
    expect(urban2.statusCode).toBe(201);
    expect(urban2.json().version).toBe(2);
    const unit = await upload(
      system,
      admin,
      '测试区域评估',
      'regional_assessment',
      collection(
        feature(rect(113.6, 34.7, 113.65, 34.76), {
          unitCode: 'QYPG-410100-001',
          assessments: ['environmental_impact', 'seismic_safety'],
        }),
      ),
    );
    expect(unit.statusCode, unit.body).toBe(201);

    const list = await system.app.inject({
      method: 'GET',
      url: '/api/blueprint/layers',
      headers: admin.headers,
    });
    const layers = list.json().layers as { name: string; version: number; id: string }[];
    const urban = layers.filter((l) => l.name === '测试开发边界');
    expect(urban).toHaveLength(1);
    expect(urban[0]!.version).toBe(2);

    const feats = await system.app.inject({
      method: 'GET',
      url: `/api/blueprint/layers/${red.json().id}/features?bbox=113.69,34.69,113.72,34.72`,
      headers: admin.headers,
    });
    expect(feats.json().features).toHaveLength(1);
    const none = await system.app.inject({
      method: 'GET',
      url: `/api/blueprint/layers/${red.json().id}/features?bbox=113.0,34.0,113.1,34.1`,
      headers: admin.headers,
    });
    expect(none.json().features).toHaveLength(0);

    // A dense view is summarised (grid cells with counts) instead of paged; zoomed in, it is drawn.
    const grid = [];
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 3; j++) {
        const x = 113.5 + i * 0.001;
        const y = 34.5 + j * 0.001;
        grid.push(feature(rect(x, y, x + 0.0008, y + 0.0008), { name: `格 ${i}-${j}` }));
      }
    }
    const dense = await upload(system, admin, '密集图层', '生态红线', collection(...grid));
    expect(dense.statusCode, dense.body).toBe(201);
    const denseId = dense.json().id as string;
    const box: [number, number, number, number] = [113.49, 34.49, 113.52, 34.51];
    // The service itself, with a threshold a test can reach (the route uses 10,000).
    const staffActor: Actor = {
      userId: '00000000-0000-4000-8000-000000000001',
      username: 'admin',
      displayName: '管理员',
      role: 'admin',
      departmentCode: null,
      enterpriseId: null,
    };
    const summary = await layerFeatures(system.ctx.db, staffActor, denseId, box, { zoom: 11 }, 20);
    expect(summary.summarised).toBe(true);
    expect(summary.nextAfter).toBeNull();
    expect(summary.features.every((f) => f.id < 0)).toBe(true);
    expect(summary.features.reduce((n, f) => n + Number((f.properties as { count?: number }).count), 0)).toBe(
      30,
    );
    expect(summary.features.length).toBeLessThan(30);
    const few = await layerFeatures(system.ctx.db, staffActor, denseId, box, { zoom: 11 }, 30);
    expect(few.summarised).toBe(false);
    expect(few.features).toHaveLength(30);
    const street = await layerFeatures(
      system.ctx.db,
      staffActor,
      denseId,
      [113.5, 34.5, 113.5015, 34.5015],
      { zoom: 17 },
      20,
    );
    expect(street.summarised).toBe(false);
    expect(street.features.map((f) => (f.properties as { name?: string }).name).sort()).toEqual([
      '格 0-0',
      '格 0-1',
      '格 1-0',
      '格 1-1',
    ]);

    const applicant = await system.login('applicant');
    expect(
      (
        await upload(
          system,
          applicant,
          'x',
          'ecological_redline',
          collection(feature(rect(113.7, 34.7, 113.71, 34.71))),
        )
      ).statusCode,
    ).toBe(403);
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const { system } = t;
    const admin = await system.login('admin');
    const cases: [string, unknown, string, number, RegExp][] = [
      ['malformed', { type: 'Foo' }, 'ecological_redline', 400, /GeoJSON/],
      ['no features', { type: 'FeatureCollection' }, 'ecological_redline', 400, /features/],
      [
        'self-intersection',
        collection(
          feature({
            type: 'Polygon',
            coordinates: [
              [
                [113.7, 34.7],
                [113.71, 34.71],
                [113.71, 34.7],
                [113.7, 34.71],
                [113.7, 34.7],
              ],
            ],
          }),
        ),
        'ecological_redline',
        400,
        /Self-intersection/,
      ],
      [
        'outside China',
        collection(feature(rect(10, 50, 11, 51))),
        'ecological_redline',
        422,
        /不在中国范围内/,
      ],
      [
        'swapped',
        collection(feature(rect(34.7, 113.7, 34.71, 113.71))),
        'ecological_redline',
        422,
        /swapped/,
      ],
      [
        'unclosed',
        collection(
          feature({
            type: 'Polygon',
            coordinates: [
              [
                [113.7, 34.7],
                [113.71, 34.7],
                [113.71, 34.71],
                [113.7, 34.72],
              ],
            ],
          }),
        ),
        'ecological_redline',
        400,
        /closed/,
      ],
      [
        'point',
        collection(feature({ type: 'Point', coordinates: [113.7, 34.7] })),
        'ecological_redline',
        400,
        /Polygon/,
      ],
      [
        'unknown kind',
        collection(feature(rect(113.7, 34.7, 113.71, 34.71))),
        'volcano',
        400,
        /unknown layer kind/,
      ],
      [
        'plan without landUse',
        collection(feature(rect(113.7, 34.7, 113.71, 34.71))),
        'urban_plan',
        400,
        /landUse/,
      ],
      [
        'unit without assessments',
        collection(feature(rect(113.7, 34.7, 113.71, 34.71))),
        'regional_assessment',
        400,
        /assessments/,
      ],
    ];
    for (const [label, geojson, kind, status, message] of cases) {
      const res = await upload(system, admin, `坏数据 ${label}`, kind, geojson);
      expect(res.statusCode, `${label}: ${res.body}`).toBe(status);
      const err = res.json().error;
      expect(err.message, label).toMatch(message);
      expect(err.field, label).toBeTruthy();
    }
    const layers = (
      await system.app.inject({ method: 'GET', url: '/api/blueprint/layers', headers: admin.headers })
    ).json().layers as { name: string; kind: string; kindName: string }[];
    expect(layers.filter((l) => l.name.startsWith('坏数据'))).toHaveLength(0);
    for (const l of layers) expect(l.kindName, l.kind).toMatch(/^[\u4e00-\u9fff]+$/);

    // Over 20 MB: refused before parsing.
    const big = collection(
      ...Array.from({ length: 1 }, () =>
        feature(rect(113.7, 34.7, 113.71, 34.71), { pad: 'x'.repeat(21 * 1024 * 1024) }),
      ),
    );
    const res = await upload(system, admin, '过大', 'ecological_redline', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('measures areas on the ellipsoid and gives the verdicts', async () => {
    const { system } = t;
    const user = await system.login('applicant');

    // A 0.01° square at lat 34.7, inside the urban boundary, clear of control lines.
    const square = await siteCheck(system, user, rect(113.62, 34.7, 113.63, 34.71));
    const expected = ellipsoidRectArea(113.62, 34.7, 113.63, 34.71);
    // Cross-check the formula with a sphere of the mean radius (≈ 915 m × 1109 m ≈ 1.016 km²).
    const R = 6371008.8;
    const sphere =
      R * R * 0.01 * (Math.PI / 180) * (Math.sin(34.71 * (Math.PI / 180)) - Math.sin(34.7 * (Math.PI / 180)));
    expect(Math.abs(expected - sphere) / sphere).toBeLessThan(0.005);
    expect(Math.abs(square.siteAreaM2 - expected) / expected).toBeLessThan(0.01);
    expect(square.verdict).toBe('clear');
    expect(square.conflicts).toHaveLength(0);

    // Half over the red-line square → blocked, ratio 0.5.
    const half = await siteCheck(system, user, rect(113.705, 34.7, 113.715, 34.71));
    expect(half.verdict).toBe('blocked');
    expect(half.conflicts).toHaveLength(1);
    const c = half.conflicts[0];
    expect(c).toMatchObject({
      layerKind: 'ecological_redline',
      layerName: '测试生态红线',
      featureName: 'R1',
    });
    expect(Math.abs(c.overlapRatio - 0.5)).toBeLessThan(0.005);
    const expectedOverlap = ellipsoidRectArea(113.705, 34.7, 113.71, 34.71);
    expect(Math.abs(c.overlapAreaM2 - expectedOverlap) / expectedOverlap).toBeLessThan(0.01);

    // Over basic farmland (outside the urban boundary too) → blocked.
    const farm = await siteCheck(system, user, rect(113.805, 34.705, 113.806, 34.706));
    expect(farm.verdict).toBe('blocked');
    expect(farm.conflicts[0].layerKind).toBe('basic_farmland');
    expect(farm.conflicts[0].layerKindName).toBe('永久基本农田');
    expect(farm.conflicts[0].overlapRatio).toBeCloseTo(1, 3);

    // Outside the (current, version 2) urban boundary → warning; touching a red line's edge is no conflict.
    const outside = await siteCheck(system, user, rect(113.76, 34.72, 113.77, 34.73));
    expect(outside.verdict).toBe('warning');
    expect(outside.urbanBoundary.outsideAreaM2).toBeGreaterThan(1_000_000);
    const inV2 = await siteCheck(system, user, rect(113.72, 34.72, 113.73, 34.73));
    expect(inV2.verdict).toBe('clear');
    const edge = await siteCheck(system, user, rect(113.71, 34.7, 113.72, 34.71));
    expect(edge.verdict).toBe('clear');

    // Regional assessment units covering the site.
    expect(square.coveredAssessments.sort()).toEqual(['environmental_impact', 'seismic_safety']);
    // A person reads the names, in the same order as the codes.
    expect(square.coveredAssessmentNames).toEqual(
      square.coveredAssessments.map((c: string) =>
        c === 'environmental_impact' ? '环境影响评价' : '地震安全性评价',
      ),
    );
    expect(square.regionalAssessments[0].assessmentNames).toContain('环境影响评价');
    expect(square.regionalAssessments[0]).toMatchObject({ unitCode: 'QYPG-410100-001' });
    // Partly outside the unit: listed, but not covered.
    const partly = await siteCheck(system, user, rect(113.645, 34.7, 113.655, 34.71));
    expect(partly.regionalAssessments).toHaveLength(1);
    expect(partly.coveredAssessments).toEqual([]);

    const bad = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/site-checks',
      headers: user.headers,
      payload: {
        site: {
          type: 'Polygon',
          coordinates: [
            [
              [113.7, 34.7],
              [113.71, 34.71],
              [113.71, 34.7],
              [113.7, 34.71],
              [113.7, 34.7],
            ],
          ],
        },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/Self-intersection/);
  });

  it('finds the regional assessments covering a registered project', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const tpl = await system.ctx.db
      .selectFrom('processTemplateVersion')
      .select('code')
      .executeTakeFirstOrThrow();
    const project = await registerProject(system, applicant, { templateCode: tpl.code });
    const cover = await regionalAssessmentsForProject(system.ctx.db, project.id);
    expect(cover.covered.sort()).toEqual(['environmental_impact', 'seismic_safety']);
    expect(cover.units[0]!.unitCode).toBe('QYPG-410100-001');
  });
});

describeEachSystem('blueprint 差异图斑 analyses', (t) => {
  async function plans(system: TestSystem, admin: Session) {
    const a = await upload(
      system,
      admin,
      '总体规划A',
      'urban_plan',
      collection(feature(rect(113.9, 34.8, 113.92, 34.81), { landUse: 'R2' })),
    );
    const b = await upload(
      system,
      admin,
      '控规B',
      'land_use_plan',
      collection(
        feature(rect(113.9, 34.8, 113.91, 34.81), { landUse: 'R2' }),
        feature(rect(113.91, 34.8, 113.93, 34.81), { landUse: 'M1' }),
      ),
    );
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    return { layerA: a.json().id as string, layerB: b.json().id as string };
  }

  it('finds the patches where two plans disagree, with their areas, and exports them', async () => {
    const { system } = t;
    const admin = await system.login('admin');
    const { layerA, layerB } = await plans(system, admin);
    const start = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/difference-analyses',
      headers: admin.headers,
      payload: { layerA, layerB },
    });
    expect(start.statusCode, start.body).toBe(202);
    expect(start.json().status).toBe('queued');
    const id = start.json().id as string;
    // Runs in-process here (no job runner in API tests); calling it again is harmless.
    await runDifferenceAnalysis(system.ctx.db, id, () => new Date());
    let result: { status: string; [k: string]: unknown } = { status: 'queued' };
    for (let i = 0; i < 100 && result.status !== 'done'; i++) {
      result = (
        await system.app.inject({
          method: 'GET',
          url: `/api/blueprint/difference-analyses/${id}`,
          headers: admin.headers,
        })
      ).json();
      if (result.status !== 'done') await new Promise((r) => setTimeout(r, 100));
    }
    expect(result.status).toBe('done');
    const expected = ellipsoidRectArea(113.91, 34.8, 113.92, 34.81);
    expect(result.patchCount).toBe(1);
    expect(result.progress).toEqual({ processed: 1, total: 1 });
    expect(Math.abs((result.totalAreaM2 as number) - expected) / expected).toBeLessThan(0.01);
    const patch = (result.patches as { features: { properties: Record<string, unknown> }[] }).features[0]!;
    expect(patch.properties).toMatchObject({ landUseA: 'R2', landUseB: 'M1' });

    const exported = await system.app.inject({
      method: 'GET',
      url: `/api/blueprint/difference-analyses/${id}/export.geojson`,
      headers: admin.headers,
    });
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
    expect(JSON.parse(exported.body).features).toHaveLength(1);

    const reviewer = await system.login('sthj.reviewer');
    const refused = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/difference-analyses',
      headers: reviewer.headers,
      payload: { layerA, layerB },
    });
    expect(refused.statusCode).toBe(403);
    const zrzy = await system.login('zrzy.reviewer');
    const redline = await upload(
      system,
      admin,
      '红线X',
      'ecological_redline',
      collection(feature(rect(113.7, 34.7, 113.71, 34.71))),
    );
    const notPlan = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/difference-analyses',
      headers: zrzy.headers,
      payload: { layerA, layerB: redline.json().id },
    });
    expect(notPlan.statusCode).toBe(422);
  });

  it('runs through pg-boss: the job and the analysis row are created together', async () => {
    const { system } = t;
    const admin = await system.login('admin');
    const layers = (
      await system.app.inject({ method: 'GET', url: '/api/blueprint/layers', headers: admin.headers })
    ).json().layers as {
      id: string;
      name: string;
    }[];
    const layerA = layers.find((l) => l.name === '总体规划A')!.id;
    const layerB = layers.find((l) => l.name === '控规B')!.id;
    const jobs = await startJobs(system.database, system.ctx.config);
    try {
      await registerBlueprintWorkers({ ...system.ctx, jobs });
      const actor = {
        userId: (
          await system.ctx.db
            .selectFrom('appUser')
            .select('id')
            .where('username', '=', 'admin')
            .executeTakeFirstOrThrow()
        ).id,
        username: 'admin',
        displayName: 'admin',
        role: 'admin' as const,
        departmentCode: null,
        enterpriseId: null,
      };
      const { id } = await startDifferenceAnalysis(system.ctx.db, jobs, actor, new Date(), {
        layerA,
        layerB,
      });
      let status = 'queued';
      for (let i = 0; i < 120 && status !== 'done' && status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (
          await system.ctx.db
            .selectFrom('differenceAnalysis')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).status;
      }
      expect(status).toBe('done');
    } finally {
      await jobs.stop({ graceful: false, wait: true });
    }
  });
});

describeEachSystem('blueprint 策划生成 and early opinions', (t) => {
  it('asks each department once, with a working-day deadline, and carries the conditions', async () => {
    const { system } = t;
    const agent = await system.login('agent');
    const { enterpriseId } = await system.ctx.db
      .selectFrom('appUser')
      .select('enterpriseId')
      .where('username', '=', 'applicant')
      .executeTakeFirstOrThrow();
    const res = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/planned-projects',
      headers: agent.headers,
      payload: {
        name: '策划项目 物流园',
        site: rect(113.62, 34.72, 113.625, 34.725),
        departments: ['zrzy', 'sthj'],
        workingDays: 5,
        enterpriseId,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const planned = res.json();
    // 2026-03-02 (Monday) + 5 working days = 2026-03-09.
    expect(
      planned.opinions.map((o: { departmentCode: string; deadline: string; status: string }) => [
        o.departmentCode,
        o.deadline,
        o.status,
      ]),
    ).toEqual([
      ['sthj', '2026-03-09', 'pending'],
      ['zrzy', '2026-03-09', 'pending'],
    ]);
    expect(planned.siteCheck.verdict).toBe('clear');

    const sthj = await system.login('sthj.reviewer');
    const answer = (s: Session, body: { opinion: string; conditions: string[] }) =>
      system.app.inject({
        method: 'POST',
        url: `/api/blueprint/planned-projects/${planned.id}/opinions`,
        headers: s.headers,
        payload: body,
      });
    const ok = await answer(sthj, {
      opinion: '同意，纳入区域环评',
      conditions: ['落实雨污分流', '施工期扬尘治理'],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(
      ok.json().opinions.find((o: { departmentCode: string }) => o.departmentCode === 'sthj').status,
    ).toBe('answered');
    const twice = await answer(sthj, { opinion: '再次', conditions: [] });
    expect(twice.statusCode).toBe(409);
    const cjj = await system.login('cjj.reviewer');
    const other = await answer(cjj, { opinion: '越权', conditions: [] });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN_SCOPE');
    const applicant = await system.login('applicant');
    expect((await answer(applicant, { opinion: 'x', conditions: [] })).statusCode).toBe(403);

    const { plannedProjectConditions } = await import('./planned.service');
    const carried = await plannedProjectConditions(system.ctx.db, planned.id);
    expect(carried.conditions).toEqual(['市生态环境局: 落实雨污分流', '市生态环境局: 施工期扬尘治理']);
    expect(carried.pending).toEqual(['zrzy']);

    const bad = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/planned-projects',
      headers: agent.headers,
      payload: {
        name: 'x',
        site: rect(113.62, 34.72, 113.625, 34.725),
        departments: ['nosuch'],
        workingDays: 5,
        enterpriseId,
      },
    });
    expect(bad.statusCode).toBe(400);
    const window = await system.login('window');
    const refused = await system.app.inject({
      method: 'POST',
      url: '/api/blueprint/planned-projects',
      headers: window.headers,
      payload: {
        name: 'x',
        site: rect(113.62, 34.72, 113.625, 34.725),
        departments: ['zrzy'],
        workingDays: 5,
        enterpriseId,
      },
    });
    expect(refused.statusCode).toBe(403);
  });
});

describeEachSystem('blueprint demo layers', (t) => {
  it('loads the synthetic set once; the known-clear zone is clear, the example red line blocks', async () => {
    const { system } = t;
    const first = await seedDemoLayers(system.ctx.db);
    expect(first.layers).toBe(7);
    expect(first.features).toBeGreaterThan(2000);
    expect((await seedDemoLayers(system.ctx.db)).layers).toBe(0);
    const user = await system.login('applicant');
    const z = CLEAR_ZONE;
    const clear = await siteCheck(system, user, rect(z.minLon, z.minLat, z.maxLon, z.maxLat));
    expect(clear.verdict).toBe('clear');
    expect(clear.urbanBoundary.loaded).toBe(true);
    const r = DEMO_REDLINE_EXAMPLE;
    const blocked = await siteCheck(system, user, rect(r.minLon - 0.005, 34.72, r.minLon + 0.005, 34.73));
    expect(blocked.verdict).toBe('blocked');
    expect(blocked.conflicts[0].featureName).toBe(r.name);
    expect(blocked.conflicts[0].overlapRatio).toBeCloseTo(0.5, 2);

    // The synthetic district boundaries: every demo box is a listed district, the test factories' sites
    // lie in 中原区, and a Beijing site filed under 410102 is refused.
    const listed = (
      await system.app.inject({ method: 'GET', url: '/api/districts', headers: { cookie: user.cookie } })
    ).json().districts as { code: string; boundaryLoaded: boolean }[];
    for (const d of DEMO_DISTRICT_BOXES) {
      expect(listed.find((x) => x.code === d.adcode)?.boundaryLoaded, d.adcode).toBe(true);
    }
    const tpl = 'SOCIAL_TRANSFER';
    for (const offset of [0, 29, 60, 95]) {
      const project = await registerProject(system, user, { templateCode: tpl, offset });
      const view = (
        await system.app.inject({
          method: 'GET',
          url: `/api/projects/${project.id}`,
          headers: { cookie: user.cookie },
        })
      ).json();
      expect(view.siteCheck.district).toMatchObject({
        code: CLEAR_SITE_DISTRICT,
        boundaryLoaded: true,
        inside: true,
      });
    }
    const beijing = await system.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: user.headers,
      payload: {
        name: '北京选址项目',
        templateCode: tpl,
        totalInvestment: 8000,
        districtCode: '410102',
        site: rect(116.39, 39.9, 116.391, 39.901),
        plannedStart: '2026-06-01',
        plannedCompletion: '2028-06-01',
      },
    });
    expect(beijing.statusCode, beijing.body).toBe(422);
    expect(beijing.json().error.field).toBe('body.districtCode');
  });
});
