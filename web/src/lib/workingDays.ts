/**
 * Working days left until (or past) a due date, for the dates the server gives without a count (补正
 * 答复期限). Task clocks come counted from the server; this mirrors its calendar rule (a day counts when
 * from < day ≤ to: weekdays, minus the notice's holidays, plus its make-up workdays) on the years it
 * serves at /api/calendar/years/:year, so the page says the same as the reminder the applicant gets.
 */
import { useQueries } from '@tanstack/react-query';
import { api } from '../api/client';
import { queryKeys } from '../api/hooks';
import { todayInBeijing, weekdayMondayFirst } from './time';

interface YearDays {
  year: number;
  days: { date: string; kind: 'holiday' | 'workday' }[];
}

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Working days d with from < d ≤ to (0 when to ≤ from). */
export function workingDaysBetween(from: string, to: string, special: ReadonlyMap<string, string>): number {
  let n = 0;
  for (let d = nextDate(from); d <= to; d = nextDate(d)) {
    const kind = special.get(d);
    if (kind === 'workday' || (kind !== 'holiday' && weekdayMondayFirst(d) < 5)) n++;
  }
  return n;
}

/**
 * `{remaining, overdue}` working days of a due date, from today in Beijing; null while the calendar
 * loads or without a date.
 */
export function useWorkingDaysUntil(
  due: string | null | undefined,
): { remaining: number; overdue: number } | null {
  const today = todayInBeijing();
  const years = due ? [...new Set([Number(today.slice(0, 4)), Number(due.slice(0, 4))])].sort() : [];
  const results = useQueries({
    queries: years.map((year) => ({
      queryKey: queryKeys.calendarYear(year),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<YearDays>(`/api/calendar/years/${year}`, undefined, signal),
      staleTime: 10 * 60_000,
    })),
  });
  if (!due || results.some((r) => !r.data)) return null;
  const special = new Map<string, string>();
  for (const r of results) for (const d of r.data!.days) special.set(d.date, d.kind);
  return due >= today
    ? { remaining: workingDaysBetween(today, due, special), overdue: 0 }
    : { remaining: 0, overdue: workingDaysBetween(due, today, special) };
}
