import { describe, expect, it } from 'vitest';
import { processTemplates } from '../templates/template.data';
import {
  acceptsNewApplication,
  approvalTypeProblem,
  defaultApprovalType,
  plannedStartProblem,
  resolveAttributes,
  districtCodeProblem,
  projectCode,
  siteAreaProblem,
  siteShapeProblem,
  stageStates,
  type ApplicationShape,
  type SiteGeometry,
} from './project.rules';
import { translateValidityReason } from './site.rules';

const square: SiteGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [113.62, 34.72],
      [113.621, 34.72],
      [113.621, 34.721],
      [113.62, 34.721],
      [113.62, 34.72],
    ],
  ],
};

describe('districtCodeProblem', () => {
  it('accepts Zhengzhou districts and any province 11–65', () => {
    expect(districtCodeProblem('410102')).toBeNull();
    expect(districtCodeProblem('410122')).toBeNull();
    expect(districtCodeProblem('110101')).toBeNull();
    expect(districtCodeProblem('650000')).toBeNull();
  });
  it('explains what is wrong', () => {
    expect(districtCodeProblem('41010')).toMatch(/6 位/);
    expect(districtCodeProblem('4101a2')).toMatch(/6 位/);
    expect(districtCodeProblem('990102')).toMatch(/11–65/);
    expect(districtCodeProblem('100102')).toMatch(/11–65/);
    expect(districtCodeProblem('410012')).toMatch(/地市级/);
  });
});

describe('projectCode', () => {
  it('formats 年份-行政区划-行业-类型-流水号 with a six-digit serial', () => {
    expect(
      projectCode({
        year: 2026,
        districtCode: '410122',
        industryCode: '47',
        approvalType: '03',
        serial: 123,
      }),
    ).toBe('2026-410122-47-03-000123');
  });
  it('refuses a serial beyond 999999', () => {
    expect(() =>
      projectCode({
        year: 2026,
        districtCode: '410122',
        industryCode: '47',
        approvalType: '03',
        serial: 1_000_000,
      }),
    ).toThrow(RangeError);
  });
  it('defaults the approval type from the investment source', () => {
    expect(defaultApprovalType('government')).toBe('01');
    expect(defaultApprovalType('social')).toBe('03');
    expect(defaultApprovalType('social', true)).toBe('02');
    expect(defaultApprovalType('government', true)).toBe('01');
  });
});

describe('registration that cannot contradict itself', () => {
  const template = (code: string) => processTemplates.find((t) => t.code === code)!;
  const facts = { totalInvestment: 9000, withinRegionalAssessment: true };

  it('defaults investment source and land supply from the template, the rest from the defaults', () => {
    const { attributes, problems } = resolveAttributes(template('GOV_BUILDING'), {}, facts);
    expect(problems).toEqual([]);
    expect(attributes).toMatchObject({
      investmentSource: 'government',
      landSupplyMethod: 'allocation',
      hasCivilAirDefence: false,
      totalInvestment: 9000,
      withinRegionalAssessment: true,
    });
  });

  it('names the contradicting field', () => {
    const social = resolveAttributes(
      template('SOCIAL_TRANSFER'),
      { investmentSource: 'government', landSupplyMethod: 'allocation' },
      facts,
    );
    expect(social.problems.map((p) => p.field)).toEqual([
      'body.attributes.investmentSource',
      'body.attributes.landSupplyMethod',
    ]);
    expect(social.problems[0]!.message).toContain('社会投资');
    // A template allowing a set accepts any of it.
    expect(
      resolveAttributes(template('WATER_WORKS'), { investmentSource: 'social' }, facts).problems,
    ).toEqual([]);
  });

  it('ignores what the applicant says about facts the system holds', () => {
    const { attributes } = resolveAttributes(
      template('SOCIAL_TRANSFER'),
      { withinRegionalAssessment: true } as never,
      { totalInvestment: 1, withinRegionalAssessment: false },
    );
    expect(attributes.withinRegionalAssessment).toBe(false);
    expect(attributes.totalInvestment).toBe(1);
  });

  it('takes 核准 as the answer to requiresVerification when that is not given', () => {
    const given = resolveAttributes(template('SOCIAL_TRANSFER'), {}, { ...facts, approvalType: '02' });
    expect(given.attributes.requiresVerification).toBe(true);
  });

  it('fits the approval type to the investment source', () => {
    expect(
      approvalTypeProblem('01', { investmentSource: 'government', requiresVerification: false }),
    ).toBeNull();
    expect(
      approvalTypeProblem('03', { investmentSource: 'government', requiresVerification: false })?.field,
    ).toBe('body.approvalType');
    expect(approvalTypeProblem('02', { investmentSource: 'social', requiresVerification: true })).toBeNull();
    expect(
      approvalTypeProblem('03', { investmentSource: 'social', requiresVerification: true }),
    ).not.toBeNull();
    expect(
      approvalTypeProblem('01', { investmentSource: 'social', requiresVerification: false }),
    ).not.toBeNull();
  });

  it('refuses a planned start before today, accepts today', () => {
    expect(plannedStartProblem('2026-03-01', '2026-03-02')?.field).toBe('body.plannedStart');
    expect(plannedStartProblem('2026-03-02', '2026-03-02')).toBeNull();
  });
});

describe('siteShapeProblem', () => {
  it('accepts a closed square in Zhengzhou', () => {
    expect(siteShapeProblem(square)).toBeNull();
    expect(
      siteShapeProblem({ type: 'MultiPolygon', coordinates: [square.coordinates as number[][][]] }),
    ).toBeNull();
  });
  it('refuses an unclosed ring', () => {
    const open: SiteGeometry = {
      type: 'Polygon',
      coordinates: [(square.coordinates[0] as number[][]).slice(0, 4).concat([[113.6205, 34.7205]])],
    };
    expect(siteShapeProblem(open)).toMatch(/未闭合/);
  });
  it('refuses a ring with too few positions', () => {
    expect(
      siteShapeProblem({
        type: 'Polygon',
        coordinates: [
          [
            [113.62, 34.72],
            [113.63, 34.72],
            [113.62, 34.72],
          ],
        ],
      }),
    ).toMatch(/4 个坐标点/);
  });
  it('hints at swapped latitude and longitude', () => {
    const swapped: SiteGeometry = {
      type: 'Polygon',
      coordinates: [(square.coordinates[0] as number[][]).map(([lon, lat]) => [lat!, lon!])],
    };
    expect(siteShapeProblem(swapped)).toMatch(/颠倒/);
  });
  it('refuses a site outside China', () => {
    const paris: SiteGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [2.35, 48.85],
          [2.36, 48.85],
          [2.36, 48.86],
          [2.35, 48.85],
        ],
      ],
    };
    expect(siteShapeProblem(paris)).toMatch(/不在中国范围/);
  });
});

describe('siteAreaProblem', () => {
  it('wants more than 0 and less than 100 km²', () => {
    expect(siteAreaProblem(0)).toMatch(/为 0/);
    expect(siteAreaProblem(100_000_000)).toMatch(/100 km²/);
    expect(siteAreaProblem(10_000)).toBeNull();
  });
});

describe('stageStates', () => {
  const stages = [
    { nationalStage: 1 },
    { nationalStage: 2 },
    { nationalStage: 3 },
    { nationalStage: 4 },
    { nationalStage: 5 },
  ];
  const app = (
    stage: number,
    status: ApplicationShape['status'],
    at = '2026-03-02T09:00:00Z',
    id = `a${stage}`,
  ): ApplicationShape => ({
    id,
    stage,
    status,
    submittedAt: new Date(at),
  });

  it('opens stage 1 and stage 5 at the start, the rest locked', () => {
    expect(stageStates(stages, []).map((s) => s.status)).toEqual([
      'open',
      'locked',
      'locked',
      'locked',
      'open',
    ]);
  });

  it('opens the next stage when the previous one is completed', () => {
    const states = stageStates(stages, [app(1, 'completed')]);
    expect(states.map((s) => s.status)).toEqual(['completed', 'open', 'locked', 'locked', 'open']);
    expect(states[0]!.applicationId).toBe('a1');
  });

  it('keeps the next stage locked while the previous one is only accepted', () => {
    expect(stageStates(stages, [app(1, 'accepted')]).map((s) => s.status)).toEqual([
      'accepted',
      'locked',
      'locked',
      'locked',
      'open',
    ]);
  });

  it('opens a parallelWithPrevious stage together with its predecessor', () => {
    const parallel = [
      { nationalStage: 1 },
      { nationalStage: 2, parallelWithPrevious: true },
      { nationalStage: 3 },
    ];
    expect(stageStates(parallel, []).map((s) => s.status)).toEqual(['open', 'open', 'locked']);
  });

  it('treats a merged stage [2,3] as both stages', () => {
    const merged = [
      { nationalStage: 1 },
      { nationalStage: 2, mergedStages: [2, 3] },
      { nationalStage: 4 },
      { nationalStage: 5 },
    ];
    expect(stageStates(merged, [app(1, 'completed')]).map((s) => s.status)).toEqual([
      'completed',
      'open',
      'locked',
      'open',
    ]);
    // An application filed as stage 3 speaks for the merged stage too.
    const done = stageStates(merged, [app(1, 'completed'), app(3, 'completed')]);
    expect(done.map((s) => s.status)).toEqual(['completed', 'completed', 'open', 'open']);
    expect(done[1]!.applicationId).toBe('a3');
  });

  it('shows a refused stage as refused and lets a new application in; a newer submission wins', () => {
    const refused = stageStates(stages, [app(1, 'refused', '2026-03-02T09:00:00Z', 'old')]);
    expect(refused[0]!.status).toBe('refused');
    expect(acceptsNewApplication(refused[0]!.status)).toBe(true);
    const again = stageStates(stages, [
      app(1, 'refused', '2026-03-02T09:00:00Z', 'old'),
      app(1, 'submitted', '2026-03-03T09:00:00Z', 'new'),
    ]);
    expect(again[0]).toEqual({ nationalStage: 1, status: 'submitted', applicationId: 'new' });
    expect(acceptsNewApplication('submitted')).toBe(false);
    expect(acceptsNewApplication('locked')).toBe(false);
  });
});

describe('translateValidityReason', () => {
  it('names the reason in Chinese and keeps the location and the original text', () => {
    expect(translateValidityReason('Self-intersection[113.6205 34.7205]')).toBe(
      '用地范围多边形无效：多边形自相交，例如边界画成了"8"字形 (self-intersection)，位置 113.6205 34.7205 (invalid site polygon: Self-intersection[113.6205 34.7205])',
    );
    expect(translateValidityReason('Something new')).toMatch(/Something new/);
  });
});
