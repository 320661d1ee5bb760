import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { DomainError } from '../../shared/errors';
import { AllowedAttributesSchema, SimulatedUntilSchema, TemplateDefinitionSchema } from './template.schemas';
import * as service from './template.service';

const TemplateResponse = z.object({
  code: z.string(),
  name: z.string(),
  version: z.number().int(),
  nationalProcessType: z.string(),
  effectiveFrom: z.string(),
  totalWorkingDays: z.number().int().describe('全流程审批时限(工作日), 由各阶段关键路径计算得出'),
  allowedAttributes: AllowedAttributesSchema,
  questions: z
    .array(
      z.object({
        key: z.string().describe('attributes 中的属性名'),
        label: z.string().describe('中文问题'),
        help: z.string().nullable().describe('说明 (依据)'),
        type: z.enum(['boolean', 'number', 'enum']),
        default: z.union([z.string(), z.number(), z.boolean()]).describe('未填写时的取值'),
        options: z
          .array(z.object({ value: z.string(), label: z.string() }))
          .nullable()
          .describe('enum: 本流程允许的取值'),
        fixed: z.boolean().describe('本流程只允许一个取值: 展示, 不必填写'),
      }),
    )
    .describe(
      '登记时需回答的项目属性: 本流程条件读取的属性 (总投资另填; 是否位于区域评估区域由选址检查得出)',
    ),
  stages: z.array(
    z.object({
      nationalStage: z.number().int(),
      name: z.string(),
      leadDepartmentCode: z.string(),
      mergedStages: z.array(z.number().int()),
      completionRule: z.string(),
      parallelWithPrevious: z.boolean(),
      timeLimitWorkingDays: z.number().int(),
      items: z.array(
        z.object({
          itemCode: z.string(),
          itemName: z.string(),
          departmentCode: z.string(),
          promisedTimeLimitDays: z.number().int(),
          milestone: z.boolean(),
          condition: z.unknown(),
          prerequisites: z
            .array(z.string())
            .describe('须先办结的事项代码: 本阶段或此前阶段的事项 (如 立项 在 建设用地规划许可 之前)'),
          simulatedUntil: SimulatedUntilSchema.nullable(),
          requiredBefore: z
            .string()
            .nullable()
            .describe('须在该事项办结前办结 (任务19, 如 环评 在 施工许可 前); null 表示无'),
        }),
      ),
    }),
  ),
});

const CodeParams = z.object({ code: z.string().min(1).max(64) });

const PreviewResponse = z.object({
  totalWorkingDays: z.number().int().describe('草稿的全流程时限 (工作日), 与发布后计算方法相同'),
  targetDays: z.number().int().describe('目标: 100 个工作日'),
  currentTotalWorkingDays: z.number().int().nullable().describe('现行版本的全流程时限; 新建时为 null'),
  stages: z.array(
    z.object({
      nationalStage: z.number().int(),
      name: z.string(),
      timeLimitWorkingDays: z.number().int(),
      items: z.array(
        z.object({ itemCode: z.string(), itemName: z.string(), promisedTimeLimitDays: z.number().int() }),
      ),
    }),
  ),
  issues: z
    .array(
      z.object({
        code: z.string(),
        message: z.string(),
        nationalStage: z.number().int().nullable(),
        itemCode: z.string().nullable(),
      }),
    )
    .describe('校验问题: 有任何一条时不能发布'),
  publication: z
    .object({ code: z.string(), field: z.string(), message: z.string() })
    .nullable()
    .describe('版本或生效日期问题 (如所依据的版本已不是现行版本); null 表示可以发布'),
});

export function templateRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/process-templates',
    {
      schema: {
        tags: ['templates'],
        summary: '审批流程(九类项目) process templates',
        response: { 200: z.object({ templates: z.array(TemplateResponse) }) },
      },
    },
    async () => ({ templates: await service.listTemplates(ctx.db) }),
  );

  app.get(
    '/api/process-templates/:code',
    {
      schema: {
        tags: ['templates'],
        summary: '审批流程详情',
        params: CodeParams,
        response: { 200: TemplateResponse },
      },
    },
    async (request) => service.getTemplate(ctx.db, request.params.code),
  );

  app.get(
    '/api/process-templates/:code/flowchart.svg',
    {
      schema: {
        tags: ['templates'],
        summary: '审批流程图 (SVG, 任务38)',
        params: CodeParams,
        response: { 200: fileResponse('审批流程图 SVG', 'image/svg+xml') },
      },
    },
    async (request, reply) => {
      const svg = await service.flowchartSvg(ctx.db, request.params.code);
      return reply.type('image/svg+xml; charset=utf-8').send(svg);
    },
  );

  app.post(
    '/api/admin/process-templates/:code/preview',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '预览未发布的审批流程: 计算时限与校验问题 preview a draft (admin; nothing saved)',
        params: CodeParams,
        body: TemplateDefinitionSchema,
        response: { 200: PreviewResponse },
      },
    },
    async (request) => {
      requireActor(request, ['admin']);
      sameCode(request.params.code, request.body.code);
      return service.previewTemplateVersion(ctx.db, ctx.clock.now(), request.body);
    },
  );

  app.put(
    '/api/admin/process-templates/:code',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '发布审批流程新版本 publish a new template version (admin)',
        params: CodeParams,
        body: TemplateDefinitionSchema,
        response: { 200: TemplateResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      sameCode(request.params.code, request.body.code);
      return service.publishTemplateVersion(ctx.db, actor, ctx.clock.now(), request.body);
    },
  );
}

function sameCode(inPath: string, inBody: string) {
  if (inBody !== inPath) {
    throw new DomainError('VALIDATION_FAILED', 'body.code 必须与路径一致 (code mismatch)', {
      field: 'body.code',
    });
  }
}
