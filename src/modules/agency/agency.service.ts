/**
 * 帮办代办 (issue 16 item 11): an enterprise consents that a named agent register its projects and/or
 * apply for its stages until a date; it sees and revokes its consents; the agent sees whom it may act
 * for. `requireConsent` is what projects and approvals call before an agent acts. Everything audited.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { listUsers } from '../identity/admin.service';
import type { Actor } from '../identity/identity.rules';
import { findEnterprise, usersById } from '../identity/identity.service';
import * as repo from './agency.repository';
import {
  consentStatus,
  covers,
  refusal,
  scopeNames,
  scopesOf,
  statusNames,
  type ConsentScope,
} from './agency.rules';
import type { ConsentView, GrantConsentInput } from './agency.schemas';

type Db = Kysely<DB> | Transaction<DB>;

async function present(db: Db, rows: repo.ConsentRow[], now: Date): Promise<ConsentView[]> {
  const today = beijingDate(now);
  const people = await usersById(
    db,
    rows.flatMap((r) => [r.agentUserId, r.grantedBy, ...(r.revokedBy ? [r.revokedBy] : [])]),
  );
  const enterprises = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.enterpriseId)))
    enterprises.set(id, (await findEnterprise(db, id))?.name ?? '');
  return rows.map((r) => {
    const status = consentStatus(r, today);
    const scopes = scopesOf(r);
    return {
      id: r.id,
      enterpriseId: r.enterpriseId,
      enterpriseName: enterprises.get(r.enterpriseId) ?? '',
      agentUserId: r.agentUserId,
      agentName: people.get(r.agentUserId)?.displayName ?? '',
      scopes,
      scopeNames: scopes.map((s) => scopeNames[s]),
      validUntil: r.validUntil,
      note: r.note,
      status,
      statusName: statusNames[status],
      grantedAt: r.grantedAt.toISOString(),
      grantedByName: people.get(r.grantedBy)?.displayName ?? '',
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revokedByName: r.revokedBy ? (people.get(r.revokedBy)?.displayName ?? '') : null,
      revokeReason: r.revokeReason,
    };
  });
}

/** The agents an enterprise may name: active users of the agent role. */
export async function listAgents(db: Db, now: Date) {
  const agents = await listUsers(db, now, { role: 'agent', limit: 1000 });
  return agents
    .filter((a) => !a.disabled)
    .map((a) => ({ id: a.id, displayName: a.displayName, departmentName: a.departmentName }));
}

/**
 * Consents the actor may see: an enterprise its own (every state), an agent those given to it, the
 * window, supervisors and administrators all of them.
 */
export async function listConsents(db: Db, actor: Actor, now: Date) {
  const filter =
    actor.role === 'applicant'
      ? { enterpriseId: actor.enterpriseId ?? '00000000-0000-0000-0000-000000000000' }
      : actor.role === 'agent'
        ? { agentUserId: actor.userId }
        : {};
  return present(db, await repo.listConsents(db, filter), now);
}

export async function grantConsent(db: Kysely<DB>, actor: Actor, now: Date, input: GrantConsentInput) {
  const enterpriseId = actor.enterpriseId;
  if (actor.role !== 'applicant' || !enterpriseId) {
    throw new DomainError('FORBIDDEN_ROLE', '只有建设单位可以委托代办 (only an enterprise gives consent)');
  }
  if (input.validUntil < beijingDate(now)) {
    throw new DomainError('RULE_VIOLATION', '委托截止日期不能早于今天 (the last day is in the past)', {
      field: 'body.validUntil',
    });
  }
  const agent = (await usersById(db, [input.agentUserId])).get(input.agentUserId);
  if (!agent || agent.role !== 'agent' || agent.disabled) {
    throw new DomainError('RULE_VIOLATION', '所选人员不是在岗的帮办代办人员 (not an active agent)', {
      field: 'body.agentUserId',
    });
  }
  const scopes = new Set(input.scopes);
  return db.transaction().execute(async (trx) => {
    // A new consent to the same agent replaces the standing one (wider, narrower or renewed).
    const standing = await repo.lockStanding(trx, enterpriseId, input.agentUserId);
    if (standing) {
      await repo.revokeConsent(trx, standing.id, actor.userId, now, 'superseded');
      await recordEvent(trx, actor, now, {
        action: 'agency_consent.superseded',
        objectType: 'agency_consent',
        objectId: standing.id,
        fromState: consentStatus(standing, beijingDate(now)),
        toState: 'revoked',
        reason: 'superseded',
      });
    }
    const { id } = await repo.insertConsent(trx, {
      enterpriseId,
      agentUserId: input.agentUserId,
      mayRegisterProject: scopes.has('register_project'),
      mayApplyStage: scopes.has('apply_stage'),
      validUntil: input.validUntil,
      note: input.note ?? null,
      grantedBy: actor.userId,
      grantedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'agency_consent.granted',
      objectType: 'agency_consent',
      objectId: id,
      toState: 'active',
      detail: {
        enterpriseId,
        agentUserId: input.agentUserId,
        scopes: [...scopes],
        validUntil: input.validUntil,
        supersedes: standing?.id ?? null,
      },
    });
    return (await present(trx, [(await repo.findConsent(trx, id))!], now))[0]!;
  });
}

export async function revokeConsent(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  id: string,
  reason: string | undefined,
) {
  return db.transaction().execute(async (trx) => {
    const consent = await repo.lockConsent(trx, id);
    if (!consent || actor.role !== 'applicant' || consent.enterpriseId !== actor.enterpriseId) {
      throw notFound('委托 consent', id);
    }
    const status = consentStatus(consent, beijingDate(now));
    if (status !== 'active' || !(await repo.revokeConsent(trx, id, actor.userId, now, reason ?? null))) {
      throw new DomainError('CONFLICT_STATE', `委托${statusNames[status]}，无需撤销 (consent is ${status})`);
    }
    await recordEvent(trx, actor, now, {
      action: 'agency_consent.revoked',
      objectType: 'agency_consent',
      objectId: id,
      fromState: 'active',
      toState: 'revoked',
      reason: reason ?? null,
      detail: { enterpriseId: consent.enterpriseId, agentUserId: consent.agentUserId },
    });
    return (await present(trx, [(await repo.findConsent(trx, id))!], now))[0]!;
  });
}

/**
 * Before an agent acts for an enterprise: the id of the consent that covers it, or 403
 * CONSENT_REQUIRED saying why (none, not this, expired, revoked). Other roles pass (null).
 */
export async function requireConsent(
  db: Db,
  actor: Actor,
  enterpriseId: string,
  scope: ConsentScope,
  now: Date,
): Promise<string | null> {
  if (actor.role !== 'agent') return null;
  const consents = await repo.listConsents(db, { enterpriseId, agentUserId: actor.userId });
  const today = beijingDate(now);
  const name = (await findEnterprise(db, enterpriseId))?.name ?? '该企业';
  const why = refusal(consents, scope, today, name);
  if (why) {
    throw new DomainError('CONSENT_REQUIRED', `${why} (no consent of the enterprise for ${scope})`, {
      field: scope === 'register_project' ? 'body.enterpriseId' : undefined,
      details: { enterpriseId, scope },
    });
  }
  return consents.find((c) => covers(c, scope, today))!.id;
}
