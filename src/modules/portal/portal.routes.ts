/**
 * 公众门户 API under /api/public/… (no login; lookups throttled per client address), and the staff side
 * of 咨询辅导 under /api/consultations.
 */
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { VerifyResponse } from '../certificates/certificate.schemas';
import {
  AnswerBody,
  AskBody,
  AskResponse,
  ConsultationParams,
  ConsultationResponse,
  ConsultationStateBody,
  DisclosureQuery,
  DisclosureResponse,
  FaqQuery,
  FaqResponse,
  GuideIndexResponse,
  GuideParams,
  ProgressBody,
  ProgressResponse,
  ProjectIdParams,
  QueryCodeResponse,
  StaffConsultation,
  StaffListQuery,
  StageGuideResponse,
  TicketQuery,
  VerifyQuery,
} from './portal.schemas';
import { z } from 'zod';
import * as service from './portal.service';

const staff = ['window', 'reviewer', 'senior', 'head', 'coordinator', 'admin', 'supervisor'] as const;
const answerers = ['window', 'reviewer', 'senior', 'head', 'coordinator', 'admin'] as const;

export function portalRoutes(app: App, ctx: AppContext) {
  const lookupLimit = { rateLimit: { max: ctx.config.verifyRatePerMinute, timeWindow: 60_000 } };
  const clockDeps = { clock: ctx.clock, calendar: ctx.calendar };

  app.get(
    '/api/public/guides',
    {
      schema: {
        tags: ['public'],
        summary: '办事指南目录: 各类项目及其阶段 (no login)',
        response: { 200: GuideIndexResponse },
      },
    },
    async () => ({ templates: await service.guideIndex(ctx.db) }),
  );

  app.get(
    '/api/public/guides/:code/stages/:n',
    {
      schema: {
        tags: ['public'],
        summary: '办事指南: 一类项目一个阶段的事项、一套材料、时限、流程图、一张表单 (no login)',
        params: GuideParams,
        response: { 200: StageGuideResponse },
      },
    },
    async (request) => service.stageGuide(ctx.db, request.params.code, request.params.n),
  );

  app.post(
    '/api/public/progress',
    {
      config: lookupLimit,
      schema: {
        tags: ['public'],
        summary: '办理进度查询: 项目代码 + 查询码 (no login; 个人信息脱敏)',
        body: ProgressBody,
        response: { 200: ProgressResponse },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return service.progress(ctx.db, clockDeps, request.body.projectCode, request.body.queryCode);
    },
  );

  app.post(
    '/api/projects/:id/query-code',
    {
      config: { roles: ['applicant', 'agent', 'window'] },
      schema: {
        tags: ['public'],
        summary: '重新生成查询码 (原查询码作废) reissue the query code',
        params: ProjectIdParams,
        response: { 200: QueryCodeResponse },
      },
    },
    async (request) =>
      service.reissueQueryCode(
        ctx.db,
        requireActor(request, ['applicant', 'agent', 'window']),
        request.params.id,
        ctx.clock.now(),
      ),
  );

  app.get(
    '/api/public/disclosures/certificates',
    {
      schema: {
        tags: ['public'],
        summary: '批后公开: 已核发的电子证照 (持证单位、项目、日期) (no login)',
        querystring: DisclosureQuery,
        response: { 200: DisclosureResponse },
      },
    },
    async (request) => ({
      certificates: await service.disclosures(
        ctx.db,
        { projectCode: request.query.projectCode },
        { limit: request.query.limit, offset: request.query.offset },
      ),
    }),
  );

  app.get(
    '/api/public/certificates/verify',
    {
      config: lookupLimit,
      schema: {
        tags: ['public'],
        summary: '电子证照核验: 按证照标识 (印在证照上) 或二维码 id (no login)',
        querystring: VerifyQuery,
        response: { 200: VerifyResponse },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return service.verify(ctx.db, ctx.clock.now(), request.query.identifier, request.ip);
    },
  );

  app.post(
    '/api/public/consultations',
    {
      config: lookupLimit,
      schema: {
        tags: ['public'],
        summary: '咨询辅导: 向综合窗口或审批部门提问 (no login; 3 个工作日内答复)',
        body: AskBody,
        response: { 201: AskResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.ask(ctx.db, ctx.calendar, ctx.clock.now(), request.body)),
  );

  app.get(
    '/api/public/consultations/:id',
    {
      config: lookupLimit,
      schema: {
        tags: ['public'],
        summary: '查看咨询答复 (凭提问时获得的凭证)',
        params: ConsultationParams,
        querystring: TicketQuery,
        response: { 200: ConsultationResponse },
      },
    },
    async (request) =>
      service.readConsultation(ctx.db, ctx.clock.now(), request.params.id, request.query.ticket),
  );

  app.get(
    '/api/public/faq',
    {
      schema: {
        tags: ['public'],
        summary: '常见问题: 已公开的咨询答复 (no login)',
        querystring: FaqQuery,
        response: { 200: FaqResponse },
      },
    },
    async (request) => ({
      faq: await service.faq(
        ctx.db,
        { limit: request.query.limit, offset: request.query.offset },
        request.query.topic,
      ),
    }),
  );

  app.get(
    '/api/consultations',
    {
      config: { roles: staff },
      schema: {
        tags: ['public'],
        summary: '待答复的咨询: 窗口看综合窗口的, 部门看本部门的, 管理员看全部',
        querystring: StaffListQuery,
        response: { 200: z.object({ consultations: z.array(StaffConsultation) }) },
      },
    },
    async (request) => ({
      consultations: await service.listForStaff(
        ctx.db,
        requireActor(request, staff),
        ctx.clock.now(),
        { status: request.query.status },
        { limit: request.query.limit, offset: request.query.offset },
      ),
    }),
  );

  app.post(
    '/api/consultations/:id/answer',
    {
      config: { roles: answerers },
      schema: {
        tags: ['public'],
        summary: '答复咨询 (可改正答复; publish 作为常见问题公开)',
        params: ConsultationParams,
        body: AnswerBody,
        response: { 200: StaffConsultation },
      },
    },
    async (request) =>
      service.answer(
        ctx.db,
        requireActor(request, answerers),
        ctx.clock.now(),
        request.params.id,
        request.body,
      ),
  );

  app.patch(
    '/api/consultations/:id',
    {
      config: { roles: answerers },
      schema: {
        tags: ['public'],
        summary: '公开/撤回常见问题, 或关闭咨询',
        params: ConsultationParams,
        body: ConsultationStateBody,
        response: { 200: StaffConsultation },
      },
    },
    async (request) =>
      service.setConsultationState(
        ctx.db,
        requireActor(request, answerers),
        ctx.clock.now(),
        request.params.id,
        request.body,
      ),
  );
}
