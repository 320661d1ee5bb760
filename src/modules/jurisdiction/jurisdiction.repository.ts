import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { ItemJurisdiction } from './jurisdiction.rules';
import type { JurisdictionLevel } from './jurisdiction.tables';

type Db = Kysely<DB> | Transaction<DB>;

export interface JurisdictionRow extends ItemJurisdiction {
  itemCode: string;
  note: string | null;
  updatedAt: Date;
}

function parse(r: {
  itemCode: string;
  level: JurisdictionLevel;
  cityFromInvestment: string | number | null;
  note: string | null;
  updatedAt: Date;
}): JurisdictionRow {
  return { ...r, cityFromInvestment: r.cityFromInvestment === null ? null : Number(r.cityFromInvestment) };
}

export async function listJurisdictions(db: Db, itemCodes?: string[]): Promise<JurisdictionRow[]> {
  let q = db
    .selectFrom('itemJurisdiction')
    .select(['itemCode', 'level', 'cityFromInvestment', 'note', 'updatedAt']);
  if (itemCodes) q = q.where('itemCode', 'in', itemCodes.length > 0 ? itemCodes : ['']);
  return (await q.orderBy('itemCode').execute()).map(parse);
}

export async function lockJurisdiction(trx: Transaction<DB>, itemCode: string) {
  const r = await trx
    .selectFrom('itemJurisdiction')
    .select(['itemCode', 'level', 'cityFromInvestment', 'note', 'updatedAt'])
    .where('itemCode', '=', itemCode)
    .forUpdate()
    .executeTakeFirst();
  return r ? parse(r) : undefined;
}

export function upsertJurisdiction(
  trx: Transaction<DB>,
  row: {
    itemCode: string;
    level: JurisdictionLevel;
    cityFromInvestment: number | null;
    note: string | null;
    updatedAt: Date;
    updatedBy: string | null;
  },
) {
  return trx
    .insertInto('itemJurisdiction')
    .values(row)
    .onConflict((oc) =>
      oc.column('itemCode').doUpdateSet({
        level: row.level,
        cityFromInvestment: row.cityFromInvestment,
        note: row.note,
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
      }),
    )
    .execute();
}
