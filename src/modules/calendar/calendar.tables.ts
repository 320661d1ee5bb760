import type { JSONColumnType } from 'kysely';
import type { CalendarDay } from './calendar.schemas';

export interface CalendarNoticeTable {
  year: number;
  title: string;
  documentNumber: string;
  days: JSONColumnType<CalendarDay[], string, string>;
  version: number;
  loadedAt: Date;
  loadedBy: string | null;
}

export interface CalendarTables {
  calendarNotice: CalendarNoticeTable;
}
