import { sql } from 'kysely';
import { z } from 'zod';
import type { App, AppContext } from '../../http/context';

const HealthResponse = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  postgis: z.string().describe('PostGIS library version'),
  now: z.string().describe('the system clock (CLOCK_NOW when set)'),
});

export function systemRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/health',
    { schema: { tags: ['system'], summary: '健康检查 health', response: { 200: HealthResponse } } },
    async () => {
      const row = await sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(ctx.db);
      return {
        status: 'ok' as const,
        database: ctx.database.kind,
        postgis: row.rows[0]?.v ?? 'unknown',
        now: ctx.clock.now().toISOString(),
      };
    },
  );
}
