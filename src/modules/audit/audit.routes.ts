import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { verifyAuditChain } from './audit.service';

export function auditRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链 verify the SM3 audit chain',
        response: {
          200: z.object({
            valid: z.boolean(),
            events: z.number().int(),
            firstBadEventId: z.number().int().optional(),
          }),
        },
      },
    },
    async (request) => {
      requireActor(request, ['supervisor', 'admin']);
      return verifyAuditChain(ctx.db);
    },
  );
}
