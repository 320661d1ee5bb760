/**
 * 事权 (issue 15): which level handles each item, and the department a project's task goes to — the
 * city department of the item's line, or the department of that line in the project's district.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { findCurrentItem, listItems } from '../catalog/catalog.service';
import { districtLines } from '../identity/admin.service';
import type { Actor } from '../identity/identity.rules';
import { listDepartments } from '../identity/identity.service';
import * as repo from './jurisdiction.repository';
import { CITY_LEVEL, handlingLevel, levelNames, routeItem, type Routed } from './jurisdiction.rules';
import type { SetJurisdictionInput } from './jurisdiction.schemas';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The department of each item for a project (its district and total investment, 万元). Called by the
 * window's acceptance, inside its transaction.
 */
export async function routeTasks(
  db: Db,
  project: { districtCode: string; totalInvestment: number | string },
  items: { code: string; departmentCode: string }[],
): Promise<Map<string, Routed>> {
  const [rules, lines] = await Promise.all([
    repo.listJurisdictions(
      db,
      items.map((i) => i.code),
    ),
    districtLines(db, project.districtCode),
  ]);
  const byCode = new Map(rules.map((r) => [r.itemCode, r]));
  const totalInvestment = Number(project.totalInvestment);
  return new Map(
    items.map((i) => [
      i.code,
      routeItem(
        i.departmentCode,
        handlingLevel(byCode.get(i.code) ?? CITY_LEVEL, { totalInvestment }),
        lines,
      ),
    ]),
  );
}

export async function listItemJurisdictions(db: Db) {
  const [items, rules] = await Promise.all([listItems(db), repo.listJurisdictions(db)]);
  const byCode = new Map(rules.map((r) => [r.itemCode, r]));
  return items.map((i) => {
    const r = byCode.get(i.code);
    const level = r?.level ?? 'city';
    return {
      itemCode: i.code,
      itemName: i.name,
      stage: i.stage,
      departmentCode: i.departmentCode,
      level,
      levelName: levelNames[level],
      cityFromInvestment: r?.cityFromInvestment ?? null,
      note: r?.note ?? null,
    };
  });
}

export async function setItemJurisdiction(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  itemCode: string,
  input: SetJurisdictionInput,
) {
  return db.transaction().execute(async (trx) => {
    const item = await findCurrentItem(trx, itemCode);
    if (!item) throw notFound('事项 item', itemCode);
    if (item.status !== 'active') {
      throw new DomainError('RULE_VIOLATION', `事项 ${item.name} 已取消或合并 (item not active)`);
    }
    const before = await repo.lockJurisdiction(trx, itemCode);
    await repo.upsertJurisdiction(trx, {
      itemCode,
      level: input.level,
      cityFromInvestment: input.cityFromInvestment,
      note: input.note,
      updatedAt: now,
      updatedBy: actor.userId,
    });
    await recordEvent(trx, actor, now, {
      action: 'item_jurisdiction.set',
      objectType: 'item',
      objectId: itemCode,
      fromState: before?.level ?? 'city',
      toState: input.level,
      detail: {
        cityFromInvestment: input.cityFromInvestment,
        before: before?.cityFromInvestment ?? null,
        note: input.note,
      },
    });
    return (await listItemJurisdictions(trx)).find((r) => r.itemCode === itemCode)!;
  });
}

/** Where each current item would go for a project of this district and investment (the admin's preview). */
export async function previewRouting(
  db: Db,
  query: { districtCode: string; totalInvestment: number; stage?: number },
) {
  const [items, departments] = await Promise.all([
    listItems(db, query.stage ? { stage: query.stage } : {}),
    listDepartments(db),
  ]);
  const names = new Map(departments.map((d) => [d.code, d.name]));
  const routed = await routeTasks(db, query, items);
  return {
    districtCode: query.districtCode,
    items: items.map((i) => {
      const r = routed.get(i.code)!;
      return {
        itemCode: i.code,
        itemName: i.name,
        stage: i.stage,
        level: r.level,
        departmentCode: r.departmentCode,
        departmentName: names.get(r.departmentCode) ?? r.departmentCode,
        cityStandsIn: r.cityStandsIn,
      };
    }),
  };
}
