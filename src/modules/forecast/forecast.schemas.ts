/** Zod schemas of foresight: predicted completion, the reform simulator's scenarios and their comparison. */
import { z } from 'zod';
import { NationalStageSchema } from '../catalog/catalog.schemas';

const itemCode = z.string().min(1).max(64).describe('事项代码');
const wd = z.number().int().describe('工作日');
const date = z.string().describe('YYYY-MM-DD (北京时间)');

export const BasisSchema = z
  .enum(['history', 'promised', 'mixed', 'known'])
  .describe(
    'history 按已办结办件的实际用时 (同事项同部门); promised 历史不足, 按承诺时限; mixed 两者兼有; known 已办结, 无需预测',
  );

const HistogramSchema = z
  .array(z.object({ workingDays: wd, date: date.optional(), runs: z.number().int() }))
  .describe('模拟分布: 自今日起的工作日 → 落在该日的模拟次数');

export const DistributionSchema = z.object({
  p50WorkingDays: wd.describe('P50: 一半的模拟在此之前办结 (自今日起)'),
  p90WorkingDays: wd.describe('P90: 九成的模拟在此之前办结 (自今日起)'),
  meanWorkingDays: z.number(),
  p50Date: date,
  p90Date: date,
  histogram: HistogramSchema,
});

export const ProjectForecastSchema = z.object({
  projectId: z.uuid(),
  projectCode: z.string(),
  projectName: z.string(),
  templateCode: z.string(),
  asOf: date.describe('预测日 (今日)'),
  runs: z.number().int().describe('蒙特卡洛模拟次数'),
  seed: z.number().int().describe('随机种子 (同一项目同一天结果相同)'),
  finished: z.boolean().describe('主线阶段均已办结'),
  basis: BasisSchema,
  startedOn: date.nullable().describe('全流程起点: 首次受理日'),
  completion: DistributionSchema.describe('主线 (第一至第四阶段) 办结日期的分布'),
  wholeProcess: z.object({
    elapsedWorkingDays: wd.describe('首次受理至今已用工作日'),
    p50WorkingDays: wd.describe('预计全流程工作日 P50 (首次受理至办结)'),
    p90WorkingDays: wd,
    targetWorkingDays: wd.describe('目标: 100 个工作日'),
  }),
  naive: z
    .object({ date, workingDays: wd })
    .describe('朴素预测: 各事项均按承诺时限、各阶段办结当日即申报受理'),
  stages: z.array(
    z.object({
      nationalStage: z.number().int(),
      name: z.string(),
      mainLine: z.boolean(),
      state: z.enum(['done', 'running', 'future']),
      doneOn: date.nullable(),
      basis: BasisSchema,
      p50WorkingDays: wd,
      p90WorkingDays: wd,
      p50Date: date,
      p90Date: date,
    }),
  ),
  items: z.array(
    z.object({
      itemCode,
      itemName: z.string(),
      departmentCode: z.string(),
      nationalStage: z.number().int(),
      state: z.enum(['done', 'running', 'future']),
      basis: z.enum(['history', 'promised']),
      samples: z.number().int().describe('同事项同部门已办结办件数'),
      promisedDays: wd,
      medianDays: z.number().nullable().describe('历史用时中位数 (不含告知承诺当场办结)'),
      p90Days: z.number().nullable(),
      commitmentShare: z.number().describe('历史中告知承诺当场办结的比例'),
      pausedShare: z.number().describe('历史中有暂停 (补正、特别程序) 的比例'),
      extendedShare: z.number().describe('历史中有延期的比例'),
      p50Date: date,
      p90Date: date,
    }),
  ),
});
export type ProjectForecast = z.infer<typeof ProjectForecastSchema>;

export const ForecastListSchema = z.object({
  asOf: date,
  projects: z.array(
    ProjectForecastSchema.pick({
      projectId: true,
      projectCode: true,
      projectName: true,
      templateCode: true,
      basis: true,
      startedOn: true,
      wholeProcess: true,
      naive: true,
    }).extend({
      p50Date: date,
      p90Date: date,
      currentStage: z.string().nullable().describe('当前主线阶段名称'),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------------
// Reform simulator.

export const ScenarioChangesSchema = z
  .strictObject({
    limits: z
      .array(
        z.strictObject({
          itemCode,
          promisedTimeLimitDays: z
            .number()
            .int()
            .min(1)
            .max(365)
            .describe('新的承诺时限 (工作日), 不超过法定时限'),
        }),
      )
      .max(300)
      .default([])
      .describe('压缩 (或调整) 事项承诺时限'),
    parallel: z.array(itemCode).max(300).default([]).describe('改为并行: 不再等待其前置事项'),
    mergeItems: z
      .array(
        z.strictObject({
          into: itemCode.describe('合并后保留的事项'),
          items: z.array(itemCode).min(1).max(20).describe('并入的事项 (同一阶段)'),
          promisedTimeLimitDays: z
            .number()
            .int()
            .min(1)
            .max(365)
            .optional()
            .describe('合并后时限; 缺省取其中最长'),
        }),
      )
      .max(50)
      .default([]),
    mergeStages: z
      .array(z.array(NationalStageSchema).min(2).max(4))
      .max(3)
      .default([])
      .describe('合并相邻主线阶段, 如 [2,3]'),
    commitmentShare: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .default(null)
      .describe('可实行告知承诺的事项中当场办结的比例; null 按历史'),
    deficiencyShare: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .default(null)
      .describe('容缺受理的比例: 受理不再等待补齐材料; null 按历史'),
  })
  .describe('沙盒中的改革方案: 不改动现行流程和事项');
export type ScenarioChanges = z.infer<typeof ScenarioChangesSchema>;

export const ScenarioInputSchema = z.object({
  templateCode: z.string().min(1).max(64).describe('审批流程代码 (现行版本)'),
  name: z.string().trim().min(1).max(100).default('改革方案').describe('方案名称'),
  changes: ScenarioChangesSchema.default({
    limits: [],
    parallel: [],
    mergeItems: [],
    mergeStages: [],
    commitmentShare: null,
    deficiencyShare: null,
  }),
});
export type ScenarioInput = z.infer<typeof ScenarioInputSchema>;

const SideSchema = z.object({
  totalWorkingDays: wd.describe('全流程时限 (主线阶段时限之和, 流程规则计算)'),
  stages: z.array(
    z.object({
      nationalStage: z.number().int(),
      name: z.string(),
      mergedStages: z.array(z.number().int()),
      mainLine: z.boolean(),
      timeLimitWorkingDays: wd,
      p50WorkingDays: wd,
      p90WorkingDays: wd,
    }),
  ),
  distribution: z.object({
    p50WorkingDays: wd,
    p90WorkingDays: wd,
    meanWorkingDays: z.number(),
    histogram: HistogramSchema,
  }),
  basis: BasisSchema,
  withinLines: z
    .array(z.object({ line: wd, share: z.number() }))
    .describe('模拟中全流程不超过 100 / 70 / 60 个工作日的比例'),
});

export const ScenarioComparisonSchema = z.object({
  id: z.uuid().nullable().describe('已保存方案的 id; 试算时为 null'),
  name: z.string(),
  templateCode: z.string(),
  templateName: z.string(),
  templateVersion: z.number().int(),
  createdAt: z.string().nullable(),
  changes: ScenarioChangesSchema,
  lines: z.array(wd).describe('目标线: 100 / 70 / 60 个工作日'),
  runs: z.number().int(),
  live: SideSchema,
  sandbox: SideSchema,
  problems: z
    .array(z.object({ code: z.string(), message: z.string() }))
    .describe('沙盒流程的校验问题 (如超过 100 个工作日); 仅提示, 不影响现行流程'),
});
export type ScenarioComparison = z.infer<typeof ScenarioComparisonSchema>;

export const ScenarioSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  templateCode: z.string(),
  templateVersion: z.number().int(),
  createdAt: z.string(),
  liveTotalWorkingDays: wd,
  sandboxTotalWorkingDays: wd,
});

export const ScenarioIdParams = z.object({ id: z.uuid() });
export const ScenarioCompareQuery = z.object({
  ids: z
    .string()
    .regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36}){0,4}$/i, '1–5 个方案 id, 以逗号分隔')
    .describe('要比较的方案 id, 逗号分隔 (最多 5 个)'),
});
