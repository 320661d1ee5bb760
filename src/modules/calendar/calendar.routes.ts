import { z } from 'zod';
import { requireActor } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { DomainError } from '../../shared/errors';
import {
  CalendarDaySchema,
  DeadlineQuerySchema,
  DeadlineResultSchema,
  YearNoticeSchema,
} from './calendar.schemas';
import * as service from './calendar.service';

const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

const YearResponse = z.object({
  year: z.number().int(),
  source: z.enum(['chinese-days', 'notice', 'none']),
  title: z.string().nullable(),
  documentNumber: z.string().nullable(),
  days: z.array(CalendarDaySchema),
});

export function calendarRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/calendar/deadline',
    {
      schema: {
        tags: ['calendar'],
        summary: '按工作日计算期限 the Nth working day after start (start not counted)',
        querystring: DeadlineQuerySchema,
        response: { 200: DeadlineResultSchema },
      },
    },
    async (request) => {
      const { start, workingDays } = request.query;
      const calendar = await ctx.calendar.get();
      return { start, workingDays, ...calendar.addWorkingDays(start, workingDays) };
    },
  );

  app.get(
    '/api/calendar/years',
    {
      schema: {
        tags: ['calendar'],
        summary: '已有节假日安排的年份 years with a schedule',
        response: {
          200: z.object({
            years: z.array(
              z.object({
                year: z.number().int(),
                source: z.enum(['chinese-days', 'notice']),
                holidays: z.number().int(),
                workdays: z.number().int(),
                title: z.string().nullable(),
                documentNumber: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ years: await service.listYears(ctx.db) }),
  );

  app.get(
    '/api/calendar/years/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: '某年节假日与调休上班日',
        params: YearParams,
        response: { 200: YearResponse },
      },
    },
    async (request) => service.getYear(ctx.db, request.params.year),
  );

  app.put(
    '/api/admin/calendar/notices/:year',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '载入国务院办公厅节假日安排通知 load a yearly holiday notice (admin)',
        params: YearParams,
        body: YearNoticeSchema,
        response: { 200: YearResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request, ['admin']);
      if (request.body.year !== request.params.year) {
        throw new DomainError('VALIDATION_FAILED', 'body.year 必须与路径中的年份一致 (year mismatch)', {
          field: 'body.year',
        });
      }
      return service.loadNotice(ctx.db, ctx.calendar, actor, ctx.clock.now(), request.body);
    },
  );
}
