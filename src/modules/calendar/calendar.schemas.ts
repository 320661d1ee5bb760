import { z } from 'zod';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a 'YYYY-MM-DD' string naming a day that exists (2026-02-30 does not). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 02-30 over into March, so a round trip exposes impossible days.
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, { message: '日期须为真实存在的 YYYY-MM-DD 格式 (expected a real date as YYYY-MM-DD)' })
  .describe('北京时间日期 YYYY-MM-DD (Beijing date)');

export const DayKindSchema = z
  .enum(['holiday', 'workday'])
  .describe('holiday = 放假（含周末调休放假）; workday = 调休上班日（通常是周末）');
export type DayKind = z.infer<typeof DayKindSchema>;

export const CalendarDaySchema = z.object({
  date: IsoDateSchema,
  kind: DayKindSchema,
  name: z.string().trim().min(1).max(64).optional().describe('节日名称，如 春节 (festival name)'),
});
export type CalendarDay = z.infer<typeof CalendarDaySchema>;

export const YearNoticeSchema = z
  .object({
    year: z.number().int().min(2000).max(2100).describe('通知适用的年份 (year the notice schedules)'),
    title: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('通知标题，如 国务院办公厅关于2026年部分节假日安排的通知'),
    documentNumber: z.string().trim().min(1).max(64).describe('发文字号，如 国办发明电〔2025〕7号'),
    days: z
      .array(CalendarDaySchema)
      .max(366)
      .describe('放假日与调休上班日；未列出的日期按周一至周五上班、周末休息'),
  })
  .superRefine((notice, ctx) => {
    const seen = new Set<string>();
    notice.days.forEach((day, index) => {
      if (!day.date.startsWith(`${notice.year}-`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['days', index, 'date'],
          message: `日期 ${day.date} 不在 ${notice.year} 年内 (date outside the notice year)`,
        });
      }
      if (seen.has(day.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['days', index, 'date'],
          message: `日期 ${day.date} 重复 (duplicate date)`,
        });
      }
      seen.add(day.date);
    });
  });
export type YearNotice = z.infer<typeof YearNoticeSchema>;

export const DeadlineQuerySchema = z.object({
  start: IsoDateSchema.describe('受理日期，当日不计入期限 (acceptance date; not counted)'),
  workingDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(3650)
    .describe('工作日数 (number of working days to count)'),
});
export type DeadlineQuery = z.infer<typeof DeadlineQuerySchema>;

export const DeadlineResultSchema = z.object({
  start: IsoDateSchema.describe('受理日期 (acceptance date)'),
  workingDays: z.number().int().describe('工作日数 (working days counted)'),
  deadline: IsoDateSchema.describe('期限届满日：受理次日起第 N 个工作日 (Nth working day after start)'),
  calendarComplete: z
    .boolean()
    .describe(
      'false = 计数区间内某年尚无节假日安排，该年仅按周末计算 (a year had no schedule: weekends only)',
    ),
});
export type DeadlineResult = z.infer<typeof DeadlineResultSchema>;
