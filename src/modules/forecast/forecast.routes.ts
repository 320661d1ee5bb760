/** HTTP of foresight: predicted completion per project, the running list, and the reform simulator. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { scenarioWorkbook } from './forecast.export';
import {
  ForecastListSchema,
  ProjectForecastSchema,
  ScenarioCompareQuery,
  ScenarioComparisonSchema,
  ScenarioIdParams,
  ScenarioInputSchema,
  ScenarioSummarySchema,
} from './forecast.schemas';
import { projectForecast, runningForecasts } from './forecast.service';
import * as scenarios from './scenario.service';

const tags = ['forecast'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const simulators = ['admin'] as const;
const scenarioReaders = ['admin', 'supervisor'] as const;

export function forecastRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/projects/:id/forecast',
    {
      schema: {
        tags,
        summary: '预计办结日期 P50/P90 及依据 predicted completion with its basis and distribution',
        params: z.object({ id: z.uuid().describe('项目 id') }),
        response: { 200: ProjectForecastSchema },
      },
    },
    async (request) => projectForecast(ctx.db, ctx, requireActor(request), request.params.id),
  );

  app.get(
    '/api/forecast/projects',
    {
      schema: {
        tags,
        summary:
          '在办项目的预计办结 running projects with P50/P90 (supervisor, admin; coordinator: own department)',
        response: { 200: ForecastListSchema },
      },
    },
    async (request) => runningForecasts(ctx.db, ctx, requireActor(request)),
  );

  app.post(
    '/api/forecast/scenarios/preview',
    {
      schema: {
        tags,
        summary: '试算改革方案 (沙盒, 不保存) try a reform scenario without saving',
        body: ScenarioInputSchema,
        response: { 200: ScenarioComparisonSchema },
      },
    },
    async (request) => {
      requireActor(request, simulators);
      return scenarios.previewScenario(ctx.db, ctx, request.body);
    },
  );

  app.post(
    '/api/forecast/scenarios',
    {
      schema: {
        tags,
        summary: '保存改革方案 save a reform scenario',
        body: ScenarioInputSchema,
        response: { 201: ScenarioComparisonSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, simulators);
      return reply.status(201).send(await scenarios.saveScenario(ctx.db, ctx, actor, request.body));
    },
  );

  app.get(
    '/api/forecast/scenarios',
    {
      schema: {
        tags,
        summary: '已保存的改革方案 saved scenarios',
        response: { 200: z.object({ scenarios: z.array(ScenarioSummarySchema) }) },
      },
    },
    async (request) => {
      requireActor(request, scenarioReaders);
      return scenarios.listScenarios(ctx.db);
    },
  );

  app.get(
    '/api/forecast/scenarios/compare',
    {
      schema: {
        tags,
        summary: '比较多个方案 compare saved scenarios',
        querystring: ScenarioCompareQuery,
        response: { 200: z.object({ scenarios: z.array(ScenarioComparisonSchema) }) },
      },
    },
    async (request) => {
      requireActor(request, scenarioReaders);
      return scenarios.compareScenarios(ctx.db, ctx, request.query.ids.split(','));
    },
  );

  app.get(
    '/api/forecast/scenarios/:id',
    {
      schema: {
        tags,
        summary: '方案与现行流程对比 a saved scenario beside the live template',
        params: ScenarioIdParams,
        response: { 200: ScenarioComparisonSchema },
      },
    },
    async (request) => {
      requireActor(request, scenarioReaders);
      return scenarios.getScenario(ctx.db, ctx, request.params.id);
    },
  );

  app.delete(
    '/api/forecast/scenarios/:id',
    {
      schema: {
        tags,
        summary: '删除方案 delete a saved scenario',
        params: ScenarioIdParams,
        response: { 204: z.null().describe('已删除') },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, simulators);
      await scenarios.deleteScenario(ctx.db, ctx, actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/forecast/scenarios/:id/export.xlsx',
    {
      schema: {
        tags,
        summary: '导出方案报告 Excel export the scenario report',
        params: ScenarioIdParams,
        response: { 200: fileResponse('Excel 工作簿 (xlsx)', XLSX) },
      },
    },
    async (request, reply) => {
      requireActor(request, scenarioReaders);
      const comparison = await scenarios.getScenario(ctx.db, ctx, request.params.id);
      return reply
        .type(XLSX)
        .header('Content-Disposition', `attachment; filename="scenario-${comparison.templateCode}.xlsx"`)
        .header('Cache-Control', 'private, no-store')
        .send(await scenarioWorkbook(comparison));
    },
  );
}
