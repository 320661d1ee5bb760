import { describe, expect, it } from 'vitest';
import {
  accountKey,
  addressKey,
  characterClasses,
  passwordExpired,
  passwordProblems,
  reuseComparisons,
  secondFactorRequired,
  sessionRestriction,
  throttlesToStart,
} from './password-policy.rules';

const rules = (p: string, role = 'reviewer', username?: string) =>
  passwordProblems(p, { role, minLength: 10, username }).map((x) => x.rule);

describe('password policy (staff)', () => {
  it('wants the configured length, counted in characters', () => {
    expect(rules('Ab1#efghi')).toEqual(['length']); // 9
    expect(rules('Ab1#efghij')).toEqual([]); // 10
    expect(rules('密码Ab1#数字符号很')).toEqual([]); // 10 characters, more UTF-16 units
  });

  it('wants 3 of 4 character classes', () => {
    expect(characterClasses('abcdefghij')).toBe(1);
    expect(rules('abcdefghij')).toEqual(['classes']);
    expect(rules('abcdefghI1')).toEqual([]);
    expect(rules('abcdefgh#1')).toEqual([]);
    expect(rules('ABCDEFGH#1')).toEqual([]);
    expect(rules('abcdefGHIJ')).toEqual(['classes']);
  });

  it('refuses a password containing the user name', () => {
    expect(rules('Xwindow#2026', 'window', 'window')).toEqual(['username']);
    expect(rules('Xwindow#2026', 'window', 'agent')).toEqual([]);
  });

  it('asks applicants only for 8 characters', () => {
    expect(rules('abcdefgh', 'applicant')).toEqual([]);
    expect(rules('abcdefg', 'applicant')).toEqual(['length']);
  });

  it('compares with the current password and history - 1 earlier ones', () => {
    expect(reuseComparisons(5)).toEqual({ current: true, earlier: 4 });
    expect(reuseComparisons(1)).toEqual({ current: true, earlier: 0 });
    expect(reuseComparisons(0)).toEqual({ current: false, earlier: 0 });
  });
});

describe('password expiry', () => {
  const changedAt = new Date('2026-01-01T00:00:00Z');
  const at = (days: number) => new Date(changedAt.getTime() + days * 86_400_000);
  const base = { role: 'reviewer', changedAt, maxAgeDays: 90, exempt: false };

  it('expires a staff password after maxAgeDays', () => {
    expect(passwordExpired({ ...base, now: at(89.9) })).toBe(false);
    expect(passwordExpired({ ...base, now: at(90) })).toBe(true);
  });

  it('never for 0 days, applicants or exempt (demo) accounts', () => {
    expect(passwordExpired({ ...base, maxAgeDays: 0, now: at(900) })).toBe(false);
    expect(passwordExpired({ ...base, role: 'applicant', now: at(900) })).toBe(false);
    expect(passwordExpired({ ...base, exempt: true, now: at(900) })).toBe(false);
  });
});

describe('session restriction and second factor', () => {
  it('password change first, then enrolment, else none', () => {
    const r = (passwordExpired: boolean, secondFactorRequired: boolean, totpActive: boolean) =>
      sessionRestriction({ passwordExpired, secondFactorRequired, totpActive });
    expect(r(true, true, false)).toBe('password_change');
    expect(r(false, true, false)).toBe('totp_enrolment');
    expect(r(false, true, true)).toBeNull();
    expect(r(false, false, false)).toBeNull();
  });

  it('requires the second factor for the configured roles', () => {
    expect(secondFactorRequired('admin', ['admin', 'supervisor'])).toBe(true);
    expect(secondFactorRequired('window', ['admin', 'supervisor'])).toBe(false);
  });
});

describe('throttles', () => {
  const limits = { maxPairFailures: 5, maxAddressFailures: 20 };
  it('throttles the pair at its limit and the address at its own', () => {
    expect(throttlesToStart({ ...limits, pairFailures: 4, addressFailures: 4 })).toEqual([]);
    expect(throttlesToStart({ ...limits, pairFailures: 5, addressFailures: 5 })).toEqual(['account_address']);
    expect(throttlesToStart({ ...limits, pairFailures: 1, addressFailures: 20 })).toEqual(['address']);
  });

  it('counts IPv6 by its /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:0:12::1')).toBe('2001:db8:0:12::/64');
    expect(addressKey('2001:0db8:0000:0012:abcd:ef01:2345:6789')).toBe('2001:db8:0:12::/64');
    expect(addressKey('2001:db8:0:12:ffff::9%eth0')).toBe('2001:db8:0:12::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });

  it('keys a name as typed, case and spaces aside', () => {
    expect(accountKey('  Window ')).toBe('window');
  });
});
