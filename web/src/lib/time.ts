/** Dates are shown in Beijing time (Asia/Shanghai), whatever the browser's zone. */

const TZ = 'Asia/Shanghai';

const dateTimeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const dateFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD HH:mm' in Beijing time; date-only strings are returned as they are. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  if (typeof value === 'string' && DATE_ONLY.test(value)) return value;
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return dateTimeFormat.format(d);
}

/** 'YYYY-MM-DD' in Beijing time; date-only strings (calendar dates) are returned as they are. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  if (typeof value === 'string' && DATE_ONLY.test(value)) return value;
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return dateFormat.format(d);
}

/** Today's date in Beijing, 'YYYY-MM-DD'. */
export function todayInBeijing(now: Date = new Date()): string {
  return dateFormat.format(now);
}

/** Day of week of a calendar date, 0 = Monday … 6 = Sunday (pure date arithmetic, no zone). */
export function weekdayMondayFirst(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return (dow + 6) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
