/** Who may act in the marketplace: 政务办 staff, the owner of a need, the intermediary of an offer. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { DomainError } from '../../shared/errors';
import type { CalendarProvider } from '../calendar/calendar.service';
import type { Actor } from '../identity/identity.rules';
import * as repo from './marketplace.repository';

export interface MarketDeps {
  clock: Clock;
  calendar: CalendarProvider;
}

export type Db = Kysely<DB> | Transaction<DB>;

/** The department of the 政务服务办公室 (政务办), which keeps the list and reviews intermediaries. */
export const ZWB = 'zwb';

/** 政务办 staff (window, head, supervisor of zwb) and administrators keep the list and review. */
export function isMarketStaff(actor: Actor): boolean {
  if (actor.role === 'admin') return true;
  return actor.departmentCode === ZWB && ['window', 'head', 'coordinator', 'supervisor'].includes(actor.role);
}

export function requireMarketStaff(actor: Actor) {
  if (!isMarketStaff(actor)) {
    throw new DomainError('FORBIDDEN_ROLE', '仅政务办工作人员可办理（中介服务超市管理）');
  }
}

/** Supervisors see every need and service (电子监察); staff too. */
export function canWatch(actor: Actor): boolean {
  return isMarketStaff(actor) || actor.role === 'supervisor';
}

/** The owner (建设单位) of a need: its applicant, or the 帮办代办 acting for it. */
export function requireOwner(actor: Actor, enterpriseId: string) {
  if (actor.role === 'agent') return;
  if (actor.role === 'applicant' && actor.enterpriseId === enterpriseId) return;
  throw new DomainError('FORBIDDEN_SCOPE', '只有项目的建设单位可以办理 (owner only)');
}

/** The intermediary row of an intermediary user (its own organisation). */
export async function ownIntermediary(db: Db, actor: Actor) {
  if (actor.role !== 'intermediary' || !actor.enterpriseId) {
    throw new DomainError('FORBIDDEN_ROLE', '仅中介机构用户可办理 (intermediary users only)');
  }
  const row = await repo.findIntermediaryByEnterprise(db, actor.enterpriseId);
  if (!row) {
    throw new DomainError('NOT_FOUND', '本机构尚未在中介服务超市登记，请先提交入驻申请', {
      details: { enterpriseId: actor.enterpriseId },
    });
  }
  return row;
}
