import path from 'node:path';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { DomainError } from '../../shared/errors';
import { localFileStore, type StagedFile } from './file-store';
import { cleanFilename, contentDisposition } from './material.rules';
import { MaterialFileSchema, MaterialIdParams, UploadFieldsSchema } from './material.schemas';
import * as service from './material.service';

export function materialRoutes(app: App, ctx: AppContext) {
  const store = localFileStore(path.join(ctx.config.dataDir, 'files'));

  app.post(
    '/api/materials',
    {
      schema: {
        tags: ['materials'],
        summary:
          '上传申报材料 upload one material (multipart: materialCode, enterpriseId?, file — fields in any order)',
        consumes: ['multipart/form-data'],
        response: { 201: MaterialFileSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, ['applicant', 'agent', 'window', 'intermediary']);
      if (!request.isMultipart()) {
        throw new DomainError(
          'VALIDATION_FAILED',
          '请以 multipart/form-data 上传 (multipart/form-data expected)',
          { field: 'body' },
        );
      }
      // The file is staged (hashed into a temp file) as it arrives, so text fields may come before or after it.
      const fields: Record<string, string> = {};
      let staged: StagedFile | undefined;
      let filename = '';
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file') {
              throw new DomainError(
                'VALIDATION_FAILED',
                `文件字段须名为 file (unexpected file field ${part.fieldname})`,
                {
                  field: `body.${part.fieldname}`,
                },
              );
            }
            filename = cleanFilename(part.filename);
            staged = await store.stage(part.file);
            if (part.file.truncated) {
              throw new DomainError(
                'PAYLOAD_TOO_LARGE',
                `文件超过 ${ctx.config.uploadMaxBytes} 字节上限 (file too large)`,
                {
                  field: 'body.file',
                },
              );
            }
          } else {
            fields[part.fieldname] = String(part.value);
          }
        }
        if (!staged)
          throw new DomainError('VALIDATION_FAILED', '缺少文件字段 file (file part missing)', {
            field: 'body.file',
          });
        if (!filename)
          throw new DomainError('VALIDATION_FAILED', '缺少文件名 (file name missing)', {
            field: 'body.file',
          });
        const parsed = UploadFieldsSchema.safeParse(fields);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = ['body', ...issue.path.map(String)].join('.');
          throw new DomainError('VALIDATION_FAILED', `${field}: ${issue.message}`, { field });
        }
        const file = await service.uploadMaterial(ctx.db, actor, ctx.clock.now(), {
          ...parsed.data,
          filename,
          staged,
          quotaBytes: ctx.config.storageQuotaBytes,
        });
        return reply.status(201).send(file);
      } finally {
        await staged?.discard();
      }
    },
  );

  app.get(
    '/api/materials/:id',
    {
      schema: {
        tags: ['materials'],
        summary:
          '下载材料文件 download a material file (owner, agent/window/supervisor/admin, or a department handling it)',
        params: MaterialIdParams,
        response: { 200: fileResponse('材料文件 (上传时的类型)', 'application/octet-stream') },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { file, stream } = await service.openMaterialFile(ctx.db, store, actor, request.params.id);
      return reply
        .header('Content-Type', file.mediaType)
        .header('Content-Length', String(file.sizeBytes))
        .header('Content-Disposition', contentDisposition(file.originalName))
        .send(stream);
    },
  );
}
