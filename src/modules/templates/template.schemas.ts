/**
 * Process templates (审批流程, one per project type): stages, items with conditions kept as data,
 * prerequisites, milestones and completion rules. Stage limits and the whole-process total are computed
 * (template.rules.ts), never typed in.
 */
import { z } from 'zod';
import { IsoDateSchema, NationalStageSchema } from '../catalog/catalog.schemas';

export const InvestmentSourceSchema = z
  .enum(['government', 'social'])
  .describe('投资类型: government 政府投资; social 社会投资');

export const LandSupplyMethodSchema = z
  .enum(['allocation', 'transfer', 'transfer_with_design', 'existing'])
  .describe('供地方式: allocation 划拨; transfer 出让; transfer_with_design 带方案出让; existing 已有用地');

/** The project attributes conditions may read. */
export const ProjectAttributesSchema = z.object({
  investmentSource: InvestmentSourceSchema,
  landSupplyMethod: LandSupplyMethodSchema,
  newConstructionLand: z.boolean().describe('是否涉及新增建设用地 (任务27)'),
  landAcquisition: z.boolean().describe('是否涉及征收土地'),
  totalInvestment: z.number().min(0).describe('总投资 (万元); 政府投资 1000万/5000万 分档'),
  buildingArea: z.number().min(0).describe('总建筑面积 (平方米)'),
  listedInInvestmentPlan: z
    .boolean()
    .describe(
      '政府投资项目是否已列入政府投资计划或人大审定的年度计划 (任务24: 以计划代替项目建议书和可研审批)',
    ),
  simpleTechnicalScheme: z
    .boolean()
    .describe('建设内容单一、技术方案简单 (任务25: 可行性研究报告与初步设计合并审批)'),
  requiresVerification: z
    .boolean()
    .describe('企业投资项目是否列入《政府核准的投资项目目录》(核准, 否则备案)'),
  hasCivilAirDefence: z.boolean().describe('是否应建防空地下室'),
  isSmallProject: z.boolean().describe('是否小型项目 (任务44: 取消企业投资备案类小型项目的各类评估)'),
  designFirmGradeA: z.boolean().describe('施工图是否由甲级资质设计单位设计 (任务30: 承诺免审)'),
  specialConstruction: z.boolean().describe('是否特殊建设工程 (消防设计审查、消防验收; 否则消防验收备案)'),
  exceedsSeismicLimits: z.boolean().describe('是否超限高层建筑工程 (抗震设防专项审批)'),
  flammableExplosive: z.boolean().describe('是否易燃易爆建设工程或场所 (雷电防护装置设计审核、竣工验收)'),
  withinRegionalAssessment: z
    .boolean()
    .describe('是否位于已完成区域评估的区域内 (任务37/44: 相应事项实行告知承诺)'),
  involvesCityRoads: z.boolean().describe('是否占用、挖掘城市道路'),
  involvesGreenSpace: z.boolean().describe('是否涉及城市绿地、树木'),
  involvesRiverCourse: z.boolean().describe('是否涉及河道管理范围或洪泛区、蓄滞洪区'),
});
export type ProjectAttributes = z.infer<typeof ProjectAttributesSchema>;
export type ProjectAttributeKey = keyof ProjectAttributes;

/** A plain social-investment project on transferred land, no special circumstances. */
export const defaultProjectAttributes: ProjectAttributes = {
  investmentSource: 'social',
  landSupplyMethod: 'transfer',
  newConstructionLand: false,
  landAcquisition: false,
  totalInvestment: 0,
  buildingArea: 0,
  listedInInvestmentPlan: false,
  simpleTechnicalScheme: false,
  requiresVerification: false,
  hasCivilAirDefence: false,
  isSmallProject: false,
  designFirmGradeA: false,
  specialConstruction: false,
  exceedsSeismicLimits: false,
  flammableExplosive: false,
  withinRegionalAssessment: false,
  involvesCityRoads: false,
  involvesGreenSpace: false,
  involvesRiverCourse: false,
};

const attributeKeys = Object.keys(ProjectAttributesSchema.shape) as [
  ProjectAttributeKey,
  ...ProjectAttributeKey[],
];
export const ProjectAttributeKeySchema = z.enum(attributeKeys).describe('条件读取的项目属性');

export type ConditionOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';
export type ConditionScalar = string | number | boolean;

export interface ConditionLeaf {
  attr: ProjectAttributeKey;
  op: ConditionOperator;
  value: ConditionScalar | ConditionScalar[];
}
export type Condition = ConditionLeaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/** A leaf compares one attribute; the value must fit the attribute's type (an array for `in`). */
const ConditionLeafSchema = z
  .strictObject({
    attr: ProjectAttributeKeySchema,
    op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in']).describe('比较运算'),
    value: z.union([ScalarSchema, z.array(ScalarSchema)]).describe('比较值; in 时为数组'),
  })
  .superRefine((leaf, ctx) => {
    const attributeSchema = ProjectAttributesSchema.shape[leaf.attr];
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    if ((leaf.op === 'in') !== Array.isArray(leaf.value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'in 运算的值必须是数组, 其他运算的值不能是数组',
      });
      return;
    }
    if (['gt', 'gte', 'lt', 'lte'].includes(leaf.op) && typeof leaf.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${leaf.op} 运算只能比较数值` });
      return;
    }
    if (values.some((v) => !attributeSchema.safeParse(v).success)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `值与属性 ${leaf.attr} 的类型不符` });
    }
  });

export const ConditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      ConditionLeafSchema,
      z.strictObject({ all: z.array(ConditionSchema).min(1) }),
      z.strictObject({ any: z.array(ConditionSchema).min(1) }),
      z.strictObject({ not: ConditionSchema }),
    ]),
  )
  // A named component: the schema is recursive, and OpenAPI readers resolve its self-reference by this id.
  .meta({
    id: 'Condition',
    description: '适用条件 (JSON 表达式树): {attr, op, value} | {all: [...]} | {any: [...]} | {not: ...}',
  });

export const SimulatedUntilSchema = z
  .enum(['land_transferred', 'project_approved', 'land_use_permit_issued'])
  .describe(
    '模拟审批 (配套机制3): 该前置条件具备前即可先行审查, 条件具备后转为正式审批结果; ' +
      'land_transferred 土地出让/划拨完成; project_approved 立项(审批/核准/备案)完成; land_use_permit_issued 建设用地规划许可证核发',
  );
export type SimulatedUntil = z.infer<typeof SimulatedUntilSchema>;

const itemCode = z.string().min(1).max(64).describe('事项代码');

export const TemplateItemSchema = z.object({
  itemCode,
  milestone: z.boolean().describe('是否里程碑事项 (计入阶段办结)'),
  condition: ConditionSchema.nullable().describe('适用条件; null 表示始终适用'),
  prerequisites: z
    .array(itemCode)
    .describe(
      '须先办结的事项: 本阶段内的 (链上时限相加) 或此前阶段的 (如 立项 在 建设用地规划许可 之前); 不适用的前置事项不计',
    ),
  simulatedUntil: SimulatedUntilSchema.nullable(),
  // Optional on input so versions published before it existed (and their stored JSON) stay valid.
  requiredBefore: itemCode
    .nullable()
    .default(null)
    .describe(
      '须在该事项办结前办结 (任务19: 并行推进事项的节点, 如 地震安全性评价 在 建设工程规划许可 前, 环评/节能/取水许可 在 施工许可 前); null 表示无',
    ),
});
export type TemplateItem = z.infer<typeof TemplateItemSchema>;

const departmentCode = z.string().min(1).max(32).describe('牵头部门代码');

const templateStageShape = {
  nationalStage: NationalStageSchema,
  name: z.string().min(1).max(50).describe('阶段名称, 如 立项用地规划许可'),
  leadDepartmentCode: departmentCode,
  mergedStages: z
    .array(NationalStageSchema)
    .min(1)
    .describe('本阶段涵盖的国家标准阶段; 带方案出让为 [2,3], 其他为 [nationalStage]'),
  completionRule: z
    .enum(['all_milestones', 'any_milestone'])
    .describe('阶段办结规则: all_milestones 所有里程碑事项办结; any_milestone 任一里程碑事项办结'),
  parallelWithPrevious: z.boolean().describe('是否可在上一阶段办结前开始'),
  items: z.array(TemplateItemSchema).describe('阶段内事项'),
};

export const TemplateStageSchema = z.object(templateStageShape);
export type TemplateStage = z.infer<typeof TemplateStageSchema>;

const templateShape = {
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/, '流程代码只能是大写字母、数字和下划线')
    .describe('流程代码, 如 GOV_BUILDING'),
  name: z.string().min(1).max(100).describe('流程名称 (项目类型)'),
  nationalProcessType: z
    .enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    .describe('国家标准审批流程类型 GJBZSPLCLX'),
  version: z.number().int().min(1).describe('版本号'),
  effectiveFrom: IsoDateSchema.describe('生效日期'),
};

/**
 * What kind of project a template is for: the investment sources and land-supply methods a project on it
 * may have (the first of each is the default at registration). A 社会投资 template cannot carry a
 * government project, an 出让 template no 划拨 land.
 */
export const AllowedAttributesSchema = z
  .object({
    investmentSource: z.array(InvestmentSourceSchema).min(1),
    landSupplyMethod: z.array(LandSupplyMethodSchema).min(1),
  })
  .describe('本流程适用的投资类型和供地方式 (第一个为登记时的默认值)');
export type AllowedAttributes = z.infer<typeof AllowedAttributesSchema>;

export const TemplateDefinitionSchema = z.object({
  ...templateShape,
  // Optional so versions stored before it existed stay readable; templateKind() falls back.
  allowedAttributes: AllowedAttributesSchema.optional(),
  stages: z.array(TemplateStageSchema).min(1).describe('审批阶段'),
});
export type TemplateDefinition = z.infer<typeof TemplateDefinitionSchema>;

export const TemplateStageViewSchema = z.object({
  ...templateStageShape,
  timeLimitWorkingDays: z
    .number()
    .int()
    .min(0)
    .describe('阶段时限 (工作日): 阶段内前置链承诺时限之和的最大值'),
});
export type TemplateStageView = z.infer<typeof TemplateStageViewSchema>;

export const TemplateViewSchema = z.object({
  ...templateShape,
  stages: z.array(TemplateStageViewSchema),
  totalWorkingDays: z
    .number()
    .int()
    .min(0)
    .describe('全流程时限 (工作日): 主线阶段时限之和, 并行推进阶段不计入'),
});
export type TemplateView = z.infer<typeof TemplateViewSchema>;
