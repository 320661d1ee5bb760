/**
 * The approval-item catalog (审批事项清单, 郑政办〔2019〕26号 附件任务 1–6): departments, items with their
 * legal basis, time limits, materials and form fields, and the recorded merges / cancellations.
 * The `.describe()` texts feed the OpenAPI document.
 */
import { z } from 'zod';

export const IsoDateSchema = z.iso.date().describe('日期 YYYY-MM-DD');

/** Stage numbers of the national standard (DYBZSPJDXH): 1–4 main line, 5 = 并行推进. */
export const NationalStageSchema = z
  .number()
  .int()
  .min(1)
  .max(5)
  .describe('国家标准审批阶段: 1 立项用地规划许可, 2 工程建设许可, 3 施工许可, 4 竣工验收, 5 并行推进');

export const DepartmentKindSchema = z
  .enum(['government', 'utility', 'review_body'])
  .describe('government 行政机关; utility 市政公用服务单位; review_body 技术审查/测绘等机构');

export const DepartmentSchema = z.object({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,15}$/, '部门代码只能是小写字母和数字, 以字母开头, 2–16 位')
    .describe('部门代码 (稳定, 小写 ascii; 审批人员用户名为 <code>.reviewer)'),
  name: z.string().min(1).max(100).describe('部门名称, 如 市发展改革委'),
  kind: DepartmentKindSchema,
  leadsStages: z.array(NationalStageSchema).describe('牵头的国家标准审批阶段 (方案 §(六))'),
});
export type Department = z.infer<typeof DepartmentSchema>;

export const MaterialSchema = z.object({
  code: z
    .string()
    .regex(/^M_[A-Z0-9_]+$/, '材料代码格式为 M_ 加大写字母/数字/下划线')
    .describe('材料代码: 多个事项共用的同一材料使用同一代码, 以便阶段内去重 (任务58 一套申报材料)'),
  name: z.string().min(1).max(200).describe('材料名称'),
  required: z.boolean().describe('是否必须提交'),
  deficiencyAllowed: z.boolean().describe('是否允许容缺受理 (受理时可暂缺, 承诺限期补齐)'),
  intermediaryService: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9-]{2,63}$/)
    .optional()
    .describe('该材料须由中介服务出具时的中介服务事项代码 (任务12: 只能是中介服务事项清单内的服务)'),
});
export type Material = z.infer<typeof MaterialSchema>;

export const FormFieldSchema = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9]*$/, '字段键须为 camelCase')
    .describe('字段键 (camelCase); 同一数据在各事项中使用同一键, 以便合并为一张申请表单'),
  label: z.string().min(1).max(100).describe('字段中文名称'),
  type: z.enum(['string', 'number', 'date', 'boolean']).describe('字段类型'),
  required: z.boolean().describe('是否必填'),
  unit: z.string().max(20).optional().describe('计量单位, 如 万元、平方米'),
});
export type FormField = z.infer<typeof FormFieldSchema>;

export const LegalBasisLevel = z
  .enum(['law', 'regulation', 'state_council_decision', 'department_rule', 'normative_document'])
  .describe(
    '设立依据的最高层级: law 法律; regulation 行政法规/地方性法规; state_council_decision 国务院决定; ' +
      'department_rule 部门规章; normative_document 规范性文件 (任务1: 仅有后两者依据的事项应取消)',
  );
export type LegalBasisLevel = z.infer<typeof LegalBasisLevel>;

export const CertificateTypeSchema = z
  .enum([
    'land_use_planning_permit',
    'construction_planning_permit',
    'construction_permit',
    'completion_filing',
    'land_approval',
    'site_selection',
  ])
  .describe(
    '证照类型: land_use_planning_permit 建设用地规划许可证; construction_planning_permit 建设工程规划许可证; ' +
      'construction_permit 建筑工程施工许可证; completion_filing 竣工验收备案; land_approval 建设用地批准书; ' +
      'site_selection 建设项目用地预审与选址意见书',
  );
export type CertificateType = z.infer<typeof CertificateTypeSchema>;

export const RegionalAssessmentSchema = z
  .enum([
    'environmental_impact',
    'seismic_safety',
    'mineral_overlay',
    'energy_saving',
    'geological_hazard',
    'water_resources',
    'cultural_relics',
  ])
  .describe(
    '区域评估覆盖的评估类型 (任务44): environmental_impact 环境影响评价; seismic_safety 地震安全性评价; ' +
      'mineral_overlay 压覆重要矿产资源评估; energy_saving 节能评价; geological_hazard 地质灾害危险性评估; ' +
      'water_resources 水资源论证; cultural_relics 文物勘探',
  );
export type RegionalAssessment = z.infer<typeof RegionalAssessmentSchema>;

export const ItemStatusSchema = z
  .enum(['active', 'cancelled', 'merged'])
  .describe('事项状态: active 实施中; cancelled 已取消; merged 已合并入其他事项');
export type ItemStatus = z.infer<typeof ItemStatusSchema>;

const itemCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,63}$/, '事项代码只能是大写字母、数字和连字符')
  .describe('事项代码 (稳定 ascii, 如 ZZ-FGW-001)');

export const ItemSchema = z
  .object({
    code: itemCode,
    version: z.number().int().min(1).describe('版本号, 从 1 开始'),
    name: z.string().min(1).max(200).describe('事项名称'),
    stage: NationalStageSchema,
    departmentCode: z.string().min(1).max(32).describe('实施部门代码'),
    legalBasisLevel: LegalBasisLevel,
    legalBasis: z.string().min(1).max(500).describe('设立依据, 如 《中华人民共和国城乡规划法》第三十七条'),
    legalTimeLimitDays: z.number().int().min(1).describe('法定办理时限 (工作日)'),
    promisedTimeLimitDays: z.number().int().min(1).describe('承诺办理时限 (工作日), 不得超过法定时限'),
    timeLimitConfirmed: z
      .boolean()
      .describe('时限是否有出处; false 表示系统默认值, 须由市政务办会同实施部门确认'),
    commitmentAllowed: z.boolean().describe('是否可实行告知承诺制 (任务37)'),
    materials: z.array(MaterialSchema).describe('申请材料'),
    formFields: z.array(FormFieldSchema).describe('申请表单字段'),
    resultDocumentType: z
      .string()
      .min(1)
      .max(100)
      .describe('办理结果文书类型, 如 建设用地规划许可证、批复、审查意见'),
    certificateType: CertificateTypeSchema.nullable().describe('办理结果为法定证照时的证照类型, 否则为 null'),
    regionalAssessment: RegionalAssessmentSchema.nullable().describe(
      '该事项可由区域评估覆盖时的评估类型 (区域内项目实行告知承诺), 否则为 null',
    ),
    status: ItemStatusSchema,
    effectiveFrom: IsoDateSchema.describe('本版本生效日期'),
    effectiveTo: IsoDateSchema.nullable().describe('本版本失效日期 (不含当日); null 表示现行'),
  })
  .superRefine((item, ctx) => {
    if (item.promisedTimeLimitDays > item.legalTimeLimitDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['promisedTimeLimitDays'],
        message: `承诺时限 ${item.promisedTimeLimitDays} 个工作日不得超过法定时限 ${item.legalTimeLimitDays} 个工作日 (promised time limit exceeds the legal one)`,
      });
    }
    if (item.effectiveTo !== null && item.effectiveTo < item.effectiveFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: '失效日期不得早于生效日期 (effectiveTo is before effectiveFrom)',
      });
    }
  });
export type Item = z.infer<typeof ItemSchema>;

export const CatalogChangeSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/, '变更编号只能是字母、数字、下划线和连字符')
      .describe('变更编号 (稳定 ascii)'),
    kind: z
      .enum(['merge', 'cancel', 'create', 'amend'])
      .describe('merge 合并; cancel 取消; create 新设; amend 修改'),
    itemCodes: z.array(itemCode).describe('受影响的 (原) 事项代码'),
    resultItemCode: itemCode.nullable().describe('合并或新设后的事项代码; 取消时为 null'),
    basis: z.string().min(1).max(300).describe('变更依据, 如 郑政办〔2019〕26号 附件任务3'),
    description: z.string().min(1).max(1000).describe('变更说明'),
    effectiveDate: IsoDateSchema.describe('变更生效日期'),
  })
  .superRefine((change, ctx) => {
    if (change.kind === 'merge' && change.resultItemCode === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['resultItemCode'],
        message: '合并须指明合并后的事项 (merge needs a result item)',
      });
    }
    if (change.kind !== 'create' && change.itemCodes.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['itemCodes'],
        message: '须列出受影响的事项 (itemCodes must not be empty)',
      });
    }
  });
export type CatalogChange = z.infer<typeof CatalogChangeSchema>;
