/**
 * The working-day calendar in use: chinese-days as default data, replaced year by year by the State
 * Council notices an administrator loads. Built once and cached; loading a notice rebuilds it and tells
 * the listeners (running deadlines are recomputed from it).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import * as repo from './calendar.repository';
import { defaultSchedules, WorkingCalendar, type YearSchedule } from './calendar.rules';
import type { YearNotice } from './calendar.schemas';

export interface CalendarProvider {
  get(): Promise<WorkingCalendar>;
  /** Forget the cached calendar (after a notice is loaded) and tell the listeners. */
  changed(): Promise<void>;
  onChange(listener: (calendar: WorkingCalendar) => Promise<void> | void): void;
}

export async function loadSchedules(db: Kysely<DB>): Promise<YearSchedule[]> {
  const notices = await repo.listNotices(db);
  const fromNotices: YearSchedule[] = notices.map((n) => ({ year: n.year, source: 'notice', days: n.days }));
  return [...defaultSchedules(), ...fromNotices];
}

export function createCalendarProvider(db: Kysely<DB>): CalendarProvider {
  let cached: Promise<WorkingCalendar> | undefined;
  const listeners: ((c: WorkingCalendar) => Promise<void> | void)[] = [];
  const build = () => loadSchedules(db).then((s) => new WorkingCalendar(s));
  return {
    get() {
      cached ??= build().catch((err: unknown) => {
        cached = undefined;
        throw err;
      });
      return cached;
    },
    async changed() {
      cached = undefined;
      const calendar = await this.get();
      for (const l of listeners) await l(calendar);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}

export async function listYears(db: Kysely<DB>) {
  const notices = new Map((await repo.listNotices(db)).map((n) => [n.year, n]));
  const schedules = await loadSchedules(db);
  const byYear = new Map<number, YearSchedule>();
  for (const s of schedules) if (s.source === 'notice' || !byYear.has(s.year)) byYear.set(s.year, s);
  return [...byYear.values()]
    .sort((a, b) => a.year - b.year)
    .map((s) => ({
      year: s.year,
      source: s.source,
      holidays: s.days.filter((d) => d.kind === 'holiday').length,
      workdays: s.days.filter((d) => d.kind === 'workday').length,
      title: notices.get(s.year)?.title ?? null,
      documentNumber: notices.get(s.year)?.documentNumber ?? null,
    }));
}

export async function getYear(db: Kysely<DB>, year: number) {
  const notice = (await repo.listNotices(db)).find((n) => n.year === year);
  if (notice) {
    return {
      year,
      source: 'notice' as const,
      title: notice.title,
      documentNumber: notice.documentNumber,
      days: notice.days,
    };
  }
  const schedule = defaultSchedules().find((s) => s.year === year);
  return {
    year,
    source: schedule ? ('chinese-days' as const) : ('none' as const),
    title: null,
    documentNumber: null,
    days: schedule?.days ?? [],
  };
}

export async function loadNotice(
  db: Kysely<DB>,
  provider: CalendarProvider,
  actor: Actor,
  now: Date,
  notice: YearNotice,
) {
  await db.transaction().execute(async (trx) => {
    const current = await repo.lockNotice(trx, notice.year);
    const version = (current?.version ?? 0) + 1;
    await repo.upsertNotice(trx, notice, version, now, actor.userId);
    await recordEvent(trx, actor, now, {
      action: current ? 'calendar.notice_replaced' : 'calendar.notice_loaded',
      objectType: 'calendar_year',
      objectId: String(notice.year),
      fromState: current ? `v${current.version}` : 'chinese-days',
      toState: `v${version}`,
      reason: notice.documentNumber,
      detail: { title: notice.title, days: notice.days.length },
    });
  });
  await provider.changed();
  return getYear(db, notice.year);
}
