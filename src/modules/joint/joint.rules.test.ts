import { describe, expect, it } from 'vitest';
import {
  acceptanceOutcome,
  afterCoveredTaskEnded,
  answerRefusal,
  assessmentOutcome,
  exemptionRefusal,
  reviewOutcome,
  reviewSections,
  satisfiedItems,
  schemeConclusionText,
  schemePassRefusal,
  signOffAreaCodes,
  utilitiesNotFiled,
  type SchemeOpinion,
} from './joint.rules';

describe('联合审图 sections', () => {
  it('has the five specialties and 技防, with 消防 / 人防 when merged', () => {
    expect(reviewSections({ fireJoint: true, civilAirDefenceJoint: true })).toHaveLength(8);
    expect(reviewSections({ fireJoint: true, civilAirDefenceJoint: false })).not.toContain(
      'civil_air_defence',
    );
    expect(reviewSections({ fireJoint: false, civilAirDefenceJoint: false })).toHaveLength(6);
    expect(satisfiedItems({ fireJoint: true, civilAirDefenceJoint: false })).toEqual(['ZZ-CJJ-002']);
  });

  it('is open until every section is decided, fails on one failed section, counts every violation', () => {
    const req = ['architecture', 'structure'];
    expect(reviewOutcome(req, [], 1).state).toBe('open');
    const round1 = [
      { section: 'architecture', round: 1, outcome: 'pass' as const, violations: 0 },
      { section: 'structure', round: 1, outcome: 'fail' as const, violations: 3 },
    ];
    expect(reviewOutcome(req, round1, 1)).toMatchObject({ state: 'failed', violationTotal: 3 });
    expect(reviewOutcome(req, round1, 2)).toMatchObject({ state: 'open', pending: ['structure'] });
    const round2 = [...round1, { section: 'structure', round: 2, outcome: 'pass' as const, violations: 0 }];
    expect(reviewOutcome(req, round2, 2)).toMatchObject({ state: 'passed', violationTotal: 3 });
  });
});

describe('甲级 exemption', () => {
  const today = '2026-03-02';
  it('allows only a 甲级 firm with a qualification valid today', () => {
    expect(exemptionRefusal(undefined, today)).toMatch(/承诺/);
    expect(
      exemptionRefusal({ name: 'B', grade: 'grade_b', qualificationExpires: '2030-01-01' }, today),
    ).toMatch(/乙级/);
    expect(
      exemptionRefusal({ name: 'A', grade: 'grade_a', qualificationExpires: '2026-03-01' }, today),
    ).toMatch(/过期/);
    expect(exemptionRefusal({ name: 'A', grade: 'grade_a', qualificationExpires: today }, today)).toBeNull();
  });
});

describe('联合验收', () => {
  it('passes only with all six sign-offs, fails on any refusal', () => {
    expect(signOffAreaCodes).toHaveLength(6);
    const all = signOffAreaCodes.map((area) => ({ area, outcome: 'pass' as const }));
    expect(acceptanceOutcome(all.slice(0, 5))).toBe('open');
    expect(acceptanceOutcome(all)).toBe('passed');
    expect(acceptanceOutcome([{ area: 'fire', outcome: 'fail' }])).toBe('failed');
  });
});

describe('utilities', () => {
  it('holds 施工许可 only for utilities told and not filed', () => {
    expect(
      utilitiesNotFiled([
        { utility: 'water', status: 'notified' },
        { utility: 'gas', status: 'not_needed' },
        { utility: 'power', status: 'applied' },
        { utility: 'heat', status: 'pending' },
      ]),
    ).toEqual(['water']);
  });
});

describe('方案联审', () => {
  const o = (
    departmentCode: string,
    dueDate: string,
    answer: SchemeOpinion['answer'],
    opinion: string | null = null,
  ) => ({
    departmentCode,
    dueDate,
    answer,
    opinion,
  });
  it('needs conditions or reasons for anything but plain agreement', () => {
    expect(answerRefusal('agree', undefined)).toBeNull();
    expect(answerRefusal('agree_with_conditions', ' ')).toMatch(/条件/);
    expect(answerRefusal('disagree', '')).toMatch(/理由/);
    expect(answerRefusal('disagree', '绿地率不足')).toBeNull();
  });
  it('passes once every department answered or is past due, and none disagrees', () => {
    expect(schemePassRefusal([o('rfb', '2026-03-05', null)], '2026-03-05')).toMatch(/未反馈/);
    expect(schemePassRefusal([o('rfb', '2026-03-05', null)], '2026-03-06')).toBeNull();
    expect(schemePassRefusal([o('ylj', '2026-03-05', 'disagree', '不足')], '2026-03-02')).toMatch(/不同意/);
    expect(schemePassRefusal([o('rfb', '2026-03-05', 'agree')], '2026-03-02')).toBeNull();
  });
  it('writes the conditions and the silent departments into the one conclusion', () => {
    const text = schemeConclusionText(
      '同意',
      [o('rfb', '2026-03-05', 'agree_with_conditions', '配建人防'), o('cjj', '2026-03-04', null)],
      '2026-03-05',
    );
    expect(text).toContain('配建人防');
    expect(text).toContain('cjj逾期未反馈，视为无意见');
  });
});

describe('多评合一', () => {
  it('re-decides only failed assessments in a later round', () => {
    const codes = ['A', 'B'];
    expect(assessmentOutcome(codes, [{ itemCode: 'A', round: 1, outcome: 'pass' }], 1)).toEqual({
      state: 'open',
      pending: ['B'],
    });
    const round1 = [
      { itemCode: 'A', round: 1, outcome: 'pass' as const },
      { itemCode: 'B', round: 1, outcome: 'fail' as const },
    ];
    expect(assessmentOutcome(codes, round1, 1).state).toBe('failed');
    expect(assessmentOutcome(codes, round1, 2)).toEqual({ state: 'open', pending: ['B'] });
    expect(assessmentOutcome(codes, [...round1, { itemCode: 'B', round: 2, outcome: 'pass' }], 2).state).toBe(
      'passed',
    );
  });
});

describe('多评合一 when a covered task ends on its own', () => {
  const pass = (itemCode: string, round = 1) => ({ itemCode, round, outcome: 'pass' as const });
  const fail = (itemCode: string, round = 1) => ({ itemCode, round, outcome: 'fail' as const });
  it('closes with fewer than two assessments left', () => {
    expect(afterCoveredTaskEnded('preparing', ['A'], [], 1)).toBe('close');
    expect(afterCoveredTaskEnded('in_review', ['A', 'A'], [], 1)).toBe('close');
    expect(afterCoveredTaskEnded('preparing', ['A', 'B'], [], 1)).toBe('unchanged');
  });
  it('closes when the rest already passed, fails when the rest are in with a failure', () => {
    expect(afterCoveredTaskEnded('in_review', ['A', 'B'], [pass('A'), pass('B')], 1)).toBe('close');
    expect(afterCoveredTaskEnded('in_review', ['A', 'B'], [pass('A'), fail('B')], 1)).toBe('failed');
    expect(afterCoveredTaskEnded('in_review', ['A', 'B'], [pass('A')], 1)).toBe('unchanged');
  });
  it('a failed one waits for its revised report only while a remaining assessment failed', () => {
    expect(afterCoveredTaskEnded('failed', ['A', 'B'], [pass('A'), fail('B'), fail('C')], 1)).toBe(
      'unchanged',
    );
    expect(afterCoveredTaskEnded('failed', ['A', 'B'], [pass('A'), pass('B'), fail('C')], 1)).toBe('close');
  });
  it('leaves a concluded one alone', () => {
    expect(afterCoveredTaskEnded('passed', ['A'], [], 1)).toBe('unchanged');
    expect(afterCoveredTaskEnded('withdrawn', ['A'], [], 1)).toBe('unchanged');
  });
});
