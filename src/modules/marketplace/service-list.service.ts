/**
 * 中介服务事项清单 (task 12) and the lists of retained 公示 / 技术审查 items: each entry with its basis, the
 * items that need it, the standard, the time limit and the fee standard. Read by the catalog validator
 * (an item may require only listed services) and by the public pages; kept by 政务办.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { ListedServiceRef } from '../catalog/catalog.rules';
import type { Actor } from '../identity/identity.rules';
import { requireMarketStaff, type Db, type MarketDeps } from './marketplace.access';
import * as repo from './marketplace.repository';
import { serviceListData } from './service-list.data';
import { serviceProblem } from './marketplace.rules';
import type { MarketServiceTable, ServiceList } from './marketplace.tables';

export const serviceListNames: Record<ServiceList, string> = {
  intermediary: '中介服务事项清单',
  publicity: '保留的公示事项清单',
  technical_review: '保留的技术审查事项清单',
};

export function serviceView(s: Selectable<MarketServiceTable>) {
  return {
    code: s.code,
    list: s.list,
    listName: serviceListNames[s.list],
    name: s.name,
    basis: s.basis,
    itemCodes: s.itemCodes,
    standard: s.standard,
    timeLimitDays: s.timeLimitDays,
    feeStandard: s.feeStandard,
    feeMaxYuan: s.feeMaxYuan,
    chargesApplicant: s.chargesApplicant,
    materialCode: s.materialCode,
    active: s.active,
  };
}

/** For the catalog validator (task 12). */
export async function listedServiceRefs(db: Db): Promise<ListedServiceRef[]> {
  return (await repo.listServices(db)).map((s) => ({
    code: s.code,
    list: s.list,
    active: s.active,
    itemCodes: s.itemCodes,
  }));
}

export async function listServices(db: Db, filter: { list?: ServiceList; activeOnly?: boolean } = {}) {
  return (await repo.listServices(db, filter)).map(serviceView);
}

export async function findService(db: Db, code: string) {
  const s = await repo.findService(db, code);
  if (!s) throw new DomainError('NOT_FOUND', `清单中没有服务事项 ${code}`, { field: 'body.serviceCode' });
  return s;
}

export interface ServiceInput {
  code: string;
  list: ServiceList;
  name: string;
  basis: string;
  itemCodes: string[];
  standard: string;
  timeLimitDays: number;
  feeStandard: string;
  feeMaxYuan: number | null;
  chargesApplicant: boolean;
  materialCode: string | null;
  active: boolean;
}

/** Reference data: the lists as first installed (service-list.data.ts); existing entries are kept. */
export async function seedServiceList(trx: Db, now: Date): Promise<number> {
  const problems = serviceListData.map(serviceProblem).filter((p) => p !== null);
  if (problems.length > 0) throw new Error(`service list data: ${problems.map((p) => p.message).join('; ')}`);
  return repo.insertMissingServices(
    trx,
    serviceListData.map((s) => ({ ...s, updatedAt: now })),
  );
}

/** Publishes or revises an entry of a list (政务办); the rule of task 12 is checked first. */
export async function saveService(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor | null,
  input: ServiceInput,
  itemExists: (code: string) => Promise<boolean>,
) {
  if (actor) requireMarketStaff(actor);
  const problem = serviceProblem(input);
  if (problem) throw new DomainError('RULE_VIOLATION', problem.message, { field: problem.field });
  for (const code of input.itemCodes) {
    if (!(await itemExists(code))) {
      throw new DomainError('NOT_FOUND', `审批事项 ${code} 不存在`, { field: 'body.itemCodes' });
    }
  }
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.upsertService(trx, {
      ...input,
      itemCodes: [...new Set(input.itemCodes)],
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'marketplace.service_saved',
      objectType: 'market_service',
      objectId: row.code,
      detail: { list: row.list, active: row.active, itemCodes: row.itemCodes },
    });
    return serviceView(row);
  });
}
