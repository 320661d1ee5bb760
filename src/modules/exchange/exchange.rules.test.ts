import { describe, expect, it } from 'vitest';
import { backoffMs, projectRow, rowChecksum, validateRow, type ProjectFacts } from './exchange.rules';
import { spglTable } from './spgl.tables.data';

const facts: ProjectFacts = {
  id: 'p1',
  code: '2026-410102-47-03-000001',
  name: '测试项目',
  districtCode: '410102',
  industryCode: '47',
  approvalType: '03',
  totalInvestment: 8000,
  plannedStart: '2026-05-01',
  plannedCompletion: '2028-05-01',
  siteAreaM2: 1234.567,
  buildingArea: null,
  createdAt: '2026-03-02T01:00:00.000Z',
  templateCode: 'SOCIAL_TRANSFER',
  templateVersion: 1,
  nationalProcessType: '3',
  landWithScheme: false,
  withinRegionalAssessment: true,
  enterpriseName: '郑州市示范建设发展有限公司',
  enterpriseCreditCode: '91410100MA44XXXX0A',
  completedAt: null,
};

describe('SPGL rows', () => {
  it('builds 项目基本信息 with the reference field codes, valid', () => {
    const row = projectRow(facts);
    expect(row).toMatchObject({
      XMDM: facts.code,
      LXLX: 3,
      SPLCLX: 3,
      SFWCQYPG: 1,
      XMSFWQBJ: 0,
      YDMJ: 1234.57,
    });
    const fields = new Set(spglTable('SPGL_XMJBXXB_V3')!.fields.map((f) => f.code));
    expect(Object.keys(row).every((k) => fields.has(k))).toBe(true);
    expect(validateRow('SPGL_XMJBXXB_V3', row)).toEqual([]);
  });

  it('rule 130: 拟开工时间 must be earlier than 拟建成时间', () => {
    const row = projectRow({ ...facts, plannedStart: '2028-05-01', plannedCompletion: '2028-05-01' });
    expect(validateRow('SPGL_XMJBXXB_V3', row).map((p) => p.rule)).toEqual(['130']);
  });

  it('names each failing rule: required, format, code list, type, unknown field', () => {
    const row = { ...projectRow(facts), XMMC: '', XZQHDM: '4101', XMDM: 'x', BLZT: 3, ZTZE: 'a' };
    const rules = validateRow('SPGL_XMJBXXB_V3', row as never).map((p) => p.rule);
    expect(rules).toEqual(expect.arrayContaining(['R-REQUIRED', 'R-XZQHDM', 'R-XMDM', 'R-FIELD', 'R-TYPE']));
  });

  it('checksums by field type, so a database round trip (bigint as text) compares equal', () => {
    const table = spglTable('SPGL_XMJBXXB_V3')!;
    const row = projectRow(facts);
    const fromDb = Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k.toLowerCase(), typeof v === 'number' ? String(v) : v]),
    );
    expect(rowChecksum(table, fromDb)).toBe(rowChecksum(table, row));
    expect(rowChecksum(table, { ...row, XMMC: '别的' })).not.toBe(rowChecksum(table, row));
  });

  it('backs off 1, 2, 4 … minutes up to an hour', () => {
    expect([1, 2, 3, 8, 30].map(backoffMs)).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });
});
