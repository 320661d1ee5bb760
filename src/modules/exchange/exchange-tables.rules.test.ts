import { describe, expect, it } from 'vitest';
import { definitionRows } from './definition.rules';
import { validateRow } from './exchange.rules';
import { licenceRow } from './licence.rules';
import { controlLineRow, ringSummary } from './planning.rules';

const rules = (table: string, row: Record<string, string | number | null>) =>
  validateRow(table, row).map((p) => p.rule);

describe('process definition, licence and 多规合一 rows', () => {
  it('builds a process, its stages and stage items with stable keys and national codes', () => {
    const rows = definitionRows({
      code: 'T',
      version: 2,
      name: '测试流程',
      nationalProcessType: '3',
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
      totalWorkingDays: 40,
      stages: [
        {
          nationalStage: 1,
          name: '立项用地规划许可',
          mergedStages: [1],
          completionRule: 'any_milestone',
          timeLimitWorkingDays: 10,
          items: [{ itemCode: 'A-001', prerequisites: [] }],
        },
      ],
      items: new Map([['A-001', { version: 3 }]]),
      flowchartUrl: null,
    });
    expect(rows.map((r) => [r.tableCode, r.row.DFSJZJ])).toEqual([
      ['SPGL_SPLCXXB_V3', 'T.2'],
      ['SPGL_DFXMSPLCJDXXB', 'T.2.1'],
      ['SPGL_SPLCJBLSXXXB_V3', 'T.2.1.A-001'],
    ]);
    expect(rows[0]!.row.DYBZSPLCLX).toBe(3);
    expect(rows[1]!.row.LCBSXLX).toBe(2);
    expect(rows[2]!.row.SPSXBBH).toBe(3);
    for (const r of rows) expect(validateRow(r.tableCode, r.row)).toEqual([]);
  });

  it('checks code lists, date order and required licence numbers', () => {
    expect(rules('SPGL_SPLCXXB_V3', { DYBZSPLCLX: 11 })).toContain('R-DYBZSPLCLX');
    expect(rules('SPGL_DFXMSPLCJDXXB', { LCBSXLX: 3, SPJDXH: 6 })).toEqual(
      expect.arrayContaining(['R-LCBSXLX', 'R-SPJDXH']),
    );
    expect(rules('SPGL_JZGCSGXKXXB_V3', { JHKGRQ: '2027-01-01', JHJGRQ: '2026-01-01' })).toContain('R-JHRQ');
    expect(rules('SPGL_JZGCSGXKXXB_V3', { JHKGRQ: '2026-01-01', JHJGRQ: '2027-01-01' })).not.toContain(
      'R-JHRQ',
    );
    expect(validateRow('SPGL_JZGCSGXKXXB_V3', {}).map((p) => p.field)).toContain('SGXKZBH');
    expect(rules('SPGL_JSYDGHXKXXB_V3', { YDTYSHXYDM: 'not-a-code' })).toContain('R-USCC');
  });

  it('puts a certificate in the licence table of its type, and no other', () => {
    const facts = {
      id: 'c1',
      taskId: 't1',
      type: 'construction_permit',
      number: '施工许可〔2026〕1号',
      issuedOn: '2026-05-01',
      issuerName: '市城乡建设局',
      issuerCreditCode: null,
      revoked: true,
      revokedReason: '依法撤销',
      itemCode: 'X-001',
      itemVersion: 1,
      project: {
        code: '2026-410102-47-03-000001',
        name: '项目',
        districtCode: '410102',
        siteAreaM2: 1000,
        buildingArea: 5000,
        plannedStart: '2026-06-01',
        plannedCompletion: '2027-06-01',
        totalInvestment: 100,
        enterpriseName: '企业',
        enterpriseCreditCode: null,
        centre: null,
      },
      earlier: { land_use_planning_permit: '用地1号', construction_planning_permit: '工程1号' },
    };
    const built = licenceRow(facts)!;
    expect(built.tableCode).toBe('SPGL_JZGCSGXKXXB_V3');
    expect(built.row).toMatchObject({
      SGXKZBH: '施工许可〔2026〕1号',
      YDGHXKZBH: '用地1号',
      GCGHXKZBH: '工程1号',
      SJYXBS: 0,
      SJWXYY: '依法撤销',
    });
    expect(licenceRow({ ...facts, type: 'land_approval' })).toBeNull();
  });

  it('marks a superseded control line invalid and summarises a red line', () => {
    const row = controlLineRow({
      layerId: 'l1',
      name: '红线',
      kindName: '生态保护红线',
      version: 1,
      featureCount: 2,
      uploadedOn: '2026-01-01',
      current: false,
    });
    expect(row).toMatchObject({ SJYXBS: 0, SJWXYY: '已被新版本替代' });
    const summary = ringSummary(
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
    );
    expect(summary).toEqual({ vertices: 3, bbox: [0, 0, 1, 1] });
  });
});
