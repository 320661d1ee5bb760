/**
 * The audit trail is SM3 hash-chained (GB/T 22239 §8.1.4.3 c): each event's hash covers the previous
 * hash and a canonical form of the event, so an edited or deleted row breaks the chain at that row.
 */
import { createHash, createHmac } from 'node:crypto';

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

// ---------------------------------------------------------------------------------------------------
// Sealing and signed checkpoints (issue 10 §1–2). Business transactions insert events unsealed; the
// sealer chains them (seal_seq = chain position) and every N events or M minutes signs a checkpoint
// {lastEventId, count, headHash, at} with the audit key. The checkpoints are also written outside the
// database, so a database edit cannot make the record shorter (truncation), different (rewriting) or
// longer (a forged append) without contradicting a signed statement.
// ---------------------------------------------------------------------------------------------------

export interface SealedEvent extends StoredEvent {
  sealSeq: number;
  sealMac?: string | null;
}

export interface CheckpointPayload {
  seq: number;
  lastEventId: number;
  count: number;
  headHash: string;
  /** ISO time of the checkpoint. */
  at: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointPayload {
  /** SM2 (GB/T 32918, SM3 with Z_A, DER) over checkpointMessage(payload), hex. */
  signature: string;
}

/** The exact bytes a checkpoint signature covers: canonical JSON of the payload fields only. */
export function checkpointMessage(c: CheckpointPayload): Uint8Array {
  const payload: CheckpointPayload = {
    seq: c.seq,
    lastEventId: c.lastEventId,
    count: c.count,
    headHash: c.headHash,
    at: c.at,
    keyId: c.keyId,
  };
  return new TextEncoder().encode(canonicalJson(payload));
}

/**
 * The sealer's signed refusal, written to the checkpoint files outside the database when it finds an
 * event after the last checkpoint that it did not seal: a verifier without the audit key can then name
 * that event (the database administrator who appended it cannot remove a line from those files).
 */
export interface RefusalPayload {
  kind: 'refusal';
  at: string;
  /** The chain position and hash of the first event the sealer refuses to anchor. */
  sealSeq: number;
  eventId: number;
  hash: string;
  keyId: string;
}

export interface SignedRefusal extends RefusalPayload {
  signature: string;
}

export function refusalMessage(r: RefusalPayload): Uint8Array {
  const payload: RefusalPayload = {
    kind: 'refusal',
    at: r.at,
    sealSeq: r.sealSeq,
    eventId: r.eventId,
    hash: r.hash,
    keyId: r.keyId,
  };
  return new TextEncoder().encode(canonicalJson(payload));
}

/** The sealer's MAC key, derived from the audit private key: only a holder of the key file can seal. */
export function sealMacKey(auditPrivateKeyHex: string): Buffer {
  return createHash('sm3').update(`zz-approval-audit-seal|${auditPrivateKeyHex.toLowerCase()}`).digest();
}

export function sealMac(macKey: Buffer, e: { sealSeq: number; hash: string }): string {
  return createHmac('sm3', macKey).update(`${e.sealSeq}|${e.hash}`).digest('hex');
}

export type AuditProblemKind =
  | 'broken_chain'
  | 'truncated'
  | 'rewritten'
  | 'forged'
  | 'bad_checkpoint_signature'
  | 'conflicting_checkpoints'
  | 'checkpoint_missing_from_database';

export interface AuditProblem {
  kind: AuditProblemKind;
  message: string;
  eventId?: number;
  checkpointSeq?: number;
}

export interface AuditVerification {
  valid: boolean;
  /** Sealed events walked. */
  events: number;
  firstBadEventId?: number;
  checkpoints: number;
  lastCheckpoint?: { seq: number; count: number; lastEventId: number; at: string };
  /** Sealed events covered by the last valid checkpoint. */
  anchored: number;
  /** Sealed events after the last checkpoint: no signed statement covers them yet. */
  unanchored: number;
  firstUnanchoredEventId?: number;
  problems: AuditProblem[];
}

export interface VerifierInput {
  /** Checkpoints from every source (database, exported files); duplicates are merged. */
  checkpoints: Array<SignedCheckpoint & { source?: string }>;
  /** Audit public keys by id (04||x||y hex). */
  publicKeys: ReadonlyMap<string, string>;
  verifySignature(message: Uint8Array, signatureHex: string, publicKey: string): boolean;
  /** The sealer's MAC key: only the server has it; it names unanchored events the sealer never sealed. */
  macKey?: Buffer;
  /** MAC keys of retired audit keys (an unanchored tail may have been sealed before a key rotation). */
  oldMacKeys?: Buffer[];
  /** Sources whose checkpoints must all be in the database too (e.g. 'database'). */
  databaseSource?: string;
  /** The sealer's signed refusals (from the checkpoint files). */
  refusals?: SignedRefusal[];
}

/**
 * Verifies the sealed chain (events pushed in seal_seq order) against signed checkpoints. Streams: only
 * the checkpoints sit in memory.
 */
export function auditVerifier(input: VerifierInput) {
  const problems: AuditProblem[] = [];
  const bySeq = new Map<number, SignedCheckpoint & { sources: Set<string> }>();
  for (const c of input.checkpoints) {
    const key = input.publicKeys.get(c.keyId);
    if (!key || !input.verifySignature(checkpointMessage(c), c.signature, key)) {
      problems.push({
        kind: 'bad_checkpoint_signature',
        checkpointSeq: c.seq,
        message: `检查点 #${c.seq}${c.source ? `（${c.source}）` : ''} 的签名无效或密钥 ${c.keyId} 未知 (checkpoint signature invalid)`,
      });
      continue;
    }
    const seen = bySeq.get(c.seq);
    if (!seen) {
      bySeq.set(c.seq, { ...c, sources: new Set([c.source ?? '']) });
    } else if (seen.count !== c.count || seen.headHash !== c.headHash || seen.lastEventId !== c.lastEventId) {
      problems.push({
        kind: 'conflicting_checkpoints',
        checkpointSeq: c.seq,
        message: `检查点 #${c.seq} 有两个不同的签名版本 (two different signed checkpoints with one number)`,
      });
    } else {
      seen.sources.add(c.source ?? '');
    }
  }
  if (input.databaseSource) {
    for (const c of bySeq.values()) {
      if (!c.sources.has(input.databaseSource)) {
        problems.push({
          kind: 'checkpoint_missing_from_database',
          checkpointSeq: c.seq,
          message: `检查点 #${c.seq} 在库外存在，但数据库中已被删除 (checkpoint deleted from the database)`,
        });
      }
    }
  }
  const refused = new Map<number, SignedRefusal>();
  for (const r of input.refusals ?? []) {
    const key = input.publicKeys.get(r.keyId);
    if (key && input.verifySignature(refusalMessage(r), r.signature, key)) refused.set(r.sealSeq, r);
  }
  const ordered = [...bySeq.values()].sort((a, b) => a.count - b.count || a.seq - b.seq);
  const byCount = new Map<number, typeof ordered>();
  for (const c of ordered) byCount.set(c.count, [...(byCount.get(c.count) ?? []), c]);
  const maxCount = ordered.length ? ordered[ordered.length - 1]!.count : 0;

  let prev = GENESIS_HASH;
  let position = 0;
  let firstBadEventId: number | undefined;
  let lastGoodCheckpoint: (typeof ordered)[number] | undefined;
  let unanchored = 0;
  let firstUnanchoredEventId: number | undefined;
  let forged = 0;

  return {
    push(e: SealedEvent): void {
      position++;
      const chained = e.prevHash === prev && chainHash(e.prevHash, e) === e.hash && e.sealSeq === position;
      if (!chained && firstBadEventId === undefined) {
        firstBadEventId = e.id;
        problems.push({
          kind: 'broken_chain',
          eventId: e.id,
          message: `审计事件 ${e.id}（链位置 ${position}）与哈希链不符：被修改、删除或插入 (chain broken at this event)`,
        });
      }
      // Keep walking from the stored hash, so later checkpoints are still compared position by position.
      prev = e.hash;
      for (const c of byCount.get(position) ?? []) {
        if (c.headHash !== e.hash || c.lastEventId !== e.id) {
          problems.push({
            kind: 'rewritten',
            checkpointSeq: c.seq,
            eventId: e.id,
            message:
              `检查点 #${c.seq} 签名确认前 ${c.count} 条事件的链头为 ${c.headHash.slice(0, 12)}…（事件 ${c.lastEventId}），` +
              `现为 ${e.hash.slice(0, 12)}…（事件 ${e.id}）：此前的记录被改写 (rewritten before this checkpoint)`,
          });
        } else {
          lastGoodCheckpoint = c;
        }
      }
      if (position > maxCount) {
        unanchored++;
        firstUnanchoredEventId ??= e.id;
        const refusal = refused.get(position);
        const refusedHere = refusal !== undefined && refusal.hash === e.hash && refusal.eventId === e.id;
        const macBad =
          input.macKey !== undefined &&
          ![input.macKey, ...(input.oldMacKeys ?? [])].some(
            (k) => e.sealMac === sealMac(k, { sealSeq: e.sealSeq, hash: e.hash }),
          );
        if (refusedHere || macBad) {
          if (forged++ === 0) {
            problems.push({
              kind: 'forged',
              eventId: e.id,
              message: refusedHere
                ? `审计事件 ${e.id} 被封存程序签名拒绝（${refusal.at}）：伪造的追加记录 (appended outside the sealer; signed refusal)`
                : `审计事件 ${e.id} 不是封存程序封存的（封存校验码不符）：伪造的追加记录 (appended outside the sealer)`,
            });
          }
        }
      }
    },
    result(): AuditVerification {
      for (const c of ordered) {
        if (c.count > position) {
          problems.push({
            kind: 'truncated',
            checkpointSeq: c.seq,
            message: `检查点 #${c.seq} 签名确认有 ${c.count} 条事件，现仅余 ${position} 条：记录被截短 (truncated)`,
          });
          break;
        }
      }
      const last = ordered[ordered.length - 1];
      return {
        valid: problems.length === 0,
        events: position,
        ...(firstBadEventId !== undefined ? { firstBadEventId } : {}),
        checkpoints: ordered.length,
        ...(last
          ? {
              lastCheckpoint: {
                seq: last.seq,
                count: last.count,
                lastEventId: last.lastEventId,
                at: last.at,
              },
            }
          : {}),
        anchored: lastGoodCheckpoint?.count ?? 0,
        unanchored,
        ...(firstUnanchoredEventId !== undefined ? { firstUnanchoredEventId } : {}),
        problems,
      };
    },
  };
}
