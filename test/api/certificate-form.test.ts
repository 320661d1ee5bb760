/**
 * Certificates carry the fields of their national form (issue 16 item 4): the stage form asks them (with
 * units, prefilled from the registry where it answers), the certificate prints them under the form's
 * wording with the issuer's 文号 and 电子印章, and the public verification shows them. A 补正 answer is
 * cross-checked against the registry like a submission (issue 16, slice 16g part 5).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { fillForm } from '../factories';
import {
  acceptedStage,
  approveAll,
  call,
  declareAllMissing,
  getApplication,
  newProject,
  sessions,
  stageGuide,
  submitStage,
  type TaskRow,
} from '../lifecycle-helpers';
import { uploadRequired } from '../factories';

const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

interface Property {
  title: string;
  type: string;
  unit?: string;
  default?: unknown;
  readOnly?: boolean;
}

/** The 施工许可证's national fields as an applicant fills them in. */
const permitFields = {
  constructionSite: '郑州市中牟县郑开大道与人文路交叉口东北角',
  constructionScale: '新建住宅 3 栋，地上 18 层，地下 2 层',
  contractPrice: 12000,
  surveyFirmName: '河南省建筑设计研究院有限公司（勘察）',
  surveyFirmLead: '王勘',
  designFirmName: '郑州市市政工程勘测设计研究院',
  designFirmLead: '李设',
  contractorName: '中建七局第二建筑有限公司',
  contractorLead: '张施',
  supervisorName: '河南建达工程咨询有限公司',
  chiefSupervisor: '赵监',
  contractPeriodDays: 540,
  builderProjectLead: '陈建',
  aboveGroundArea: 9000,
  undergroundArea: 3000,
  civilAirDefenceArea: 1500,
};

describeEachSystem('certificates with their national form', (t) => {
  it('asks the 施工许可证 fields in the stage form and prints, verifies and numbers them', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 131, { buildingArea: 12000 });

    const parallel = await stageGuide(system, applicant, project.id, 5);
    for (const item of parallel.items) {
      const { tasks } = await acceptedStage(system, applicant, window, project, {
        stage: 5,
        itemCode: item.code,
      });
      await approveAll(system, login, tasks);
    }
    // Stage 1's 建设用地规划许可证 asks 土地取得方式: the registry answers it (出让), read-only.
    const first = await stageGuide(system, applicant, project.id, 1);
    const method = (first.form.properties as Record<string, Property>).landAcquisitionMethod!;
    expect(method).toMatchObject({ title: '土地取得方式', default: '出让', readOnly: true });
    for (const stage of [1, 2]) {
      const { applicationId } = await acceptedStage(system, applicant, window, project, { stage });
      const view = await getApplication(system, window, applicationId);
      await approveAll(
        system,
        login,
        view.tasks.map((x: TaskRow) => ({ ...x, steps: [] })),
      );
    }

    const guide = await stageGuide(system, applicant, project.id, 3);
    const properties = guide.form.properties as Record<string, Property>;
    expect(properties.surveyFirmName).toMatchObject({ title: '勘察单位', type: 'string' });
    expect(properties.contractPeriodDays).toMatchObject({ title: '合同工期', unit: '日历天' });
    expect(properties.contractPrice).toMatchObject({ type: 'number', unit: '万元' });
    expect(properties.aboveGroundArea).toMatchObject({ unit: '平方米' });
    expect(properties.buildingArea).toMatchObject({ default: 12000, readOnly: true });
    const required = (guide.form as unknown as { required: string[] }).required;
    expect(required).toEqual(expect.arrayContaining(['surveyFirmName', 'contractorLead', 'contractPrice']));

    const materials = await uploadRequired(system, applicant, guide, []);
    const form = { ...fillForm(guide.form), ...(guide.prefill ?? {}), ...permitFields };
    const submit = (f: Record<string, unknown>) =>
      call(system, applicant, 'POST', `/api/projects/${project.id}/applications`, {
        stage: 3,
        form: f,
        materials,
      });
    // A national field left out is named; nothing is filed.
    const { surveyFirmName: _left, ...withoutSurvey } = form;
    const missing = await submit(withoutSurvey);
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'FORM_INVALID', field: 'body.form.surveyFirmName' });
    expect(missing.body.error.message).toContain('勘察单位');
    const submitted = await submit(form);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const accepted = await call(
      system,
      window,
      'POST',
      `/api/applications/${submitted.body.id}/accept`,
      await declareAllMissing(system, window, submitted.body.id),
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await approveAll(system, login, accepted.body.tasks as TaskRow[]);

    const certificates = (await call(system, applicant, 'GET', `/api/projects/${project.id}/certificates`))
      .body.certificates as { id: string; type: string }[];
    const permit = certificates.find((c) => c.type === 'construction_permit')!;
    const landUse = certificates.find((c) => c.type === 'land_use_planning_permit')!;
    expect(permit, JSON.stringify(certificates)).toBeDefined();

    const verified = await call(system, null, 'GET', `/api/certificates/${permit.id}/verify`);
    expect(verified.body.valid).toBe(true);
    const details = verified.body.details as { label: string; value: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        { label: '建设地址', value: permitFields.constructionSite },
        { label: '合同价格', value: '12,000 万元' },
        { label: '勘察单位', value: permitFields.surveyFirmName },
        { label: '施工单位项目负责人', value: '张施' },
        { label: '总监理工程师', value: '赵监' },
        { label: '合同工期', value: '540 日历天' },
        { label: '其中，地上建筑面积', value: '9,000 平方米' },
      ]),
    );
    // Printed in the national form's order and wording, no internal key among the labels.
    const labels = details.map((d) => d.label);
    expect(labels.indexOf('勘察单位')).toBeLessThan(labels.indexOf('施工单位'));
    expect(
      labels.every((l) => !/^[a-zA-Z]/.test(l)),
      labels.join(','),
    ).toBe(true);

    const pdf = await system.app.inject({
      method: 'GET',
      url: `/api/certificates/${permit.id}/pdf`,
      headers: { cookie: applicant.cookie },
    });
    expect(pdf.statusCode).toBe(200);
    if (hasPdftotext) {
      const text = pdfText(pdf.rawPayload);
      for (const expected of [
        '勘察单位',
        permitFields.contractorName,
        '合同价格',
        '12,000 万元',
        '540 日历天',
      ])
        expect(text).toContain(expected);
      // The number is the 住建's own 文号 series, not a slice of an id.
      expect(text).toMatch(/编号：郑建许〔\d{4}〕\d+号/);
      // The 电子印章 carries the issuer's name (审批专用章 under the star).
      expect(text).toContain('审批专用章');
    }
    const landUseView = await call(system, null, 'GET', `/api/certificates/${landUse.id}/verify`);
    expect(landUseView.body.details).toEqual(
      expect.arrayContaining([{ label: '土地取得方式', value: '出让' }]),
    );
  }, 400_000);

  it('refuses a 补正 answer that contradicts the registered project, and keeps the application as it was', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 132);
    const submitted = await submitStage(system, applicant, project.id, { stage: 1 });
    expect(submitted.status).toBe(201);
    const asked = await call(system, window, 'POST', `/api/applications/${submitted.body.id}/corrections`, {
      items: [{ field: 'constructionSite', reason: '建设地点不详，请写明四至' }],
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const answer = (form: Record<string, unknown>) =>
      call(system, applicant, 'POST', `/api/corrections/${asked.body.id}/answer`, { form });

    const renamed = await answer({ projectName: '更正后的名称' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body.form.projectName' });
    expect(renamed.body.error.message).toContain('应与项目登记一致');
    const blanked = await answer({ constructionSite: '' });
    expect(blanked.status).toBe(422);
    expect(blanked.body.error).toMatchObject({ code: 'FORM_INVALID', field: 'body.form.constructionSite' });
    const unchanged = await getApplication(system, window, submitted.body.id);
    expect(unchanged.status).toBe('correction_requested');
    expect(unchanged.form.projectName).toBe(submitted.guide.prefill?.projectName);

    const fixed = await answer({ constructionSite: '郑州市中牟县人文路以东、郑开大道以北' });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const after = await getApplication(system, window, submitted.body.id);
    expect(after.status).toBe('submitted');
    expect(after.form.constructionSite).toBe('郑州市中牟县人文路以东、郑开大道以北');
  });
});
