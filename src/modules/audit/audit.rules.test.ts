import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, sm2Sign, sm2Verify } from '../certificates/sm2';
import {
  auditVerifier,
  canonicalJson,
  chainHash,
  chainVerifier,
  checkpointMessage,
  GENESIS_HASH,
  refusalMessage,
  sm3Hex,
  type SealedEvent,
  type SignedCheckpoint,
  type SignedRefusal,
  type StoredEvent,
} from './audit.rules';

const base = {
  occurredAt: new Date('2026-03-02T01:00:00Z'),
  actorUserId: null,
  actorRole: 'system',
  action: 'x',
  objectType: 'o',
  objectId: '1',
  fromState: null,
  toState: null,
  reason: null,
  detail: { b: 1, a: [2, { d: null, c: 'z' }] },
};

function chain(n: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = { ...base, objectId: String(i) };
    const hash = chainHash(prev, e);
    out.push({ ...e, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('SM3 audit chain', () => {
  it('uses the GB/T 32905 SM3 (known answer for "abc")', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes canonical JSON whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { y: 2, x: 1 } })).toBe(canonicalJson({ a: { x: 1, y: 2 }, b: 1 }));
  });

  it('verifies an intact chain and names the first edited or removed event', () => {
    const events = chain(5);
    const ok = chainVerifier();
    events.forEach((e) => ok.push(e));
    expect(ok.result()).toEqual({ valid: true, events: 5 });

    const edited = chain(5);
    edited[2] = { ...edited[2]!, reason: 'tampered' };
    const v1 = chainVerifier();
    edited.forEach((e) => v1.push(e));
    expect(v1.result()).toMatchObject({ valid: false, firstBadEventId: 3 });

    const removed = chain(5).filter((e) => e.id !== 2);
    const v2 = chainVerifier();
    removed.forEach((e) => v2.push(e));
    expect(v2.result()).toMatchObject({ valid: false, firstBadEventId: 3 });
  });
});

describe('audit verifier against signed checkpoints', () => {
  const key = generateSm2KeyPair();
  const keys = new Map([['k1', key.publicKey]]);
  const sealed = (n: number): SealedEvent[] => chain(n).map((e, i) => ({ ...e, sealSeq: i + 1 }));
  const checkpoint = (events: SealedEvent[], seq: number, count: number): SignedCheckpoint => {
    const payload = {
      seq,
      lastEventId: events[count - 1]!.id,
      count,
      headHash: events[count - 1]!.hash,
      at: '2026-03-02T02:00:00.000Z',
      keyId: 'k1',
    };
    return { ...payload, signature: sm2Sign(checkpointMessage(payload), key) };
  };
  const run = (events: SealedEvent[], checkpoints: SignedCheckpoint[], refusals: SignedRefusal[] = []) => {
    const v = auditVerifier({ checkpoints, publicKeys: keys, verifySignature: sm2Verify, refusals });
    events.forEach((e) => v.push(e));
    return v.result();
  };
  const kinds = (r: ReturnType<typeof run>) => r.problems.map((p) => p.kind);
  const events = sealed(60);
  const cps = [checkpoint(events, 1, 20), checkpoint(events, 2, 55)];

  it('accepts an intact chain; events after the last checkpoint are unanchored, not wrong', () => {
    expect(run(events, cps)).toMatchObject({
      valid: true,
      anchored: 55,
      unanchored: 5,
      firstUnanchoredEventId: 56,
    });
  });

  it('names truncation: the last event, and the last 50', () => {
    const all = [checkpoint(events, 1, 20), checkpoint(events, 2, 60)];
    expect(kinds(run(events.slice(0, 59), all))).toEqual(['truncated']);
    expect(run(events.slice(0, 10), all).problems[0]!.message).toContain('20 条事件，现仅余 10');
    // An event deleted before any checkpoint counted it cannot be told from one never written.
    expect(run(events.slice(0, 59), cps).valid).toBe(true);
  });

  it('names a rewritten and re-chained history by the checkpoint it contradicts', () => {
    let prev = events[4]!.hash;
    const rewritten = events.map((e, i) => {
      if (i < 5) return e;
      const edited = i === 5 ? { ...e, reason: 'rewritten' } : e;
      const hash = chainHash(prev, edited);
      const out = { ...edited, prevHash: prev, hash };
      prev = hash;
      return out;
    });
    const r = run(rewritten, cps);
    expect(r.firstBadEventId).toBeUndefined();
    expect(r.problems.filter((p) => p.kind === 'rewritten').map((p) => p.checkpointSeq)).toEqual([1, 2]);
  });

  it('names a forged event the sealer refused (signed refusal), and refuses forged checkpoints', () => {
    const forged = events[57]!;
    const refusalPayload = {
      kind: 'refusal' as const,
      at: '2026-03-02T03:00:00.000Z',
      sealSeq: 58,
      eventId: forged.id,
      hash: forged.hash,
      keyId: 'k1',
    };
    const refusal = { ...refusalPayload, signature: sm2Sign(refusalMessage(refusalPayload), key) };
    expect(run(events, cps, [refusal]).problems).toEqual([
      expect.objectContaining({ kind: 'forged', eventId: forged.id }),
    ]);
    const other = generateSm2KeyPair();
    const fake = {
      ...checkpoint(events, 3, 60),
      signature: sm2Sign(checkpointMessage(checkpoint(events, 3, 60)), other),
    };
    expect(kinds(run(events, [...cps, fake]))).toEqual(['bad_checkpoint_signature']);
    expect(kinds(run(events, [...cps, { ...cps[1]!, count: 59 }]))).toEqual(['bad_checkpoint_signature']);
  });
});
