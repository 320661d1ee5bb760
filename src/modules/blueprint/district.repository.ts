/** The only SQL of the district list (行政区划, 0410). */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export interface DistrictRow {
  code: string;
  name: string;
  kind: string;
  active: boolean;
  sortOrder: number;
  updatedAt: Date;
}

const columns = ['code', 'name', 'kind', 'active', 'sortOrder', 'updatedAt'] as const;

export function listDistricts(db: Db): Promise<DistrictRow[]> {
  return db.selectFrom('district').select(columns).orderBy('sortOrder').orderBy('code').execute();
}

export function findDistrict(db: Db, code: string): Promise<DistrictRow | undefined> {
  return db.selectFrom('district').select(columns).where('code', '=', code).executeTakeFirst();
}

export function lockDistrict(trx: Transaction<DB>, code: string): Promise<DistrictRow | undefined> {
  return trx.selectFrom('district').select(columns).where('code', '=', code).forUpdate().executeTakeFirst();
}

export async function insertDistrict(
  db: Db,
  d: {
    code: string;
    name: string;
    kind: string;
    active: boolean;
    sortOrder: number;
    updatedAt: Date;
    updatedBy: string | null;
  },
) {
  await db.insertInto('district').values(d).execute();
}

/** Seeds: adds the divisions not yet listed; an administrator's edits to listed ones stay. */
export async function insertMissingDistricts(
  db: Db,
  rows: { code: string; name: string; kind: string; sortOrder: number }[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('district')
    .values(rows.map((r) => ({ ...r, active: true, updatedAt: now, updatedBy: null })))
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .execute();
  return inserted.length;
}

export async function updateDistrict(
  trx: Transaction<DB>,
  code: string,
  d: { name: string; kind: string; active: boolean; sortOrder: number; updatedAt: Date; updatedBy: string },
) {
  await trx.updateTable('district').set(d).where('code', '=', code).execute();
}
