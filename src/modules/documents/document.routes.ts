/** HTTP of administrative documents (行政文书): a project's list, one document, its printable PDF. */
import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { documentKinds } from './document.rules';
import * as service from './document.service';

const tags = ['documents'];

const DocumentRow = z.object({
  id: z.string(),
  kind: z
    .enum(documentKinds)
    .describe(
      'acceptance 受理通知书 / correction 补正告知书 / refusal 不予受理决定书 / denial 不予许可决定书 / extension 延期告知书 / completion 办结通知书 / receipt 收件回执',
    ),
  number: z.string().describe('文号, e.g. 郑政务受〔2026〕12号'),
  issuerCode: z.string(),
  issuerName: z.string(),
  projectId: z.string(),
  applicationId: z.string().nullable(),
  taskId: z.string().nullable(),
  title: z.string(),
  issuedAt: z.date(),
});

export function documentRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/projects/:id/documents',
    {
      schema: {
        tags,
        summary: '项目的行政文书 a project’s documents (受理通知书, 补正告知书, 决定书 …)',
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ documents: z.array(DocumentRow) }) },
      },
    },
    async (request) => ({
      documents: await service.listProjectDocuments(ctx.db, requireActor(request), request.params.id),
    }),
  );

  app.get(
    '/api/documents/:id',
    {
      schema: {
        tags,
        summary: '行政文书 one document with its signed content',
        params: z.object({ id: z.uuid() }),
        response: {
          200: DocumentRow.extend({
            content: z
              .record(z.string(), z.unknown())
              .describe('签名内容 (canonical JSON is what was signed)'),
            signature: z.string().describe('SM2 签名 (hex r‖s)'),
            signerKeyId: z.string().describe('签名密钥 (GET /api/keys)'),
            signatureValid: z.boolean(),
          }),
        },
      },
    },
    async (request) => service.getDocument(ctx.db, requireActor(request), request.params.id),
  );

  app.get(
    '/api/documents/:id/pdf',
    {
      schema: {
        tags,
        summary: '行政文书 PDF (A4, 电子印章, SM2 签名)',
        params: z.object({ id: z.uuid() }),
        produces: ['application/pdf'],
        response: { 200: fileResponse('行政文书 PDF', 'application/pdf') },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await service.renderDocument(
        ctx.db,
        requireActor(request),
        request.params.id,
      );
      return reply
        .type('application/pdf')
        .header(
          'Content-Disposition',
          `inline; filename="document-${request.params.id}.pdf"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        )
        .header('Cache-Control', 'private, no-store')
        .send(pdf);
    },
  );
}
