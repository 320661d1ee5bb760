import { z } from 'zod';
import { PageFields, PageQuery } from '../../shared/paging';
import { IsoDateSchema } from '../calendar/calendar.schemas';
import { DistrictCheckSchema } from '../blueprint/blueprint.schemas';
import { ProjectAttributesSchema } from '../templates/template.schemas';
import { districtCodeProblem } from './project.rules';

// ---------------------------------------------------------------------------------------------
// GeoJSON site (RFC 7946: [longitude, latitude], CGCS2000 ≈ WGS84).

const PositionSchema = z
  .array(z.number())
  .min(2)
  .max(3)
  .describe('[经度, 纬度] (GeoJSON order: longitude first; a third value, altitude, is ignored)');
const RingSchema = z.array(PositionSchema).max(20_000).describe('线性环: 首尾坐标相同 (closed ring)');

export const SitePolygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(RingSchema).min(1).max(500),
});
export const SiteMultiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(RingSchema).min(1).max(500)).min(1).max(500),
});
export const SiteSchema = z
  .discriminatedUnion('type', [SitePolygonSchema, SiteMultiPolygonSchema])
  .describe('项目用地红线 GeoJSON Polygon / MultiPolygon, CGCS2000 经纬度');

// ---------------------------------------------------------------------------------------------
// Registration.

export const DistrictCodeSchema = z
  .string()
  .superRefine((code, ctx) => {
    const problem = districtCodeProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(
    '行政区划代码 6 位, 须为本市区县或功能区之一 (GET /api/districts), 如 410102 中原区、410122 中牟县',
  );

export const RegisterProjectSchema = z.object({
  name: z.string().trim().min(2).max(200).describe('项目名称'),
  templateCode: z.string().min(1).max(64).describe('审批流程 (现行版本) 代码'),
  totalInvestment: z.number().min(0).max(999_999_999_999).describe('总投资 (万元)'),
  districtCode: DistrictCodeSchema,
  industryCode: z
    .string()
    .regex(/^\d{2}$/, '行业代码为 2 位数字 (2-digit industry code)')
    .default('47')
    .describe('国民经济行业代码 (2 位), 默认 47 房屋建筑业'),
  approvalType: z
    .enum(['01', '02', '03'])
    .optional()
    .describe(
      '01 审批 / 02 核准 / 03 备案; 须与投资类型相符: 政府投资 01; 社会投资列入核准目录 02, 否则 03; 缺省时按此取值',
    ),
  site: SiteSchema,
  plannedStart: IsoDateSchema.describe('计划开工日期, 不能早于今天 (北京时间)'),
  plannedCompletion: IsoDateSchema.describe('计划竣工日期, 须晚于计划开工日期'),
  attributes: ProjectAttributesSchema.omit({ totalInvestment: true })
    .partial()
    .default({})
    .describe(
      '审批流程条件所读取的项目属性 (GET /api/process-templates/:code 的 questions); 未填的取默认值, ' +
        '投资类型和供地方式默认取自流程且不得与之矛盾; totalInvestment 取自本请求的总投资, ' +
        'withinRegionalAssessment 由选址检查得出 (传入的值被忽略)',
    ),
  enterpriseId: z.uuid().optional().describe('建设单位 id: 帮办代办必填; 申请人为本企业'),
  plannedProjectId: z
    .uuid()
    .optional()
    .describe('策划生成的项目: 各部门前期意见与建设条件随之带入 (tasks 43, 51)'),
});
export type RegisterProjectInput = z.infer<typeof RegisterProjectSchema>;

// ---------------------------------------------------------------------------------------------
// Responses.

export const StageStatusSchema = z
  .enum([
    'locked',
    'open',
    'submitted',
    'correction_requested',
    'accepted',
    'refused',
    'rejected',
    'withdrawn',
    'terminated',
    'completed',
  ])
  .describe('locked 未开放; open 可申报; 其余为本阶段申报的状态 (refused 后可重新申报)');

/** A task's clock as every view shows it (the one rule: approvals/clock.rules.ts taskClock). */
export const TaskClockSchema = z.object({
  deadline: z.string().describe('办理期限 YYYY-MM-DD（含暂停与延期）'),
  remainingWorkingDays: z.number().int(),
  overdueWorkingDays: z.number().int(),
  clockState: z.enum(['normal', 'warning', 'overdue']).describe('正常 / 预警 / 逾期'),
  paused: z.boolean(),
  pausedWorkingDays: z.number().int(),
  extendedBy: z.number().int().describe('已批准延期的工作日数'),
});

export const ProjectTaskSchema = z.object({
  id: z.uuid(),
  itemCode: z.string(),
  itemName: z.string(),
  departmentCode: z.string(),
  status: z.string(),
  deadline: z.string().describe('办理期限 YYYY-MM-DD（含暂停与延期）'),
  applicationId: z.uuid().optional().describe('所属阶段申报'),
  clock: TaskClockSchema.nullable().optional().describe('计时：与待办箱、办件、申报和电子监察同一规则'),
});

export const ProjectStageSchema = z.object({
  nationalStage: z.number().int(),
  name: z.string(),
  leadDepartmentCode: z.string(),
  timeLimitWorkingDays: z.number().int(),
  status: StageStatusSchema,
  applicationId: z.uuid().nullable(),
  tasks: z.array(ProjectTaskSchema),
});

export const ProjectSchema = z.object({
  id: z.uuid(),
  code: z.string().describe('项目代码 年份-行政区划-行业-类型-流水号'),
  name: z.string(),
  templateCode: z.string(),
  templateVersion: z.number().int().describe('项目开始时的审批流程版本 (后续修订不影响本项目)'),
  districtCode: z.string(),
  industryCode: z.string(),
  approvalType: z.string(),
  totalInvestment: z.number().describe('万元'),
  site: z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(z.array(z.array(z.number())))),
  }),
  siteAreaM2: z.number().describe('椭球面积 (平方米)'),
  plannedStart: z.string(),
  plannedCompletion: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  enterpriseId: z.uuid(),
  enterpriseName: z.string(),
  createdAt: z.string().describe('登记时间 ISO 8601'),
  stages: z.array(ProjectStageSchema),
  siteCheck: z
    .object({
      verdict: z.enum(['clear', 'warning', 'blocked']),
      conflicts: z.array(z.record(z.string(), z.unknown())),
      regionalAssessments: z.unknown(),
      district: DistrictCheckSchema.nullable().describe('用地与所属区县行政区界的核对; 早期登记的为 null'),
      checkedAt: z.string(),
    })
    .nullable()
    .describe('登记时的“一张蓝图”选址检查'),
  plannedProjectId: z.string().nullable(),
  constructionConditions: z.array(z.string()).describe('策划生成阶段各部门提出的建设条件'),
  queryCode: z
    .string()
    .optional()
    .describe('查询码: 仅在登记 (或重新生成) 时返回一次, 与项目代码一起在公众门户查询办理进度'),
});

export const ProjectSummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  templateCode: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string().describe('所在区县（行政区划代码）'),
  createdAt: z.string(),
  currentStage: z
    .object({ nationalStage: z.number().int(), name: z.string(), status: StageStatusSchema })
    .nullable()
    .describe('第一个尚未办结的主线阶段; null 表示四个阶段均已办结'),
});

/** 我的项目 (issue 16 §6): search, filters, order and one page; the export takes the same without the page. */
export const ListProjectsExportQuery = z.object({
  q: z.string().trim().max(100).optional().describe('项目名称或项目代码中包含的文字'),
  districtCode: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('所在区县（行政区划代码）'),
  templateCode: z.string().max(64).optional().describe('审批流程（项目类型）'),
  stage: z.coerce.number().int().min(1).max(5).optional().describe('正在办理的审批阶段 1–5'),
  state: z.enum(['running', 'idle']).optional().describe('running 有阶段在办 / idle 无在办阶段'),
  sort: z
    .enum(['createdAt', 'name', 'code'])
    .default('createdAt')
    .describe('排序：登记时间（默认）/ 项目名称 / 项目代码'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

export const ListProjectsQuery = ListProjectsExportQuery.extend(PageQuery.shape).extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe('旧参数（保留兼容）：与 offset 一起代替 page/pageSize'),
  offset: z.coerce.number().int().min(0).optional().describe('旧参数（保留兼容）'),
});
export type ListProjectsInput = z.infer<typeof ListProjectsQuery>;

export const ListProjectsResponse = z.object({
  projects: z.array(ProjectSummarySchema),
  ...PageFields,
});

export const ProjectIdParams = z.object({ id: z.uuid().describe('项目 id') });
export const StageParams = z.object({
  id: z.uuid().describe('项目 id'),
  n: z.coerce.number().int().min(1).max(5).describe('国家标准审批阶段 1–5'),
});

export const GuideSchema = z.object({
  stage: z.object({
    nationalStage: z.number().int(),
    name: z.string(),
    leadDepartmentCode: z.string(),
    timeLimitWorkingDays: z.number().int(),
  }),
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      departmentCode: z.string(),
      promisedTimeLimitDays: z.number().int(),
      commitmentAllowed: z.boolean(),
      regionalAssessment: z.boolean().describe('已被区域评估覆盖：实行告知承诺 (task 44)'),
      milestone: z.boolean(),
      simulatedUntil: z.string().nullable(),
      resultDocumentType: z.string(),
    }),
  ),
  form: z.record(z.string(), z.unknown()).describe('合并后的申请表单 JSON Schema (draft 2020-12)'),
  materials: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      required: z.boolean(),
      deficiencyAllowed: z.boolean().describe('所有使用该材料的事项均允许容缺时为 true'),
      onFile: z.boolean().describe('项目已提交过该材料, 无需重复提交 (任务58)'),
      fileId: z.uuid().nullable(),
      items: z.array(z.string()),
    }),
  ),
  expectedCompletion: z.string().describe('自今日起按阶段时限 (工作日) 推算的办结日期'),
  calendarComplete: z.boolean(),
});
