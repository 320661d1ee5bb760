import { describe, expect, it } from 'vitest';
import { itemFormFields, registryAnswers } from '../projects/guide.rules';
import { licenceRow, LICENCE_TABLE_OF, type LicenceFacts } from '../exchange/licence.rules';
import { SPGL_TABLES } from '../exchange/spgl.tables.data';
import { nationalForms, nationalRows, nationalSpglValues, nationalValues } from './certificate-form.rules';
import { detailRows } from './certificate.rules';

describe('national certificate forms', () => {
  it('name each SPGL field as the licence table of its certificate type does', () => {
    for (const [type, fields] of Object.entries(nationalForms)) {
      const table = SPGL_TABLES.find((t) => t.code === LICENCE_TABLE_OF[type]);
      expect(table, type).toBeDefined();
      for (const f of fields!.filter((x) => x.spgl)) {
        const spgl = table!.fields.find((x) => x.code === f.spgl);
        expect(spgl, `${type}.${f.key} → ${f.spgl}`).toBeDefined();
        // The certificate's wording may be the 式样's (用地单位), the SPGL name is what the table calls it.
        if (!['applicantName', 'projectName', 'constructionSite', 'landAcquisitionMethod'].includes(f.key))
          expect(spgl!.name, `${type}.${f.key}`).toBe(f.label);
      }
    }
  });

  it('adds the national fields to the form of the item that issues the certificate', () => {
    const fields = itemFormFields({
      certificateType: 'construction_permit',
      formFields: [{ key: 'contractPrice', label: '合同价款', type: 'number', required: true, unit: '万元' }],
    });
    // The catalog's own definition wins; the rest of the 施工许可证 form follows.
    expect(fields.filter((f) => f.key === 'contractPrice')).toEqual([
      { key: 'contractPrice', label: '合同价款', type: 'number', required: true, unit: '万元' },
    ]);
    expect(fields.find((f) => f.key === 'surveyFirmName')).toMatchObject({
      label: '勘察单位',
      required: true,
    });
    expect(fields.find((f) => f.key === 'contractPeriodDays')).toMatchObject({ unit: '日历天' });
    expect(itemFormFields({ certificateType: null, formFields: [] })).toEqual([]);
  });

  it('prints the answered fields in the form order with units, and fills their SPGL columns', () => {
    const form = { contractPrice: 12000, surveyFirmName: ' 某勘察院 ', contractorName: '', other: 'x' };
    const values = nationalValues('construction_permit', form);
    expect(values).toEqual({ contractPrice: 12000, surveyFirmName: '某勘察院' });
    expect(nationalRows('construction_permit', values)).toEqual([
      ['合同价格', '12,000 万元'],
      ['勘察单位', '某勘察院'],
    ]);
    expect(detailRows({ projectCode: 'P1', projectName: '甲', ...values }, 'construction_permit')).toEqual([
      ['项目代码', 'P1'],
      ['工程名称', '甲'],
      ['合同价格', '12,000 万元'],
      ['勘察单位', '某勘察院'],
    ]);
    expect(nationalSpglValues('construction_permit', { ...values, constructionSite: '郑州市某路' })).toEqual({
      HTJG: 12000,
      JSDZ: '郑州市某路',
    });
  });

  it('lets the certificate, not the registration, say what the licence row says', () => {
    const facts: LicenceFacts = {
      id: 'c1',
      taskId: 't1',
      type: 'construction_permit',
      number: '郑建许〔2026〕1号',
      issuedOn: '2026-05-01',
      issuerName: '郑州市城乡建设局',
      issuerCreditCode: null,
      revoked: false,
      revokedReason: null,
      itemCode: 'ZZ-CJJ-001',
      itemVersion: 1,
      project: {
        code: 'P1',
        name: '甲',
        districtCode: '410122',
        siteAreaM2: 1000,
        buildingArea: 12000,
        plannedStart: '2026-06-01',
        plannedCompletion: '2027-06-01',
        totalInvestment: 8000,
        enterpriseName: '乙',
        enterpriseCreditCode: null,
        centre: null,
      },
      earlier: {},
      details: { contractPrice: 12000, constructionScale: '住宅 3 栋', aboveGroundArea: 9000 },
    };
    const row = licenceRow(facts)!.row;
    expect(row).toMatchObject({
      HTJG: 12000,
      JSGM: '住宅 3 栋',
      DSJZMJ: 9000,
      ZJZMJ: 12000,
      SGXKZBH: facts.number,
    });
    // Without national fields the registration's approximation stays.
    expect(licenceRow({ ...facts, details: {} })!.row.JSGM).toContain('用地面积');
  });

  it('answers 土地取得方式 from the registered 供地方式', () => {
    const facts = {
      name: '甲',
      code: 'P1',
      enterpriseName: '乙',
      totalInvestment: 1,
      siteAreaM2: 1,
      plannedStart: '2026-01-01',
      plannedCompletion: '2027-01-01',
    };
    expect(
      registryAnswers({ ...facts, attributes: { landSupplyMethod: 'allocation' } }).landAcquisitionMethod,
    ).toBe('划拨');
    expect(
      registryAnswers({ ...facts, attributes: { landSupplyMethod: 'existing' } }).landAcquisitionMethod,
    ).toBeUndefined();
  });
});
