import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { fileResponse } from '../../http/file-response';
import { publicBaseUrl } from '../../http/public-url';
import {
  CertificateIdParams,
  CertificateListResponse,
  ProjectIdParams,
  VerifyResponse,
} from './certificate.schemas';
import * as service from './certificate.service';

const readers = [
  'applicant',
  'agent',
  'window',
  'supervisor',
  'admin',
  'reviewer',
  'senior',
  'coordinator',
] as const;

/** Where the QR code and verification links point: the configured public address, never the request's Host. */
const baseUrl = (ctx: AppContext) => publicBaseUrl(ctx.config);

export function certificateRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/projects/:id/certificates',
    {
      schema: {
        tags: ['certificates'],
        summary: '项目的电子证照 certificates of a project',
        params: ProjectIdParams,
        response: { 200: CertificateListResponse },
      },
    },
    async (request) =>
      service.listProjectCertificates(
        ctx.db,
        requireActor(request, readers),
        request.params.id,
        baseUrl(ctx),
      ),
  );

  app.get(
    '/api/certificates/:id/pdf',
    {
      schema: {
        tags: ['certificates'],
        summary: '电子证照 PDF (A4, SM2 签名, 二维码核验)',
        params: CertificateIdParams,
        produces: ['application/pdf'],
        response: { 200: fileResponse('电子证照 PDF', 'application/pdf') },
      },
    },
    async (request, reply) => {
      const pdf = await service.renderPdf(
        ctx.db,
        requireActor(request, readers),
        request.params.id,
        baseUrl(ctx),
      );
      return reply
        .type('application/pdf')
        .header('Content-Disposition', `inline; filename="certificate-${request.params.id}.pdf"`)
        .header('Cache-Control', 'private, no-store')
        .send(pdf);
    },
  );

  app.get(
    '/api/certificates/:id/verify',
    {
      schema: {
        tags: ['certificates'],
        summary: '公开核验电子证照 public verification (no login)',
        params: CertificateIdParams,
        response: { 200: VerifyResponse },
      },
      // Anonymous, so throttled per client address (E-05 anti-automation), counted in the database.
      config: { rateLimit: { max: ctx.config.verifyRatePerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return service.verifyCertificate(ctx.db, ctx.clock.now(), request.params.id, request.ip);
    },
  );
}
