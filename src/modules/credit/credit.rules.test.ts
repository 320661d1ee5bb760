import { describe, expect, it } from 'vitest';
import {
  addMonths,
  evaluateCondition,
  gradeSubject,
  inWindow,
  maskPersonalId,
  type RecordFacts,
} from './credit.rules';
import { poolHash, runDraw } from './draw.rules';
import type { GradeParams, PoolObject, RosterEntry } from './credit.tables';

const params: GradeParams = {
  base: 90,
  deduct: { serious: 15, general: 5 },
  bonus: { good: 5 },
  maxBonus: 10,
  months: 24,
  thresholds: { A: 95, B: 80, C: 60 },
  blackListedGrade: 'D',
};
const rule = { version: 1, params };
const rec = (
  id: string,
  severity: RecordFacts['severity'],
  validFrom: string,
  extra: Partial<RecordFacts> = {},
): RecordFacts => ({
  id,
  kind: severity === 'good' ? 'award' : 'commitment_broken',
  severity,
  validFrom,
  expiresOn: null,
  repairedOn: null,
  ...extra,
});

describe('credit rules', () => {
  it('masks personal ids and adds months at month ends', () => {
    expect(maskPersonalId('410102199001011234')).toBe('410*************34');
    expect(maskPersonalId(null)).toBeNull();
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-13', -12)).toBe('2025-03-13');
  });

  it('counts a record while valid, unrepaired and in the window', () => {
    expect(inWindow(rec('a', 'serious', '2026-01-01'), '2026-03-01', 12)).toBe(true);
    expect(inWindow(rec('a', 'serious', '2024-01-01'), '2026-03-01', 12)).toBe(false);
    expect(inWindow(rec('a', 'serious', '2026-01-01', { repairedOn: '2026-02-01' }), '2026-03-01', 12)).toBe(
      false,
    );
    expect(inWindow(rec('a', 'serious', '2026-01-01', { expiresOn: '2026-02-01' }), '2026-03-01', 12)).toBe(
      false,
    );
  });

  it('grades with reasons: deductions, capped bonus, black list forces D', () => {
    expect(gradeSubject([], rule, '2026-03-01', false)).toMatchObject({ grade: 'B', score: 90 });
    const good = ['1', '2', '3'].map((i) => rec(i, 'good', '2026-01-01'));
    expect(gradeSubject(good, rule, '2026-03-01', false)).toMatchObject({ grade: 'A', score: 100 });
    const two = [rec('a', 'serious', '2026-01-01'), rec('b', 'serious', '2026-02-01')];
    const c = gradeSubject(two, rule, '2026-03-01', false);
    expect(c).toMatchObject({ grade: 'C', score: 60 });
    expect(c.reasons.filter((r) => r.includes('扣 15 分'))).toHaveLength(2);
    expect(gradeSubject(two, rule, '2026-03-01', true).grade).toBe('D');
    expect(gradeSubject([...two, rec('c', 'serious', '2026-02-02')], rule, '2026-03-01', false).grade).toBe(
      'D',
    );
  });

  it('bad_records: N serious records in M months', () => {
    const cond = { type: 'bad_records' as const, severities: ['serious' as const], minCount: 2, months: 12 };
    const one = [rec('a', 'serious', '2026-01-01'), rec('g', 'general', '2026-01-02')];
    expect(
      evaluateCondition(cond, { records: one, grade: 'B', knownSince: null }, '2026-03-01').matches,
    ).toBe(false);
    const two = [...one, rec('b', 'serious', '2026-02-01')];
    const hit = evaluateCondition(cond, { records: two, grade: 'C', knownSince: null }, '2026-03-01');
    expect(hit).toMatchObject({ matches: true, recordIds: ['a', 'b'] });
  });

  it('clean_grade: grade A, no bad record in M months, known for M months', () => {
    const cond = { type: 'clean_grade' as const, grade: 'A' as const, months: 24 };
    const records = [rec('g', 'good', '2023-06-01'), rec('h', 'good', '2025-06-01')];
    expect(
      evaluateCondition(cond, { records, grade: 'A', knownSince: '2023-06-01' }, '2026-03-01').matches,
    ).toBe(true);
    expect(
      evaluateCondition(cond, { records, grade: 'A', knownSince: '2025-06-01' }, '2026-03-01').matches,
    ).toBe(false);
    const bad = [...records, rec('b', 'general', '2025-01-01')];
    expect(
      evaluateCondition(cond, { records: bad, grade: 'A', knownSince: '2023-06-01' }, '2026-03-01').matches,
    ).toBe(false);
  });
});

describe('双随机 draw', () => {
  const pool: PoolObject[] = Array.from({ length: 20 }, (_, i) => ({
    objectId: `o${String(i).padStart(2, '0')}`,
    subjectId: `s${i % 5}`,
    subjectName: `企业${i % 5}`,
    label: `对象${i}`,
    grade: (['A', 'B', 'C', 'D'] as const)[i % 4]!,
  }));
  const roster: RosterEntry[] = ['i1', 'i2', 'i3', 'i4'].map((id) => ({
    inspectorId: id,
    name: id,
    badgeNo: id,
    tiedSubjectIds: id === 'i1' ? ['s0'] : [],
  }));
  const ratios = { A: 0.2, B: 0.4, C: 0.6, D: 1 };

  it('is reproducible from seed, pool and roster, whatever their order', () => {
    const a = runDraw({ seed: 'seed-1', pool, roster, ratios, inspectorsPerObject: 2 });
    const b = runDraw({
      seed: 'seed-1',
      pool: [...pool].reverse(),
      roster: [...roster].reverse(),
      ratios,
      inspectorsPerObject: 2,
    });
    expect(b).toEqual(a);
    expect(a.poolHash).toBe(poolHash([...pool].reverse()));
    const c = runDraw({ seed: 'seed-2', pool, roster, ratios, inspectorsPerObject: 2 });
    expect(c.picks).not.toEqual(a.picks);
  });

  it('takes ceil(ratio × count) per grade and never a tied inspector', () => {
    for (const seed of ['x1', 'x2', 'x3', 'x4', 'x5']) {
      const d = runDraw({ seed, pool, roster, ratios, inspectorsPerObject: 3 });
      const grades = d.picks.map((p) => pool.find((o) => o.objectId === p.objectId)!.grade);
      expect(grades.filter((g) => g === 'A')).toHaveLength(1);
      expect(grades.filter((g) => g === 'B')).toHaveLength(2);
      expect(grades.filter((g) => g === 'C')).toHaveLength(3);
      expect(grades.filter((g) => g === 'D')).toHaveLength(5);
      for (const p of d.picks) {
        const subject = pool.find((o) => o.objectId === p.objectId)!.subjectId;
        if (subject === 's0') expect(p.inspectorIds).not.toContain('i1');
        expect(new Set(p.inspectorIds).size).toBe(3);
      }
      expect(d.shortOfInspectors).toEqual([]);
    }
    const short = runDraw({ seed: 'x', pool, roster, ratios: { D: 1 }, inspectorsPerObject: 4 });
    expect(short.shortOfInspectors.length).toBeGreaterThan(0);
  });
});

describe('incidents: the records of one act count once', () => {
  const today = '2026-06-01';
  it('names the act, not the revocation that followed it', () => {
    const act = [
      rec('r', 'serious', '2026-03-02', { kind: 'approval_revoked', incident: 'commitment:t1' }),
      rec('c', 'serious', '2026-03-02', { kind: 'commitment_broken', incident: 'commitment:t1' }),
    ];
    const reasons = gradeSubject(act, rule, today, false).reasons.join();
    expect(reasons).toContain('未履行告知承诺');
    expect(reasons).not.toContain('审批决定被撤销');
  });
  it('deducts once per incident, at its most severe, and says so', () => {
    const one = [
      rec('a', 'serious', '2026-03-05', { kind: 'deficiency_overdue', incident: 'deficiency:app1' }),
      rec('b', 'serious', '2026-03-05', { kind: 'deficiency_overdue', incident: 'deficiency:app1' }),
    ];
    const g = gradeSubject(one, rule, today, false);
    expect(g.score).toBe(75);
    expect(g.reasons.join()).toContain('同一事件 2 条记录合并计一次');
    // Without the shared incident each record is its own act.
    expect(
      gradeSubject(
        one.map((r) => ({ ...r, incident: null })),
        rule,
        today,
        false,
      ).score,
    ).toBe(60);
    const mixed = [
      rec('c', 'general', '2026-03-01', { kind: 'inspection_failed', incident: 'draw:1:x' }),
      rec('d', 'serious', '2026-03-01', { kind: 'approval_revoked', incident: 'draw:1:x' }),
    ];
    expect(gradeSubject(mixed, rule, today, false).score).toBe(75);
  });

  it('the black-list condition counts incidents, not records', () => {
    const cond = { type: 'bad_records' as const, severities: ['serious' as const], minCount: 2, months: 12 };
    const perApplication = [
      rec('a', 'serious', '2026-03-05', { incident: 'deficiency:app1' }),
      rec('b', 'serious', '2026-03-05', { incident: 'deficiency:app1' }),
    ];
    const facts = (records: RecordFacts[]) => ({ records, grade: 'C' as const, knownSince: '2026-03-05' });
    const alone = evaluateCondition(cond, facts(perApplication), today);
    expect(alone.matches).toBe(false);
    expect(alone.reason).toContain('1 起');
    const two = evaluateCondition(cond, facts([...perApplication, rec('c', 'serious', '2026-04-01')]), today);
    expect(two.matches).toBe(true);
    expect(two.recordIds.sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('draws: red-listed objects at the red ratio', () => {
  const roster: RosterEntry[] = [{ inspectorId: 'i1', name: '甲', badgeNo: '1', tiedSubjectIds: [] }];
  const obj = (id: string, red: boolean): PoolObject => ({
    objectId: id,
    subjectId: `s-${id}`,
    subjectName: id,
    label: id,
    grade: 'A',
    ...(red ? { red: true } : {}),
  });
  it('draws red objects in their own group and leaves grade A at its ratio', () => {
    const pool = [
      ...Array.from({ length: 10 }, (_, i) => obj(`a${i}`, false)),
      ...Array.from({ length: 10 }, (_, i) => obj(`r${i}`, true)),
    ];
    const out = runDraw({
      seed: 'seed-red-0001',
      pool,
      roster,
      ratios: { A: 1, red: 0 },
      inspectorsPerObject: 1,
    });
    expect(out.picks.map((p) => p.objectId).sort()).toEqual(
      pool
        .filter((o) => !o.red)
        .map((o) => o.objectId)
        .sort(),
    );
    const some = runDraw({
      seed: 'seed-red-0001',
      pool,
      roster,
      ratios: { A: 0, red: 0.3 },
      inspectorsPerObject: 1,
    });
    expect(some.picks).toHaveLength(3);
    expect(some.picks.every((p) => p.objectId.startsWith('r'))).toBe(true);
  });
  it('a pool without red objects draws as sha256-fy-v1 did (old draws re-run unchanged)', () => {
    const pool = Array.from({ length: 8 }, (_, i) => obj(`a${i}`, false));
    const a = runDraw({ seed: 'seed-v1-000001', pool, roster, ratios: { A: 0.5 }, inspectorsPerObject: 1 });
    const b = runDraw({
      seed: 'seed-v1-000001',
      pool,
      roster,
      ratios: { A: 0.5, red: 0.01 },
      inspectorsPerObject: 1,
    });
    expect(b.picks).toEqual(a.picks);
  });
});
