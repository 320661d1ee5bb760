/**
 * The audit trail is SM3 hash-chained (GB/T 22239 §8.1.4.3 c): each event's hash covers the previous
 * hash and a canonical form of the event, so an edited or deleted row breaks the chain at that row.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  occurredAt: Date;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  objectType: string;
  objectId: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

/** JSON with sorted keys, so the same event always hashes the same whatever the key order in storage. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sm3Hex(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

/** Hashes exactly the chained fields (a stored row carries id and hashes too, which must not count). */
export function chainHash(prevHash: string, e: ChainedFields): string {
  const fields: Record<keyof ChainedFields, unknown> = {
    occurredAt: e.occurredAt.toISOString(),
    actorUserId: e.actorUserId,
    actorRole: e.actorRole,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    fromState: e.fromState,
    toState: e.toState,
    reason: e.reason,
    detail: e.detail,
  };
  return sm3Hex(`${prevHash}|${canonicalJson(fields)}`);
}

export interface StoredEvent extends ChainedFields {
  id: number;
  prevHash: string;
  hash: string;
}

/** Checks events one at a time in id order, so a long chain never has to sit in memory. */
export function chainVerifier(startHash = GENESIS_HASH) {
  let prev = startHash;
  let count = 0;
  let firstBadEventId: number | undefined;
  return {
    push(e: StoredEvent): boolean {
      count++;
      if (firstBadEventId !== undefined) return false;
      if (e.prevHash !== prev || chainHash(e.prevHash, e) !== e.hash) {
        firstBadEventId = e.id;
        return false;
      }
      prev = e.hash;
      return true;
    },
    result() {
      return firstBadEventId === undefined
        ? { valid: true, events: count }
        : { valid: false, events: count, firstBadEventId };
    },
  };
}
