/**
 * Time follows the calendar (issue 8 item 7): when a State Council notice is loaded or replaced, every
 * running task's stored deadline is recomputed from the new calendar (approvals), then every clock and
 * the statistics rollup behind it (supervision). This file wires the two modules together so neither
 * imports the other; it is registered with the HTTP app (the route that loads a notice waits for it),
 * so it runs in every process that serves the API, tests included, and not only where jobs run.
 */
import type { AppContext } from '../http/context';
import { recomputeRunningDeadlines } from '../modules/approvals/deadline.service';
import type { CalendarProvider } from '../modules/calendar/calendar.service';
import { recomputeAfterCalendarChange } from '../modules/supervision/clock.service';

// One subscription per calendar provider, however many apps are built on the same context.
const followed = new WeakSet<CalendarProvider>();

export function followCalendar(ctx: Pick<AppContext, 'db' | 'clock' | 'calendar'>) {
  if (followed.has(ctx.calendar)) return;
  followed.add(ctx.calendar);
  ctx.calendar.onChange(async (calendar) => {
    // Deadlines first: the clocks are derived from them.
    await recomputeRunningDeadlines(ctx.db, calendar);
    await recomputeAfterCalendarChange(ctx.db, ctx);
  });
}
