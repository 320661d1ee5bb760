/**
 * What the approval use cases need besides the database: the clock and the working-day calendar.
 * Kept narrow so services can be driven from routes, jobs and tests alike.
 */
import type { CalendarProvider } from '../calendar/calendar.service';
import type { Clock } from '../../shared/clock';

export interface ApprovalDeps {
  clock: Clock;
  calendar: CalendarProvider;
  /** Working days to answer a 补正 when the request names no due date (config). */
  correctionDueWorkingDays?: number;
}
