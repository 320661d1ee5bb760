import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from './identity.rules';
import {
  claimText,
  creditCodeClaim,
  decideAccount,
  providerShowsTwoFactors,
  type AccountFacts,
  type LocalAccount,
} from './oidc.rules';

const code = '91410100MA9GK0001' + creditCodeCheckChar('91410100MA9GK0001');
const staff: LocalAccount = {
  id: 's',
  role: 'window',
  enterpriseId: null,
  enterpriseCreditCode: null,
  username: 'window',
  disabled: false,
};
const applicant: LocalAccount = {
  id: 'a',
  role: 'applicant',
  enterpriseId: 'e',
  enterpriseCreditCode: code,
  username: 'gov_x',
  disabled: false,
};
const none: AccountFacts = {
  linked: null,
  staffId: null,
  staffAccount: null,
  creditCode: null,
  enterprise: null,
  staffAccountLinkedElsewhere: false,
};

describe('two factors from the provider', () => {
  it('counts "mfa", two kinds of method, or a listed acr', () => {
    expect(providerShowsTwoFactors({ amr: ['mfa'] }, [])).toBe(true);
    expect(providerShowsTwoFactors({ amr: ['pwd', 'sms'] }, [])).toBe(true);
    expect(providerShowsTwoFactors({ amr: ['sc', 'pin'] }, [])).toBe(true);
    expect(providerShowsTwoFactors({ acr: 'urn:henan:loa:3' }, ['urn:henan:loa:3'])).toBe(true);
  });
  it('does not count one kind twice, unknown methods, or an unlisted acr', () => {
    expect(providerShowsTwoFactors({ amr: ['pwd'] }, [])).toBe(false);
    expect(providerShowsTwoFactors({ amr: ['pwd', 'pin'] }, [])).toBe(false);
    expect(providerShowsTwoFactors({ amr: ['otp', 'sms'] }, [])).toBe(false);
    expect(providerShowsTwoFactors({ amr: 'pwd sms' }, [])).toBe(false);
    expect(providerShowsTwoFactors({ acr: 'urn:henan:loa:1' }, ['urn:henan:loa:3'])).toBe(false);
  });
});

describe('claims', () => {
  it('reads a 工号 as text (numbers too) and a credit code only when valid', () => {
    expect(claimText({ staff_id: ' 0042 ' }, 'staff_id')).toBe('0042');
    expect(claimText({ staff_id: 42 }, 'staff_id')).toBe('42');
    expect(claimText({ staff_id: '' }, 'staff_id')).toBeNull();
    expect(creditCodeClaim({ uscc: code.toLowerCase() }, 'uscc')).toBe(code);
    expect(creditCodeClaim({ uscc: code.slice(0, 17) + 'X' }, 'uscc')).toBeNull();
  });
});

describe('which local account', () => {
  it('keeps a linked account unless disabled or contradicted', () => {
    expect(decideAccount({ ...none, linked: applicant, creditCode: code })).toEqual({
      kind: 'existing',
      account: applicant,
      link: false,
    });
    expect(decideAccount({ ...none, linked: { ...applicant, disabled: true } })).toEqual({
      kind: 'refuse',
      reason: 'account_disabled',
    });
    const other = '91410100MA9GK0002' + creditCodeCheckChar('91410100MA9GK0002');
    expect(decideAccount({ ...none, linked: applicant, creditCode: other })).toEqual({
      kind: 'refuse',
      reason: 'mismatch',
    });
    expect(decideAccount({ ...none, linked: staff, staffId: 'someone-else' })).toEqual({
      kind: 'refuse',
      reason: 'mismatch',
    });
  });
  it('links staff by 工号 and never creates them', () => {
    expect(decideAccount({ ...none, staffId: 'window', staffAccount: staff })).toEqual({
      kind: 'existing',
      account: staff,
      link: true,
    });
    expect(decideAccount({ ...none, staffId: 'nobody' })).toEqual({
      kind: 'refuse',
      reason: 'unknown_staff',
    });
    expect(decideAccount({ ...none, staffId: 'gov_x', staffAccount: applicant })).toEqual({
      kind: 'refuse',
      reason: 'unknown_staff',
    });
    expect(
      decideAccount({ ...none, staffId: 'window', staffAccount: staff, staffAccountLinkedElsewhere: true }),
    ).toEqual({ kind: 'refuse', reason: 'mismatch' });
  });
  it('creates an applicant only for a confirmed enterprise', () => {
    expect(
      decideAccount({ ...none, creditCode: code, enterprise: { id: 'e', status: 'confirmed' } }),
    ).toEqual({
      kind: 'create_applicant',
      enterpriseId: 'e',
    });
    for (const status of ['pending', 'rejected'] as const) {
      expect(decideAccount({ ...none, creditCode: code, enterprise: { id: 'e', status } })).toEqual({
        kind: 'refuse',
        reason: 'enterprise_not_confirmed',
      });
    }
    expect(decideAccount({ ...none, creditCode: code })).toEqual({
      kind: 'refuse',
      reason: 'unknown_enterprise',
    });
    expect(decideAccount(none)).toEqual({ kind: 'refuse', reason: 'no_identifier' });
  });
});
