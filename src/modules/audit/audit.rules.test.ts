import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  chainHash,
  chainVerifier,
  GENESIS_HASH,
  sm3Hex,
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
