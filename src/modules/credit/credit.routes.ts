/** HTTP of credit and 双随机一公开: staff desk, the enterprise's objection and repair, rules, public pages. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import { DomainError } from '../../shared/errors';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import * as credit from './credit.service';
import * as draws from './draw.service';
import * as listings from './listing.service';
import * as publication from './publication.service';
import {
  CreateSubjectSchema,
  DecisionResultSchema,
  DecisionSchema,
  DeskSchema,
  DrawInput,
  DrawResultInput,
  DrawSummarySchema,
  DrawViewSchema,
  EnterRecordSchema,
  ExportSchema,
  GradeParamsSchema,
  InspectorSchema,
  ListingRuleInput,
  MeasureInput,
  PublicCreditSchema,
  RecordSchema,
  RepairDecisionSchema,
  RequestViewSchema,
  RulesSchema,
  SubjectDetailSchema,
  SubjectKindSchema,
  SubjectSchema,
  StandingQuery,
  StandingSchema,
} from './credit.schemas';

const Id = z.object({ id: z.uuid() });
const tags = ['credit'];
const publicTags = ['public'];
const staff = credit.CREDIT_STAFF;

export function creditRoutes(app: App, ctx: AppContext) {
  const drawDeps = { ...ctx, publishWorkingDays: ctx.config.inspectionPublishWorkingDays };

  app.get(
    '/api/credit/subjects',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '信用主体查询 search credit subjects',
        querystring: z.object({
          q: z.string().trim().max(100).optional(),
          kind: SubjectKindSchema.optional(),
        }),
        response: { 200: z.object({ subjects: z.array(SubjectSchema) }) },
      },
    },
    async (request) => ({
      subjects: await credit.searchSubjects(ctx.db, requireActor(request, staff), request.query),
    }),
  );

  app.post(
    '/api/credit/subjects',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '登记信用主体 register a practitioner or organisation',
        body: CreateSubjectSchema,
        response: { 201: SubjectSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await credit.createSubject(ctx.db, ctx, requireActor(request, staff), request.body)),
  );

  app.get(
    '/api/credit/subjects/:id',
    {
      schema: {
        tags,
        summary: '信用主体详情：等级及理由、名单、记录 subject with grade, listings, records',
        params: Id,
        response: { 200: SubjectDetailSchema },
      },
    },
    async (request) => credit.getSubject(ctx.db, ctx, requireActor(request), request.params.id),
  );

  app.get(
    '/api/credit/standing',
    {
      config: { roles: credit.STANDING_READERS },
      schema: {
        tags,
        summary: '企业信用状况（绿色通道、重点关注及理由）enterprise standing for desks',
        querystring: StandingQuery,
        response: { 200: StandingSchema },
      },
    },
    async (request) =>
      credit.enterpriseStanding(
        ctx.db,
        ctx,
        requireActor(request, credit.STANDING_READERS),
        request.query.enterprise,
      ),
  );

  app.get(
    '/api/credit/mine',
    {
      config: { roles: ['applicant'] },
      schema: { tags, summary: '本企业信用 my enterprise credit', response: { 200: SubjectDetailSchema } },
    },
    async (request) => credit.mySubject(ctx.db, ctx, requireActor(request, ['applicant'])),
  );

  app.post(
    '/api/credit/records',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '部门录入信用记录（证据、法律依据）enter a credit record',
        body: EnterRecordSchema,
        response: { 201: RecordSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await credit.enterRecord(ctx.db, ctx, requireActor(request, staff), request.body)),
  );

  app.get(
    '/api/credit/records',
    {
      schema: {
        tags,
        summary: '主体的信用记录 records of a subject',
        querystring: z.object({ subject: z.uuid() }),
        response: { 200: z.object({ records: z.array(RecordSchema) }) },
      },
    },
    async (request) => ({
      records: await credit.listRecords(ctx.db, requireActor(request), request.query.subject),
    }),
  );

  app.get(
    '/api/credit/desk',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '信用工作台：公示中与在册名单、待处理异议与修复 the credit desk',
        response: { 200: DeskSchema },
      },
    },
    async (request) => {
      requireActor(request, staff);
      return listings.desk(ctx.db, ctx);
    },
  );

  app.post(
    '/api/credit/listings/:id/objections',
    {
      config: { roles: ['applicant'] },
      schema: {
        tags,
        summary: '提出异议 object to a listing notice or listing',
        params: Id,
        body: z.object({ reason: z.string().trim().min(1).max(2000) }),
        response: { 201: RequestViewSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await listings.fileObjection(
            ctx.db,
            ctx,
            requireActor(request, ['applicant']),
            request.params.id,
            request.body.reason,
          ),
        ),
  );

  app.post(
    '/api/credit/objections/:id/decision',
    {
      config: { roles: credit.CREDIT_DECIDERS },
      schema: {
        tags,
        summary: '异议处理决定 decide an objection',
        params: Id,
        body: DecisionSchema,
        response: { 200: DecisionResultSchema },
      },
    },
    async (request) =>
      listings.decideObjection(
        ctx.db,
        ctx,
        requireActor(request, credit.CREDIT_DECIDERS),
        request.params.id,
        request.body,
      ),
  );

  app.post(
    '/api/credit/listings/:id/repairs',
    {
      config: { roles: ['applicant'] },
      schema: {
        tags,
        summary: '申请信用修复 request credit repair of a black listing',
        params: Id,
        body: z.object({ measures: z.string().trim().min(1).max(2000).describe('整改措施与信用承诺') }),
        response: { 201: RequestViewSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await listings.requestRepair(
            ctx.db,
            ctx,
            requireActor(request, ['applicant']),
            request.params.id,
            request.body.measures,
          ),
        ),
  );

  app.post(
    '/api/credit/repairs/:id/decision',
    {
      config: { roles: credit.CREDIT_DECIDERS },
      schema: {
        tags,
        summary: '信用修复决定 decide a repair request',
        params: Id,
        body: RepairDecisionSchema,
        response: { 200: DecisionResultSchema },
      },
    },
    async (request) =>
      listings.decideRepair(
        ctx.db,
        ctx,
        requireActor(request, credit.CREDIT_DECIDERS),
        request.params.id,
        request.body,
      ),
  );

  app.get(
    '/api/credit/rules',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '名单认定规则、评级规则（版本）、联合奖惩措施 the rules as data',
        response: { 200: RulesSchema },
      },
    },
    async (request) => {
      requireActor(request, staff);
      return listings.listRules(ctx.db);
    },
  );

  app.post(
    '/api/credit/listing-rules',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '保存名单认定规则（新版本）save a listing rule as a new version',
        body: ListingRuleInput,
        response: { 201: z.object({ id: z.string(), code: z.string(), version: z.number().int() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await listings.saveListingRule(ctx.db, ctx, requireActor(request, ['admin']), request.body)),
  );

  app.post(
    '/api/credit/grade-rules',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '保存信用评级规则（新版本）save the grade rule as a new version',
        body: z.object({ params: GradeParamsSchema, description: z.string().trim().min(1).max(2000) }),
        response: { 201: z.object({ version: z.number().int() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await listings.saveGradeRule(ctx.db, ctx, requireActor(request, ['admin']), request.body)),
  );

  app.put(
    '/api/credit/measures/:code',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '联合奖惩措施（合作备忘录）edit a joint measure',
        params: z.object({ code: z.string().regex(/^[a-zA-Z0-9-]{2,40}$/) }),
        body: MeasureInput,
        response: {
          200: z.object({
            code: z.string(),
            trigger: z.string(),
            effect: z.string(),
            value: z.number().nullable(),
            basis: z.string(),
            active: z.boolean(),
            updatedAt: z.string(),
          }),
        },
      },
    },
    async (request) =>
      listings.saveMeasure(ctx.db, ctx, requireActor(request, ['admin']), request.params.code, request.body),
  );

  app.post(
    '/api/credit/exports',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '导出至河南省信用信息共享平台（后台任务）export for the provincial credit platform',
        response: { 202: ExportSchema },
      },
    },
    async (request, reply) => {
      const started = await publication.requestExport(ctx.db, ctx, ctx.jobs, requireActor(request, staff));
      // Without a job runner (tests, one-off tools) the export is produced in this process.
      if (!ctx.jobs) {
        void publication.runExport(ctx.db, ctx, started.id).catch((err: unknown) => {
          const e = err as { code?: string; name?: string };
          request.log.error({ code: e.code ?? e.name }, 'credit export failed');
        });
      }
      return reply.status(202).send(started);
    },
  );

  app.get(
    '/api/credit/exports/:id',
    {
      config: { roles: staff },
      schema: { tags, summary: '导出状态 export status', params: Id, response: { 200: ExportSchema } },
    },
    async (request) => {
      const row = await publication.getExport(ctx.db, requireActor(request, staff), request.params.id);
      return {
        id: row.id,
        status: row.status,
        format: row.format,
        rowCount: row.rowCount,
        requestedAt: row.requestedAt.toISOString(),
        finishedAt: row.finishedAt?.toISOString() ?? null,
      };
    },
  );

  app.get(
    '/api/credit/exports/:id/file',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '下载导出文件（zz-credit-export-v1 CSV）download the export',
        params: Id,
        response: { 200: fileResponse('zz-credit-export-v1 CSV (UTF-8, BOM)', 'text/csv') },
      },
    },
    async (request, reply) => {
      const row = await publication.getExport(ctx.db, requireActor(request, staff), request.params.id);
      if (row.status !== 'done' || row.content === null) {
        throw new DomainError('CONFLICT_STATE', '导出尚未完成 (export not ready)');
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="credit-${row.id}.csv"`)
        .send(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(row.content, 'utf8')]));
    },
  );

  // ---- 双随机一公开 (staff)

  app.get(
    '/api/credit/inspectors',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '检查人员名录 inspector roster of a department',
        querystring: z.object({ departmentCode: z.string().min(1).max(16) }),
        response: { 200: z.object({ inspectors: z.array(InspectorSchema) }) },
      },
    },
    async (request) => ({
      inspectors: await draws.listRoster(ctx.db, requireActor(request, staff), request.query.departmentCode),
    }),
  );

  app.post(
    '/api/credit/inspectors',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '加入检查人员名录 add an inspector',
        body: z.object({
          departmentCode: z.string().min(1).max(16),
          name: z.string().trim().min(1).max(64),
          badgeNo: z.string().trim().min(1).max(32).describe('执法证号'),
        }),
        response: { 201: InspectorSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await draws.addInspector(ctx.db, ctx, requireActor(request, staff), request.body)),
  );

  app.put(
    '/api/credit/inspectors/:id/active',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '启用/停用检查人员 activate or deactivate',
        params: Id,
        body: z.object({ active: z.boolean() }),
        response: { 200: z.object({ id: z.string(), active: z.boolean() }) },
      },
    },
    async (request) =>
      draws.setInspectorActive(
        ctx.db,
        ctx,
        requireActor(request, staff),
        request.params.id,
        request.body.active,
      ),
  );

  app.post(
    '/api/credit/inspectors/:id/ties',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '登记利害关系（回避）declare a tie: never drawn for that subject',
        params: Id,
        body: z.object({ subjectId: z.uuid(), reason: z.string().trim().min(1).max(500) }),
        response: { 201: z.object({ inspectorId: z.string(), subjectId: z.string() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await draws.tieInspector(
            ctx.db,
            ctx,
            requireActor(request, staff),
            request.params.id,
            request.body,
          ),
        ),
  );

  app.post(
    '/api/credit/draws',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '双随机抽取 draw objects and inspectors',
        body: DrawInput,
        response: { 201: DrawViewSchema },
      },
    },
    async (request, reply) => {
      const id = await draws.createDraw(ctx.db, drawDeps, requireActor(request, staff), request.body);
      return reply.status(201).send(await draws.drawView(ctx.db, ctx, id));
    },
  );

  app.post(
    '/api/credit/draws/:id/results/:objectId',
    {
      config: { roles: staff },
      schema: {
        tags,
        summary: '录入并公开抽查结果 record and publish a result',
        params: z.object({ id: z.uuid(), objectId: z.string().min(1).max(80) }),
        body: DrawResultInput,
        response: {
          201: z.object({
            drawId: z.string(),
            objectId: z.string(),
            outcome: z.string(),
            publishedOn: z.string(),
            revocationId: z.string().nullable().describe('撤销审批决定的记录编号（撤销时）'),
            certificateRevoked: z.string().nullable().describe('随之撤销的证照标识'),
            commitmentRevoked: z.string().nullable().describe('撤销的设计终身负责承诺（免审对象）'),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await draws.recordDrawResult(
            ctx.db,
            ctx,
            requireActor(request, staff),
            request.params.id,
            request.params.objectId,
            request.body,
          ),
        ),
  );

  // ---- public (no login)

  app.get(
    '/api/public/credit',
    {
      config: { rateLimit: { max: ctx.config.verifyRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: publicTags,
        summary: '信用信息公示：黑名单、红名单、失信行为 public credit information',
        response: { 200: PublicCreditSchema },
      },
    },
    async () => publication.publicCredit(ctx.db, ctx),
  );

  app.get(
    '/api/public/inspections/draws',
    {
      config: { rateLimit: { max: ctx.config.verifyRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: publicTags,
        summary: '双随机抽查公示列表 published draws',
        querystring: z.object({ departmentCode: z.string().min(1).max(16).optional() }),
        response: { 200: z.object({ draws: z.array(DrawSummarySchema) }) },
      },
    },
    async (request) => ({ draws: await draws.listDraws(ctx.db, request.query.departmentCode) }),
  );

  app.get(
    '/api/public/inspections/draws/:id',
    {
      config: { rateLimit: { max: ctx.config.verifyRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: publicTags,
        summary: '双随机抽查公示：种子、对象库哈希、结果（可复算）a draw: seed, pool hash, result',
        params: Id,
        response: { 200: DrawViewSchema },
      },
    },
    async (request) => draws.drawView(ctx.db, ctx, request.params.id),
  );
}
