/**
 * Deadlines follow the calendar: a task's deadline is its limit (promised days after the prerequisite
 * chain, plus an approved 延期) counted in working days from acceptance. When a State Council notice is
 * loaded or replaced, every running task's deadline is recomputed from the new calendar.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { WorkingCalendar } from '../calendar/calendar.rules';
import * as repo from './task.repository';

/** The stored deadline of a task: acceptance day + limit + extension, on the calendar in force. */
export function taskDeadline(
  calendar: WorkingCalendar,
  task: { startedOn: string; limitWorkingDays: number; extendedDays: number },
): string {
  return calendar.addWorkingDays(task.startedOn, task.limitWorkingDays + task.extendedDays).deadline;
}

/** Recomputes the deadline of every running task; returns how many moved. */
export async function recomputeRunningDeadlines(db: Kysely<DB>, calendar: WorkingCalendar) {
  return db.transaction().execute(async (trx) => {
    const running = await repo.listRunningTaskLimits(trx);
    let updated = 0;
    for (const t of running) {
      const deadline = taskDeadline(calendar, t);
      if (deadline === t.deadline) continue;
      await repo.setTaskDeadline(trx, t.id, deadline);
      updated++;
    }
    return { updated };
  });
}
