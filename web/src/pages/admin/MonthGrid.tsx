import type { CalendarDay } from '../../api/types';
import { useT } from '../../i18n';
import { daysInMonth, isoDate, weekdayMondayFirst } from '../../lib/time';

/** One month, Monday first: weekends greyed, holidays red (休), make-up workdays blue (班). */
export function MonthGrid({
  year,
  month,
  days,
}: {
  year: number;
  month: number;
  days: Map<string, CalendarDay>;
}) {
  const t = useT();
  const first = weekdayMondayFirst(isoDate(year, month, 1));
  const count = daysInMonth(year, month);
  const cells: (string | null)[] = [
    ...Array.from({ length: first }, () => null),
    ...Array.from({ length: count }, (_, i) => isoDate(year, month, i + 1)),
  ];
  return (
    <div className="zz-month-grid" data-testid={`month-grid-${month}`}>
      {t('calendar.weekdays')
        .split(',')
        .map((w) => (
          <div key={w} className="zz-weekday">
            {w}
          </div>
        ))}
      {cells.map((date, i) => {
        if (!date) return <div key={`blank-${i}`} />;
        const special = days.get(date);
        const weekend = weekdayMondayFirst(date) >= 5;
        const className = ['zz-day', special ? special.kind : weekend ? 'weekend' : ''].join(' ').trim();
        return (
          <div key={date} className={className} data-date={date} title={special?.name ?? undefined}>
            <span>{Number(date.slice(8))}</span>
            {special && (
              <span className="zz-day-badge">
                {special.kind === 'holiday' ? t('calendar.legendHoliday') : t('calendar.legendWorkday')}
              </span>
            )}
            {special?.name && <span className="zz-day-name">{special.name}</span>}
          </div>
        );
      })}
    </div>
  );
}
