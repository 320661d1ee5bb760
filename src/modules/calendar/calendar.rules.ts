/**
 * Working-day arithmetic for approval deadlines (deadline rules in domain.md):
 * - every time limit is counted in Chinese working days: Monday–Friday, minus the State Council's
 *   holidays, plus its 调休 make-up working days (usually weekends);
 * - counting starts the day after acceptance, so the start day itself is never counted;
 * - chinese-days supplies default schedules; an administrator's loaded yearly notice replaces the
 *   chinese-days schedule of that year entirely (the notice is the legal source);
 * - a year nobody has published yet falls back to weekends-only and the result says so
 *   (calendarComplete: false) so the deadline can be recomputed once the notice arrives.
 * Dates are Beijing calendar dates as 'YYYY-MM-DD'; all arithmetic is UTC-based so the process
 * time zone never changes a result.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { isIsoDate, type CalendarDay } from './calendar.schemas';

export type YearSchedule = { year: number; source: 'chinese-days' | 'notice'; days: CalendarDay[] };

export interface DeadlineComputation {
  deadline: string;
  /** false when a counted day lies in a year without a published schedule (weekends-only there). */
  calendarComplete: boolean;
}

const MS_PER_DAY = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

// ---------------------------------------------------------------------------------------------
// Date helpers. A "day number" is days since 1970-01-01 (UTC), which makes stepping trivial.

function toDayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: '${date}'`);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOfDayNumber(dayNumber: number): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCFullYear();
}

function firstDayOfYear(year: number): number {
  return Date.UTC(year, 0, 1) / MS_PER_DAY;
}

/** The date n calendar days after `date` (n may be negative). */
export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday, like Date#getUTCDay. */
export function dayOfWeek(date: string): number {
  return dayOfWeekOf(toDayNumber(date));
}

function dayOfWeekOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps pre-1970 days non-negative.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** The Beijing calendar date of an instant. China has used UTC+8 without DST since 1992. */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Beijing wall-clock time of an instant to the minute, "YYYY-MM-DD HH:mm" (for what people read). */
export function beijingDateTime(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Negative, zero or positive like a sort comparator; ISO dates compare correctly as strings. */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Default data from chinese-days.

type ChineseDaysEntries = Record<string, string>;

/** chinese-days stores each day as "English name,中文名,n"; keep the Chinese name. */
function chineseName(entry: string): string | undefined {
  const name = entry.split(',')[1]?.trim();
  return name ? name : undefined;
}

function buildDefaultSchedules(): YearSchedule[] {
  const byYear = new Map<number, CalendarDay[]>();
  const collect = (entries: ChineseDaysEntries, kind: CalendarDay['kind']) => {
    for (const [date, entry] of Object.entries(entries)) {
      const year = Number(date.slice(0, 4));
      const days = byYear.get(year) ?? [];
      const name = chineseName(entry);
      days.push(name ? { date, kind, name } : { date, kind });
      byYear.set(year, days);
    }
  };
  collect(chineseDays.holidays, 'holiday');
  collect(chineseDays.workdays, 'workday');
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, days]) => ({
      year,
      source: 'chinese-days' as const,
      days: days.sort((a, b) => compareDates(a.date, b.date)),
    }));
}

let defaultCache: YearSchedule[] | undefined;

/** One schedule per year chinese-days covers (holidays and make-up workdays of that year). */
export function defaultSchedules(): YearSchedule[] {
  defaultCache ??= buildDefaultSchedules();
  // Copies, so a caller editing its result cannot change everyone else's defaults.
  return defaultCache.map((s) => ({ ...s, days: s.days.map((d) => ({ ...d })) }));
}

// ---------------------------------------------------------------------------------------------
// The calendar.

/** Per-year precomputation: working[i] is 1 when day i of the year is a working day, and
 *  cumulative[i] counts working days among days 0..i, so counts and searches need no day loop. */
interface YearTable {
  firstDay: number;
  working: Uint8Array;
  cumulative: Uint16Array;
  total: number;
}

function buildYearTable(year: number, days: readonly CalendarDay[]): YearTable {
  const firstDay = firstDayOfYear(year);
  const length = firstDayOfYear(year + 1) - firstDay;
  const working = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const weekday = dayOfWeekOf(firstDay + i);
    working[i] = weekday === 0 || weekday === 6 ? 0 : 1;
  }
  for (const day of days) {
    const index = toDayNumber(day.date) - firstDay;
    if (index < 0 || index >= length) {
      throw new RangeError(`Schedule for ${year} contains ${day.date}, which lies in another year`);
    }
    working[index] = day.kind === 'workday' ? 1 : 0;
  }
  const cumulative = new Uint16Array(length);
  let total = 0;
  for (let i = 0; i < length; i++) {
    total += working[i] ?? 0;
    cumulative[i] = total;
  }
  return { firstDay, working, cumulative, total };
}

/** Smallest index i with cumulative[i] >= target (caller guarantees one exists). */
function firstIndexReaching(cumulative: Uint16Array, target: number, from: number): number {
  let low = from;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cumulative[mid] ?? 0) >= target) high = mid;
    else low = mid + 1;
  }
  return low;
}

export class WorkingCalendar {
  private readonly schedules = new Map<number, YearSchedule>();
  private readonly tables = new Map<number, YearTable>();

  /** A 'notice' schedule replaces the chinese-days schedule of its year; among several
   *  schedules of the same source the last one wins. */
  constructor(schedules: readonly YearSchedule[]) {
    for (const schedule of schedules) {
      const current = this.schedules.get(schedule.year);
      if (current?.source === 'notice' && schedule.source === 'chinese-days') continue;
      this.schedules.set(schedule.year, schedule);
    }
    for (const [year, schedule] of this.schedules) this.tables.set(year, buildYearTable(year, schedule.days));
  }

  hasSchedule(year: number): boolean {
    return this.schedules.has(year);
  }

  /** Years with a published schedule (chinese-days or notice), ascending. */
  yearsCovered(): number[] {
    return [...this.schedules.keys()].sort((a, b) => a - b);
  }

  isWorkingDay(date: string): boolean {
    const dayNumber = toDayNumber(date);
    const table = this.table(yearOfDayNumber(dayNumber));
    return table.working[dayNumber - table.firstDay] === 1;
  }

  /**
   * The Nth working day after `start` (start itself not counted); n = 0 gives start.
   * calendarComplete is false when any counted day falls in a year without a schedule.
   */
  addWorkingDays(start: string, n: number): DeadlineComputation {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`workingDays must be a whole number >= 0, got ${n}`);
    const startDay = toDayNumber(start);
    if (n === 0) return { deadline: start, calendarComplete: this.hasSchedule(yearOfDayNumber(startDay)) };

    let year = yearOfDayNumber(startDay);
    let table = this.table(year);
    let index = startDay - table.firstDay;
    // Working days still to find, measured from the start of `year`'s cumulative counts.
    let target = (table.cumulative[index] ?? 0) + n;
    while (target > table.total) {
      target -= table.total;
      year += 1;
      table = this.table(year);
      index = -1;
    }
    const deadlineDay = table.firstDay + firstIndexReaching(table.cumulative, target, index + 1);
    return {
      deadline: fromDayNumber(deadlineDay),
      calendarComplete: this.coversYears(yearOfDayNumber(startDay + 1), year),
    };
  }

  /** Working days d with from < d ≤ to; negative (the same count) when to < from, so that
   *  workingDaysBetween(start, addWorkingDays(start, n).deadline) === n. */
  workingDaysBetween(from: string, to: string): number {
    const fromDay = toDayNumber(from);
    const toDay = toDayNumber(to);
    if (toDay < fromDay) return -this.countAfterUpTo(toDay, fromDay);
    return this.countAfterUpTo(fromDay, toDay);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1).deadline;
  }

  /** Working days d with from < d ≤ to, for from ≤ to. */
  private countAfterUpTo(fromDay: number, toDay: number): number {
    const fromYear = yearOfDayNumber(fromDay);
    const toYear = yearOfDayNumber(toDay);
    let count = -this.countInYearUpTo(fromYear, fromDay);
    for (let year = fromYear; year < toYear; year++) count += this.table(year).total;
    return count + this.countInYearUpTo(toYear, toDay);
  }

  /** Working days from 1 January of `year` up to and including `dayNumber`. */
  private countInYearUpTo(year: number, dayNumber: number): number {
    const table = this.table(year);
    return table.cumulative[dayNumber - table.firstDay] ?? 0;
  }

  private coversYears(fromYear: number, toYear: number): boolean {
    for (let year = fromYear; year <= toYear; year++) if (!this.hasSchedule(year)) return false;
    return true;
  }

  /** Years without a schedule get a weekends-only table, built once on first use. */
  private table(year: number): YearTable {
    let table = this.tables.get(year);
    if (!table) {
      table = buildYearTable(year, []);
      this.tables.set(year, table);
    }
    return table;
  }
}
