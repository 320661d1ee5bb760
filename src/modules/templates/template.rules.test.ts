import { describe, expect, it } from 'vitest';
import { catalogItems } from '../catalog/catalog.data';
import { indexItems } from '../catalog/catalog.rules';
import type { Item } from '../catalog/catalog.schemas';
import { processTemplates } from './template.data';
import {
  applicableItems,
  blockersOf,
  dependentsOf,
  evaluateCondition,
  itemOrder,
  stageTimeLimit,
  TARGET_TOTAL_WORKING_DAYS,
  templateView,
  validateTemplate,
} from './template.rules';
import {
  type Condition,
  ConditionSchema,
  defaultProjectAttributes,
  type ProjectAttributes,
  TemplateDefinitionSchema,
  type TemplateDefinition,
  type TemplateItem,
  type TemplateStage,
} from './template.schemas';

const items = indexItems(catalogItems);

function template(code: string): TemplateDefinition {
  const found = processTemplates.find((t) => t.code === code);
  if (!found) throw new Error(`missing template ${code}`);
  return found;
}

function stageOf(def: TemplateDefinition, nationalStage: number): TemplateStage {
  const found = def.stages.find((s) => s.nationalStage === nationalStage);
  if (!found) throw new Error(`missing stage ${nationalStage}`);
  return found;
}

const attrs = (overrides: Partial<ProjectAttributes>): ProjectAttributes => ({
  ...defaultProjectAttributes,
  ...overrides,
});
const codes = (list: TemplateItem[]) => list.map((ti) => ti.itemCode);

const ti = (itemCode: string, prerequisites: string[] = [], milestone = true): TemplateItem => ({
  itemCode,
  milestone,
  condition: null,
  prerequisites,
  simulatedUntil: null,
  requiredBefore: null,
});

function testItem(code: string, days: number, stage = 1): Item {
  return {
    ...catalogItems[0]!,
    code,
    name: `测试事项 ${code}`,
    stage,
    promisedTimeLimitDays: days,
    legalTimeLimitDays: Math.max(days, 20),
  };
}

function testStage(nationalStage: number, stageItems: TemplateItem[]): TemplateStage {
  return {
    nationalStage,
    name: `阶段${nationalStage}`,
    leadDepartmentCode: 'fgw',
    mergedStages: [nationalStage],
    completionRule: 'all_milestones',
    parallelWithPrevious: false,
    items: stageItems,
  };
}

describe('shipped templates', () => {
  it('has the nine Zhengzhou project types', () => {
    expect(processTemplates.map((t) => t.name)).toEqual([
      '政府投资房屋建筑类项目',
      '社会投资类建设项目(出让类用地)',
      '社会投资类建设项目(划拨类用地)',
      '社会投资类带方案出让类项目',
      '政府投资基础设施线性工程类项目',
      '社会投资类中小型工程建设项目',
      '水利工程类项目',
      '政府投资基础设施公路工程类项目',
      '电力工程类项目',
    ]);
  });

  it.each(processTemplates.map((t) => [t.code, t] as const))(
    '%s parses, validates and stays within 100 days',
    (_code, def) => {
      expect(TemplateDefinitionSchema.safeParse(def).success).toBe(true);
      expect(validateTemplate(def, items)).toEqual([]);
      const view = templateView(def, items);
      expect(view.totalWorkingDays).toBeGreaterThan(0);
      expect(view.totalWorkingDays).toBeLessThanOrEqual(TARGET_TOTAL_WORKING_DAYS);
    },
  );

  it('leads stages as the plan says (§(六))', () => {
    for (const def of processTemplates) {
      expect(stageOf(def, 1).leadDepartmentCode).toBe('fgw');
      expect(stageOf(def, 2).leadDepartmentCode).toBe('zrzy');
      for (const s of def.stages.filter((st) => st.nationalStage === 3 || st.nationalStage === 4)) {
        expect(['cjj', 'zdxmb']).toContain(s.leadDepartmentCode);
      }
    }
  });

  it('computes the government building total from its critical paths', () => {
    const view = templateView(template('GOV_BUILDING'), items);
    // Stage 1: 压覆矿产 7 → 国有土地使用权审核 10 → 建设用地批准书 3 = 20.
    expect(view.stages.find((s) => s.nationalStage === 1)?.timeLimitWorkingDays).toBe(20);
    // Stage 3: 联合审图 10 → 消防设计审查 3 → 施工许可 3 = 16.
    expect(view.stages.find((s) => s.nationalStage === 3)?.timeLimitWorkingDays).toBe(16);
    const mainLine = view.stages
      .filter((s) => s.nationalStage !== 5)
      .reduce((sum, s) => sum + s.timeLimitWorkingDays, 0);
    expect(view.totalWorkingDays).toBe(mainLine);
  });
});

describe('带方案出让 (任务35)', () => {
  const def = template('SOCIAL_TRANSFER_WITH_DESIGN');

  it('merges 工程建设许可 and 施工许可 into one stage counted once', () => {
    const merged = def.stages.filter((s) => s.mergedStages.length > 1);
    expect(merged.map((s) => s.mergedStages)).toEqual([[2, 3]]);
    expect(def.stages.some((s) => s.nationalStage === 3)).toBe(false);
    const view = templateView(def, items);
    const sum = view.stages
      .filter((s) => s.nationalStage !== 5)
      .reduce((total, s) => total + s.timeLimitWorkingDays, 0);
    expect(view.totalWorkingDays).toBe(sum);
  });

  it('has no 设计方案审查 and the validator refuses one', () => {
    const allCodes = def.stages.flatMap((s) => codes(s.items));
    expect(allCodes).not.toContain('ZZ-ZRZY-006');
    const withReview: TemplateDefinition = {
      ...def,
      stages: def.stages.map((s) =>
        s.mergedStages.length > 1 ? { ...s, items: [...s.items, ti('ZZ-ZRZY-006')] } : s,
      ),
    };
    expect(validateTemplate(withReview, items).map((i) => i.code)).toContain('DESIGN_REVIEW_NOT_ALLOWED');
  });

  it('requires the merged stage for process type 5', () => {
    const unmerged: TemplateDefinition = { ...template('SOCIAL_TRANSFER'), nationalProcessType: '5' };
    expect(validateTemplate(unmerged, items).map((i) => i.code)).toEqual(
      expect.arrayContaining(['MERGED_STAGE_REQUIRED', 'DESIGN_REVIEW_NOT_ALLOWED']),
    );
  });
});

describe('conditions', () => {
  const govStage1 = stageOf(template('GOV_BUILDING'), 1);
  const government = attrs({
    investmentSource: 'government',
    landSupplyMethod: 'allocation',
    newConstructionLand: true,
  });

  it('asks for 项目建议书 from 5000万 of government investment', () => {
    expect(codes(applicableItems(govStage1, { ...government, totalInvestment: 5000 }))).toContain(
      'ZZ-FGW-001',
    );
    expect(codes(applicableItems(govStage1, { ...government, totalInvestment: 4999 }))).not.toContain(
      'ZZ-FGW-001',
    );
  });

  it('drops 项目建议书 and 可研 for projects listed in the investment plan (任务24)', () => {
    const listed = codes(
      applicableItems(govStage1, { ...government, totalInvestment: 9000, listedInInvestmentPlan: true }),
    );
    expect(listed).not.toContain('ZZ-FGW-001');
    expect(listed).not.toContain('ZZ-FGW-002');
  });

  it('skips 用地预审 for transferred land (任务26) and without new construction land (任务27)', () => {
    expect(codes(applicableItems(govStage1, government))).toContain('ZZ-ZRZY-001');
    expect(codes(applicableItems(govStage1, { ...government, landSupplyMethod: 'transfer' }))).not.toContain(
      'ZZ-ZRZY-001',
    );
    expect(codes(applicableItems(govStage1, { ...government, newConstructionLand: false }))).not.toContain(
      'ZZ-ZRZY-001',
    );
  });

  it('asks for 防空地下室建设审批 only with civil air defence', () => {
    const stage2 = stageOf(template('SOCIAL_TRANSFER'), 2);
    expect(codes(applicableItems(stage2, attrs({ hasCivilAirDefence: true })))).toContain('ZZ-RFB-003');
    expect(codes(applicableItems(stage2, attrs({ hasCivilAirDefence: false })))).not.toContain('ZZ-RFB-003');
  });

  it('gives 甲级 design firms the commitment-based exemption instead of the joint review (任务30)', () => {
    const stage3 = stageOf(template('SOCIAL_TRANSFER'), 3);
    const big = { totalInvestment: 8000, buildingArea: 20000 };
    const gradeA = applicableItems(stage3, attrs({ ...big, designFirmGradeA: true }));
    expect(codes(gradeA)).toContain('ZZ-STSC-002');
    expect(codes(gradeA)).not.toContain('ZZ-STSC-001');
    // 施工许可 still waits for the exemption: the non-applicable prerequisites are dropped.
    expect(gradeA.find((t) => t.itemCode === 'ZZ-CJJ-001')?.prerequisites).toEqual(['ZZ-STSC-002']);
  });

  it('evaluates every operator and combinator', () => {
    const a = attrs({ totalInvestment: 100, landSupplyMethod: 'allocation' });
    const check = (c: Condition) => evaluateCondition(c, a);
    expect(check({ attr: 'totalInvestment', op: 'gt', value: 99 })).toBe(true);
    expect(check({ attr: 'totalInvestment', op: 'gte', value: 100 })).toBe(true);
    expect(check({ attr: 'totalInvestment', op: 'lt', value: 100 })).toBe(false);
    expect(check({ attr: 'totalInvestment', op: 'lte', value: 100 })).toBe(true);
    expect(check({ attr: 'landSupplyMethod', op: 'ne', value: 'transfer' })).toBe(true);
    expect(check({ attr: 'landSupplyMethod', op: 'in', value: ['allocation', 'existing'] })).toBe(true);
    expect(
      check({
        all: [
          { attr: 'isSmallProject', op: 'eq', value: false },
          { not: { attr: 'totalInvestment', op: 'eq', value: 100 } },
        ],
      }),
    ).toBe(false);
    expect(
      check({
        any: [
          { attr: 'isSmallProject', op: 'eq', value: true },
          { attr: 'totalInvestment', op: 'eq', value: 100 },
        ],
      }),
    ).toBe(true);
    expect(evaluateCondition(null, a)).toBe(true);
  });

  it('keeps conditions as validated data', () => {
    expect(
      ConditionSchema.safeParse({ all: [{ attr: 'totalInvestment', op: 'gte', value: 5000 }] }).success,
    ).toBe(true);
    expect(ConditionSchema.safeParse({ attr: 'noSuchAttribute', op: 'eq', value: 1 }).success).toBe(false);
    expect(ConditionSchema.safeParse({ attr: 'totalInvestment', op: 'gte', value: 'big' }).success).toBe(
      false,
    );
    expect(ConditionSchema.safeParse({ attr: 'landSupplyMethod', op: 'in', value: 'transfer' }).success).toBe(
      false,
    );
    expect(ConditionSchema.safeParse({ attr: 'landSupplyMethod', op: 'eq', value: 'sold' }).success).toBe(
      false,
    );
  });
});

describe('applicableItems', () => {
  it('inherits the prerequisites of a dropped item', () => {
    const stage = testStage(1, [
      ti('A'),
      { ...ti('B', ['A']), condition: { attr: 'isSmallProject', op: 'eq', value: true } },
      ti('C', ['B']),
    ]);
    const result = applicableItems(stage, attrs({ isSmallProject: false }));
    expect(codes(result)).toEqual(['A', 'C']);
    expect(result.find((t) => t.itemCode === 'C')?.prerequisites).toEqual(['A']);
  });
});

describe('itemOrder (order across stages, 任务19)', () => {
  const social = attrs({ totalInvestment: 8000, buildingArea: 20000 });

  it('orders 立项 before 建设用地规划许可, 方案审查 before 规划许可 and 审图 + 规划许可 before 施工许可', () => {
    const order = itemOrder(template('SOCIAL_TRANSFER'), social);
    // 备案 applies (not in the 核准 list), 核准 does not and is dropped.
    expect(order.get('ZZ-ZRZY-002')?.prerequisites).toEqual(['ZZ-FGW-005']);
    expect(order.has('ZZ-FGW-004')).toBe(false);
    expect(order.get('ZZ-ZRZY-007')).toEqual({
      prerequisites: ['ZZ-ZRZY-006'],
      requiredBefore: null,
      nationalStage: 2,
    });
    expect(order.get('ZZ-CJJ-001')?.prerequisites).toEqual(['ZZ-STSC-001', 'ZZ-ZRZY-007']);
    expect(order.get('ZZ-CJJ-001')?.nationalStage).toBe(3);
    const verified = itemOrder(template('SOCIAL_TRANSFER'), { ...social, requiresVerification: true });
    expect(verified.get('ZZ-ZRZY-002')?.prerequisites).toEqual(['ZZ-FGW-004']);
  });

  it('gives 并行推进 items the milestone they must precede', () => {
    const order = itemOrder(template('GOV_BUILDING'), { ...social, investmentSource: 'government' });
    expect(order.get('ZZ-DZJ-001')).toEqual({
      prerequisites: [],
      requiredBefore: 'ZZ-ZRZY-007',
      nationalStage: 5,
    });
    for (const code of ['ZZ-STHJ-001', 'ZZ-FGW-006', 'ZZ-SLJ-001']) {
      expect(order.get(code)?.requiredBefore).toBe('ZZ-CJJ-001');
    }
    // 取水许可 is in the water-works template, before its start of works (开工备案).
    expect(itemOrder(template('WATER_WORKS'), social).get('ZZ-SLJ-003')?.requiredBefore).toBe('ZZ-SLJ-006');
    expect(itemOrder(template('GOV_HIGHWAY'), social).get('ZZ-STHJ-001')?.requiredBefore).toBe('ZZ-JTJ-003');
  });

  it('covers exactly the applicable items, across all stages', () => {
    const def = template('SOCIAL_TRANSFER');
    const order = itemOrder(def, social);
    const expected = def.stages.flatMap((s) => codes(applicableItems(s, social)));
    expect([...order.keys()].sort()).toEqual([...expected].sort());
    expect(order.has('ZZ-RFB-003')).toBe(false); // 防空地下室: condition false
  });

  it('drops a requiredBefore whose milestone does not apply', () => {
    // 30万元 / 300 m² and below need no 施工许可, so 环评 guards nothing on that line.
    const order = itemOrder(template('SOCIAL_TRANSFER'), attrs({ totalInvestment: 20, buildingArea: 200 }));
    expect(order.has('ZZ-CJJ-001')).toBe(false);
    expect(order.get('ZZ-STHJ-001')?.requiredBefore).toBeNull();
  });

  it('inherits the prerequisites of a dropped item across stages', () => {
    const def: TemplateDefinition = {
      code: 'TEST',
      name: '测试',
      nationalProcessType: '10',
      version: 1,
      effectiveFrom: '2019-07-05',
      stages: [
        testStage(1, [
          ti('A'),
          { ...ti('B', ['A']), condition: { attr: 'isSmallProject', op: 'eq', value: true } },
        ]),
        testStage(2, [ti('C', ['B'])]),
        testStage(5, [{ ...ti('P'), requiredBefore: 'C' }]),
      ],
    };
    const order = itemOrder(def, attrs({ isSmallProject: false }));
    expect([...order.keys()].sort()).toEqual(['A', 'C', 'P']);
    expect(order.get('C')).toEqual({ prerequisites: ['A'], requiredBefore: null, nationalStage: 2 });
    expect(dependentsOf(order, 'A')).toEqual(['C']);
    expect(dependentsOf(order, 'P')).toEqual(['C']);
    expect(dependentsOf(order, 'C')).toEqual([]);
    expect(blockersOf(order, 'C')).toEqual(['A', 'P']);
    expect(blockersOf(order, 'A')).toEqual([]);
  });

  it('reads stored versions published before requiredBefore existed', () => {
    const legacyItem = {
      itemCode: 'A',
      milestone: true,
      condition: null,
      prerequisites: [],
      simulatedUntil: null,
    };
    const def = {
      code: 'OLD',
      name: '旧版',
      nationalProcessType: '10',
      version: 1,
      effectiveFrom: '2019-07-05',
      stages: [testStage(1, [legacyItem as unknown as TemplateItem])],
    } satisfies TemplateDefinition;
    expect(itemOrder(def, defaultProjectAttributes).get('A')?.requiredBefore).toBeNull();
    // The admin API still accepts a body without the field, defaulting it to null.
    const parsed = TemplateDefinitionSchema.parse({
      ...def,
      stages: [{ ...def.stages[0], items: [legacyItem] }],
    });
    expect(parsed.stages[0]?.items[0]?.requiredBefore).toBeNull();
  });

  it('lists the dependents of the 立项 and of 施工图审查', () => {
    const order = itemOrder(template('SOCIAL_TRANSFER'), social);
    expect(dependentsOf(order, 'ZZ-FGW-005')).toEqual(['ZZ-ZRZY-002']);
    expect(dependentsOf(order, 'ZZ-STSC-001')).toEqual(['ZZ-CJJ-001']);
    expect(blockersOf(order, 'ZZ-CJJ-001')).toEqual(
      expect.arrayContaining(['ZZ-STSC-001', 'ZZ-ZRZY-007', 'ZZ-STHJ-001', 'ZZ-FGW-006', 'ZZ-SLJ-001']),
    );
  });
});

describe('stageTimeLimit', () => {
  const testItems = new Map([
    ['A', testItem('A', 5)],
    ['B', testItem('B', 3)],
    ['C', testItem('C', 7)],
  ]);

  it('is the longest prerequisite chain: A(5)→B(3) in parallel with C(7) gives 8', () => {
    expect(stageTimeLimit(testStage(1, [ti('A'), ti('B', ['A']), ti('C')]), testItems)).toBe(8);
  });

  it('does not add parallel items', () => {
    expect(stageTimeLimit(testStage(1, [ti('A'), ti('B'), ti('C')]), testItems)).toBe(7);
    expect(stageTimeLimit(testStage(1, []), testItems)).toBe(0);
  });

  it('adds stages 1–4 and leaves 并行推进 out of the total', () => {
    const def: TemplateDefinition = {
      code: 'TEST',
      name: '测试',
      nationalProcessType: '10',
      version: 1,
      effectiveFrom: '2019-07-05',
      stages: [testStage(1, [ti('A'), ti('B', ['A'])]), testStage(5, [ti('C')])],
    };
    expect(templateView(def, testItems).totalWorkingDays).toBe(8);
  });
});

describe('validateTemplate', () => {
  const longItems = new Map([
    ['L1', testItem('L1', 30, 1)],
    ['L2', testItem('L2', 30, 2)],
    ['L3', testItem('L3', 30, 3)],
    ['L4', testItem('L4', 30, 4)],
  ]);
  const fourStages = (overrides: Partial<Record<number, TemplateItem[]>> = {}): TemplateDefinition => ({
    code: 'TEST',
    name: '测试',
    nationalProcessType: '10',
    version: 1,
    effectiveFrom: '2019-07-05',
    stages: [1, 2, 3, 4].map((n) => testStage(n, overrides[n] ?? [ti(`L${n}`)])),
  });
  const issueCodes = (def: TemplateDefinition, known = longItems) =>
    validateTemplate(def, known).map((i) => i.code);

  it('flags a template over 100 working days', () => {
    expect(templateView(fourStages(), longItems).totalWorkingDays).toBe(120);
    expect(issueCodes(fourStages())).toEqual(['TOTAL_EXCEEDS_TARGET']);
  });

  it('flags unknown items, wrong stages and inactive items', () => {
    const withUnknown = fourStages({ 1: [ti('L1'), ti('NOPE')] });
    expect(issueCodes(withUnknown)).toContain('UNKNOWN_ITEM');
    const misplaced = fourStages({
      1: [ti('L1'), ti('L2', [], false)],
      2: [ti('L4', [], true)],
      4: [ti('L3')],
    });
    expect(issueCodes(misplaced)).toContain('STAGE_MISMATCH');
    const retired = new Map([...longItems, ['OLD', { ...testItem('OLD', 1, 1), status: 'merged' as const }]]);
    expect(issueCodes(fourStages({ 1: [ti('L1'), ti('OLD')] }), retired)).toContain('INACTIVE_ITEM');
  });

  it('flags unknown prerequisites and cycles', () => {
    expect(issueCodes(fourStages({ 1: [ti('L1', ['L9'])] }))).toContain('UNKNOWN_PREREQUISITE');
    const small = new Map([...longItems, ['X', testItem('X', 1)], ['Y', testItem('Y', 1)]]);
    const cyclic = fourStages({ 1: [ti('X', ['Y']), ti('Y', ['X'])] });
    const issues = validateTemplate(cyclic, small).filter((i) => i.code === 'PREREQUISITE_CYCLE');
    expect(issues.map((i) => i.itemCode).sort()).toEqual(['X', 'Y']);
  });

  it('accepts prerequisites in earlier stages only, and checks requiredBefore', () => {
    const small = new Map([...longItems, ['X', testItem('X', 1, 2)], ['P', testItem('P', 1, 5)]]);
    const withStage5 = (def: TemplateDefinition, item: TemplateItem) => ({
      ...def,
      stages: [...def.stages, testStage(5, [item])],
    });
    // Stage 2 waiting for stage 1 is fine; stage 1 waiting for stage 2 is not.
    expect(issueCodes(fourStages({ 2: [ti('L2', ['L1'])] }))).toEqual(['TOTAL_EXCEEDS_TARGET']);
    expect(issueCodes(fourStages({ 1: [ti('L1', ['L2'])] }))).toContain('UNKNOWN_PREREQUISITE');
    // A main-line item cannot wait for a 并行推进 item through prerequisites (that is requiredBefore).
    const onParallel = withStage5(fourStages({ 2: [ti('L2', ['P'])] }), ti('P', [], false));
    expect(issueCodes(onParallel, small)).toContain('UNKNOWN_PREREQUISITE');
    const fine = withStage5(fourStages(), { ...ti('P', [], false), requiredBefore: 'L3' });
    expect(issueCodes(fine, small)).not.toContain('INVALID_REQUIRED_BEFORE');
    const unknown = withStage5(fourStages(), { ...ti('P', [], false), requiredBefore: 'NOPE' });
    expect(issueCodes(unknown, small)).toContain('INVALID_REQUIRED_BEFORE');
    const backwards = fourStages({ 2: [{ ...ti('L2'), requiredBefore: 'L1' }] });
    expect(issueCodes(backwards)).toContain('INVALID_REQUIRED_BEFORE');
    // requiredBefore and prerequisites together can close a cycle across stages.
    const cyclic = withStage5(fourStages({ 2: [ti('L2'), ti('X', [], false)] }), {
      ...ti('P', ['X'], false),
      requiredBefore: 'X',
    });
    const cycleIssues = validateTemplate(cyclic, small).filter((i) => i.code === 'PREREQUISITE_CYCLE');
    expect(cycleIssues.map((i) => i.itemCode).sort()).toEqual(['P', 'X']);
  });

  it('flags a stage without a milestone, a missing stage and a duplicated stage', () => {
    expect(issueCodes(fourStages({ 2: [ti('L2', [], false)] }))).toContain('NO_MILESTONE');
    const three = { ...fourStages(), stages: fourStages().stages.slice(0, 3) };
    expect(issueCodes(three)).toContain('MISSING_STAGE');
    const doubled = { ...fourStages(), stages: [...fourStages().stages, testStage(4, [ti('L4')])] };
    expect(issueCodes(doubled)).toEqual(expect.arrayContaining(['DUPLICATE_STAGE', 'DUPLICATE_ITEM']));
  });
});
