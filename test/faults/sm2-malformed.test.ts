/**
 * F-13: malformed SM2 public keys and signatures. sm2Verify answers false — never throws, never hangs —
 * for empty, short, off-curve, out-of-field and infinity keys and for truncated, overlong, zero,
 * out-of-range and garbage DER signatures; the public verification of a certificate whose stored
 * signature was replaced by such garbage answers "not valid", never a 5xx. (No SM4 is used in this
 * system, so the SM4-GCM tag case of F-13 does not apply.)
 */
import { sql } from 'kysely';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTaskFixture, issueFor } from '../../src/modules/certificates/certificate.fixtures';
import { generateSm2KeyPair, sm2Sign, sm2Verify } from '../../src/modules/certificates/sm2';
import { describeEachSystem } from '../app';

// SM2 curve parameters (GB/T 32918.5): field prime p and group order n.
const P = 'fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff';
const N = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';

const key = generateSm2KeyPair();
const message = new TextEncoder().encode('建设工程规划许可证 F-13');
const good = sm2Sign(message, key);

const der = (r: string, s: string) => {
  const int = (h: string) => {
    const len = (h.length / 2).toString(16).padStart(2, '0');
    return `02${len}${h}`;
  };
  const body = int(r) + int(s);
  return `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
};

const badKeys: [string, string][] = [
  ['empty', ''],
  ['short', '04abcd'],
  ['compressed form', `02${key.publicKey.slice(2, 66)}`],
  ['point at infinity', '00'],
  ['all zeros', `04${'00'.repeat(64)}`],
  ['off the curve', `04${key.publicKey.slice(2, 66)}${'11'.repeat(32)}`],
  ['x = p (outside the field)', `04${P}${key.publicKey.slice(66)}`],
  ['x, y = ff…', `04${'ff'.repeat(64)}`],
  ['one digit too long', `${key.publicKey}0`],
  ['non-hex', `04${'zz'.repeat(64)}`],
  ['with whitespace', ` ${key.publicKey} `],
  ['a PEM', '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----'],
];

const badSignatures: [string, string][] = [
  ['empty', ''],
  ['odd length', `${good}0`],
  ['truncated', good.slice(0, good.length - 10)],
  ['trailing garbage', `${good}00`],
  ['not DER', 'ab'.repeat(35)],
  ['r = 0', der('00', '01')],
  ['s = 0', der('01', '00')],
  ['r = n', der(`00${N}`, '01')],
  ['r > n', der(`00${'ff'.repeat(32)}`, '01')],
  ['negative r (no 00 pad)', der('ff'.repeat(32), '01')],
  ['overlong length byte', `30ff${good.slice(4)}`],
  ['indefinite length (BER)', `3080${good.slice(4)}0000`],
  [
    'r and s swapped',
    (() => {
      const rLen = parseInt(good.slice(6, 8), 16) * 2;
      const r = good.slice(8, 8 + rLen);
      const s = good.slice(8 + rLen + 4);
      return der(s, r);
    })(),
  ],
  ['one bit flipped', good.slice(0, -1) + (parseInt(good.slice(-1), 16) ^ 1).toString(16)],
  ['huge', 'ab'.repeat(100_000)],
];

describe('F-13 sm2Verify with malformed input', () => {
  it('accepts the good signature (the fixture is right)', () => {
    expect(sm2Verify(message, good, key.publicKey)).toBe(true);
  });

  it.each(badKeys)('a %s public key → false', (_what, publicKey) => {
    expect(sm2Verify(message, good, publicKey)).toBe(false);
  });

  it.each(badSignatures)('a %s signature → false', (_what, signature) => {
    expect(sm2Verify(message, signature, key.publicKey)).toBe(false);
  });

  it('random keys, signatures and messages never throw and stay fast', () => {
    const hex = (min: number, max: number) =>
      fc.uint8Array({ minLength: min, maxLength: max }).map((b) => Buffer.from(b).toString('hex'));
    const started = Date.now();
    let runs = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          hex(0, 80),
          hex(65, 65).map((h) => `04${h.slice(2)}`),
          fc.constant(key.publicKey),
        ),
        fc.oneof(
          hex(0, 90),
          hex(30, 40).map((h) => `3044022${h}`),
          fc.constant(good),
        ),
        fc.uint8Array({ maxLength: 64 }),
        (publicKey, signature, msg) => {
          runs++;
          const result = sm2Verify(msg, signature, publicKey);
          expect(typeof result).toBe('boolean');
          if (publicKey !== key.publicKey) expect(result).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
    console.log(`F-13: ${runs} random verifications in ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describeEachSystem('F-13 public verification of a certificate with a garbage signature', (t) => {
  it('answers not valid (200, valid: false) for every malformed signature, never 5xx', async () => {
    const db = t.system.ctx.db;
    const cert = await issueFor(db, await createTaskFixture(db), t.system.clock.now());
    const verify = () =>
      t.system.app.inject({ method: 'GET', url: `/api/certificates/${encodeURIComponent(cert.id)}/verify` });
    const fine = await verify();
    expect(fine.statusCode, fine.body).toBe(200);
    expect(fine.json().valid).toBe(true);
    for (const [what, signature] of badSignatures.filter(([w]) => w !== 'huge')) {
      await sql`UPDATE certificate SET signature = ${signature} WHERE id = ${cert.id}`.execute(db);
      const res = await verify();
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500);
      if (res.statusCode === 200) expect(res.json().valid, what).toBe(false);
    }
    const health = await t.system.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });
});
