import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../identity/identity.rules';
import * as repo from './audit.repository';
import { chainVerifier } from './audit.rules';

export interface AuditInput {
  action: string;
  objectType: string;
  objectId: string;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** Writes one audit event inside the caller's transaction: the change and its record land together. */
export function recordEvent(trx: Transaction<DB>, actor: Actor | null, at: Date, input: AuditInput) {
  return repo.appendEvent(trx, {
    occurredAt: at,
    actorUserId: actor?.userId ?? null,
    actorRole: actor?.role ?? 'system',
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    fromState: input.fromState ?? null,
    toState: input.toState ?? null,
    reason: input.reason ?? null,
    detail: input.detail ?? {},
  });
}

export async function verifyAuditChain(db: Kysely<DB>) {
  const verifier = chainVerifier();
  for await (const e of repo.streamEvents(db)) {
    if (!verifier.push(e)) break;
  }
  return verifier.result();
}

export const listEventsFor = repo.listEventsFor;
