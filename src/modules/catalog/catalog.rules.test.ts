import { describe, expect, it } from 'vitest';
import { catalogChanges, catalogItems } from './catalog.data';
import {
  activeItemAt,
  filterItems,
  indexItems,
  publicationProblem,
  validateCatalog,
  validateCatalogChanges,
} from './catalog.rules';
import { CatalogChangeSchema, DepartmentSchema, type Item, ItemSchema } from './catalog.schemas';
import { departments } from './departments.data';

/** Items the catalog keeps on purpose although only a rule / normative document sets them up (任务1). */
const INTENDED_BASIS_FLAGS = ['ZZ-CJJ-014', 'ZZ-FGW-007', 'ZZ-SLJ-006'];

const byCode = indexItems(catalogItems);
const get = (code: string): Item => {
  const item = byCode.get(code);
  if (!item) throw new Error(`missing ${code}`);
  return item;
};

function sampleItem(overrides: Partial<Item> = {}): Item {
  return { ...get('ZZ-ZRZY-002'), ...overrides };
}

describe('shipped catalog', () => {
  it('parses with the schemas', () => {
    for (const item of catalogItems) expect(ItemSchema.safeParse(item).success, item.code).toBe(true);
    for (const change of catalogChanges)
      expect(CatalogChangeSchema.safeParse(change).success, change.id).toBe(true);
    for (const department of departments)
      expect(DepartmentSchema.safeParse(department).success, department.code).toBe(true);
  });

  it('has at least 40 active items covering stages 1–5', () => {
    const active = catalogItems.filter((i) => i.status === 'active');
    expect(active.length).toBeGreaterThanOrEqual(40);
    for (const stage of [1, 2, 3, 4, 5]) {
      expect(active.filter((i) => i.stage === stage).length, `stage ${stage}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('has no errors except the intended BASIS_TOO_LOW flags', () => {
    const errors = validateCatalog(catalogItems, departments).filter((i) => i.severity === 'error');
    expect(errors.every((e) => e.code === 'BASIS_TOO_LOW')).toBe(true);
    expect(errors.map((e) => e.itemCode).sort()).toEqual(INTENDED_BASIS_FLAGS);
  });

  it('has unique department codes and the plan’s stage leads', () => {
    const codes = departments.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    const leads = (stage: number) =>
      departments.filter((d) => d.leadsStages.includes(stage)).map((d) => d.code);
    expect(leads(1)).toEqual(['fgw']);
    expect(leads(2)).toEqual(['zrzy']);
    expect(leads(3).sort()).toEqual(['cjj', 'zdxmb']);
    expect(leads(4).sort()).toEqual(['cjj', 'zdxmb']);
  });

  it('records every merge and cancellation with its basis', () => {
    expect(validateCatalogChanges(catalogChanges, catalogItems)).toEqual([]);
    const change = (task: string) =>
      catalogChanges.filter((c) => new RegExp(`附件任务${task}(?!\\d)`).test(c.basis));

    // 任务3: 建设用地审查报批 + 国有土地使用权协议出让(划拨)审核 → 建设项目国有土地使用权审核
    expect(change('3')).toHaveLength(1);
    const [t3] = change('3');
    expect(t3?.kind).toBe('merge');
    expect(t3?.itemCodes.map((c) => get(c).name)).toEqual([
      '建设用地审查报批',
      '国有土地使用权协议出让(划拨)审核',
    ]);
    expect(get(t3?.resultItemCode ?? '').name).toBe('建设项目国有土地使用权审核');

    // 任务4: 压覆矿产资源审批 + 矿产资源储量登记 → 建设项目压覆重要矿产资源审批
    const [t4] = change('4');
    expect(t4?.itemCodes.map((c) => get(c).name)).toEqual(['建设项目压覆矿产资源审批', '矿产资源储量登记']);
    expect(get(t4?.resultItemCode ?? '').name).toBe('建设项目压覆重要矿产资源审批');

    // 任务5: 防空地下室建设审批 + 易地建设审批 → 防空地下室建设审批
    const [t5] = change('5');
    expect(t5?.itemCodes.map((c) => get(c).name)).toContain('防空地下室易地建设审批');
    expect(get(t5?.resultItemCode ?? '').name).toBe('防空地下室建设审批');

    // 任务6: two cancellations
    const t6 = change('6');
    expect(t6.every((c) => c.kind === 'cancel')).toBe(true);
    expect(t6.flatMap((c) => c.itemCodes.map((code) => get(code))).map((i) => [i.name, i.status])).toEqual([
      ['民用建筑节能审查备案', 'cancelled'],
      ['建设工程施工监理合同备案', 'cancelled'],
    ]);

    // 任务18: 质量安全监督备案、施工图审查备案 merged into 施工许可
    const [t18] = change('18');
    expect(t18?.resultItemCode).toBe('ZZ-CJJ-001');
    expect(t18?.itemCodes).toHaveLength(3);
  });

  it('uses each material code with one name only', () => {
    const names = new Map<string, Set<string>>();
    for (const material of catalogItems.flatMap((i) => i.materials)) {
      names.set(material.code, (names.get(material.code) ?? new Set()).add(material.name));
    }
    expect([...names.values()].every((set) => set.size === 1)).toBe(true);
    // Shared documents really are shared, so a stage can de-duplicate them.
    const licenceUsers = catalogItems.filter((i) => i.materials.some((m) => m.code === 'M_BUSINESS_LICENCE'));
    expect(licenceUsers.length).toBeGreaterThan(40);
  });

  it('issues certificates from the right items', () => {
    const certificateOf = (code: string) => get(code).certificateType;
    expect(certificateOf('ZZ-ZRZY-002')).toBe('land_use_planning_permit');
    expect(certificateOf('ZZ-ZRZY-007')).toBe('construction_planning_permit');
    expect(certificateOf('ZZ-CJJ-001')).toBe('construction_permit');
    expect(certificateOf('ZZ-CJJ-007')).toBe('completion_filing');
  });
});

describe('ItemSchema', () => {
  it('refuses a promised limit above the legal one, on the promised field', () => {
    const result = ItemSchema.safeParse(sampleItem({ legalTimeLimitDays: 5, promisedTimeLimitDays: 6 }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['promisedTimeLimitDays']);
    expect(result.error?.issues[0]?.message).toContain('不得超过法定时限');
  });
});

describe('validateCatalog', () => {
  const codesOf = (items: Item[]) => validateCatalog(items, departments).map((i) => i.code);

  it('flags an item whose only basis is a department rule or a normative document (任务1)', () => {
    expect(codesOf([sampleItem({ legalBasisLevel: 'department_rule' })])).toContain('BASIS_TOO_LOW');
    expect(codesOf([sampleItem({ legalBasisLevel: 'normative_document' })])).toContain('BASIS_TOO_LOW');
    expect(codesOf([sampleItem({ legalBasisLevel: 'state_council_decision' })])).not.toContain(
      'BASIS_TOO_LOW',
    );
    // Retired items and utility services are not approvals to cancel.
    expect(codesOf([sampleItem({ legalBasisLevel: 'normative_document', status: 'merged' })])).not.toContain(
      'BASIS_TOO_LOW',
    );
    expect(
      codesOf([sampleItem({ legalBasisLevel: 'normative_document', departmentCode: 'heat' })]),
    ).not.toContain('BASIS_TOO_LOW');
  });

  it('flags a promised limit above the legal one', () => {
    expect(codesOf([sampleItem({ legalTimeLimitDays: 3, promisedTimeLimitDays: 5 })])).toContain(
      'PROMISED_EXCEEDS_LEGAL',
    );
  });

  it('flags an unknown department', () => {
    const issues = validateCatalog([sampleItem({ departmentCode: 'nobody' })], departments);
    expect(issues.find((i) => i.code === 'UNKNOWN_DEPARTMENT')?.severity).toBe('error');
  });

  it('flags duplicate codes but accepts consecutive versions', () => {
    expect(codesOf([sampleItem(), sampleItem({ name: '另一个' })])).toContain('DUPLICATE_CODE');
    const v1 = sampleItem({ version: 1, effectiveFrom: '2019-06-01', effectiveTo: '2020-01-01' });
    const v2 = sampleItem({ version: 2, effectiveFrom: '2020-01-01', effectiveTo: null });
    expect(codesOf([v1, v2])).not.toContain('DUPLICATE_CODE');
  });

  it('warns about an unconfirmed time limit', () => {
    const issues = validateCatalog([sampleItem({ timeLimitConfirmed: false })], departments);
    expect(issues).toEqual([
      expect.objectContaining({ code: 'UNCONFIRMED_TIME_LIMIT', severity: 'warning' }),
    ]);
  });

  it('flags one material code used with two names', () => {
    const a = sampleItem({ code: 'ZZ-TEST-001' });
    const b = sampleItem({
      code: 'ZZ-TEST-002',
      materials: [{ code: 'M_SITE_RED_LINE', name: '宗地图', required: true, deficiencyAllowed: false }],
    });
    const conflict = validateCatalog([a, b], departments).find((i) => i.code === 'MATERIAL_CONFLICT');
    expect(conflict?.itemCode).toBe('ZZ-TEST-002');
    expect(conflict?.message).toContain('宗地图');
  });
});

describe('validateCatalogChanges', () => {
  it('flags a retired item without a recorded change and a change on an unknown item', () => {
    const orphan = sampleItem({ code: 'ZZ-TEST-009', status: 'cancelled' });
    const issues = validateCatalogChanges(
      [{ ...catalogChanges[0]!, itemCodes: ['ZZ-NOPE-001'] }],
      [...catalogItems, orphan],
    );
    expect(issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(['CHANGE_UNKNOWN_ITEM', 'RETIRED_WITHOUT_CHANGE']),
    );
  });
});

describe('filterItems', () => {
  it('defaults to active items', () => {
    const result = filterItems(catalogItems);
    expect(result.length).toBe(catalogItems.filter((i) => i.status === 'active').length);
    expect(result.every((i) => i.status === 'active')).toBe(true);
  });

  it('filters by stage, department and status', () => {
    expect(filterItems(catalogItems, { stage: 4 }).every((i) => i.stage === 4)).toBe(true);
    expect(filterItems(catalogItems, { departmentCode: 'rfb' }).map((i) => i.code)).toEqual([
      'ZZ-RFB-003',
      'ZZ-RFB-005',
    ]);
    expect(filterItems(catalogItems, { status: 'cancelled' }).map((i) => i.code)).toEqual([
      'ZZ-CJJ-011',
      'ZZ-CJJ-012',
    ]);
    expect(filterItems(catalogItems, { status: 'all' })).toHaveLength(catalogItems.length);
  });

  it('matches q against code or name, case-insensitively', () => {
    expect(filterItems(catalogItems, { q: 'zz-zrzy-007' }).map((i) => i.code)).toEqual(['ZZ-ZRZY-007']);
    expect(filterItems(catalogItems, { q: '施工许可证' }).map((i) => i.code)).toEqual(['ZZ-CJJ-001']);
    expect(filterItems(catalogItems, { q: '规划许可', stage: 1 }).map((i) => i.code)).toEqual([
      'ZZ-ZRZY-002',
    ]);
  });
});

describe('activeItemAt', () => {
  const v1 = sampleItem({
    version: 1,
    effectiveFrom: '2019-06-01',
    effectiveTo: '2020-03-01',
    promisedTimeLimitDays: 5,
  });
  const v2 = sampleItem({
    version: 2,
    effectiveFrom: '2020-03-01',
    effectiveTo: null,
    promisedTimeLimitDays: 3,
  });

  it('picks the version in effect on the date, the new one on the changeover day', () => {
    expect(activeItemAt([v2, v1], 'ZZ-ZRZY-002', '2019-12-31')?.version).toBe(1);
    expect(activeItemAt([v1, v2], 'ZZ-ZRZY-002', '2020-03-01')?.version).toBe(2);
    expect(activeItemAt([v1, v2], 'ZZ-ZRZY-002', '2030-01-01')?.version).toBe(2);
  });

  it('returns undefined before the first version or for another code', () => {
    expect(activeItemAt([v1, v2], 'ZZ-ZRZY-002', '2019-05-31')).toBeUndefined();
    expect(activeItemAt([v1, v2], 'ZZ-ZRZY-001', '2020-01-01')).toBeUndefined();
  });
});

describe('publicationProblem', () => {
  const current = { version: 3, effectiveFrom: '2026-01-10' };
  it('refuses a stale version with CONFLICT_STATE', () => {
    expect(
      publicationProblem(current, { version: 2, effectiveFrom: '2026-03-01' }, '2026-03-02'),
    ).toMatchObject({
      code: 'CONFLICT_STATE',
      field: 'body.version',
    });
    expect(
      publicationProblem(undefined, { version: 2, effectiveFrom: '2026-03-01' }, '2026-03-02')?.code,
    ).toBe('CONFLICT_STATE');
  });
  it('honours an effective date after the current one and not after today', () => {
    expect(publicationProblem(current, { version: 3, effectiveFrom: '2026-02-01' }, '2026-03-02')).toBeNull();
    expect(publicationProblem(current, { version: 3, effectiveFrom: '2026-03-02' }, '2026-03-02')).toBeNull();
    expect(
      publicationProblem(undefined, { version: 1, effectiveFrom: '2019-07-05' }, '2026-03-02'),
    ).toBeNull();
    for (const effectiveFrom of ['2026-01-10', '2026-01-01', '2026-03-03']) {
      expect(publicationProblem(current, { version: 3, effectiveFrom }, '2026-03-02')).toMatchObject({
        code: 'RULE_VIOLATION',
        field: 'body.effectiveFrom',
      });
    }
  });
});
