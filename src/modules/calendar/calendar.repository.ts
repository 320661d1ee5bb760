import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { YearNotice } from './calendar.schemas';

type Db = Kysely<DB> | Transaction<DB>;

export function listNotices(db: Db) {
  return db.selectFrom('calendarNotice').selectAll().orderBy('year').execute();
}

export function lockNotice(trx: Transaction<DB>, year: number) {
  return trx
    .selectFrom('calendarNotice')
    .select(['year', 'version'])
    .where('year', '=', year)
    .forUpdate()
    .executeTakeFirst();
}

export async function upsertNotice(
  trx: Transaction<DB>,
  notice: YearNotice,
  version: number,
  loadedAt: Date,
  loadedBy: string | null,
) {
  const row = {
    year: notice.year,
    title: notice.title,
    documentNumber: notice.documentNumber,
    days: JSON.stringify(notice.days),
    version,
    loadedAt,
    loadedBy,
  };
  await trx
    .insertInto('calendarNotice')
    .values(row)
    .onConflict((oc) => oc.column('year').doUpdateSet(row))
    .execute();
}
