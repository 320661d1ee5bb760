import { describe, expect, it } from 'vitest';
import { catalogItems } from '../catalog/catalog.data';
import {
  certificateMaterials,
  fieldSchema,
  formPrefill,
  materialCodesByName,
  materialReviews,
  materialsOnFile,
  mergeForm,
  mergeMaterials,
  registryAnswers,
  registryContradictions,
  RESULT_MATERIALS,
  resultMaterial,
  stageMaterialSet,
  latestDecisions,
  type TaskMaterial,
  type GuideItem,
} from './guide.rules';

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

// ---------------------------------------------------------------------------------------------
// Never ask twice (task 58), over the real catalog.

const catalog = new Map(catalogItems.filter((i) => i.status === 'active').map((i) => [i.code, i]));
const byName = materialCodesByName(catalogItems);
const item = (code: string) => catalog.get(code)!;

describe('what the system produces stands for a material', () => {
  it('maps each certificate type to the material named like its result document', () => {
    expect(Object.fromEntries(certificateMaterials(catalog.values(), byName))).toEqual({
      site_selection: 'M_SITE_SELECTION_OPINION',
      land_use_planning_permit: 'M_LAND_USE_PLANNING_PERMIT',
      land_approval: 'M_LAND_CERTIFICATE',
      construction_planning_permit: 'M_CONSTRUCTION_PLANNING_PERMIT',
    });
  });
  it('finds a result by the material of the same name, by the table for collective names, else none', () => {
    expect(resultMaterial(item('ZZ-ZRZY-002'), byName)).toBe('M_LAND_USE_PLANNING_PERMIT');
    expect(resultMaterial(item('ZZ-STSC-001'), byName)).toBe('M_DRAWING_REVIEW_CERT');
    expect(resultMaterial(item('ZZ-FGW-005'), byName)).toBe('M_PROJECT_APPROVAL_DOC');
    expect(resultMaterial(item('ZZ-FGW-004'), byName)).toBe('M_PROJECT_APPROVAL_DOC');
    expect(resultMaterial(item('ZZ-ZRZY-006'), byName)).toBeNull();
    expect(resultMaterial(item('ZZ-CJJ-001'), byName)).toBeNull();
  });
  it('names only real items and materials of the catalog in the table', () => {
    const codes = new Set(catalogItems.flatMap((i) => i.materials.map((m) => m.code)));
    for (const [itemCode, material] of Object.entries(RESULT_MATERIALS)) {
      expect(catalog.has(itemCode), itemCode).toBe(true);
      expect(codes.has(material), material).toBe(true);
    }
  });
});

describe('stageMaterialSet', () => {
  it('drops what an item of the same stage produces and says who produces it', () => {
    const stage3 = [item('ZZ-STSC-001'), item('ZZ-CJJ-002'), item('ZZ-CJJ-001')];
    const { needs, producedInStage } = stageMaterialSet(stage3, byName);
    expect(needs.map((m) => m.code)).not.toContain('M_DRAWING_REVIEW_CERT');
    expect(needs.map((m) => m.code)).toContain('M_CONSTRUCTION_PLANNING_PERMIT');
    expect(producedInStage).toEqual([
      {
        code: 'M_DRAWING_REVIEW_CERT',
        name: '施工图审查合格书',
        producedBy: ['ZZ-STSC-001'],
        usedBy: ['ZZ-CJJ-002', 'ZZ-CJJ-001'],
      },
    ]);
  });
  it('asks for a result of another stage as usual', () => {
    const { needs, producedInStage } = stageMaterialSet([item('ZZ-CJJ-001')], byName);
    expect(needs.map((m) => m.code)).toContain('M_DRAWING_REVIEW_CERT');
    expect(producedInStage).toEqual([]);
  });
});

describe('materialsOnFile', () => {
  const at = new Date('2026-03-02T01:00:00Z');
  const cert = {
    id: 'c1',
    identifier: '1.2.156.3005.2.x',
    type: 'land_use_planning_permit',
    title: '建设用地规划许可证',
    issuedAt: at,
    simulated: false,
  };
  it('counts a certificate in force as the material it stands for, before an upload of it', () => {
    const onFile = materialsOnFile({
      uploads: [
        { materialCode: 'M_LAND_USE_PLANNING_PERMIT', fileId: 'f0', submittedAt: at },
        { materialCode: 'M_DESIGN_SCHEME', fileId: 'f1', submittedAt: at },
      ],
      certificates: [cert],
      results: [],
      catalog,
      byName,
    });
    expect(onFile.get('M_LAND_USE_PLANNING_PERMIT')).toMatchObject({
      source: 'certificate',
      certificateId: 'c1',
    });
    expect(onFile.get('M_DESIGN_SCHEME')).toEqual({
      source: 'upload',
      fileId: 'f1',
      since: at.toISOString(),
    });
  });
  it('counts an approved result that is no certificate; a certificate item only through its certificate', () => {
    const results = [
      { taskId: 't1', itemCode: 'ZZ-FGW-005', documentNumber: '郑发改备 1', decidedAt: at, simulated: false },
      { taskId: 't2', itemCode: 'ZZ-ZRZY-002', documentNumber: null, decidedAt: at, simulated: false },
    ];
    const onFile = materialsOnFile({ uploads: [], certificates: [], results, catalog, byName });
    expect(onFile.get('M_PROJECT_APPROVAL_DOC')).toMatchObject({ source: 'result', taskId: 't1' });
    // Its certificate was revoked (or never issued): the approved task alone does not bring it back.
    expect(onFile.has('M_LAND_USE_PLANNING_PERMIT')).toBe(false);
  });
});

describe('formPrefill', () => {
  const form = mergeForm([item('ZZ-FGW-002'), item('ZZ-ZRZY-006')]);
  const registry = registryAnswers({
    name: '郑州示例项目',
    code: '2026-410122-47-01-000001',
    enterpriseName: '郑州示例建设有限公司',
    totalInvestment: 8000,
    siteAreaM2: 10234.567,
    plannedStart: '2026-06-01',
    plannedCompletion: '2028-06-01',
    attributes: { buildingArea: 0, designFirmGradeA: false },
  });
  it('carries units into the form', () => {
    expect(form.properties.totalInvestment).toMatchObject({ type: 'number', unit: '万元' });
    expect(form.properties.landArea).toMatchObject({ type: 'number', unit: '平方米' });
  });
  it('answers registry fields read-only and earlier answers editable, newest first', () => {
    const out = formPrefill(form, registry, [
      { constructionContent: '新的建设内容', buildingArea: 'not a number' },
      { constructionContent: '旧的建设内容', buildingArea: 52000 },
    ]);
    expect(out.prefill).toMatchObject({
      projectName: '郑州示例项目',
      projectCode: '2026-410122-47-01-000001',
      applicantName: '郑州示例建设有限公司',
      totalInvestment: 8000,
      landArea: 10234.57,
      constructionContent: '新的建设内容',
      buildingArea: 52000,
    });
    expect(out.form.properties.projectName).toMatchObject({ default: '郑州示例项目', readOnly: true });
    expect(out.form.properties.constructionContent).toEqual({
      title: '建设规模及内容',
      type: 'string',
      default: '新的建设内容',
    });
    expect(out.known).toContainEqual({ key: 'projectCode', source: 'project' });
    expect(out.known).toContainEqual({ key: 'buildingArea', source: 'application' });
    // Nothing known: asked as before.
    expect(out.prefill.constructionSite).toBeUndefined();
    expect(out.form.properties.constructionSite).toEqual({ title: '建设地点', type: 'string' });
  });
  it('does not take a building area of 0 (not given) as a fact', () => {
    expect(registry.buildingArea).toBeUndefined();
    expect(registry.designFirmGradeA).toBe(false);
  });
});

describe('materialReviews', () => {
  const row = (over: Partial<TaskMaterial>): TaskMaterial => ({
    taskId: 't1',
    itemCode: 'ZZ-ZRZY-002',
    departmentCode: 'zrzy',
    materialCode: 'M_BUSINESS_LICENCE',
    fileId: 'f1',
    ...over,
  });
  const at = (iso: string) => new Date(iso);
  const decisions = [
    { taskId: 't0', step: 'initial', outcome: 'approve', decidedAt: at('2026-03-03T02:00:00Z'), round: 1 },
    // One round, one time: 复核 is the later decision all the same.
    { taskId: 't1', step: 'initial', outcome: 'approve', decidedAt: at('2026-03-05T02:00:00Z'), round: 1 },
    { taskId: 't1', step: 'final', outcome: 'approve', decidedAt: at('2026-03-05T02:00:00Z'), round: 1 },
  ];
  const names = new Map([
    ['zrzy', '市自然资源和规划局'],
    ['fgw', '市发展改革委'],
  ]);
  it('lists per material the decided tasks whose item asks for it, oldest first', () => {
    const reviews = materialReviews(
      [
        row({}),
        row({ taskId: 't0', itemCode: 'ZZ-FGW-005', departmentCode: 'fgw' }),
        // ZZ-FGW-005 does not ask for the red-line map: its department did not review it.
        row({ taskId: 't0', itemCode: 'ZZ-FGW-005', departmentCode: 'fgw', materialCode: 'M_SITE_RED_LINE' }),
        row({ materialCode: 'M_SITE_RED_LINE' }),
        // Not decided yet: reviewed nothing.
        row({ taskId: 't2', itemCode: 'ZZ-ZRZY-004' }),
      ],
      decisions,
      catalog,
      names,
    );
    expect(reviews.M_BUSINESS_LICENCE!.map((r) => [r.taskId, r.departmentName])).toEqual([
      ['t0', '市发展改革委'],
      ['t1', '市自然资源和规划局'],
    ]);
    expect(reviews.M_SITE_RED_LINE).toEqual([
      {
        taskId: 't1',
        itemCode: 'ZZ-ZRZY-002',
        itemName: '建设用地规划许可证核发',
        departmentCode: 'zrzy',
        departmentName: '市自然资源和规划局',
        fileId: 'f1',
        step: 'final',
        outcome: 'approve',
        decidedAt: '2026-03-05T02:00:00.000Z',
      },
    ]);
  });
  it('takes the highest round, then 复核 after 初核, as the latest decision', () => {
    const latest = latestDecisions([
      ...decisions,
      { taskId: 't1', step: 'initial', outcome: 'return', decidedAt: at('2026-03-01T02:00:00Z'), round: 2 },
    ]);
    expect(latest.get('t1')).toMatchObject({ round: 2, outcome: 'return' });
    expect(latestDecisions(decisions).get('t1')).toMatchObject({ step: 'final' });
  });
});

describe('registryContradictions (the stage form against the registered project)', () => {
  const fields = [
    { key: 'projectName', label: '项目名称' },
    { key: 'totalInvestment', label: '总投资', unit: '万元' },
    { key: 'landArea', label: '用地面积', unit: '平方米' },
    { key: 'isSpecialConstruction', label: '是否特殊建设工程' },
    { key: 'designUnit', label: '设计单位' },
  ];
  const registry = {
    projectName: '郑东新区住宅',
    totalInvestment: 8000,
    landArea: 12000.5,
    isSpecialConstruction: false,
  };

  it('accepts the registered values (and fields the form leaves out, and fields the registry does not know)', () => {
    expect(
      registryContradictions(
        fields,
        { projectName: ' 郑东新区住宅 ', totalInvestment: 8000.001, designUnit: '某设计院' },
        registry,
      ),
    ).toEqual([]);
  });

  it('names each contradicting field with both values and the unit', () => {
    const problems = registryContradictions(
      fields,
      { projectName: '另一个项目', totalInvestment: 9000, landArea: 12000.5, isSpecialConstruction: true },
      registry,
    );
    expect(problems.map((p) => p.field)).toEqual(['projectName', 'totalInvestment', 'isSpecialConstruction']);
    expect(problems[1]!.message).toContain('“总投资”应与项目登记一致：登记为 8000 万元，所填为 9000 万元');
    expect(problems[2]!.message).toContain('登记为 否，所填为 是');
  });

  it('does not let a number typed as text pass for the registered number', () => {
    expect(registryContradictions(fields, { totalInvestment: '8000' }, registry)).toHaveLength(1);
  });
});
