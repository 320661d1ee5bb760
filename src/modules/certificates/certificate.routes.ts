import type { FastifyRequest } from 'fastify';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { DomainError } from '../../shared/errors';
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

/** Public verification is anonymous, so it is throttled per client address (E-05 anti-automation). */
const VERIFY_LIMIT_PER_MINUTE = 120;

function verifyLimiter(ctx: AppContext) {
  const windows = new Map<string, { start: number; count: number }>();
  return (ip: string) => {
    const now = ctx.clock.now().getTime();
    if (windows.size > 10_000) windows.clear(); // bounded memory under address spraying
    const w = windows.get(ip);
    if (!w || now - w.start >= 60_000) {
      windows.set(ip, { start: now, count: 1 });
      return;
    }
    if (++w.count > VERIFY_LIMIT_PER_MINUTE) {
      throw new DomainError('RATE_LIMITED', '核验请求过于频繁，请稍后再试 (too many verification requests)');
    }
  };
}

/** Where the QR code points: the configured public address, else the address the request came in on. */
function baseUrl(ctx: AppContext, request: FastifyRequest): string {
  return ctx.config.publicBaseUrl ?? `${request.protocol}://${request.host}`;
}

export function certificateRoutes(app: App, ctx: AppContext) {
  const limitVerify = verifyLimiter(ctx);

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
        baseUrl(ctx, request),
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
      },
    },
    async (request, reply) => {
      const pdf = await service.renderPdf(
        ctx.db,
        requireActor(request, readers),
        request.params.id,
        baseUrl(ctx, request),
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
    },
    async (request, reply) => {
      limitVerify(request.ip);
      reply.header('Cache-Control', 'no-store');
      return service.verifyCertificate(ctx.db, ctx.clock.now(), request.params.id);
    },
  );
}
