/**
 * Never ask twice (task 58) through GET /api/projects/:id/stages/:n/guide: a certificate this system
 * issued is on file as the material it stands for (and stops being so once revoked), a result an item of
 * the same stage produces is not asked for, and the form is prefilled from what the project already knows.
 * Also the one computation behind it (stageMaterialNeeds) and the per-material review history (task 9).
 */
import { expect, it } from 'vitest';
import { revokeCertificate } from '../../src/modules/certificates/certificate.service';
import { stageMaterialNeeds } from '../../src/modules/projects/guide.service';
import { reviewedMaterials } from '../../src/modules/projects/material-history.service';
import type { ProjectAttributes } from '../../src/modules/templates/template.schemas';
import { DEFAULT_NOW, describeEachSystem, type Session, type TestSystem } from '../app';
import {
  acceptApplication,
  type Guide,
  fillForm,
  registerProject,
  uploadRequired,
  type AcceptedTask,
} from '../factories';

interface GuideMaterial {
  code: string;
  required: boolean;
  deficiencyAllowed: boolean;
  onFile: boolean;
  fileId: string | null;
  source: 'upload' | 'certificate' | 'result' | null;
  certificate: { id: string; identifier: string; title: string; simulated: boolean } | null;
  result: { taskId: string; itemCode: string } | null;
}

interface FullGuide {
  items: { code: string }[];
  project: { code: string; name: string; enterpriseName: string; creditCode: string | null };
  form: {
    properties: Record<
      string,
      { type?: string; format?: string; unit?: string; readOnly?: boolean; default?: unknown }
    >;
    required: string[];
  };
  prefill: Record<string, unknown>;
  known: { key: string; source: 'project' | 'application' }[];
  materials: GuideMaterial[];
  producedInStage: { code: string; producedBy: string[]; usedBy: string[] }[];
}

async function guideOf(system: TestSystem, session: Session, projectId: string, stage: number) {
  const res = await system.app.inject({
    method: 'GET',
    url: `/api/projects/${projectId}/stages/${stage}/guide`,
    headers: { cookie: session.cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as FullGuide;
}

const material = (g: FullGuide, code: string) => g.materials.find((m) => m.code === code);

/** Submits a stage with what the guide asks for: nothing on file is uploaded again. */
async function submitStage(system: TestSystem, applicant: Session, projectId: string, stage: number) {
  const guide = await guideOf(system, applicant, projectId, stage);
  const materials = await uploadRequired(system, applicant, guide as unknown as Guide);
  const res = await system.app.inject({
    method: 'POST',
    url: `/api/projects/${projectId}/applications`,
    headers: applicant.headers,
    payload: { stage, form: { ...fillForm(guide.form), ...guide.prefill }, materials },
  });
  if (res.statusCode !== 201) throw new Error(`submit: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

/** Approves every task in review, in an order its prerequisites allow; `documents` by item code. */
async function approveInOrder(
  system: TestSystem,
  tasks: readonly AcceptedTask[],
  documents: Record<string, Record<string, string>> = {},
) {
  let pending = tasks.filter((t) => t.status === 'in_review');
  for (let round = 0; pending.length > 0 && round < 10; round++) {
    const blocked: AcceptedTask[] = [];
    for (const task of pending) {
      let ok = true;
      for (const step of task.steps) {
        const who = await system.login(
          `${task.departmentCode}.${step === 'initial' ? 'reviewer' : 'senior'}`,
        );
        const res = await system.app.inject({
          method: 'POST',
          url: `/api/tasks/${task.id}/decisions`,
          headers: who.headers,
          payload: {
            step,
            outcome: 'approve',
            opinion: '符合要求，同意',
            ...(step === task.steps.at(-1) && documents[task.itemCode]
              ? { document: documents[task.itemCode] }
              : {}),
          },
        });
        if (res.statusCode === 409 && res.json().error.code === 'PREREQUISITE_NOT_MET') {
          ok = false;
          break;
        }
        if (res.statusCode !== 200)
          throw new Error(`decide ${task.itemCode}/${step}: ${res.statusCode} ${res.body}`);
      }
      if (!ok) blocked.push(task);
    }
    pending = blocked;
  }
  expect(pending.map((t) => t.itemCode)).toEqual([]);
}

async function template(system: TestSystem, namePart: string) {
  const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
  return (templates as { code: string; name: string }[]).find((x) => x.name.includes(namePart))!.code;
}

async function projectRow(system: TestSystem, session: Session, id: string) {
  const res = await system.app.inject({
    method: 'GET',
    url: `/api/projects/${id}`,
    headers: { cookie: session.cookie },
  });
  return res.json() as {
    id: string;
    code: string;
    name: string;
    enterpriseId: string;
    enterpriseName: string;
    templateCode: string;
    templateVersion: number;
    attributes: ProjectAttributes;
    siteAreaM2: number;
  };
}

describeEachSystem('stage guide: never ask twice (task 58)', (t) => {
  it('prefills the form from the project’s facts (read-only, with units) and does not ask for same-stage results', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const code = await template(system, '出让类');
    const registered = await registerProject(system, applicant, {
      templateCode: code,
      totalInvestment: 8800,
    });
    const project = await projectRow(system, applicant, registered.id);
    const g = await guideOf(system, applicant, project.id, 1);

    expect(g.prefill).toMatchObject({
      projectName: project.name,
      projectCode: project.code,
      applicantName: project.enterpriseName,
      totalInvestment: 8800,
    });
    expect(g.project).toMatchObject({ code: project.code, enterpriseName: project.enterpriseName });
    expect(g.project.creditCode).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
    expect(g.form.properties.totalInvestment).toMatchObject({ unit: '万元', readOnly: true, default: 8800 });
    expect(g.form.properties.projectCode).toMatchObject({ readOnly: true, default: project.code });
    expect(g.known).toContainEqual({ key: 'projectName', source: 'project' });
    // What the project does not know yet is still asked, with nothing filled in.
    expect(g.form.properties.constructionContent).toBeDefined();
    expect(g.prefill.constructionContent).toBeUndefined();

    // 建设用地规划许可 needs the 备案证明 that 企业投资项目备案 of the same stage produces: not an upload.
    expect(g.items.map((i) => i.code)).toEqual(expect.arrayContaining(['ZZ-FGW-005', 'ZZ-ZRZY-002']));
    expect(material(g, 'M_PROJECT_APPROVAL_DOC')).toBeUndefined();
    expect(g.producedInStage).toContainEqual({
      code: 'M_PROJECT_APPROVAL_DOC',
      name: '项目审批、核准或备案文件',
      producedBy: ['ZZ-FGW-005'],
      usedBy: ['ZZ-ZRZY-002'],
    });

    // 占用、挖掘城市道路 in stage 2 needs the 建设工程规划许可证 the same stage issues.
    const roads = await registerProject(system, applicant, {
      templateCode: code,
      attributes: { involvesCityRoads: true },
      offset: 1,
    });
    const g2 = await guideOf(system, applicant, roads.id, 2);
    expect(g2.items.map((i) => i.code)).toContain('ZZ-CGJ-001');
    expect(material(g2, 'M_CONSTRUCTION_PLANNING_PERMIT')).toBeUndefined();
    expect(g2.producedInStage).toContainEqual(
      expect.objectContaining({ code: 'M_CONSTRUCTION_PLANNING_PERMIT', producedBy: ['ZZ-ZRZY-007'] }),
    );
  });

  it('refuses a stage form that contradicts the registration (400 naming the field), writing nothing', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const code = await template(system, '出让类');
    const registered = await registerProject(system, applicant, {
      templateCode: code,
      totalInvestment: 8800,
      offset: 7,
    });
    const g = await guideOf(system, applicant, registered.id, 1);
    const materials = await uploadRequired(system, applicant, g as unknown as Guide);
    const submit = (form: Record<string, unknown>) =>
      system.app.inject({
        method: 'POST',
        url: `/api/projects/${registered.id}/applications`,
        headers: applicant.headers,
        payload: { stage: 1, form, materials },
      });
    const form = fillForm(g.form);
    const contradicted = await submit({ ...form, totalInvestment: 9900 });
    expect(contradicted.statusCode, contradicted.body).toBe(400);
    expect(contradicted.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'body.form.totalInvestment',
    });
    expect(contradicted.json().error.message).toContain('登记为 8800 万元，所填为 9900 万元');
    const renamed = await submit({ ...form, projectName: '另一个项目' });
    expect(renamed.json().error.field).toBe('body.form.projectName');
    const written = await system.db
      .selectFrom('stageApplication')
      .select('id')
      .where('projectId', '=', registered.id)
      .execute();
    expect(written).toEqual([]);
    // The registered values (as the page sends them) pass.
    expect((await submit(form)).statusCode).toBe(201);
  });

  it('counts the permits stage 1 issued as on file in stage 2 until revoked; earlier answers prefill later forms', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    const registered = await registerProject(system, applicant, {
      templateCode: await template(system, '出让类'),
      offset: 2,
    });
    const project = await projectRow(system, applicant, registered.id);

    const application = await submitStage(system, applicant, project.id, 1);
    const tasks = await acceptApplication(system, window, application.id);
    // The planning permit is valid for a year (the 批准书 has no end date).
    await approveInOrder(system, tasks, {
      'ZZ-ZRZY-002': {
        number: '地字第410122202600001号',
        title: '建设用地规划许可证',
        date: '2026-03-02',
        validUntil: '2027-03-01',
      },
    });

    const certs = (
      await system.app.inject({
        method: 'GET',
        url: `/api/projects/${project.id}/certificates`,
        headers: { cookie: applicant.cookie },
      })
    ).json().certificates as { id: string; type: string; revoked: boolean }[];
    const landUse = certs.find((c) => c.type === 'land_use_planning_permit')!;
    expect(landUse).toBeDefined();

    const g2 = await guideOf(system, applicant, project.id, 2);
    expect(material(g2, 'M_LAND_USE_PLANNING_PERMIT')).toMatchObject({
      required: true,
      onFile: true,
      source: 'certificate',
      fileId: null,
      // 模拟审批 until the land contract is signed: on file all the same, flagged as simulated.
      certificate: { id: landUse.id, title: '建设用地规划许可证', simulated: true },
    });
    // 建设用地批准书 (ZZ-ZRZY-004) is the 土地权属证明 建设工程规划许可 asks for.
    const landApproval = certs.find((c) => c.type === 'land_approval')!;
    expect(material(g2, 'M_LAND_CERTIFICATE')).toMatchObject({
      onFile: true,
      source: 'certificate',
      certificate: expect.objectContaining({ id: landApproval.id, title: '建设用地批准书' }),
    });
    // The 营业执照 uploaded in stage 1 is on file as an upload.
    expect(material(g2, 'M_BUSINESS_LICENCE')).toMatchObject({ onFile: true, source: 'upload' });
    // Nothing on file is in what the applicant is asked to upload.
    const toUpload = g2.materials.filter((m) => m.required && !m.onFile).map((m) => m.code);
    expect(toUpload).not.toContain('M_LAND_USE_PLANNING_PERMIT');
    expect(toUpload).toContain('M_DESIGN_SCHEME');

    // What stage 1's form answered and the registry does not is offered again (editable).
    const stage1Form = fillForm((await guideOf(system, applicant, project.id, 1)).form);
    expect(g2.known).toContainEqual({ key: 'constructionSite', source: 'application' });
    expect(g2.prefill.constructionSite).toEqual(stage1Form.constructionSite);
    expect(g2.form.properties.constructionSite!.readOnly).toBeUndefined();

    // 并行推进: 环评审批 needs the 项目审批、核准或备案文件 — the 备案证明 this system approved in stage 1.
    const g5 = await guideOf(system, applicant, project.id, 5);
    const filing = tasks.find((x) => x.itemCode === 'ZZ-FGW-005')!;
    expect(material(g5, 'M_PROJECT_APPROVAL_DOC')).toMatchObject({
      onFile: true,
      source: 'result',
      result: expect.objectContaining({ taskId: filing.id, itemCode: 'ZZ-FGW-005' }),
    });

    // The one computation behind the guide, as submission and acceptance use it.
    const needs = await stageMaterialNeeds(system.db, project, 2, system.clock.now());
    expect(needs.needs.map((m) => m.code)).toContain('M_LAND_USE_PLANNING_PERMIT');
    expect(needs.onFile.get('M_LAND_USE_PLANNING_PERMIT')).toMatchObject({
      source: 'certificate',
      certificateId: landUse.id,
    });
    expect(needs.producedInStage).toEqual([]);

    // 谁审查、谁负责 (task 9): per material, which task of which department reviewed it.
    const reviewed = await reviewedMaterials(system.db, project.id);
    const planning = tasks.find((x) => x.itemCode === 'ZZ-ZRZY-002')!;
    expect(reviewed.M_BUSINESS_LICENCE!.map((r) => r.itemCode)).toEqual(
      expect.arrayContaining(['ZZ-FGW-005', 'ZZ-ZRZY-002']),
    );
    expect(reviewed.M_SITE_RED_LINE).toContainEqual(
      expect.objectContaining({
        taskId: planning.id,
        itemName: '建设用地规划许可证核发',
        departmentCode: 'zrzy',
        departmentName: expect.stringContaining('自然资源'),
        outcome: 'approve',
        step: 'final',
      }),
    );
    // The filing item does not ask for the red-line map: its department did not review it.
    expect(reviewed.M_SITE_RED_LINE!.map((r) => r.itemCode)).not.toContain('ZZ-FGW-005');
    const withoutPlanning = await reviewedMaterials(system.db, project.id, planning.id);
    expect((withoutPlanning.M_SITE_RED_LINE ?? []).map((r) => r.taskId)).not.toContain(planning.id);

    // An expired certificate does not count.
    system.clock.set(new Date('2027-03-02T09:00:00+08:00'));
    try {
      // A year on, the session has expired too.
      const later = await system.login('applicant');
      const expired = await guideOf(system, later, project.id, 2);
      expect(material(expired, 'M_LAND_USE_PLANNING_PERMIT')).toMatchObject({ onFile: false, source: null });
      expect(material(expired, 'M_LAND_CERTIFICATE')).toMatchObject({ onFile: true, source: 'certificate' });
    } finally {
      system.clock.set(DEFAULT_NOW);
    }

    // A revoked certificate does not count: the permit is asked for again.
    await system.db
      .transaction()
      .execute((trx) => revokeCertificate(trx, planning.id, '测试：许可依法撤销', system.clock.now()));
    const after = await guideOf(system, applicant, project.id, 2);
    expect(material(after, 'M_LAND_USE_PLANNING_PERMIT')).toMatchObject({
      onFile: false,
      source: null,
      certificate: null,
    });
  });
});
