import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { DomainError } from '../../shared/errors';
import { CatalogChangeSchema, ItemSchema } from './catalog.schemas';
import * as service from './catalog.service';
import { previewItemImpact } from '../templates/template.service';

const ItemsQuery = z.object({
  stage: z.coerce.number().int().min(1).max(5).optional().describe('国家标准审批阶段 1–5'),
  department: z.string().max(32).optional().describe('部门代码'),
  q: z.string().max(100).optional().describe('按名称或代码搜索'),
  status: z.enum(['active', 'cancelled', 'merged', 'all']).default('active'),
});

const IssueSchema = z.object({
  itemCode: z.string(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
});

const CodeParams = z.object({ code: z.string().min(1).max(64) });

const ItemPreviewResponse = z.object({
  issues: z
    .array(IssueSchema.omit({ itemCode: true }).extend({ blocking: z.boolean().describe('是否阻止发布') }))
    .describe('草稿的校验结果'),
  publication: z
    .object({ code: z.string(), field: z.string(), message: z.string() })
    .nullable()
    .describe('版本或生效日期问题; null 表示可以发布'),
  targetDays: z.number().int(),
  templates: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        totalWorkingDays: z.number().int().describe('现行全流程时限'),
        draftTotalWorkingDays: z.number().int().describe('按草稿计算的全流程时限'),
      }),
    )
    .describe('使用该事项的审批流程及其时限变化'),
});

export function catalogRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/catalog/items',
    {
      schema: {
        tags: ['catalog'],
        summary: '审批事项清单 approval items (current versions)',
        querystring: ItemsQuery,
        response: { 200: z.object({ items: z.array(ItemSchema) }) },
      },
    },
    async (request) => {
      const { department, ...rest } = request.query;
      return { items: await service.listItems(ctx.db, { ...rest, departmentCode: department }) };
    },
  );

  app.get(
    '/api/catalog/items/:code',
    {
      schema: {
        tags: ['catalog'],
        summary: '审批事项详情 one item with its versions and validator findings',
        params: CodeParams,
        response: {
          200: z.object({
            item: ItemSchema,
            versions: z.array(
              z.object({
                version: z.number(),
                effectiveFrom: z.string(),
                effectiveTo: z.string().nullable(),
                status: z.string(),
              }),
            ),
            issues: z.array(IssueSchema),
          }),
        },
      },
    },
    async (request) => service.getItem(ctx.db, request.params.code),
  );

  app.get(
    '/api/catalog/changes',
    {
      schema: {
        tags: ['catalog'],
        summary: '事项合并、取消等变更记录 catalog changes with their basis',
        response: { 200: z.object({ changes: z.array(CatalogChangeSchema) }) },
      },
    },
    async () => ({ changes: await service.listChanges(ctx.db) }),
  );

  app.get(
    '/api/catalog/validation',
    {
      schema: {
        tags: ['catalog'],
        summary: '事项清单校验 (任务1: 仅有部门规章/规范性文件依据的事项)',
        response: { 200: z.object({ issues: z.array(IssueSchema) }) },
      },
    },
    async () => ({ issues: await service.validateAll(ctx.db) }),
  );

  app.put(
    '/api/admin/catalog/items/:code',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '发布事项新版本 publish a new version of an item (admin)',
        params: CodeParams,
        body: ItemSchema,
        response: { 200: ItemSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      sameCode(request.params.code, request.body.code);
      return service.publishItemVersion(ctx.db, actor, ctx.clock.now(), request.body);
    },
  );

  app.post(
    '/api/admin/catalog/items/:code/preview',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary:
          '预览事项新版本: 校验结果及对各审批流程时限的影响 preview a draft item (admin; nothing saved)',
        params: CodeParams,
        body: ItemSchema,
        response: { 200: ItemPreviewResponse },
      },
    },
    async (request) => {
      requireActor(request, ['admin']);
      sameCode(request.params.code, request.body.code);
      return previewItemImpact(ctx.db, ctx.clock.now(), request.body);
    },
  );

  app.post(
    '/api/admin/catalog/changes',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '记录事项合并/取消 record a merge or cancellation (admin)',
        body: CatalogChangeSchema,
        response: { 201: CatalogChangeSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['admin']);
      const change = await service.recordCatalogChange(ctx.db, actor, ctx.clock.now(), request.body);
      return reply.status(201).send(change);
    },
  );
}

function sameCode(inPath: string, inBody: string) {
  if (inBody !== inPath) {
    throw new DomainError('VALIDATION_FAILED', 'body.code 必须与路径中的事项代码一致 (code mismatch)', {
      field: 'body.code',
    });
  }
}
