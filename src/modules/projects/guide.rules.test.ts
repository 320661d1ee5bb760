import { describe, expect, it } from 'vitest';
import { fieldSchema, mergeForm, mergeMaterials, type GuideItem } from './guide.rules';

const planning: GuideItem = {
  code: 'ZZ-ZRZY-001',
  formFields: [
    { key: 'projectName', label: '项目名称', type: 'string', required: true },
    { key: 'landArea', label: '用地面积', type: 'number', required: false },
    { key: 'plannedStart', label: '计划开工日期', type: 'date', required: false },
  ],
  materials: [
    { code: 'M_APPLICATION', name: '申请表', required: true, deficiencyAllowed: false },
    { code: 'M_SITE_PLAN', name: '总平面图', required: false, deficiencyAllowed: true },
  ],
};
const permit: GuideItem = {
  code: 'ZZ-CJ-002',
  formFields: [
    { key: 'projectName', label: '工程名称', type: 'string', required: false },
    { key: 'landArea', label: '用地面积', type: 'number', required: true },
    { key: 'hasBasement', label: '是否有地下室', type: 'boolean', required: false },
  ],
  materials: [
    { code: 'M_SITE_PLAN', name: '总平面图', required: true, deficiencyAllowed: false },
    { code: 'M_CONTRACT', name: '施工合同', required: true, deficiencyAllowed: true },
  ],
};

describe('mergeForm', () => {
  it('makes one draft 2020-12 object with each key once, required if any item requires it', () => {
    const form = mergeForm([planning, permit]);
    expect(form.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(form.type).toBe('object');
    expect(Object.keys(form.properties)).toEqual(['projectName', 'landArea', 'plannedStart', 'hasBasement']);
    expect(form.required).toEqual(['projectName', 'landArea']);
    // The first item's label wins for a shared key.
    expect(form.properties.projectName).toEqual({ title: '项目名称', type: 'string' });
    expect(form.properties.plannedStart).toEqual({ title: '计划开工日期', type: 'string', format: 'date' });
    expect(form.properties.hasBasement).toEqual({ title: '是否有地下室', type: 'boolean' });
  });
  it('is an empty object schema for no items', () => {
    expect(mergeForm([])).toMatchObject({ properties: {}, required: [] });
  });
  it('maps unknown field types to strings', () => {
    expect(fieldSchema({ key: 'x', label: 'X', type: 'text' })).toEqual({ title: 'X', type: 'string' });
  });
});

describe('mergeMaterials', () => {
  it('lists a shared material once, required if any requires it, 容缺 only if all allow it', () => {
    const merged = mergeMaterials([planning, permit], new Map());
    expect(merged.map((m) => m.code)).toEqual(['M_APPLICATION', 'M_SITE_PLAN', 'M_CONTRACT']);
    const sitePlan = merged.find((m) => m.code === 'M_SITE_PLAN')!;
    expect(sitePlan).toMatchObject({
      required: true,
      deficiencyAllowed: false,
      items: ['ZZ-ZRZY-001', 'ZZ-CJ-002'],
    });
    expect(merged.find((m) => m.code === 'M_CONTRACT')).toMatchObject({
      required: true,
      deficiencyAllowed: true,
      items: ['ZZ-CJ-002'],
    });
  });
  it('marks materials the project already has on file (never asked twice)', () => {
    const merged = mergeMaterials([planning, permit], new Map([['M_SITE_PLAN', 'file-1']]));
    expect(merged.find((m) => m.code === 'M_SITE_PLAN')).toMatchObject({ onFile: true, fileId: 'file-1' });
    expect(merged.find((m) => m.code === 'M_APPLICATION')).toMatchObject({ onFile: false, fileId: null });
  });
});
