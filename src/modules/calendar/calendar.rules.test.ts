import chineseDaysLib from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  beijingDate,
  compareDates,
  dayOfWeek,
  defaultSchedules,
  WorkingCalendar,
  type YearSchedule,
} from './calendar.rules';
import { DeadlineQuerySchema, IsoDateSchema, YearNoticeSchema, type CalendarDay } from './calendar.schemas';

const calendar = new WorkingCalendar(defaultSchedules());

/** Every date from `first` to `last` inclusive. */
function dateRange(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
  return dates;
}

function scheduleOf(year: number): YearSchedule {
  const schedule = defaultSchedules().find((s) => s.year === year);
  if (!schedule) throw new Error(`no chinese-days schedule for ${year}`);
  return schedule;
}

function datesOfKind(schedule: YearSchedule, kind: CalendarDay['kind']): string[] {
  return schedule.days.filter((d) => d.kind === kind).map((d) => d.date);
}

describe('date helpers', () => {
  it('adds calendar days across month, leap-day and year boundaries', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-15', 0)).toBe('2026-03-15');
  });

  it('knows the day of the week (0 = Sunday)', () => {
    expect(dayOfWeek('2026-01-01')).toBe(4);
    expect(dayOfWeek('2025-01-26')).toBe(0);
    expect(dayOfWeek('2025-02-08')).toBe(6);
    expect(dayOfWeek('1969-12-31')).toBe(3);
  });

  it('takes the Beijing date of an instant whatever the process time zone', () => {
    expect(beijingDate(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(beijingDate(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
    expect(beijingDate(new Date('2026-06-30T23:30:00+08:00'))).toBe('2026-06-30');
  });

  it('compares dates', () => {
    expect(compareDates('2025-12-31', '2026-01-01')).toBeLessThan(0);
    expect(compareDates('2026-01-01', '2025-12-31')).toBeGreaterThan(0);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
  });

  it('rejects malformed dates instead of guessing', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => dayOfWeek('2026-1-1')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('')).toThrow(RangeError);
  });
});

describe('defaultSchedules (chinese-days)', () => {
  it('covers 2004 through 2026 and nothing later', () => {
    const years = defaultSchedules().map((s) => s.year);
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(2026 - 2004 + 1);
    expect(years).not.toContain(2027);
    expect(calendar.yearsCovered()).toEqual(years);
  });

  it('keeps every day inside its own year, sorted, without duplicates', () => {
    for (const schedule of defaultSchedules()) {
      expect(schedule.source).toBe('chinese-days');
      const dates = schedule.days.map((d) => d.date);
      expect(dates.every((d) => d.startsWith(`${schedule.year}-`))).toBe(true);
      expect(new Set(dates).size).toBe(dates.length);
      expect([...dates].sort()).toEqual(dates);
    }
  });

  it('parses the Chinese festival names', () => {
    const days = scheduleOf(2026).days;
    expect(days.find((d) => d.date === '2026-02-17')).toEqual({
      date: '2026-02-17',
      kind: 'holiday',
      name: '春节',
    });
    expect(days.find((d) => d.date === '2026-01-04')).toEqual({
      date: '2026-01-04',
      kind: 'workday',
      name: '元旦',
    });
  });

  it('hands out copies, so editing one result leaves the defaults alone', () => {
    const first = defaultSchedules();
    first[0]?.days.splice(0);
    expect(defaultSchedules()[0]?.days.length).toBeGreaterThan(0);
  });

  it('matches the 2025 State Council notice', () => {
    const schedule = scheduleOf(2025);
    expect(datesOfKind(schedule, 'holiday')).toEqual([
      '2025-01-01',
      ...dateRange('2025-01-28', '2025-02-04'),
      ...dateRange('2025-04-04', '2025-04-06'),
      ...dateRange('2025-05-01', '2025-05-05'),
      ...dateRange('2025-05-31', '2025-06-02'),
      ...dateRange('2025-10-01', '2025-10-08'),
    ]);
    expect(datesOfKind(schedule, 'workday')).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
  });

  it('matches the 2026 State Council notice (国办发明电〔2025〕7号)', () => {
    const schedule = scheduleOf(2026);
    expect(datesOfKind(schedule, 'holiday')).toEqual([
      ...dateRange('2026-01-01', '2026-01-03'),
      ...dateRange('2026-02-15', '2026-02-23'),
      ...dateRange('2026-04-04', '2026-04-06'),
      ...dateRange('2026-05-01', '2026-05-05'),
      ...dateRange('2026-06-19', '2026-06-21'),
      ...dateRange('2026-09-25', '2026-09-27'),
      ...dateRange('2026-10-01', '2026-10-07'),
    ]);
    expect(datesOfKind(schedule, 'workday')).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  // The library's own functions read dates in the process time zone and shift a day west of UTC
  // (TZ=America/New_York turns 2004-01-03 into a working day), which is why the rules use its JSON.
  const eastOfUtc = new Date(2026, 0, 1).getTimezoneOffset() <= 0;
  it.runIf(eastOfUtc)('agrees with the chinese-days library itself on every day it covers', () => {
    for (const date of dateRange('2004-01-01', '2026-12-31')) {
      if (calendar.isWorkingDay(date) !== chineseDaysLib.isWorkday(date))
        throw new Error(`disagree on ${date}`);
    }
  });
});

describe('WorkingCalendar.isWorkingDay', () => {
  it('treats ordinary weekdays as working and weekends as rest', () => {
    expect(calendar.isWorkingDay('2026-03-02')).toBe(true);
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false);
  });

  it('treats holidays as rest, including weekday ones', () => {
    for (const date of ['2025-01-01', '2025-01-29', '2025-10-08', '2026-01-02', '2026-02-23', '2026-10-07']) {
      expect(calendar.isWorkingDay(date), date).toBe(false);
    }
  });

  it('treats make-up Saturdays and Sundays as working', () => {
    for (const date of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']) {
      expect(calendar.isWorkingDay(date), date).toBe(true);
    }
    for (const date of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(calendar.isWorkingDay(date), date).toBe(true);
    }
  });

  it('uses weekends only in a year nobody has scheduled', () => {
    expect(calendar.hasSchedule(2031)).toBe(false);
    expect(calendar.isWorkingDay('2031-01-01')).toBe(true); // a Wednesday; 元旦 unknown until published
    expect(calendar.isWorkingDay('2031-01-04')).toBe(false); // Saturday
  });
});

describe('WorkingCalendar.addWorkingDays', () => {
  it('does not count the start day', () => {
    expect(calendar.addWorkingDays('2026-03-02', 1)).toEqual({
      deadline: '2026-03-03',
      calendarComplete: true,
    });
    expect(calendar.addWorkingDays('2026-03-06', 1).deadline).toBe('2026-03-09'); // Friday → Monday
    expect(calendar.addWorkingDays('2026-03-07', 1).deadline).toBe('2026-03-09'); // accepted on a Saturday
  });

  it('returns the start itself for n = 0, complete when its year is scheduled', () => {
    expect(calendar.addWorkingDays('2026-05-01', 0)).toEqual({
      deadline: '2026-05-01',
      calendarComplete: true,
    });
    expect(calendar.addWorkingDays('2031-05-01', 0)).toEqual({
      deadline: '2031-05-01',
      calendarComplete: false,
    });
  });

  it('skips the 2025 Spring Festival and counts its make-up Sunday and Saturday', () => {
    expect(calendar.addWorkingDays('2025-01-24', 1).deadline).toBe('2025-01-26'); // Sunday workday
    expect(calendar.addWorkingDays('2025-01-24', 2).deadline).toBe('2025-01-27');
    expect(calendar.addWorkingDays('2025-01-24', 3).deadline).toBe('2025-02-05');
    expect(calendar.addWorkingDays('2025-02-07', 1).deadline).toBe('2025-02-08'); // Saturday workday
  });

  it('handles the 2025 National Day + Mid-Autumn block', () => {
    const deadlines = [1, 2, 3, 4, 5, 6, 7].map((n) => calendar.addWorkingDays('2025-09-26', n).deadline);
    expect(deadlines).toEqual([
      '2025-09-28',
      '2025-09-29',
      '2025-09-30',
      '2025-10-09',
      '2025-10-10',
      '2025-10-11',
      '2025-10-13',
    ]);
  });

  it('follows the 2026 schedule', () => {
    expect(calendar.addWorkingDays('2026-02-13', 1).deadline).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-13', 2).deadline).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-27', 1).deadline).toBe('2026-02-28');
    expect(calendar.addWorkingDays('2026-04-30', 1).deadline).toBe('2026-05-06');
    expect(calendar.addWorkingDays('2026-05-08', 1).deadline).toBe('2026-05-09');
    expect(calendar.addWorkingDays('2026-06-18', 1).deadline).toBe('2026-06-22');
    expect(calendar.addWorkingDays('2026-09-18', 1).deadline).toBe('2026-09-20');
    expect(calendar.addWorkingDays('2026-09-24', 1).deadline).toBe('2026-09-28');
    expect(calendar.addWorkingDays('2026-09-30', 3).deadline).toBe('2026-10-10');
    expect(calendar.addWorkingDays('2026-09-30', 4).deadline).toBe('2026-10-12');
  });

  it('spans a year boundary using both years’ schedules', () => {
    // 12-26, 12-29, 12-30, 12-31, then 2026-01-01..03 off, 01-04 (Sunday) worked, 01-05..01-09.
    expect(calendar.addWorkingDays('2025-12-25', 10)).toEqual({
      deadline: '2026-01-09',
      calendarComplete: true,
    });
    const weekendsOnly = new WorkingCalendar([]);
    expect(weekendsOnly.addWorkingDays('2025-12-25', 10)).toEqual({
      deadline: '2026-01-08',
      calendarComplete: false,
    });
  });

  it('falls back to weekends only, and says so, once a counted day leaves the published years', () => {
    expect(calendar.addWorkingDays('2026-12-30', 1)).toEqual({
      deadline: '2026-12-31',
      calendarComplete: true,
    });
    expect(calendar.addWorkingDays('2026-12-31', 1)).toEqual({
      deadline: '2027-01-01',
      calendarComplete: false,
    });
    expect(calendar.addWorkingDays('2026-12-25', 10)).toEqual({
      deadline: '2027-01-08',
      calendarComplete: false,
    });
    // 2031-01-01 is a Wednesday; 2031-01-04/05 a weekend.
    expect(calendar.addWorkingDays('2030-12-31', 4)).toEqual({
      deadline: '2031-01-06',
      calendarComplete: false,
    });
  });

  it('counts 3650 working days (the schema maximum) across many years', () => {
    const result = calendar.addWorkingDays('2020-01-01', 3650);
    expect(calendar.workingDaysBetween('2020-01-01', result.deadline)).toBe(3650);
    expect(result.calendarComplete).toBe(false);
    expect(calendar.addWorkingDays('2004-01-01', 3650).calendarComplete).toBe(true);
  });

  it('rejects negative or fractional counts', () => {
    expect(() => calendar.addWorkingDays('2026-03-02', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });

  it('is fast: a 100-working-day deadline costs microseconds', () => {
    const runs = 20_000;
    const startedAt = performance.now();
    for (let i = 0; i < runs; i++) calendar.addWorkingDays('2025-11-03', 100);
    const microsecondsEach = ((performance.now() - startedAt) * 1000) / runs;
    expect(microsecondsEach).toBeLessThan(50);
  });
});

describe('WorkingCalendar.workingDaysBetween and nextWorkingDay', () => {
  it('counts working days d with from < d ≤ to, negative when reversed', () => {
    expect(calendar.workingDaysBetween('2026-03-02', '2026-03-02')).toBe(0);
    expect(calendar.workingDaysBetween('2026-03-02', '2026-03-09')).toBe(5);
    expect(calendar.workingDaysBetween('2026-03-09', '2026-03-02')).toBe(-5);
    expect(calendar.workingDaysBetween('2025-01-24', '2025-02-05')).toBe(3);
  });

  it('counts a whole year', () => {
    expect(calendar.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
    expect(calendar.workingDaysBetween('2030-12-31', '2031-12-31')).toBe(261); // weekends only
  });

  it('is the inverse of addWorkingDays', () => {
    const starts = dateRange('2025-01-01', '2027-01-10').filter((_, i) => i % 3 === 0);
    for (const start of starts) {
      for (const n of [0, 1, 2, 5, 10, 20, 45]) {
        const { deadline } = calendar.addWorkingDays(start, n);
        const forward = calendar.workingDaysBetween(start, deadline);
        const backward = calendar.workingDaysBetween(deadline, start);
        if (forward !== n || backward !== -n)
          throw new Error(`${start} + ${n} → ${deadline}: ${forward}/${backward}`);
        if (n > 0 && !calendar.isWorkingDay(deadline))
          throw new Error(`${start} + ${n} → rest day ${deadline}`);
        if (n > 0 && calendar.workingDaysBetween(start, addDays(deadline, -1)) !== n - 1) {
          throw new Error(`${start} + ${n}: ${deadline} is not the first day reaching ${n}`);
        }
      }
    }
  });

  it('gives the first working day strictly after a date', () => {
    expect(calendar.nextWorkingDay('2026-03-02')).toBe('2026-03-03');
    expect(calendar.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
    expect(calendar.nextWorkingDay('2026-02-13')).toBe('2026-02-14');
  });
});

describe('a loaded notice overrides chinese-days for its year', () => {
  const notice2026 = (extra: CalendarDay[]): YearSchedule => ({
    year: 2026,
    source: 'notice',
    days: [...scheduleOf(2026).days, ...extra],
  });

  it('shifts a deadline when the notice adds a holiday', () => {
    expect(calendar.addWorkingDays('2026-02-27', 2).deadline).toBe('2026-03-02');
    const withNotice = new WorkingCalendar([
      ...defaultSchedules(),
      notice2026([{ date: '2026-03-02', kind: 'holiday', name: '测试' }]),
    ]);
    expect(withNotice.isWorkingDay('2026-03-02')).toBe(false);
    expect(withNotice.addWorkingDays('2026-02-27', 2)).toEqual({
      deadline: '2026-03-03',
      calendarComplete: true,
    });
    expect(withNotice.workingDaysBetween('2026-02-27', '2026-03-03')).toBe(2);
  });

  it('replaces the year instead of merging with it, whatever the input order', () => {
    const onlyMarch: YearSchedule = {
      year: 2026,
      source: 'notice',
      days: [{ date: '2026-03-02', kind: 'holiday' }],
    };
    for (const schedules of [
      [...defaultSchedules(), onlyMarch],
      [onlyMarch, ...defaultSchedules()],
    ]) {
      const replaced = new WorkingCalendar(schedules);
      expect(replaced.isWorkingDay('2026-02-16')).toBe(true); // chinese-days' 春节 gone
      expect(replaced.isWorkingDay('2026-02-14')).toBe(false); // its make-up Saturday too
      expect(replaced.isWorkingDay('2026-03-02')).toBe(false);
      expect(replaced.isWorkingDay('2025-01-29')).toBe(false); // other years untouched
    }
  });

  it('lets the latest notice for a year win', () => {
    const first: YearSchedule = {
      year: 2026,
      source: 'notice',
      days: [{ date: '2026-03-02', kind: 'holiday' }],
    };
    const second: YearSchedule = {
      year: 2026,
      source: 'notice',
      days: [{ date: '2026-03-03', kind: 'holiday' }],
    };
    const latest = new WorkingCalendar([first, second]);
    expect(latest.isWorkingDay('2026-03-02')).toBe(true);
    expect(latest.isWorkingDay('2026-03-03')).toBe(false);
  });

  it('completes a year chinese-days does not cover yet', () => {
    const notice2027: YearSchedule = {
      year: 2027,
      source: 'notice',
      days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
    };
    const withNotice = new WorkingCalendar([...defaultSchedules(), notice2027]);
    expect(withNotice.hasSchedule(2027)).toBe(true);
    expect(withNotice.yearsCovered().at(-1)).toBe(2027);
    expect(withNotice.addWorkingDays('2026-12-31', 1)).toEqual({
      deadline: '2027-01-04',
      calendarComplete: true,
    });
  });

  it('refuses a schedule holding a day of another year', () => {
    const wrong: YearSchedule = {
      year: 2026,
      source: 'notice',
      days: [{ date: '2025-12-31', kind: 'holiday' }],
    };
    expect(() => new WorkingCalendar([wrong])).toThrow(RangeError);
  });
});

describe('calendar schemas', () => {
  it('accepts only real YYYY-MM-DD dates, with a clear message', () => {
    expect(IsoDateSchema.safeParse('2024-02-29').success).toBe(true);
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '2026-1-1',
      '',
      '2026-13-01',
      '2026-01-01T00:00:00Z',
      ' 2026-01-01',
    ]) {
      const result = IsoDateSchema.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('YYYY-MM-DD');
    }
  });

  it('coerces the deadline query and bounds workingDays', () => {
    expect(DeadlineQuerySchema.parse({ start: '2026-03-02', workingDays: '20' })).toEqual({
      start: '2026-03-02',
      workingDays: 20,
    });
    for (const workingDays of ['-1', '3651', '1.5', 'abc']) {
      expect(DeadlineQuerySchema.safeParse({ start: '2026-03-02', workingDays }).success, workingDays).toBe(
        false,
      );
    }
    expect(DeadlineQuerySchema.safeParse({ start: '2026-02-30', workingDays: '1' }).success).toBe(false);
  });

  const notice = {
    year: 2026,
    title: '国务院办公厅关于2026年部分节假日安排的通知',
    documentNumber: '国办发明电〔2025〕7号',
    days: [
      { date: '2026-01-01', kind: 'holiday', name: '元旦' },
      { date: '2026-01-04', kind: 'workday', name: '元旦' },
    ],
  };

  it('accepts a well-formed notice', () => {
    expect(YearNoticeSchema.parse(notice)).toEqual(notice);
  });

  it('rejects notice days outside the year, with the day’s path', () => {
    const result = YearNoticeSchema.safeParse({
      ...notice,
      days: [...notice.days, { date: '2027-01-01', kind: 'holiday' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['days', 2, 'date']]);
  });

  it('rejects duplicate dates and out-of-range years', () => {
    const duplicate = YearNoticeSchema.safeParse({
      ...notice,
      days: [...notice.days, { date: '2026-01-01', kind: 'workday' }],
    });
    expect(duplicate.success).toBe(false);
    expect(duplicate.error?.issues[0]?.path).toEqual(['days', 2, 'date']);
    expect(duplicate.error?.issues[0]?.message).toContain('重复');
    expect(YearNoticeSchema.safeParse({ ...notice, year: 1999, days: [] }).success).toBe(false);
    expect(
      YearNoticeSchema.safeParse({ ...notice, days: [{ date: '2026-01-01', kind: 'off' }] }).success,
    ).toBe(false);
  });
});
