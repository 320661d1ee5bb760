import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newTotpSecret, timeStep, totpCode, totpUri, verifyTotp } from './totp';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA-1: the ASCII secret "12345678901234567890".
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];

  it('matches the RFC 6238 test vectors (8 digits) and their 6-digit truncation', () => {
    for (const [seconds, code] of vectors) {
      const at = new Date(seconds * 1000);
      expect(TOTP.generate({ secret: Secret.fromBase32(secret), digits: 8, timestamp: at.getTime() })).toBe(
        code,
      );
      expect(totpCode(secret, at)).toBe(code.slice(-6));
    }
  });

  it('accepts a code one step either side, once', () => {
    const at = new Date(1_111_111_111_000);
    const code = totpCode(secret, at);
    expect(verifyTotp(secret, code, at, null)).toBe(timeStep(at));
    expect(verifyTotp(secret, code, new Date(at.getTime() + 30_000), null)).toBe(timeStep(at));
    expect(verifyTotp(secret, code, new Date(at.getTime() + 90_000), null)).toBeNull();
    expect(verifyTotp(secret, code, at, timeStep(at))).toBeNull(); // replay
    expect(verifyTotp(secret, code === '000000' ? '111111' : '000000', at, null)).toBeNull();
  });
});

describe('TOTP enrolment values', () => {
  it('makes 160-bit secrets and an otpauth URI an app can read', () => {
    const s = newTotpSecret();
    expect(Secret.fromBase32(s).bytes.length).toBe(20);
    expect(newTotpSecret()).not.toBe(s);
    const uri = totpUri(s, 'window');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${s}`);
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });
});
