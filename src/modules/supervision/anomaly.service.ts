/**
 * 电子监察规则 (task 41: 在线监管审批行为, 杜绝体外循环; 组织保障 五): rules over the approval records,
 * run by the daily job and on demand; each hit is kept once per rule and object until a supervisor closes it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import * as repo from './anomaly.repository';
import type { ClockDeps } from './clock.service';
import { supervisedDistrict } from './supervision.service';

export const anomalyRules = {
  decision_without_acceptance: '未受理先办结 (decision without acceptance)',
  timestamps_out_of_order: '时间顺序异常 (timestamps out of order)',
  repeated_correction: '多次补正 (repeated 补正 on one application)',
  long_special_pause: '特别程序暂停过长 (special procedure paused too long)',
  unknown_certificate_verification: '核验未知证照 (verification of an unknown certificate)',
} as const;

export const SPECIAL_PAUSE_MAX_DAYS = 'special_pause_max_days';

export async function scanAnomalies(db: Kysely<DB>, deps: ClockDeps, actor: Actor | null) {
  const now = deps.clock.now();
  const today = beijingDate(now);
  const calendar = await deps.calendar.get();
  const maxDays = await repo.settingValue(db, SPECIAL_PAUSE_MAX_DAYS, 30);
  const pauses = await repo.specialPauses(db);
  const longPauses: repo.Hit[] = pauses
    .map((p) => ({ p, days: calendar.workingDaysBetween(p.startedOn, p.endedOn ?? today) }))
    .filter((x) => x.days > maxDays)
    .map(({ p, days }) => ({
      rule: 'long_special_pause',
      objectType: 'clock_pause',
      objectId: p.id,
      detail: { taskId: p.taskId, kind: p.kind, workingDays: days, limit: maxDays },
    }));
  const hits = [
    ...(await repo.decisionsWithoutAcceptance(db)),
    ...(await repo.timestampsOutOfOrder(db)),
    ...(await repo.repeatedCorrections(db)),
    ...longPauses,
    ...(await repo.unknownCertificateVerifications(db)),
  ];
  return db.transaction().execute(async (trx) => {
    let created = 0;
    for (const hit of hits) {
      const id = await repo.insertHit(trx, hit, now);
      if (!id) continue;
      created++;
      await recordEvent(trx, actor, now, {
        action: 'anomaly.detected',
        objectType: 'anomaly',
        objectId: id,
        toState: 'open',
        detail: { rule: hit.rule, objectType: hit.objectType, objectId: hit.objectId },
      });
    }
    return { hits: hits.length, created };
  });
}

/** The hits a supervisor may see: a district supervisor those of its district's projects only (issue 15). */
export async function listAnomalies(
  db: Kysely<DB>,
  actor: Actor,
  filter: { status?: 'open' | 'closed'; rule?: string },
) {
  const districtCode = supervisedDistrict(actor);
  const rows = await repo.listAnomalies(db, { ...filter, ...(districtCode ? { districtCode } : {}) });
  return rows.map((r) => ({ ...r, ruleName: anomalyRules[r.rule as keyof typeof anomalyRules] ?? r.rule }));
}

export async function closeAnomaly(db: Kysely<DB>, deps: ClockDeps, actor: Actor, id: string, note: string) {
  const districtCode = supervisedDistrict(actor);
  // Another district's hit is not there for a district supervisor (404, as for one that does not exist).
  const [visible] = await repo.listAnomalies(db, { id, ...(districtCode ? { districtCode } : {}) });
  if (!visible) throw notFound('监察异常 anomaly', id);
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const closed = await repo.closeAnomaly(trx, id, actor.userId, now, note);
    if (!closed) throw new DomainError('CONFLICT_STATE', '该异常已关闭 (anomaly already closed)');
    await recordEvent(trx, actor, now, {
      action: 'anomaly.closed',
      objectType: 'anomaly',
      objectId: id,
      fromState: 'open',
      toState: 'closed',
      reason: note,
    });
    return closed;
  });
}

export async function setSpecialPauseLimit(db: Kysely<DB>, deps: ClockDeps, actor: Actor, days: number) {
  const now = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    await repo.upsertSetting(trx, SPECIAL_PAUSE_MAX_DAYS, days);
    await recordEvent(trx, actor, now, {
      action: 'supervision_setting.updated',
      objectType: 'supervision_setting',
      objectId: SPECIAL_PAUSE_MAX_DAYS,
      detail: { days },
    });
  });
  return { specialPauseMaxDays: days };
}

/**
 * Called by the certificates module on every public verification (`GET /api/certificates/:id/verify`):
 * unknown ids are leads of certificates issued outside the system (体外循环).
 */
export function logVerification(
  db: Kysely<DB>,
  certificateId: string,
  found: boolean,
  at: Date = new Date(),
  clientAddress = '',
) {
  return repo.insertVerification(db, {
    certificateId,
    found,
    at,
    day: beijingDate(at),
    clientAddress: clientAddress.slice(0, 64),
  });
}
