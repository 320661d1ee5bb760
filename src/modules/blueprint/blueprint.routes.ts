/** HTTP of 一张蓝图 (tasks 43, 44, 51, 52): layers, site checks, 差异图斑, 策划生成 with early opinions. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { DomainError } from '../../shared/errors';
import { departmentScopedRoles, roles, type Actor } from '../identity/identity.rules';
import {
  BboxQuery,
  CreatePlannedProjectSchema,
  DifferenceSchema,
  FeaturesSchema,
  IdParams,
  LayerCreatedSchema,
  LayerSchema,
  OpinionSchema,
  PlannedProjectSchema,
  SiteCheckRequestSchema,
  SiteCheckSchema,
  StartDifferenceSchema,
  UploadLayerSchema,
  AnnualPlanSchema,
  YearParams,
} from './blueprint.schemas';
import { annualPlan, annualPlanWorkbook } from './annual-plan.service';
import * as differences from './difference.service';
import {
  CreateDistrictSchema,
  DistrictCodeParams,
  DistrictSchema,
  ListDistrictsQuery,
  UpdateDistrictSchema,
} from './district.schemas';
import * as districts from './district.service';
import * as layers from './layer.service';
import * as planned from './planned.service';
import { planningRoles } from './planned.service';
import { checkSite } from './site-check.service';

/** Layer uploads carry whole control-line sets: up to 20 MB of GeoJSON (the CLI takes larger files). */
export const LAYER_BODY_LIMIT = 20 * 1024 * 1024;
const staff = roles.filter((r) => r !== 'applicant');

function requirePlanningStaff(actor: Actor) {
  if (actor.role === 'admin' || (actor.departmentCode === 'zrzy' && actor.role !== 'applicant')) return;
  throw new DomainError(
    'FORBIDDEN_ROLE',
    '差异图斑分析仅限管理员或自然资源和规划局人员 (admin or zrzy staff only)',
  );
}

function parseBbox(bbox: string | undefined): [number, number, number, number] | null {
  if (!bbox) return null;
  const [a, b, c, d] = bbox.split(',').map(Number) as [number, number, number, number];
  if (a >= c || b >= d)
    throw new DomainError('VALIDATION_FAILED', 'bbox 需为 minLon,minLat,maxLon,maxLat (min < max)', {
      field: 'query.bbox',
    });
  return [a, b, c, d];
}

/** 行政区划 a project is registered under: everyone logged in reads, the administrator edits. */
function districtRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/districts',
    {
      schema: {
        tags: ['blueprint'],
        summary: '本市区县及功能区 districts a project may be registered under (logged-in users)',
        querystring: ListDistrictsQuery,
        response: { 200: z.object({ districts: z.array(DistrictSchema) }) },
      },
    },
    async (request) => {
      requireActor(request);
      return { districts: await districts.listDistricts(ctx.db, request.query) };
    },
  );

  app.post(
    '/api/districts',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '新增区县或功能区 add a district (admin)',
        body: CreateDistrictSchema,
        response: { 201: DistrictSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['admin']);
      return reply
        .status(201)
        .send(await districts.createDistrict(ctx.db, actor, ctx.clock.now(), request.body));
    },
  );

  app.put(
    '/api/districts/:code',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '修改或停用区县/功能区 edit or retire a district (admin)',
        params: DistrictCodeParams,
        body: UpdateDistrictSchema,
        response: { 200: DistrictSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      return districts.updateDistrict(ctx.db, actor, ctx.clock.now(), request.params.code, request.body);
    },
  );
}

export function blueprintRoutes(app: App, ctx: AppContext) {
  districtRoutes(app, ctx);
  app.post(
    '/api/blueprint/layers',
    {
      bodyLimit: LAYER_BODY_LIMIT,
      config: { roles: ['admin'] },
      schema: {
        tags: ['blueprint'],
        summary: '上传规划图层/控制线 (同名同类型再次上传为新版本) upload a layer (admin)',
        body: UploadLayerSchema,
        response: { 201: LayerCreatedSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['admin']);
      return reply.status(201).send(await layers.uploadLayer(ctx.db, actor, ctx.clock.now(), request.body));
    },
  );

  app.get(
    '/api/blueprint/map-settings',
    {
      schema: {
        tags: ['blueprint'],
        summary: '地图设置: 底图瓦片地址 (MAP_BASEMAP_URL) map settings',
        response: {
          200: z.object({
            basemapUrl: z.string().nullable().describe('XYZ 底图地址; null = 无底图'),
          }),
        },
      },
    },
    async (request) => {
      requireActor(request);
      return { basemapUrl: ctx.config.mapBasemapUrl ?? null };
    },
  );

  app.get(
    '/api/blueprint/layers',
    {
      schema: {
        tags: ['blueprint'],
        summary: '现行图层列表 current layers (applicants: public layers only)',
        response: { 200: z.object({ layers: z.array(LayerSchema) }) },
      },
    },
    async (request) => ({ layers: await layers.listLayers(ctx.db, requireActor(request)) }),
  );

  app.get(
    '/api/blueprint/layers/:id/features',
    {
      schema: {
        tags: ['blueprint'],
        summary:
          '图层要素 GeoJSON: 按 bbox + zoom 简化并分页 (nextAfter); 不带 zoom 时最多 5000 个; 工作人员图层对申请人 403',
        params: IdParams,
        querystring: BboxQuery,
        response: { 200: FeaturesSchema },
      },
    },
    async (request) =>
      layers.layerFeatures(ctx.db, requireActor(request), request.params.id, parseBbox(request.query.bbox), {
        zoom: request.query.zoom,
        after: request.query.after,
      }),
  );

  app.post(
    '/api/blueprint/site-checks',
    {
      bodyLimit: LAYER_BODY_LIMIT,
      schema: {
        tags: ['blueprint'],
        summary: '选址合规检测: 生态保护红线、永久基本农田、城镇开发边界、区域评估 (任务43/44/51)',
        body: SiteCheckRequestSchema,
        response: { 200: SiteCheckSchema },
      },
    },
    async (request) => {
      requireActor(request);
      return checkSite(ctx.db, request.body.site);
    },
  );

  app.post(
    '/api/blueprint/difference-analyses',
    {
      config: { roles: staff },
      schema: {
        tags: ['blueprint'],
        summary: '启动差异图斑分析 (任务52) start a difference analysis of two plans',
        body: StartDifferenceSchema,
        response: { 202: z.object({ id: z.uuid(), status: z.literal('queued') }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      requirePlanningStaff(actor);
      const started = await differences.startDifferenceAnalysis(
        ctx.db,
        ctx.jobs,
        actor,
        ctx.clock.now(),
        request.body,
      );
      // Without a job runner (some tests, one-off tools) the analysis runs in this process.
      if (!ctx.jobs) {
        void differences
          .runDifferenceAnalysis(ctx.db, started.id, () => ctx.clock.now())
          .catch((err: unknown) => {
            // The code only: a failing statement's text and values may carry user data.
            const e = err as { code?: string; name?: string };
            request.log.error({ code: e.code ?? e.name }, 'difference analysis failed');
          });
      }
      return reply.status(202).send(started);
    },
  );

  app.get(
    '/api/blueprint/difference-analyses/:id',
    {
      schema: {
        tags: ['blueprint'],
        summary: '差异图斑分析进度与结果',
        params: IdParams,
        response: { 200: DifferenceSchema },
      },
    },
    async (request) => {
      requireActor(request, staff);
      return differences.getDifferenceAnalysis(ctx.db, request.params.id);
    },
  );

  app.get(
    '/api/blueprint/difference-analyses/:id/export.geojson',
    {
      schema: {
        tags: ['blueprint'],
        summary: '导出差异图斑 GeoJSON',
        params: IdParams,
        response: { 200: fileResponse('差异图斑 GeoJSON', 'application/geo+json') },
      },
    },
    async (request, reply) => {
      requireActor(request, staff);
      const a = await differences.getDifferenceAnalysis(ctx.db, request.params.id);
      return reply
        .header('content-type', 'application/geo+json; charset=utf-8')
        .header('content-disposition', `attachment; filename="difference-${a.id}.geojson"`)
        .send(JSON.stringify(a.patches));
    },
  );

  app.post(
    '/api/blueprint/planned-projects',
    {
      config: { roles: planningRoles },
      schema: {
        tags: ['blueprint'],
        summary:
          '策划生成项目并征求部门意见 (任务43/51; 策划人员: 帮办代办、自然资源和规划局、发展改革委、管理员)',
        body: CreatePlannedProjectSchema,
        response: { 201: PlannedProjectSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, planningRoles);
      return reply
        .status(201)
        .send(await planned.createPlannedProject(ctx.db, ctx.calendar, actor, ctx.clock.now(), request.body));
    },
  );

  app.get(
    '/api/blueprint/planned-projects/:id',
    {
      schema: {
        tags: ['blueprint'],
        summary: '策划项目及部门意见',
        params: IdParams,
        response: { 200: PlannedProjectSchema },
      },
    },
    async (request) =>
      planned.getPlannedProject(ctx.db, requireActor(request), ctx.clock.now(), request.params.id),
  );

  app.get(
    '/api/blueprint/annual-plans/:year',
    {
      config: { roles: staff },
      schema: {
        tags: ['blueprint'],
        summary: '年度实施计划 (任务53): 当年策划项目、选址、部门意见与成熟度 (工作人员)',
        params: YearParams,
        response: { 200: AnnualPlanSchema },
      },
    },
    async (request) => {
      requireActor(request, staff);
      return annualPlan(ctx.db, request.params.year, ctx.clock.now());
    },
  );

  app.get(
    '/api/blueprint/annual-plans/:year/export.xlsx',
    {
      config: { roles: staff },
      schema: {
        tags: ['blueprint'],
        summary: '导出年度实施计划 Excel',
        params: YearParams,
        response: {
          200: fileResponse(
            'Excel 工作簿 (xlsx)',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          ),
        },
      },
    },
    async (request, reply) => {
      requireActor(request, staff);
      const book = await annualPlanWorkbook(await annualPlan(ctx.db, request.params.year, ctx.clock.now()));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="annual-plan-${request.params.year}.xlsx"`)
        .header('Cache-Control', 'private, no-store')
        .send(book);
    },
  );

  app.post(
    '/api/blueprint/planned-projects/:id/opinions',
    {
      config: { roles: departmentScopedRoles },
      schema: {
        tags: ['blueprint'],
        summary: '部门提出前期意见和建设条件 (本部门, 一次)',
        params: IdParams,
        body: OpinionSchema,
        response: { 200: PlannedProjectSchema },
      },
    },
    async (request) =>
      planned.answerOpinion(
        ctx.db,
        requireActor(request, departmentScopedRoles),
        ctx.clock.now(),
        request.params.id,
        request.body,
      ),
  );
}
