/** HTTP of statistics (统计分析) and 定期通报 reports. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { overviewWorkbook, reportPdf, reportWorkbook } from './stats.export';
import * as service from './stats.service';
import { districtRanking, generateScopedReport } from './stats.districts';

const tags = ['stats'];
const date = z.iso.date();
const Filter = z.object({
  from: date.optional(),
  to: date.optional(),
  districtCode: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  templateCode: z.string().min(1).max(64).optional(),
});
const readers = ['supervisor', 'admin', 'coordinator'] as const;

const count = z.number().int();
const days = z.number().nullable();
const GroupRow = z.object({
  key: z.string(),
  name: z.string(),
  tasks: count,
  completed: count,
  onTime: count,
  overdue: count,
  onTimeRate: z.number().nullable(),
  avgDays: days,
  medianDays: days,
  p90Days: days,
  extended: count.describe('延期办件数 tasks an approved extension moved'),
});
const WholeProcessProject = z.object({
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  startedOn: z.string(),
  finished: z.boolean().describe('主线阶段（第一至第四阶段）均已办结'),
  completedOn: z.string().nullable(),
  mainStages: count,
  completedStages: count,
  workingDays: count.describe('已办结：首次受理至主线办结的工作日；在办：至今已用工作日'),
});
const OverviewResponse = z.object({
  filter: Filter,
  totals: z.object({
    applications: count,
    tasks: count,
    completed: count,
    onTime: count,
    overdueTasks: count,
    commitmentTasks: count,
    deficiencyApplications: count,
    onTimeRate: z.number().nullable(),
    commitmentShare: z.number().nullable(),
    deficiencyShare: z.number().nullable(),
    extendedTasks: count,
  }),
  byItem: z.array(GroupRow),
  byDepartment: z.array(GroupRow),
  byStage: z.array(GroupRow),
  byTemplate: z.array(GroupRow),
  byDistrict: z
    .array(GroupRow.extend({ rank: count.describe('区县排名：1 为最好 (1 = best)') }))
    .describe('分区县统计与排名 per district, ranked'),
  trend: z.array(z.object({ month: z.string(), applications: count, started: count, finished: count })),
  wholeProcess: z.object({
    targetDays: count,
    over: count,
    within: count,
    projects: z.array(WholeProcessProject).describe('主线已办结的项目（全流程用时只统计这些）'),
    avgWorkingDays: days,
    medianWorkingDays: days,
    running: z
      .object({
        count,
        avgElapsedWorkingDays: days,
        overTarget: count,
        projects: z.array(WholeProcessProject),
      })
      .describe('在办项目，另行列示，不计入全流程用时'),
  }),
});
const ReportRow = z.object({
  id: z.string(),
  month: z.string().describe('YYYY-MM'),
  districtCode: z.string().nullable().describe('通报范围: 区县代码; null 为全市'),
  districtName: z.string().nullable(),
  generatedAt: z.date(),
});
const WholeProcessSummary = z.object({
  avgWorkingDays: days.describe('主线已办结项目的平均全流程用时 (工作日)'),
  medianWorkingDays: days,
  within: count.describe('100 个工作日内办结的项目数'),
  over: count.describe('超过 100 个工作日的项目数'),
  running: count.describe('在办项目数 (不计入用时)'),
});
const RankingResponse = z.object({
  filter: Filter,
  targetDays: count,
  totals: OverviewResponse.shape.totals
    .extend({ wholeProcess: WholeProcessSummary })
    .describe('全市 (或本区县) 合计'),
  districts: z
    .array(
      GroupRow.extend({
        rank: count.describe('排名: 按时办结率, 其次逾期件数少, 其次平均用时短; 1 为最好'),
        wholeProcess: WholeProcessSummary,
      }),
    )
    .describe('各区县, 按排名'),
});
const RankingQuery = Filter.omit({ districtCode: true });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function statsRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/stats/overview',
    {
      schema: {
        tags,
        summary: '统计概览 statistics overview',
        querystring: Filter,
        response: { 200: OverviewResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, readers);
      return service.overview(ctx.db, ctx, service.scopedFilter(actor, request.query), ctx.readDb);
    },
  );

  app.get(
    '/api/stats/export.xlsx',
    {
      schema: {
        tags,
        summary: '导出统计 Excel export',
        querystring: Filter,
        response: { 200: fileResponse('Excel 工作簿 (xlsx)', XLSX) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, readers);
      const filter = service.scopedFilter(actor, request.query);
      const book = await overviewWorkbook(await service.overview(ctx.db, ctx, filter, ctx.readDb));
      return reply
        .type(XLSX)
        .header('Content-Disposition', 'attachment; filename="stats.xlsx"')
        .header('Cache-Control', 'private, no-store')
        .send(book);
    },
  );

  app.post(
    '/api/stats/reports',
    {
      schema: {
        tags,
        summary: '生成月度通报 generate a monthly report',
        body: z.object({
          month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
          districtCode: z
            .string()
            .regex(/^\d{6}$/)
            .nullable()
            .default(null)
            .describe('区县通报; 不填为全市通报 (含区县排名). 区县人员只能生成本区县的'),
        }),
        response: { 201: ReportRow },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['supervisor', 'admin']);
      const { districtCode } = service.scopedFilter(
        actor,
        { districtCode: request.body.districtCode ?? undefined },
        'body.districtCode',
      );
      return reply
        .code(201)
        .send(await generateScopedReport(ctx.db, ctx, actor, request.body.month, districtCode ?? null));
    },
  );

  app.get(
    '/api/stats/reports',
    {
      schema: {
        tags,
        summary: '通报列表 reports',
        response: { 200: z.object({ reports: z.array(ReportRow) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request, readers);
      return { reports: await service.listReports(ctx.db, actor) };
    },
  );

  app.get(
    '/api/stats/districts',
    {
      schema: {
        tags,
        summary: '区县排名 districts ranked (city staff: all; district staff: their own row)',
        querystring: RankingQuery,
        response: { 200: RankingResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, readers);
      return districtRanking(ctx.db, ctx, service.scopedFilter(actor, request.query), ctx.readDb);
    },
  );

  app.get(
    '/api/stats/reports/:id/:format',
    {
      schema: {
        tags,
        summary: '下载通报 download a report (xlsx | pdf)',
        params: z.object({ id: z.uuid(), format: z.enum(['xlsx', 'pdf']) }),
        response: { 200: fileResponse('月度通报 (xlsx 或 pdf)', XLSX, 'application/pdf') },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, readers);
      const data = await service.getReport(ctx.db, actor, request.params.id);
      const pdf = request.params.format === 'pdf';
      const body = pdf ? await reportPdf(data) : await reportWorkbook(data);
      return reply
        .type(pdf ? 'application/pdf' : XLSX)
        .header('Content-Disposition', `attachment; filename="report-${data.month}.${request.params.format}"`)
        .header('Cache-Control', 'private, no-store')
        .send(body);
    },
  );
}
