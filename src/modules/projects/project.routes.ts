import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { exportHeading } from '../../shared/workbook';
import { beijingDateTime } from '../calendar/calendar.rules';
import { projectsWorkbook } from './project.export';
import {
  ListProjectsExportQuery,
  ListProjectsQuery,
  ListProjectsResponse,
  ProjectIdParams,
  ProjectSchema,
  RegisterProjectSchema,
  StageParams,
} from './project.schemas';
import { GuideSchema } from './guide.schemas';
import { stageGuide } from './guide.service';
import * as service from './project.service';

export function projectRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/projects',
    {
      schema: {
        tags: ['projects'],
        summary:
          '登记项目并赋项目代码 register a project (applicant for its enterprise; agent with enterpriseId)',
        body: RegisterProjectSchema,
        response: { 201: ProjectSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['applicant', 'agent']);
      const project = await service.registerProject(ctx.db, actor, ctx.clock.now(), request.body);
      return reply.status(201).send(project);
    },
  );

  app.get(
    '/api/projects',
    {
      schema: {
        tags: ['projects'],
        summary: '项目列表（我的项目）：可检索、筛选、排序、分页 projects visible to the user',
        querystring: ListProjectsQuery,
        response: { 200: ListProjectsResponse },
      },
    },
    async (request) => service.listProjects(ctx.db, requireActor(request), request.query),
  );

  app.get(
    '/api/projects/export.xlsx',
    {
      schema: {
        tags: ['projects'],
        summary: '导出项目列表 (Excel)：与列表相同的检索、筛选与排序，全部符合条件的项目',
        querystring: ListProjectsExportQuery,
        response: { 200: z.any().describe('Excel 工作簿 (xlsx)') },
      },
    },
    async (request, reply) => {
      const { projects, total } = await service.exportProjects(ctx.db, requireActor(request), request.query);
      const heading = exportHeading(beijingDateTime(ctx.clock.now()), total, projects.length);
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', 'attachment; filename="projects.xlsx"')
        .header('Cache-Control', 'private, no-store')
        .send(await projectsWorkbook(projects, heading));
    },
  );

  app.get(
    '/api/projects/:id',
    {
      schema: {
        tags: ['projects'],
        summary: '项目详情及各阶段状态 a project with its stages (403 outside your scope)',
        params: ProjectIdParams,
        response: { 200: ProjectSchema },
      },
    },
    async (request) => service.getProject(ctx.db, requireActor(request), request.params.id, ctx),
  );

  app.get(
    '/api/projects/:id/stages/:n/guide',
    {
      schema: {
        tags: ['projects'],
        summary: '阶段办事指南: 一份指南、一张表单、一套材料 (任务58)',
        params: StageParams,
        response: { 200: GuideSchema },
      },
    },
    async (request) =>
      stageGuide(
        ctx.db,
        ctx.calendar,
        requireActor(request),
        ctx.clock.now(),
        request.params.id,
        request.params.n,
      ),
  );
}
