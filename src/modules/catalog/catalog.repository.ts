import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { CatalogChange, Item } from './catalog.schemas';
import type { ItemVersionTable } from './catalog.tables';
import { containingPattern } from '../../shared/like';

type Db = Kysely<DB> | Transaction<DB>;

export interface ItemFilter {
  stage?: number;
  departmentCode?: string;
  q?: string;
  status?: 'active' | 'cancelled' | 'merged' | 'all';
}

export function toItem(row: Selectable<ItemVersionTable>): Item {
  const { createdAt: _c, createdBy: _b, ...rest } = row;
  return rest as Item;
}

/** Current versions (open-ended), filtered in SQL. */
export async function listCurrentItems(db: Db, filter: ItemFilter = {}): Promise<Item[]> {
  let q = db.selectFrom('itemVersion').selectAll().where('effectiveTo', 'is', null);
  const status = filter.status ?? 'active';
  if (status !== 'all') q = q.where('status', '=', status);
  if (filter.stage) q = q.where('stage', '=', filter.stage);
  if (filter.departmentCode) q = q.where('departmentCode', '=', filter.departmentCode);
  if (filter.q) {
    const like = containingPattern(filter.q);
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('code', 'ilike', like)]));
  }
  const rows = await q.orderBy('stage').orderBy('code').execute();
  return rows.map(toItem);
}

export async function findCurrentItem(db: Db, code: string): Promise<Item | undefined> {
  const row = await db
    .selectFrom('itemVersion')
    .selectAll()
    .where('code', '=', code)
    .where('effectiveTo', 'is', null)
    .executeTakeFirst();
  return row && toItem(row);
}

/** The versions in force of several items in one statement (no per-item lookups), keyed by code. */
export async function findCurrentItems(db: Db, codes: readonly string[]): Promise<Map<string, Item>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('itemVersion')
    .selectAll()
    .where('code', 'in', [...new Set(codes)])
    .where('effectiveTo', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.code, toItem(r)]));
}

export function lockCurrentItem(trx: Transaction<DB>, code: string) {
  return trx
    .selectFrom('itemVersion')
    .selectAll()
    .where('code', '=', code)
    .where('effectiveTo', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function listItemVersions(db: Db, code: string) {
  return db
    .selectFrom('itemVersion')
    .select(['version', 'effectiveFrom', 'effectiveTo', 'status'])
    .where('code', '=', code)
    .orderBy('version')
    .execute();
}

export function closeItemVersion(trx: Transaction<DB>, code: string, version: number, effectiveTo: string) {
  return trx
    .updateTable('itemVersion')
    .set({ effectiveTo })
    .where('code', '=', code)
    .where('version', '=', version)
    .execute();
}

export async function insertItemVersions(db: Db, items: Item[], createdBy: string | null = null) {
  if (items.length === 0) return;
  await db
    .insertInto('itemVersion')
    .values(
      items.map((i) => ({
        ...i,
        materials: JSON.stringify(i.materials),
        formFields: JSON.stringify(i.formFields),
        createdBy,
      })),
    )
    .execute();
}

export function countItems(db: Db) {
  return db
    .selectFrom('itemVersion')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function listChanges(db: Db): Promise<CatalogChange[]> {
  return db
    .selectFrom('catalogChange')
    .select(['id', 'kind', 'itemCodes', 'resultItemCode', 'basis', 'description', 'effectiveDate'])
    .orderBy('effectiveDate')
    .orderBy('id')
    .execute() as Promise<CatalogChange[]>;
}

export async function insertChanges(db: Db, changes: CatalogChange[], createdBy: string | null = null) {
  if (changes.length === 0) return;
  await db
    .insertInto('catalogChange')
    .values(changes.map((c) => ({ ...c, createdBy })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function upsertDepartments(
  db: Db,
  departments: {
    code: string;
    name: string;
    kind: 'government' | 'utility' | 'review_body';
    leadsStages: number[];
  }[],
) {
  if (departments.length === 0) return;
  await db
    .insertInto('department')
    .values(departments)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        kind: eb.ref('excluded.kind'),
        leadsStages: eb.ref('excluded.leadsStages'),
      })),
    )
    .execute();
}

/** Item code → name (the newest version's): for text people read where the caller holds only codes. */
export async function itemNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('itemVersion')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(codes)])
    .orderBy('version', 'asc')
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
