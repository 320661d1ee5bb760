import { describe, expect, it } from 'vitest';
import { consentStatus, covers, refusal, scopesOf, type ConsentFacts } from './agency.rules';

const base: ConsentFacts = {
  mayRegisterProject: true,
  mayApplyStage: false,
  validUntil: '2026-12-31',
  revokedAt: null,
};

describe('agency consent', () => {
  it('holds through its last Beijing day, not after', () => {
    expect(consentStatus(base, '2026-12-31')).toBe('active');
    expect(consentStatus(base, '2027-01-01')).toBe('expired');
  });

  it('ends when revoked, whatever the date', () => {
    expect(consentStatus({ ...base, revokedAt: new Date() }, '2026-01-01')).toBe('revoked');
  });

  it('covers only what the enterprise named', () => {
    expect(scopesOf(base)).toEqual(['register_project']);
    expect(covers(base, 'register_project', '2026-12-01')).toBe(true);
    expect(covers(base, 'apply_stage', '2026-12-01')).toBe(false);
  });

  it('says why the agent may not act', () => {
    const name = '某公司';
    expect(refusal([], 'apply_stage', '2026-12-01', name)).toContain('未委托');
    expect(refusal([base], 'apply_stage', '2026-12-01', name)).toContain('不包括阶段申报');
    expect(refusal([base], 'register_project', '2027-02-01', name)).toContain('已到期');
    expect(refusal([{ ...base, revokedAt: new Date() }], 'register_project', '2026-12-01', name)).toContain(
      '已撤销',
    );
    expect(refusal([base], 'register_project', '2026-12-01', name)).toBeNull();
  });
});
