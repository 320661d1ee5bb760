/**
 * The stage guide's response (task 58: one guide, one form, one material set; nothing asked twice).
 * Extends the published shape: every earlier field keeps its name and meaning.
 */
import { z } from 'zod';

const FactValueSchema = z.union([z.string(), z.number(), z.boolean()]);

export const GuideMaterialSchema = z.object({
  code: z.string(),
  name: z.string(),
  required: z.boolean(),
  deficiencyAllowed: z.boolean().describe('所有使用该材料的事项均允许容缺时为 true'),
  onFile: z.boolean().describe('项目已有该材料 (已提交或本系统已核发), 无需重复提交 (任务58)'),
  fileId: z.uuid().nullable().describe('已提交的文件 (source = upload 时)'),
  items: z.array(z.string()).describe('使用该材料的事项代码'),
  source: z
    .enum(['upload', 'certificate', 'result'])
    .nullable()
    .describe(
      '在档来源: upload 申请人已提交; certificate 本系统核发的电子证照 (未撤销、未过期); ' +
        'result 本系统已批准事项的批准文件; null 尚未在档',
    ),
  onFileSince: z.string().nullable().describe('提交或核发时间 (ISO 8601)'),
  certificate: z
    .object({
      id: z.uuid(),
      identifier: z.string(),
      title: z.string(),
      simulated: z.boolean().describe('模拟审批证照, 待转为正式'),
    })
    .nullable(),
  result: z
    .object({
      taskId: z.uuid(),
      itemCode: z.string(),
      documentNumber: z.string().nullable(),
      simulated: z.boolean(),
    })
    .nullable(),
});

export const GuideSchema = z.object({
  stage: z.object({
    nationalStage: z.number().int(),
    name: z.string(),
    leadDepartmentCode: z.string(),
    timeLimitWorkingDays: z.number().int(),
  }),
  project: z
    .object({
      code: z.string(),
      name: z.string(),
      enterpriseName: z.string(),
      creditCode: z.string().nullable().describe('建设单位统一社会信用代码'),
      districtCode: z.string(),
      totalInvestment: z.number().describe('总投资 (万元)'),
      siteAreaM2: z.number().describe('用地面积 (平方米)'),
      plannedStart: z.string(),
      plannedCompletion: z.string(),
    })
    .describe('项目已登记的信息 (表单据此预填, 无需再填)'),
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      departmentCode: z
        .string()
        .describe('办理部门：按项目所在区县和总投资路由（事权），与受理后任务的部门一致'),
      cityDepartmentCode: z.string().describe('目录中的市级条线部门'),
      level: z.enum(['city', 'district']).describe('办理层级 city 市级 / district 区县级'),
      cityStandsIn: z.boolean().describe('应由区县办理但该区县无此条线部门，由市级代办'),
      promisedTimeLimitDays: z.number().int(),
      commitmentAllowed: z.boolean(),
      commitmentText: z
        .string()
        .nullable()
        .describe('告知承诺书正文 (签署前展示, 与服务器记录的一致); 不实行告知承诺时为 null'),
      regionalAssessment: z.boolean().describe('已被区域评估覆盖：实行告知承诺 (task 44)'),
      milestone: z.boolean(),
      simulatedUntil: z.string().nullable(),
      resultDocumentType: z.string(),
    }),
  ),
  form: z
    .record(z.string(), z.unknown())
    .describe(
      '合并后的申请表单 JSON Schema (draft 2020-12); 属性可带 unit (计量单位), default (已知值), ' +
        'readOnly (项目登记信息, 不可改)',
    ),
  prefill: z
    .record(z.string(), FactValueSchema)
    .describe('表单中项目已知的字段及其值 (任务58: 只填新的信息)'),
  known: z
    .array(z.object({ key: z.string(), source: z.enum(['project', 'application']) }))
    .describe('已知字段: project 来自项目登记 (只读); application 来自此前的申报 (可修改)'),
  materials: z.array(GuideMaterialSchema),
  producedInStage: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        producedBy: z.array(z.string()).describe('本阶段产生该文件的事项'),
        usedBy: z.array(z.string()).describe('本阶段需要该文件的事项'),
      }),
    )
    .describe('本阶段事项自身产生的结果文件: 不需申请人提交, 不在 materials 中'),
  expectedCompletion: z.string().describe('自今日起按阶段时限 (工作日) 推算的办结日期'),
  calendarComplete: z.boolean(),
  constructionConditions: z
    .array(z.string())
    .describe('策划生成时各部门提出的建设条件 (部门: 条件), 非策划项目为空'),
});
