/**
 * Zhengzhou's nine process templates (九类项目审批流程, 任务38), built from the catalog's item codes.
 * Conditions are data (template.schemas.ts), so a project's applicable items and each stage's limit are
 * computed (template.rules.ts). Stage leads follow 方案 §(六).
 */
import type {
  Condition,
  SimulatedUntil,
  TemplateDefinition,
  TemplateItem,
  TemplateStage,
} from './template.schemas';

const EFFECTIVE_FROM = '2019-07-05'; // 实施步骤 (三)3: 7月5日前分类绘制流程图.

// ---------------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------------
const GOVERNMENT: Condition = { attr: 'investmentSource', op: 'eq', value: 'government' };
const SOCIAL: Condition = { attr: 'investmentSource', op: 'eq', value: 'social' };
const NOT_IN_INVESTMENT_PLAN: Condition = { attr: 'listedInInvestmentPlan', op: 'eq', value: false };

/** 任务24: a listed project needs no 项目建议书/可研; Henan: 项目建议书 only from 5000万. */
const NEEDS_PROPOSAL: Condition = {
  all: [GOVERNMENT, NOT_IN_INVESTMENT_PLAN, { attr: 'totalInvestment', op: 'gte', value: 5000 }],
};
const NEEDS_FEASIBILITY: Condition = { all: [GOVERNMENT, NOT_IN_INVESTMENT_PLAN] };
/** 任务25: simple projects approve 可研 and 初步设计 together; Henan: 初步设计 from 1000万. */
const NEEDS_PRELIMINARY_DESIGN: Condition = {
  all: [
    GOVERNMENT,
    { attr: 'totalInvestment', op: 'gte', value: 1000 },
    { attr: 'simpleTechnicalScheme', op: 'eq', value: false },
  ],
};
const NEEDS_VERIFICATION: Condition = {
  all: [SOCIAL, { attr: 'requiresVerification', op: 'eq', value: true }],
};
const NEEDS_FILING: Condition = { all: [SOCIAL, { attr: 'requiresVerification', op: 'eq', value: false }] };

/** 任务26: no 用地预审 for 出让 land; 任务27: none without new construction land. */
const NEEDS_LAND_PRE_REVIEW: Condition = {
  all: [
    { not: { attr: 'landSupplyMethod', op: 'in', value: ['transfer', 'transfer_with_design'] } },
    { attr: 'newConstructionLand', op: 'eq', value: true },
  ],
};
/** 任务3: the merged land-right review applies to 划拨 land or land still to be requisitioned. */
const NEEDS_LAND_RIGHT_REVIEW: Condition = {
  any: [
    { attr: 'landSupplyMethod', op: 'eq', value: 'allocation' },
    { attr: 'landAcquisition', op: 'eq', value: true },
  ],
};
/** 任务4: 压覆矿产 before land supply, i.e. only where the land is still to be supplied. */
const NEEDS_MINERAL_REVIEW: Condition = {
  all: [
    { attr: 'landSupplyMethod', op: 'eq', value: 'allocation' },
    { attr: 'newConstructionLand', op: 'eq', value: true },
  ],
};
const LAND_SUPPLIED_FOR_PROJECT: Condition = { attr: 'landSupplyMethod', op: 'ne', value: 'existing' };

const CIVIL_AIR_DEFENCE: Condition = { attr: 'hasCivilAirDefence', op: 'eq', value: true };
const GREEN_SPACE: Condition = { attr: 'involvesGreenSpace', op: 'eq', value: true };
const CITY_ROADS: Condition = { attr: 'involvesCityRoads', op: 'eq', value: true };
const RIVER_COURSE: Condition = { attr: 'involvesRiverCourse', op: 'eq', value: true };
const SUPER_TALL: Condition = { attr: 'exceedsSeismicLimits', op: 'eq', value: true };
const FLAMMABLE: Condition = { attr: 'flammableExplosive', op: 'eq', value: true };
const SPECIAL_FIRE: Condition = { attr: 'specialConstruction', op: 'eq', value: true };
const ORDINARY_FIRE: Condition = { attr: 'specialConstruction', op: 'eq', value: false };
/** 任务30: 甲级 design firms use the commitment-based exemption instead of the joint review. */
const GRADE_A_DESIGN: Condition = { attr: 'designFirmGradeA', op: 'eq', value: true };
const OTHER_DESIGN: Condition = { attr: 'designFirmGradeA', op: 'eq', value: false };
/** 任务44: 企业投资备案类小型项目不再做各类评估. */
const NOT_SMALL: Condition = { attr: 'isSmallProject', op: 'eq', value: false };
/**
 * 《建筑工程施工许可管理办法》第二条: 投资额30万元以下或建筑面积300平方米以下的建筑工程可不申请
 * 施工许可证 ("以下" includes the number).
 */
const NEEDS_CONSTRUCTION_PERMIT: Condition = {
  all: [
    { attr: 'totalInvestment', op: 'gt', value: 30 },
    { attr: 'buildingArea', op: 'gt', value: 300 },
  ],
};

// ---------------------------------------------------------------------------------------------------
// The milestones 并行推进 items must precede (任务19)
// ---------------------------------------------------------------------------------------------------
/** 建设工程规划许可证: the design is approved with it, so 地震安评 (before design) comes first. */
const BUILDING_PLANNING_PERMIT = 'ZZ-ZRZY-007';
/** 开工: the permit that lets works start, per kind of project. */
const BUILDING_CONSTRUCTION_PERMIT = 'ZZ-CJJ-001';
const WATER_WORKS_START = 'ZZ-SLJ-006'; // 水利工程开工备案
const HIGHWAY_CONSTRUCTION_PERMIT = 'ZZ-JTJ-003'; // 公路建设项目施工许可

// ---------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------
interface ItemOptions {
  milestone?: boolean;
  condition?: Condition;
  prerequisites?: string[];
  simulatedUntil?: SimulatedUntil;
  requiredBefore?: string;
}

function ti(itemCode: string, options: ItemOptions = {}): TemplateItem {
  return {
    itemCode,
    milestone: options.milestone ?? false,
    condition: options.condition ?? null,
    prerequisites: options.prerequisites ?? [],
    simulatedUntil: options.simulatedUntil ?? null,
    requiredBefore: options.requiredBefore ?? null,
  };
}

/** The national standard's names of the five stages (国家标准审批阶段). */
export const STAGE_NAMES: Record<number, string> = {
  1: '立项用地规划许可',
  2: '工程建设许可',
  3: '施工许可',
  4: '竣工验收',
  5: '并行推进',
};

function stage(nationalStage: number, leadDepartmentCode: string, items: TemplateItem[]): TemplateStage {
  return {
    nationalStage,
    name: STAGE_NAMES[nationalStage] ?? String(nationalStage),
    leadDepartmentCode,
    mergedStages: [nationalStage],
    completionRule: 'all_milestones',
    // Stage 5 side-line services start whenever they are needed (任务22: 报装 in 工程建设许可).
    parallelWithPrevious: nationalStage === 5,
    items,
  };
}

/** Side-line stage 5 is coordinated by the 综合窗口 (市政务办). */
const parallelStage = (items: TemplateItem[]) => stage(5, 'zwb', items);

// ---------------------------------------------------------------------------------------------------
// Shared stage contents
// ---------------------------------------------------------------------------------------------------

/** Land chain for 划拨 / new land: 用地预审与选址 (任务15) → 国有土地使用权审核 (任务3) → 建设用地批准书. */
const LAND_CHAIN: TemplateItem[] = [
  ti('ZZ-ZRZY-005', { condition: NEEDS_MINERAL_REVIEW }),
  ti('ZZ-ZRZY-001', { milestone: true, condition: NEEDS_LAND_PRE_REVIEW }),
  ti('ZZ-ZRZY-003', { condition: NEEDS_LAND_RIGHT_REVIEW, prerequisites: ['ZZ-ZRZY-001', 'ZZ-ZRZY-005'] }),
  ti('ZZ-ZRZY-004', { condition: LAND_SUPPLIED_FOR_PROJECT, prerequisites: ['ZZ-ZRZY-003'] }),
];

/** Government stage 1 (任务25: 可研 in parallel with 选址/用地预审; 任务15: 划拨 and 用地规划许可 in parallel). */
const GOVERNMENT_STAGE_1 = stage(1, 'fgw', [
  ti('ZZ-FGW-001', { milestone: true, condition: NEEDS_PROPOSAL }),
  ti('ZZ-FGW-002', { milestone: true, condition: NEEDS_FEASIBILITY, prerequisites: ['ZZ-FGW-001'] }),
  ...LAND_CHAIN,
  ti('ZZ-ZRZY-002', { milestone: true, condition: LAND_SUPPLIED_FOR_PROJECT, prerequisites: ['ZZ-FGW-002'] }),
]);

/**
 * 核准 or 备案. 任务23 makes 备案 an online notification due at the latest before 施工许可, but
 * 《城乡规划法》第三十七、三十八条 issue the 建设用地规划许可证 only after the project is 批准、核准、
 * 备案, so the land-use planning permit waits for whichever applies (备案 is one working day).
 */
const ENTERPRISE_APPROVAL_CODES = ['ZZ-FGW-004', 'ZZ-FGW-005'];
const ENTERPRISE_APPROVAL: TemplateItem[] = [
  ti('ZZ-FGW-004', { milestone: true, condition: NEEDS_VERIFICATION }),
  ti('ZZ-FGW-005', { milestone: true, condition: NEEDS_FILING }),
];

/** 出让 land (任务16/26): 用地规划许可 directly with the contract, 建设用地批准书 in parallel. */
const TRANSFER_STAGE_1 = stage(1, 'fgw', [
  ...ENTERPRISE_APPROVAL,
  ti('ZZ-ZRZY-002', {
    milestone: true,
    prerequisites: ENTERPRISE_APPROVAL_CODES,
    simulatedUntil: 'land_transferred',
  }),
  ti('ZZ-ZRZY-004', { simulatedUntil: 'land_transferred' }),
]);

const ALLOCATION_STAGE_1 = stage(1, 'fgw', [
  ...ENTERPRISE_APPROVAL,
  ...LAND_CHAIN,
  ti('ZZ-ZRZY-002', {
    milestone: true,
    condition: LAND_SUPPLIED_FOR_PROJECT,
    prerequisites: ENTERPRISE_APPROVAL_CODES,
  }),
]);

/** Side items of 工程建设许可 that depend on the site. */
const BUILDING_PERMIT_SIDE_ITEMS: TemplateItem[] = [
  ti('ZZ-RFB-003', { condition: CIVIL_AIR_DEFENCE }),
  ti('ZZ-YLJ-001', { condition: GREEN_SPACE }),
  ti('ZZ-CGJ-001', { condition: CITY_ROADS }),
  ti('ZZ-CJJ-005', { condition: SUPER_TALL }),
  ti('ZZ-QXJ-001', { condition: FLAMMABLE }),
  ti('ZZ-SLJ-002', { condition: RIVER_COURSE }),
];

/**
 * 任务17: 设计方案审查 and 建设工程规划许可 are handled together (one submission, the other departments'
 * opinions gathered internally), but the permit is issued on the approved scheme, so it is decided
 * after the review (《城乡规划法》第四十条).
 */
const PLANNING_PERMIT_AFTER_SCHEME = ti(BUILDING_PLANNING_PERMIT, {
  milestone: true,
  prerequisites: ['ZZ-ZRZY-006'],
});

const BUILDING_STAGE_2 = stage(2, 'zrzy', [
  ti('ZZ-ZRZY-006', { milestone: true }),
  PLANNING_PERMIT_AFTER_SCHEME,
  ...BUILDING_PERMIT_SIDE_ITEMS,
]);

/** 《政府投资条例》第十一、十二条: 初步设计 is prepared and approved on the approved 可行性研究报告. */
const PRELIMINARY_DESIGN = ti('ZZ-FGW-003', {
  milestone: true,
  condition: NEEDS_PRELIMINARY_DESIGN,
  prerequisites: ['ZZ-ZRZY-006', 'ZZ-FGW-002'],
});

const GOVERNMENT_BUILDING_STAGE_2 = stage(2, 'zrzy', [
  ti('ZZ-ZRZY-006', { milestone: true, simulatedUntil: 'land_transferred' }),
  PRELIMINARY_DESIGN,
  PLANNING_PERMIT_AFTER_SCHEME,
  ...BUILDING_PERMIT_SIDE_ITEMS,
]);

/** 任务28–30: joint drawing review (or 甲级 commitment) → 消防设计审查 for special works → 施工许可 (任务18). */
const DRAWING_REVIEW_CHAIN: TemplateItem[] = [
  ti('ZZ-STSC-001', { milestone: true, condition: OTHER_DESIGN }),
  ti('ZZ-STSC-002', { milestone: true, condition: GRADE_A_DESIGN }),
  ti('ZZ-CJJ-002', { condition: SPECIAL_FIRE, prerequisites: ['ZZ-STSC-001', 'ZZ-STSC-002'] }),
];

/**
 * 施工许可 after the drawings are reviewed (or exempted) and, 《建筑法》第八条(二), after the
 * 建设工程规划许可证 (in stage 2, or in the same stage for 带方案出让).
 */
const CONSTRUCTION_PERMIT = () =>
  ti(BUILDING_CONSTRUCTION_PERMIT, {
    milestone: true,
    condition: NEEDS_CONSTRUCTION_PERMIT,
    prerequisites: ['ZZ-STSC-001', 'ZZ-STSC-002', 'ZZ-CJJ-002', BUILDING_PLANNING_PERMIT],
  });

const BUILDING_STAGE_3_SIDE_ITEMS: TemplateItem[] = [
  ti('ZZ-CGJ-002'),
  ti('ZZ-GAJ-001', { condition: CITY_ROADS }),
];

const BUILDING_STAGE_3 = (lead: string, extra: TemplateItem[] = []) =>
  stage(3, lead, [...DRAWING_REVIEW_CHAIN, CONSTRUCTION_PERMIT(), ...BUILDING_STAGE_3_SIDE_ITEMS, ...extra]);

/** 任务36: departments sign off from the joint survey; 联合验收 opinion; then 竣工验收备案. */
const SIGN_OFFS: TemplateItem[] = [
  ti('ZZ-ZRZY-008', { milestone: true }),
  ti('ZZ-CJJ-003', { milestone: true, condition: SPECIAL_FIRE }),
  ti('ZZ-CJJ-004', { milestone: true, condition: ORDINARY_FIRE }),
  ti('ZZ-RFB-005', { milestone: true, condition: CIVIL_AIR_DEFENCE }),
  ti('ZZ-QXJ-002', { condition: FLAMMABLE }),
  ti('ZZ-CJDA-001', { milestone: true }),
];

const JOINT_ACCEPTANCE = (signOffs: TemplateItem[]): TemplateItem[] => [
  ...signOffs,
  ti('ZZ-CJJ-006', { milestone: true, prerequisites: signOffs.map((s) => s.itemCode) }),
  ti('ZZ-CJJ-007', { milestone: true, prerequisites: ['ZZ-CJJ-006'] }),
];

const BUILDING_STAGE_4 = (lead: string) => stage(4, lead, JOINT_ACCEPTANCE(SIGN_OFFS));

/**
 * 多评合一 (任务50) assessments. 任务19: 地震安全性评价 before design (the 建设工程规划许可 approves it),
 * 环评、节能 and the other 评估评价 before 开工; also 水土保持 (《水土保持法》第二十六条: no start of works
 * without the approved scheme) and 文物考古调查勘探 (《文物保护法》: 事先, i.e. before works).
 * 地质灾害危险性评估 is a 备案 with no stated milestone, so nothing waits for it.
 */
const ASSESSMENTS = (options: {
  smallProjectsExempt: boolean;
  culturalRelics: boolean;
  startOfWorks: string;
}): TemplateItem[] => {
  const exempt = options.smallProjectsExempt ? { condition: NOT_SMALL } : {};
  const beforeWorks = { requiredBefore: options.startOfWorks };
  return [
    ti('ZZ-STHJ-001', { milestone: true, ...beforeWorks }),
    ti('ZZ-FGW-006', { milestone: true, ...exempt, ...beforeWorks }),
    ti('ZZ-SLJ-001', { milestone: true, ...beforeWorks }),
    ti('ZZ-DZJ-001', { milestone: true, ...exempt, requiredBefore: BUILDING_PLANNING_PERMIT }),
    ti('ZZ-ZRZY-009', exempt),
    // 任务44: 文探 is done before 出让 by the government, so only 划拨 templates carry it.
    ...(options.culturalRelics ? [ti('ZZ-WWJ-001', { milestone: true, ...beforeWorks })] : []),
  ];
};

/** 任务22: 供水、供电、燃气、热力、排水、通信 报装 before 开工. */
const UTILITIES: TemplateItem[] = [
  ti('ZZ-WATER-001'),
  ti('ZZ-POWER-001'),
  ti('ZZ-GAS-001'),
  ti('ZZ-HEAT-001'),
  ti('ZZ-DRAIN-001'),
  ti('ZZ-TELECOM-001'),
  ti('ZZ-CGJ-003'),
];

const JOINT_SURVEY = ti('ZZ-LHCH-001', { milestone: true });

// ---------------------------------------------------------------------------------------------------
// The nine templates
// ---------------------------------------------------------------------------------------------------
// allowedAttributes: what kind of project each template is for (the first value is the default).
// Government projects use 划拨 land (《土地管理法》第五十四条) or land the unit already holds; the 社会投资
// templates are named by their land (出让 / 划拨 / 带方案出让); 中小型 projects have no 划拨 land chain;
// water works carry both 立项 lines; power works are enterprise-invested on 划拨 (划拨用地目录) or own land.

const governmentBuilding: TemplateDefinition = {
  code: 'GOV_BUILDING',
  name: '政府投资房屋建筑类项目',
  nationalProcessType: '1',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['government'], landSupplyMethod: ['allocation', 'existing'] },
  stages: [
    GOVERNMENT_STAGE_1,
    GOVERNMENT_BUILDING_STAGE_2,
    BUILDING_STAGE_3('cjj', [ti('ZZ-CJJ-013')]),
    BUILDING_STAGE_4('cjj'),
    parallelStage([
      ...ASSESSMENTS({
        smallProjectsExempt: false,
        culturalRelics: true,
        startOfWorks: BUILDING_CONSTRUCTION_PERMIT,
      }),
      ...UTILITIES,
      JOINT_SURVEY,
    ]),
  ],
};

const socialTransfer: TemplateDefinition = {
  code: 'SOCIAL_TRANSFER',
  name: '社会投资类建设项目(出让类用地)',
  nationalProcessType: '3',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['social'], landSupplyMethod: ['transfer'] },
  stages: [
    TRANSFER_STAGE_1,
    BUILDING_STAGE_2,
    BUILDING_STAGE_3('cjj'),
    BUILDING_STAGE_4('cjj'),
    parallelStage([
      ...ASSESSMENTS({
        smallProjectsExempt: true,
        culturalRelics: false,
        startOfWorks: BUILDING_CONSTRUCTION_PERMIT,
      }),
      ...UTILITIES,
      JOINT_SURVEY,
    ]),
  ],
};

const socialAllocation: TemplateDefinition = {
  code: 'SOCIAL_ALLOCATION',
  name: '社会投资类建设项目(划拨类用地)',
  nationalProcessType: '3',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['social'], landSupplyMethod: ['allocation'] },
  stages: [
    ALLOCATION_STAGE_1,
    BUILDING_STAGE_2,
    BUILDING_STAGE_3('cjj'),
    BUILDING_STAGE_4('cjj'),
    parallelStage([
      ...ASSESSMENTS({
        smallProjectsExempt: true,
        culturalRelics: true,
        startOfWorks: BUILDING_CONSTRUCTION_PERMIT,
      }),
      ...UTILITIES,
      JOINT_SURVEY,
    ]),
  ],
};

/**
 * 任务35 / 方案 §(六): 带方案出让 — no 设计方案审查; 建设工程规划许可 and 施工许可 form one stage,
 * led by 市自然资源和规划局 (the first responsible unit of task 35).
 */
const socialTransferWithDesign: TemplateDefinition = {
  code: 'SOCIAL_TRANSFER_WITH_DESIGN',
  name: '社会投资类带方案出让类项目',
  nationalProcessType: '5',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['social'], landSupplyMethod: ['transfer_with_design'] },
  stages: [
    TRANSFER_STAGE_1,
    {
      nationalStage: 2,
      name: '工程建设许可和施工许可',
      leadDepartmentCode: 'zrzy',
      mergedStages: [2, 3],
      completionRule: 'all_milestones',
      parallelWithPrevious: false,
      items: [
        ti('ZZ-ZRZY-007', { milestone: true }),
        ...BUILDING_PERMIT_SIDE_ITEMS,
        ...DRAWING_REVIEW_CHAIN,
        CONSTRUCTION_PERMIT(),
        ...BUILDING_STAGE_3_SIDE_ITEMS,
      ],
    },
    BUILDING_STAGE_4('cjj'),
    parallelStage([
      ...ASSESSMENTS({
        smallProjectsExempt: true,
        culturalRelics: false,
        startOfWorks: BUILDING_CONSTRUCTION_PERMIT,
      }),
      ...UTILITIES,
      JOINT_SURVEY,
    ]),
  ],
};

/** Roads, pipes and other municipal lines; key projects are led by 市重点项目办 in stages 3–4. */
const governmentLinear: TemplateDefinition = {
  code: 'GOV_LINEAR',
  name: '政府投资基础设施线性工程类项目',
  nationalProcessType: '2',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['government'], landSupplyMethod: ['allocation', 'existing'] },
  stages: [
    GOVERNMENT_STAGE_1,
    stage(2, 'zrzy', [
      ti('ZZ-ZRZY-006', { milestone: true, simulatedUntil: 'land_transferred' }),
      PRELIMINARY_DESIGN,
      PLANNING_PERMIT_AFTER_SCHEME,
      ti('ZZ-YLJ-001', { condition: GREEN_SPACE }),
      ti('ZZ-CGJ-001', { condition: CITY_ROADS }),
      ti('ZZ-SLJ-002', { condition: RIVER_COURSE }),
    ]),
    stage(3, 'zdxmb', [
      ti('ZZ-STSC-001', { milestone: true, condition: OTHER_DESIGN }),
      ti('ZZ-STSC-002', { milestone: true, condition: GRADE_A_DESIGN }),
      ti(BUILDING_CONSTRUCTION_PERMIT, {
        milestone: true,
        prerequisites: ['ZZ-STSC-001', 'ZZ-STSC-002', BUILDING_PLANNING_PERMIT],
      }),
      ti('ZZ-CJJ-013'),
      ti('ZZ-CGJ-002'),
      ti('ZZ-GAJ-001', { condition: CITY_ROADS }),
    ]),
    stage(
      4,
      'zdxmb',
      JOINT_ACCEPTANCE([ti('ZZ-ZRZY-008', { milestone: true }), ti('ZZ-CJDA-001', { milestone: true })]),
    ),
    parallelStage([
      ti('ZZ-STHJ-001', { milestone: true, requiredBefore: BUILDING_CONSTRUCTION_PERMIT }),
      ti('ZZ-FGW-006', { milestone: true, requiredBefore: BUILDING_CONSTRUCTION_PERMIT }),
      ti('ZZ-SLJ-001', { milestone: true, requiredBefore: BUILDING_CONSTRUCTION_PERMIT }),
      ti('ZZ-WWJ-001', { milestone: true, requiredBefore: BUILDING_CONSTRUCTION_PERMIT }),
      ti('ZZ-ZRZY-009'),
      ti('ZZ-POWER-001'),
      JOINT_SURVEY,
    ]),
  ],
};

/** 简化社会投资中小型项目 (实施步骤 (三)3; 任务44: no assessments beyond the statutory 环评登记). */
const socialSmall: TemplateDefinition = {
  code: 'SOCIAL_SMALL',
  name: '社会投资类中小型工程建设项目',
  nationalProcessType: '4',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['social'], landSupplyMethod: ['transfer', 'existing'] },
  stages: [
    stage(1, 'fgw', [
      ti('ZZ-FGW-005', { milestone: true }),
      ti('ZZ-ZRZY-002', {
        milestone: true,
        condition: LAND_SUPPLIED_FOR_PROJECT,
        prerequisites: ['ZZ-FGW-005'],
        simulatedUntil: 'land_transferred',
      }),
      ti('ZZ-ZRZY-004', { condition: LAND_SUPPLIED_FOR_PROJECT, simulatedUntil: 'land_transferred' }),
    ]),
    stage(2, 'zrzy', [
      ti('ZZ-ZRZY-006', { milestone: true }),
      PLANNING_PERMIT_AFTER_SCHEME,
      ti('ZZ-RFB-003', { condition: CIVIL_AIR_DEFENCE }),
      ti('ZZ-YLJ-001', { condition: GREEN_SPACE }),
      ti('ZZ-CGJ-001', { condition: CITY_ROADS }),
    ]),
    stage(3, 'cjj', [...DRAWING_REVIEW_CHAIN, CONSTRUCTION_PERMIT(), ti('ZZ-CGJ-002')]),
    BUILDING_STAGE_4('cjj'),
    parallelStage([
      ti('ZZ-STHJ-002', { milestone: true, requiredBefore: BUILDING_CONSTRUCTION_PERMIT }),
      ...UTILITIES,
      JOINT_SURVEY,
    ]),
  ],
};

const waterWorks: TemplateDefinition = {
  code: 'WATER_WORKS',
  name: '水利工程类项目',
  nationalProcessType: '8',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: {
    investmentSource: ['government', 'social'],
    landSupplyMethod: ['allocation', 'existing'],
  },
  stages: [
    stage(1, 'fgw', [
      ti('ZZ-FGW-001', { milestone: true, condition: NEEDS_PROPOSAL }),
      ti('ZZ-FGW-002', { milestone: true, condition: NEEDS_FEASIBILITY, prerequisites: ['ZZ-FGW-001'] }),
      ...ENTERPRISE_APPROVAL,
      ...LAND_CHAIN,
      ti('ZZ-ZRZY-002', {
        milestone: true,
        condition: LAND_SUPPLIED_FOR_PROJECT,
        prerequisites: ['ZZ-FGW-002', ...ENTERPRISE_APPROVAL_CODES],
      }),
    ]),
    stage(2, 'zrzy', [
      ti('ZZ-SLJ-004', { milestone: true }),
      ti('ZZ-SLJ-002', { milestone: true }),
      ti('ZZ-ZRZY-007', { milestone: true }),
      ti('ZZ-YLJ-001', { condition: GREEN_SPACE }),
    ]),
    stage(3, 'zdxmb', [
      ti('ZZ-SLJ-005', { milestone: true }),
      ti('ZZ-SLJ-006', { milestone: true, prerequisites: ['ZZ-SLJ-005'] }),
    ]),
    stage(4, 'zdxmb', [
      ti('ZZ-SLJ-007', { milestone: true }),
      ti('ZZ-ZRZY-008', { milestone: true }),
      ti('ZZ-CJDA-001', { milestone: true }),
    ]),
    parallelStage([
      ti('ZZ-STHJ-001', { milestone: true, requiredBefore: WATER_WORKS_START }),
      ti('ZZ-SLJ-001', { milestone: true, requiredBefore: WATER_WORKS_START }),
      ti('ZZ-SLJ-003', { milestone: true, requiredBefore: WATER_WORKS_START }),
      ti('ZZ-DZJ-001', { milestone: true, requiredBefore: BUILDING_PLANNING_PERMIT }),
      ti('ZZ-WWJ-001', { milestone: true, requiredBefore: WATER_WORKS_START }),
      ti('ZZ-ZRZY-009'),
      ti('ZZ-POWER-001'),
      JOINT_SURVEY,
    ]),
  ],
};

const governmentHighway: TemplateDefinition = {
  code: 'GOV_HIGHWAY',
  name: '政府投资基础设施公路工程类项目',
  nationalProcessType: '7',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['government'], landSupplyMethod: ['allocation', 'existing'] },
  stages: [
    GOVERNMENT_STAGE_1,
    stage(2, 'zrzy', [
      ti('ZZ-FGW-003', {
        milestone: true,
        condition: NEEDS_PRELIMINARY_DESIGN,
        prerequisites: ['ZZ-FGW-002'],
      }),
      ti('ZZ-ZRZY-007', { milestone: true }),
      ti('ZZ-JTJ-001'),
      ti('ZZ-YLJ-001', { condition: GREEN_SPACE }),
      ti('ZZ-SLJ-002', { condition: RIVER_COURSE }),
    ]),
    stage(3, 'zdxmb', [
      ti('ZZ-JTJ-002', { milestone: true }),
      ti('ZZ-JTJ-003', { milestone: true, prerequisites: ['ZZ-JTJ-002'] }),
      ti('ZZ-GAJ-001', { condition: CITY_ROADS }),
    ]),
    stage(4, 'zdxmb', [
      ti('ZZ-JTJ-004', { milestone: true }),
      ti('ZZ-ZRZY-008', { milestone: true }),
      ti('ZZ-CJDA-001', { milestone: true }),
    ]),
    parallelStage([
      ti('ZZ-STHJ-001', { milestone: true, requiredBefore: HIGHWAY_CONSTRUCTION_PERMIT }),
      ti('ZZ-FGW-006', { milestone: true, requiredBefore: HIGHWAY_CONSTRUCTION_PERMIT }),
      ti('ZZ-SLJ-001', { milestone: true, requiredBefore: HIGHWAY_CONSTRUCTION_PERMIT }),
      ti('ZZ-WWJ-001', { milestone: true, requiredBefore: HIGHWAY_CONSTRUCTION_PERMIT }),
      ti('ZZ-ZRZY-009'),
      JOINT_SURVEY,
    ]),
  ],
};

/** Substations and lines: enterprise-invested (核准/备案), buildings go through 联合审图 and 施工许可. */
const powerWorks: TemplateDefinition = {
  code: 'POWER_WORKS',
  name: '电力工程类项目',
  nationalProcessType: '9',
  version: 1,
  effectiveFrom: EFFECTIVE_FROM,
  allowedAttributes: { investmentSource: ['social'], landSupplyMethod: ['allocation', 'existing'] },
  stages: [
    ALLOCATION_STAGE_1,
    stage(2, 'zrzy', [
      ti('ZZ-ZRZY-006', { milestone: true }),
      PLANNING_PERMIT_AFTER_SCHEME,
      ti('ZZ-YLJ-001', { condition: GREEN_SPACE }),
      ti('ZZ-CGJ-001', { condition: CITY_ROADS }),
      ti('ZZ-QXJ-001', { condition: FLAMMABLE }),
      ti('ZZ-SLJ-002', { condition: RIVER_COURSE }),
    ]),
    BUILDING_STAGE_3('cjj'),
    BUILDING_STAGE_4('cjj'),
    parallelStage([
      ...ASSESSMENTS({
        smallProjectsExempt: false,
        culturalRelics: true,
        startOfWorks: BUILDING_CONSTRUCTION_PERMIT,
      }),
      ti('ZZ-WATER-001'),
      ti('ZZ-DRAIN-001'),
      ti('ZZ-TELECOM-001'),
      JOINT_SURVEY,
    ]),
  ],
};

export const processTemplates: TemplateDefinition[] = [
  governmentBuilding,
  socialTransfer,
  socialAllocation,
  socialTransferWithDesign,
  governmentLinear,
  socialSmall,
  waterWorks,
  governmentHighway,
  powerWorks,
];
