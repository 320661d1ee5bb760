import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { sealAndVerify } from './audit.wiring';

const Problem = z.object({
  kind: z.enum([
    'broken_chain',
    'truncated',
    'rewritten',
    'forged',
    'bad_checkpoint_signature',
    'conflicting_checkpoints',
    'checkpoint_missing_from_database',
  ]),
  message: z.string(),
  eventId: z.number().int().optional(),
  checkpointSeq: z.number().int().optional(),
});

export const AuditVerifyResponse = z.object({
  valid: z.boolean(),
  /** Sealed events walked. */
  events: z.number().int(),
  firstBadEventId: z.number().int().optional(),
  sealed: z.number().int(),
  unsealed: z.number().int(),
  oldestUnsealedSeconds: z.number().nullable(),
  checkpoints: z.number().int(),
  lastCheckpoint: z
    .object({ seq: z.number().int(), count: z.number().int(), lastEventId: z.number().int(), at: z.string() })
    .optional(),
  anchored: z.number().int(),
  unanchored: z.number().int(),
  firstUnanchoredEventId: z.number().int().optional(),
  problems: z.array(Problem),
  /** Why the sealer stopped, when it refuses to extend a chain it did not leave that way. */
  sealerProblem: z.string().optional(),
});

export function auditRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链与签名检查点 verify the SM3 audit chain against signed checkpoints',
        response: { 200: AuditVerifyResponse },
      },
    },
    async (request) => {
      requireActor(request, ['supervisor', 'admin']);
      // Seal first, so the answer covers every finished write. The horizon is server-wide: a write
      // transaction still running in any database of the server holds sealing back, so wait a little.
      return sealAndVerify(ctx, { waitMs: 10_000 });
    },
  );
}
