/** The administrator's side of the provincial exchange: status, held-back rows, run now, reconcile, retry. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { notifierOf } from './exchange.jobs';
import * as service from './exchange.service';
import { provinceFromConfig } from './province';

const admin = ['admin'] as const;

const Reconciliation = z.object({
  id: z.string(),
  runAt: z.string(),
  differences: z.number().int().describe('缺失 + 多余 + 不一致的行数; 0 表示一致'),
  tables: z.array(
    z.object({
      tableCode: z.string(),
      tableName: z.string(),
      localCount: z.number().int(),
      provinceCount: z.number().int(),
      localChecksum: z.string(),
      provinceChecksum: z.string(),
      missing: z.array(z.string()).describe('本地有、省前置库无 (地方数据主键, 至多 100)'),
      extra: z.array(z.string()),
      different: z.array(z.string()),
    }),
  ),
  error: z.string().nullable(),
});

const Overview = z.object({
  tables: z.array(
    z.object({
      tableCode: z.string(),
      tableName: z.string(),
      pending: z.number().int(),
      uploaded: z.number().int(),
      invalid: z.number().int().describe('校验未通过, 暂不上传'),
      dead: z.number().int().describe('多次上传失败 (死信), 待管理员重试'),
    }),
  ),
  outboxPending: z.number().int(),
  batches: z.array(
    z.object({
      id: z.string(),
      createdAt: z.string(),
      rowCount: z.number().int(),
      tables: z.record(z.string(), z.number()),
      notifyState: z.enum(['pending', 'delivered', 'dead', 'skipped']),
      notifyAttempts: z.number().int(),
      lastError: z.string().nullable(),
    }),
  ),
  reconciliations: z.array(Reconciliation),
});

const RowsQuery = z.object({
  state: z.enum(['invalid', 'dead']),
  tableCode: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const ProblemRow = z.object({
  tableCode: z.string(),
  dfsjzj: z.string(),
  state: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  problems: z.array(z.object({ rule: z.string(), field: z.string(), message: z.string() })),
  changedAt: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

const RunResponse = z.object({
  built: z.number().int(),
  uploaded: z.number().int(),
  failed: z.number().int(),
  batches: z.number().int(),
  error: z.string().nullable(),
  notified: z.number().int(),
  notifyFailed: z.number().int(),
});

const RetryBody = z.object({ tableCode: z.string().max(64), dfsjzj: z.string().max(200) }).partial();

export function exchangeRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/admin/exchange',
    {
      config: { roles: admin },
      schema: {
        tags: ['admin'],
        summary: '省级对接: 各表上传状态、批次通知、对账报告',
        response: { 200: Overview },
      },
    },
    async (request) => {
      requireActor(request, admin);
      return service.overview(ctx.db);
    },
  );

  app.get(
    '/api/admin/exchange/rows',
    {
      config: { roles: admin },
      schema: {
        tags: ['admin'],
        summary: '校验未通过 (invalid) 或上传死信 (dead) 的行, 附校验规则与原因',
        querystring: RowsQuery,
        response: { 200: z.object({ rows: z.array(ProblemRow) }) },
      },
    },
    async (request) => {
      requireActor(request, admin);
      const { state, tableCode, limit, offset } = request.query;
      return { rows: await service.problemRows(ctx.db, { state, tableCode }, { limit, offset }) };
    },
  );

  app.post(
    '/api/admin/exchange/run',
    {
      config: { roles: admin },
      schema: {
        tags: ['admin'],
        summary: '立即上传 (平时每 5 分钟自动运行)',
        response: { 200: RunResponse },
      },
    },
    async (request) => {
      requireActor(request, admin);
      return service.runExchange(
        ctx.db,
        await provinceFromConfig(ctx.config),
        ctx.clock.now(),
        notifierOf(ctx),
        { publicBaseUrl: ctx.config.publicBaseUrl },
      );
    },
  );

  app.post(
    '/api/admin/exchange/reconcile',
    {
      config: { roles: admin },
      schema: {
        tags: ['admin'],
        summary: '对账: 本地与省前置库逐表比对条数与校验和',
        response: { 200: Reconciliation },
      },
    },
    async (request) => {
      requireActor(request, admin);
      return service.reconcile(ctx.db, await provinceFromConfig(ctx.config), ctx.clock.now());
    },
  );

  app.post(
    '/api/admin/exchange/retry',
    {
      config: { roles: admin },
      schema: {
        tags: ['admin'],
        summary: '死信重新排队 (全部或指定一行)',
        body: RetryBody,
        response: { 200: z.object({ requeued: z.number().int() }) },
      },
    },
    async (request) => {
      requireActor(request, admin);
      const { tableCode, dfsjzj } = request.body;
      return service.retryDead(
        ctx.db,
        ctx.clock.now(),
        tableCode && dfsjzj ? { tableCode, dfsjzj } : undefined,
      );
    },
  );
}
