/** HTTP of the online intermediary marketplace (网上中介服务超市): 政务办, owners, intermediaries, public. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { findCurrentItem } from '../catalog/catalog.service';
import * as engagements from './engagement.service';
import * as intermediaries from './intermediary.service';
import * as needs from './need.service';
import { publicMarketplace } from './public.service';
import * as serviceList from './service-list.service';
import {
  ComplaintDecisionSchema,
  ComplaintSchema,
  ContractSchema,
  DeliverSchema,
  EngagementSchema,
  ExchangeRowSchema,
  IntermediarySchema,
  NeedActionSchema,
  NeedInputSchema,
  NeedSchema,
  OfferInputSchema,
  PublicMarketplaceSchema,
  QualificationInputSchema,
  QuoteInputSchema,
  RateSchema,
  ReasonSchema,
  RegisterSchema,
  ReportDecisionSchema,
  ReviewSchema,
  SelectSchema,
  SelfRegistrationResultSchema,
  SelfRegistrationSchema,
  ServiceInputSchema,
  ServiceListSchema,
  ServiceSchema,
} from './marketplace.schemas';

const Id = z.object({ id: z.uuid() });
const tags = ['marketplace'];
const owners = ['applicant', 'agent'] as const;
const intermediary = ['intermediary'] as const;

export function marketplaceRoutes(app: App, ctx: AppContext) {
  // ---- the lists (政务办 keeps them; everyone reads them)

  app.get(
    '/api/marketplace/services',
    {
      schema: {
        tags,
        summary: '中介服务事项清单及保留的公示、技术审查事项 the lists',
        querystring: z.object({ list: ServiceListSchema.optional() }),
        response: { 200: z.object({ services: z.array(ServiceSchema) }) },
      },
    },
    async (request) => {
      requireActor(request);
      return { services: await serviceList.listServices(ctx.db, request.query) };
    },
  );

  app.post(
    '/api/marketplace/services',
    {
      schema: {
        tags,
        summary: '发布或修订清单事项（政务办）publish or revise a list entry',
        body: ServiceInputSchema,
        response: { 200: ServiceSchema },
      },
    },
    async (request) =>
      serviceList.saveService(ctx.db, ctx, requireActor(request), request.body, async (code) =>
        Boolean(await findCurrentItem(ctx.db, code)),
      ),
  );

  // ---- intermediaries

  app.post(
    '/api/marketplace/intermediaries',
    {
      config: { roles: intermediary },
      schema: {
        tags,
        summary: '中介机构申请入驻 register an intermediary',
        body: RegisterSchema,
        response: { 201: IntermediarySchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await intermediaries.register(ctx.db, ctx, requireActor(request, intermediary), request.body)),
  );

  app.get(
    '/api/marketplace/intermediaries/mine',
    {
      config: { roles: intermediary },
      schema: { tags, summary: '本机构入驻信息 my intermediary', response: { 200: IntermediarySchema } },
    },
    async (request) => intermediaries.mine(ctx.db, requireActor(request, intermediary)),
  );

  app.post(
    '/api/marketplace/intermediaries/mine/qualifications',
    {
      config: { roles: intermediary },
      schema: {
        tags,
        summary: '登记资质（等级、有效期）add a qualification',
        body: QualificationInputSchema,
        response: { 201: IntermediarySchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await intermediaries.addQualification(
            ctx.db,
            ctx,
            requireActor(request, intermediary),
            request.body,
          ),
        ),
  );

  app.post(
    '/api/marketplace/intermediaries/mine/offers',
    {
      config: { roles: intermediary },
      schema: {
        tags,
        summary: '提供服务：收费（不超过标准）与服务承诺 offer a service',
        body: OfferInputSchema,
        response: { 200: IntermediarySchema },
      },
    },
    async (request) =>
      intermediaries.saveOffer(ctx.db, ctx, requireActor(request, intermediary), request.body),
  );

  app.get(
    '/api/marketplace/intermediaries',
    {
      schema: {
        tags,
        summary: '中介机构（政务办审核）intermediaries for review',
        querystring: z.object({ status: z.enum(['pending', 'listed', 'rejected', 'suspended']).optional() }),
        response: { 200: z.object({ intermediaries: z.array(IntermediarySchema) }) },
      },
    },
    async (request) => ({
      intermediaries: await intermediaries.listForStaff(
        ctx.db,
        requireActor(request),
        request.query.status ? [request.query.status] : undefined,
      ),
    }),
  );

  app.post(
    '/api/marketplace/intermediaries/:id/review',
    {
      schema: {
        tags,
        summary: '审核入库、退回、暂停、恢复（政务办）review an intermediary',
        params: Id,
        body: ReviewSchema,
        response: { 200: IntermediarySchema },
      },
    },
    async (request) =>
      intermediaries.review(ctx.db, ctx, requireActor(request), request.params.id, request.body),
  );

  // ---- needs and selection

  app.get(
    '/api/marketplace/needs',
    {
      schema: {
        tags,
        summary: '中介服务需求 needs (own / open to my services / all for staff)',
        response: { 200: z.object({ needs: z.array(NeedSchema) }) },
      },
    },
    async (request) => ({ needs: await needs.listNeeds(ctx.db, ctx, requireActor(request)) }),
  );

  app.post(
    '/api/marketplace/needs',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '发布中介服务需求 post a need',
        body: NeedInputSchema,
        response: { 201: NeedSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await needs.postNeed(ctx.db, ctx, requireActor(request, owners), request.body)),
  );

  app.get(
    '/api/marketplace/needs/:id',
    {
      schema: { tags, summary: '需求详情 a need', params: Id, response: { 200: NeedSchema } },
    },
    async (request) => needs.getNeed(ctx.db, ctx, requireActor(request), request.params.id),
  );

  app.post(
    '/api/marketplace/needs/:id/selection',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '选取中介：直接选取、随机抽取（记录种子）、比价（密封报价定时开标）select',
        params: Id,
        body: SelectSchema,
        response: { 200: NeedSchema },
      },
    },
    async (request) =>
      needs.select(ctx.db, ctx, requireActor(request, owners), request.params.id, request.body),
  );

  app.post(
    '/api/marketplace/needs/:id/quotes',
    {
      config: { roles: intermediary },
      schema: {
        tags,
        summary: '密封报价（开标前任何人不可见）submit a sealed quote',
        params: Id,
        body: QuoteInputSchema,
        response: { 200: NeedSchema },
      },
    },
    async (request) =>
      needs.submitQuote(ctx.db, ctx, requireActor(request, intermediary), request.params.id, request.body),
  );

  app.post(
    '/api/marketplace/needs/:id/action',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '重新选取或撤销需求 reselect or cancel',
        params: Id,
        body: NeedActionSchema,
        response: { 200: NeedSchema },
      },
    },
    async (request) =>
      needs.reselectOrCancel(ctx.db, ctx, requireActor(request, owners), request.params.id, request.body),
  );

  app.post(
    '/api/marketplace/needs/:id/contract',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '登记合同，服务开始计时 record the contract',
        params: Id,
        body: ContractSchema,
        response: { 201: EngagementSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, owners);
      const id = await needs.recordContract(ctx.db, ctx, actor, request.params.id, request.body);
      return reply.status(201).send(await engagements.getEngagement(ctx.db, ctx, actor, id));
    },
  );

  // ---- the service under supervision

  app.get(
    '/api/marketplace/engagements',
    {
      schema: {
        tags,
        summary: '中介服务（含计时）engagements with their clocks',
        response: { 200: z.object({ engagements: z.array(EngagementSchema) }) },
      },
    },
    async (request) => ({
      engagements: await engagements.listEngagements(ctx.db, ctx, requireActor(request)),
    }),
  );

  app.get(
    '/api/marketplace/engagements/:id',
    {
      schema: { tags, summary: '服务详情 an engagement', params: Id, response: { 200: EngagementSchema } },
    },
    async (request) => engagements.getEngagement(ctx.db, ctx, requireActor(request), request.params.id),
  );

  app.post(
    '/api/marketplace/engagements/:id/report',
    {
      config: { roles: intermediary },
      schema: {
        tags,
        summary: '提交服务成果（先经 /api/materials 上传文件）deliver the report',
        params: Id,
        body: DeliverSchema,
        response: { 200: EngagementSchema },
      },
    },
    async (request) =>
      engagements.deliver(ctx.db, ctx, requireActor(request, intermediary), request.params.id, request.body),
  );

  app.post(
    '/api/marketplace/engagements/:id/report-decision',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '验收成果（成为项目申报材料）或退回修改 accept or return the report',
        params: Id,
        body: ReportDecisionSchema,
        response: { 200: EngagementSchema },
      },
    },
    async (request) =>
      engagements.decideReport(ctx.db, ctx, requireActor(request, owners), request.params.id, request.body),
  );

  app.post(
    '/api/marketplace/engagements/:id/termination',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '终止合同（需求可重新选取）terminate',
        params: Id,
        body: ReasonSchema,
        response: { 200: EngagementSchema },
      },
    },
    async (request) =>
      engagements.terminate(
        ctx.db,
        ctx,
        requireActor(request, owners),
        request.params.id,
        request.body.reason,
      ),
  );

  app.post(
    '/api/marketplace/engagements/:id/rating',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '服务评价（GB/T 39046 满意度）rate',
        params: Id,
        body: RateSchema,
        response: { 200: EngagementSchema },
      },
    },
    async (request) =>
      engagements.rate(ctx.db, ctx, requireActor(request, owners), request.params.id, request.body),
  );

  app.post(
    '/api/marketplace/engagements/:id/complaints',
    {
      config: { roles: owners },
      schema: {
        tags,
        summary: '投诉 complain',
        params: Id,
        body: ReasonSchema,
        response: { 201: EngagementSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await engagements.complain(
            ctx.db,
            ctx,
            requireActor(request, owners),
            request.params.id,
            request.body.reason,
          ),
        ),
  );

  app.get(
    '/api/marketplace/engagements/:id/exchange-rows',
    {
      schema: {
        tags,
        summary: '中介服务事项办理信息表 / 办理过程信息表 rows',
        params: Id,
        response: { 200: z.object({ rows: z.array(ExchangeRowSchema) }) },
      },
    },
    async (request) => ({
      rows: await engagements.exchangeRows(ctx.db, requireActor(request), request.params.id),
    }),
  );

  app.get(
    '/api/marketplace/complaints',
    {
      schema: {
        tags,
        summary: '投诉（政务办处理）complaints',
        response: { 200: z.object({ complaints: z.array(ComplaintSchema) }) },
      },
    },
    async (request) => ({ complaints: await engagements.listComplaints(ctx.db, requireActor(request)) }),
  );

  app.post(
    '/api/marketplace/complaints/:id/decision',
    {
      schema: {
        tags,
        summary: '处理投诉：属实记入信用记录 decide a complaint',
        params: Id,
        body: ComplaintDecisionSchema,
        response: {
          200: z.object({ id: z.string(), status: z.string(), creditRecordWritten: z.boolean() }),
        },
      },
    },
    async (request) =>
      engagements.decideComplaint(ctx.db, ctx, requireActor(request), request.params.id, request.body),
  );

  // ---- public (no login)

  app.post(
    '/api/public/marketplace/registrations',
    {
      config: { rateLimit: { max: ctx.config.registrationRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['public'],
        summary: '中介机构自助入驻（待政务办审核入库）an intermediary registers itself',
        body: SelfRegistrationSchema,
        response: { 201: SelfRegistrationResultSchema },
      },
    },
    async (request, reply) => {
      const r = await intermediaries.selfRegister(ctx.db, ctx, ctx.config, request.body);
      return reply.status(201).send({
        ...r,
        message: '入驻申请已提交：政务办审核资质、收费及服务承诺后入库，入库后即可用该账号登录',
      });
    },
  );

  app.get(
    '/api/public/marketplace',
    {
      config: { rateLimit: { max: ctx.config.verifyRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['public'],
        summary: '中介服务超市公开：清单、中介机构及其服务、收费、时限、评价、黑名单 public marketplace',
        response: { 200: PublicMarketplaceSchema },
      },
    },
    async () => publicMarketplace(ctx.db, ctx),
  );
}
