import { describe, expect, it } from 'vitest';
import { findUnlistedServices } from '../catalog/catalog.rules';
import type { Item } from '../catalog/catalog.schemas';
import { drawIds } from '../credit/draw.rules';
import {
  engagementNext,
  exclusionReason,
  needNext,
  serviceProblem,
  winningQuote,
  type Candidate,
} from './marketplace.rules';

const candidate: Candidate = {
  offerId: 'o1',
  intermediaryId: 'i1',
  name: '甲机构',
  offerStatus: 'listed',
  unlistedReason: null,
  intermediaryStatus: 'listed',
  qualificationExpiresOn: '2027-01-01',
  feeYuan: 50000,
  committedDays: 10,
  black: null,
};

describe('marketplace rules', () => {
  it('never lets a retained 公示 / 技术审查 item charge the applicant', () => {
    expect(serviceProblem({ list: 'publicity', chargesApplicant: true, feeMaxYuan: null })).not.toBeNull();
    expect(
      serviceProblem({ list: 'technical_review', chargesApplicant: false, feeMaxYuan: 100 }),
    ).not.toBeNull();
    expect(
      serviceProblem({ list: 'technical_review', chargesApplicant: false, feeMaxYuan: null }),
    ).toBeNull();
  });

  it('excludes the black-listed, the unlisted, the expired and the over-budget, saying why', () => {
    const today = '2026-03-02';
    expect(exclusionReason(candidate, 60000, today)).toBeNull();
    expect(
      exclusionReason(
        { ...candidate, black: { id: 'L1', listedOn: '2026-01-01', reason: '虚假报告' } },
        60000,
        today,
      ),
    ).toContain('黑名单');
    expect(
      exclusionReason({ ...candidate, offerStatus: 'unlisted', unlistedReason: '资质到期' }, 60000, today),
    ).toContain('资质到期');
    expect(exclusionReason({ ...candidate, qualificationExpiresOn: '2026-03-01' }, 60000, today)).toContain(
      '过期',
    );
    expect(exclusionReason(candidate, 40000, today)).toContain('预算');
  });

  it('picks the lowest quote within the budget, the shorter commitment on a tie', () => {
    const at = new Date('2026-03-02T01:00:00Z');
    const quotes = [
      { id: 'a', offerId: 'a', amountYuan: 30000, committedDays: 12, submittedAt: at },
      { id: 'b', offerId: 'b', amountYuan: 30000, committedDays: 10, submittedAt: at },
      { id: 'c', offerId: 'c', amountYuan: 20000, committedDays: 10, submittedAt: at },
    ];
    expect(winningQuote(quotes, 25000)?.id).toBe('c');
    expect(winningQuote(quotes.slice(0, 2), 40000)?.id).toBe('b');
    expect(winningQuote(quotes, 10000)).toBeNull();
  });

  it('gives every state a way out', () => {
    expect(needNext('open', 'cancel')).toBe('cancelled');
    expect(needNext('quoting', 'reselect')).toBe('open');
    expect(needNext('selected', 'reselect')).toBe('open');
    expect(engagementNext('delivered', 'return')).toBe('in_service');
    expect(engagementNext('in_service', 'terminate')).toBe('terminated');
    expect(engagementNext('in_service', 'accept')).toBeNull();
  });

  it('draws reproducibly from the seed whatever the order of the pool', () => {
    const ids = ['x', 'a', 'm', 'q'];
    expect(drawIds('abc', ids, 1)).toEqual(drawIds('abc', [...ids].reverse(), 1));
  });

  it('flags an item material requiring a service that is not on the list (task 12)', () => {
    const item = {
      code: 'ZZ-TEST-001',
      name: '测试事项',
      status: 'active',
      materials: [
        {
          code: 'M_X',
          name: '评估报告',
          required: true,
          deficiencyAllowed: false,
          intermediaryService: 'ZJ-NONE',
        },
        {
          code: 'M_Y',
          name: '测绘报告',
          required: true,
          deficiencyAllowed: false,
          intermediaryService: 'ZJ-OK',
        },
      ],
    } as unknown as Item;
    const issues = findUnlistedServices(
      [item],
      [{ code: 'ZJ-OK', list: 'intermediary', active: true, itemCodes: ['ZZ-TEST-001'] }],
    );
    expect(issues.map((i) => i.code)).toEqual(['UNLISTED_INTERMEDIARY_SERVICE']);
    expect(issues[0]!.message).toContain('ZJ-NONE');
  });
});
