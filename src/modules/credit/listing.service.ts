/**
 * The listing procedure's human steps (task 60): the subject's objection (异议) during the notice or
 * against a listing, credit repair (信用修复) of a listing, the department's decisions on both, and the
 * administrator's rules (listing rules and the grade rule are versioned; measures are 合作备忘录 data).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import * as repo from './credit.repository';
import {
  CREDIT_DECIDERS,
  endListing,
  listingView,
  promoteNotice,
  requestView,
  type CreditDeps,
} from './credit.service';
import type { GradeParams, ListingCondition, MeasureEffect, MeasureTrigger } from './credit.tables';

function requireDecider(actor: Actor) {
  if (!(CREDIT_DECIDERS as readonly string[]).includes(actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', '仅部门负责人、监察人员或管理员可作出决定');
  }
}

async function requireOwnListing(db: Kysely<DB>, actor: Actor, listingId: string) {
  const listing = await repo.findListing(db, listingId);
  if (!listing) throw notFound('名单 listing', listingId);
  const subject = (await repo.findSubject(db, listing.subjectId))!;
  if (actor.role !== 'applicant' || !actor.enterpriseId || subject.enterpriseId !== actor.enterpriseId) {
    throw new DomainError('FORBIDDEN_SCOPE', '只能对本企业的名单提出异议或申请修复');
  }
  return listing;
}

export async function fileObjection(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  listingId: string,
  reason: string,
) {
  await requireOwnListing(db, actor, listingId);
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const listing = (await repo.lockListing(trx, listingId))!;
    if (listing.status !== 'noticed' && listing.status !== 'listed') {
      throw new DomainError('CONFLICT_STATE', '该名单已结束，无需异议 (listing ended)');
    }
    if (listing.list !== 'black') {
      throw new DomainError('RULE_VIOLATION', '红名单无需提出异议', { field: 'params.id' });
    }
    const pending = await repo.objectionsOf(trx, [listingId]);
    if (pending.some((o) => o.status === 'pending')) {
      throw new DomainError('CONFLICT_DUPLICATE', '已有异议待处理 (an objection is pending)');
    }
    const row = await repo.insertObjection(trx, {
      listingId,
      submittedBy: actor.userId,
      reason,
      status: 'pending',
      submittedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'credit.objection_filed',
      objectType: 'credit_listing',
      objectId: listingId,
      reason,
      detail: { objectionId: row.id },
    });
    return requestView(row);
  });
}

/** upheld: the notice is cancelled (or the listing removed); rejected: the procedure goes on. */
export async function decideObjection(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  objectionId: string,
  input: { outcome: 'upheld' | 'rejected'; decision: string },
) {
  requireDecider(actor);
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const objection = await repo.lockObjection(trx, objectionId);
    if (!objection) throw notFound('异议 objection', objectionId);
    if (objection.status !== 'pending')
      throw new DomainError('CONFLICT_STATE', '该异议已处理 (already decided)');
    const listing = (await repo.lockListing(trx, objection.listingId))!;
    await repo.decideObjection(trx, objectionId, {
      status: input.outcome,
      decidedBy: actor.userId,
      decision: input.decision,
      decidedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: `credit.objection_${input.outcome}`,
      objectType: 'credit_listing',
      objectId: listing.id,
      reason: input.decision,
      detail: { objectionId },
    });
    if (input.outcome === 'upheld' && (listing.status === 'noticed' || listing.status === 'listed')) {
      await endListing(
        trx,
        listing,
        listing.status === 'noticed' ? 'cancelled' : 'removed',
        `异议成立：${input.decision}`,
        now,
        actor,
      );
    } else if (input.outcome === 'rejected' && listing.status === 'noticed') {
      // The window may have passed while the objection was pending: list now rather than at the next sweep.
      await promoteNotice(trx, listing.id, now, actor);
    }
    return {
      id: objectionId,
      status: input.outcome,
      listing: listingView((await repo.findListing(trx, listing.id))!),
    };
  });
}

export async function requestRepair(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  listingId: string,
  measures: string,
) {
  await requireOwnListing(db, actor, listingId);
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const listing = (await repo.lockListing(trx, listingId))!;
    if (listing.status !== 'listed' || listing.list !== 'black') {
      throw new DomainError(
        'CONFLICT_STATE',
        '只有已列入黑名单的可申请信用修复 (only a black listing is repaired)',
      );
    }
    const existing = await repo.repairsOf(trx, [listingId]);
    if (existing.some((r) => r.status === 'pending')) {
      throw new DomainError('CONFLICT_DUPLICATE', '已有修复申请待处理 (a repair request is pending)');
    }
    const row = await repo.insertRepair(trx, {
      listingId,
      submittedBy: actor.userId,
      measures,
      status: 'pending',
      submittedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'credit.repair_requested',
      objectType: 'credit_listing',
      objectId: listingId,
      reason: measures,
      detail: { repairId: row.id },
    });
    return requestView(row);
  });
}

/** approved: the listing is removed and the records it rested on count no more (修复). */
export async function decideRepair(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  repairId: string,
  input: { outcome: 'approved' | 'rejected'; decision: string },
) {
  requireDecider(actor);
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const repair = await repo.lockRepair(trx, repairId);
    if (!repair) throw notFound('信用修复 repair', repairId);
    if (repair.status !== 'pending')
      throw new DomainError('CONFLICT_STATE', '该修复申请已处理 (already decided)');
    const listing = (await repo.lockListing(trx, repair.listingId))!;
    await repo.decideRepair(trx, repairId, {
      status: input.outcome,
      decidedBy: actor.userId,
      decision: input.decision,
      decidedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: `credit.repair_${input.outcome}`,
      objectType: 'credit_listing',
      objectId: listing.id,
      reason: input.decision,
      detail: { repairId },
    });
    if (input.outcome === 'approved' && listing.status === 'listed') {
      await endListing(trx, listing, 'removed', `信用修复：${input.decision}`, now, actor);
      await repo.markRecordsRepaired(trx, listing.recordIds, beijingDate(now));
    }
    return {
      id: repairId,
      status: input.outcome,
      listing: listingView((await repo.findListing(trx, listing.id))!),
    };
  });
}

/** The desk: listings in procedure or in force, pending objections and repairs. */
export async function desk(db: Kysely<DB>, deps: CreditDeps) {
  const [listings, pending] = await Promise.all([
    repo.listListings(db, { status: ['noticed', 'listed'] }),
    repo.pendingRequests(db),
  ]);
  const today = beijingDate(deps.clock.now());
  return {
    listings: listings.map((l) => ({
      ...listingView(l),
      subjectName: l.subjectName,
      subjectKind: l.subjectKind,
      creditCode: l.creditCode,
      windowOpen: l.status === 'noticed' && compareDates(l.objectionUntil, today) >= 0,
    })),
    objections: pending.objections.map(requestView),
    repairs: pending.repairs.map(requestView),
  };
}

// ---- rules as data

export async function listRules(db: Kysely<DB>) {
  const [listing, grade, measures] = await Promise.all([
    repo.listListingRules(db),
    repo.listGradeRules(db),
    repo.listMeasures(db, false),
  ]);
  return {
    listingRules: listing.map((r) => ({
      id: r.id,
      code: r.code,
      version: r.version,
      list: r.list,
      name: r.name,
      condition: r.condition,
      objectionWorkingDays: r.objectionWorkingDays,
      listingMonths: r.listingMonths,
      basis: r.basis,
      active: r.active,
    })),
    gradeRules: grade.map((g) => ({ version: g.version, params: g.params, description: g.description })),
    measures: measures.map((m) => ({
      ...m,
      value: m.value === null ? null : Number(m.value),
      updatedAt: m.updatedAt.toISOString(),
    })),
  };
}

/** A new version of a listing rule (the old version stays for the listings that cite it). */
export async function saveListingRule(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  input: {
    code: string;
    list: 'black' | 'red';
    name: string;
    condition: ListingCondition;
    objectionWorkingDays: number;
    listingMonths: number;
    basis: string;
    active: boolean;
  },
) {
  if (actor.role !== 'admin') throw new DomainError('FORBIDDEN_ROLE', '仅管理员可修改名单认定规则');
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const version = (await repo.latestRuleVersion(trx, input.code)) + 1;
    const row = await repo.insertListingRule(trx, {
      ...input,
      condition: JSON.stringify(input.condition),
      version,
      createdAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'credit.listing_rule_saved',
      objectType: 'credit_listing_rule',
      objectId: row.id,
      detail: { code: input.code, version },
    });
    return { id: row.id, code: row.code, version };
  });
}

export async function saveGradeRule(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  input: { params: GradeParams; description: string },
) {
  if (actor.role !== 'admin') throw new DomainError('FORBIDDEN_ROLE', '仅管理员可修改评级规则');
  const t = input.params.thresholds;
  if (!(t.A > t.B && t.B > t.C)) {
    throw new DomainError('VALIDATION_FAILED', '等级分数线须 A > B > C', { field: 'body.params.thresholds' });
  }
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const version = (await repo.currentGradeRule(trx)).version + 1;
    await repo.insertGradeRule(trx, {
      version,
      params: JSON.stringify(input.params),
      description: input.description,
      createdAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'credit.grade_rule_saved',
      objectType: 'credit_grade_rule',
      objectId: String(version),
      detail: { params: input.params },
    });
    return { version };
  });
}

export async function saveMeasure(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  code: string,
  input: {
    trigger: MeasureTrigger;
    effect: MeasureEffect;
    value: number | null;
    basis: string;
    active: boolean;
  },
) {
  if (actor.role !== 'admin') throw new DomainError('FORBIDDEN_ROLE', '仅管理员可修改联合奖惩措施');
  if (input.effect === 'inspection_ratio' && (input.value === null || input.value < 0 || input.value > 1)) {
    throw new DomainError('VALIDATION_FAILED', '抽查比例须在 0 到 1 之间', { field: 'body.value' });
  }
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.upsertMeasure(trx, { code, ...input, updatedAt: now });
    await recordEvent(trx, actor, now, {
      action: 'credit.measure_saved',
      objectType: 'credit_measure',
      objectId: code,
      detail: input,
    });
    return {
      ...row,
      value: row.value === null ? null : Number(row.value),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}
