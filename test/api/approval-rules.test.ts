/**
 * The rules around the main path: 告知承诺 with inspections and credit, 容缺 with due dates, 补正 that
 * pauses the clock, special procedures, 模拟审批 and certificates.
 */
import { expect, it } from 'vitest';
import type { Session, TestSystem } from '../app';
import { describeEachSystem } from '../app';
import {
  type AcceptedTask,
  acceptApplication,
  approveAllSteps,
  fillForm,
  getGuide,
  registerProject,
  uploadRequired,
  deferAll,
} from '../factories';

type TaskView = AcceptedTask;

async function submitApplication(
  system: TestSystem,
  applicant: Session,
  opts: {
    templateCode: string;
    offset: number;
    stage?: number;
    attributes?: Record<string, unknown>;
    commitments?: 'all';
    skip?: 'deficiencyAllowed';
  },
) {
  const project = await registerProject(system, applicant, {
    templateCode: opts.templateCode,
    offset: opts.offset,
    attributes: opts.attributes,
  });
  const stage = opts.stage ?? 1;
  const fullGuide = await getGuide(system, applicant, project.id, stage);
  // 并行推进 is applied for one service at a time: the first that allows 告知承诺 (or the first one).
  const itemCode =
    stage === 5
      ? (fullGuide.items.find((i) => !opts.commitments || i.commitmentAllowed) ?? fullGuide.items[0])!.code
      : undefined;
  const guide = itemCode
    ? {
        ...fullGuide,
        items: fullGuide.items.filter((i) => i.code === itemCode),
        materials: fullGuide.materials.filter((m) => (m as { items?: string[] }).items?.includes(itemCode)),
      }
    : fullGuide;
  const skip = opts.skip
    ? guide.materials.filter((m) => m.required && m.deficiencyAllowed).map((m) => m.code)
    : [];
  const materials = await uploadRequired(system, applicant, guide, skip);
  const commitments = opts.commitments
    ? guide.items.filter((i) => i.commitmentAllowed).map((i) => i.code)
    : undefined;
  const submitted = await system.app.inject({
    method: 'POST',
    url: `/api/projects/${project.id}/applications`,
    headers: applicant.headers,
    payload: {
      stage,
      ...(itemCode ? { itemCode } : {}),
      form: fillForm(guide.form),
      materials,
      ...(commitments ? { commitments } : {}),
    },
  });
  if (submitted.statusCode !== 201) throw new Error(`submit: ${submitted.statusCode} ${submitted.body}`);
  return {
    project,
    guide,
    applicationId: submitted.json().id as string,
    skipped: skip,
    commitments: commitments ?? [],
  };
}

const templateWhere = async (
  system: TestSystem,
  predicate: (t: {
    code: string;
    stages: { nationalStage: number; items: { itemCode: string }[] }[];
  }) => boolean,
) => {
  const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
  return templates.find(predicate) as { code: string } | undefined;
};

describeEachSystem('告知承诺, 容缺, 补正, special procedures, 模拟审批', (t) => {
  it('decides 告知承诺 items at acceptance, schedules an inspection, and revocation records bad credit', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    // 并行推进 (stage 5) assessments allow commitment and are open from the start.
    for (const tpl of (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json()
      .templates as { code: string }[]) {
      const probe = await registerProject(system, applicant, { templateCode: tpl.code, offset: 40 });
      const guide = await getGuide(system, applicant, probe.id, 5).catch(() => null);
      if (!guide?.items.some((i) => i.commitmentAllowed)) continue;
      const { applicationId, commitments } = await submitApplication(system, applicant, {
        templateCode: tpl.code,
        offset: 41,
        stage: 5,
        commitments: 'all',
      });
      const app = (
        await system.app.inject({
          method: 'GET',
          url: `/api/applications/${applicationId}`,
          headers: { cookie: applicant.cookie },
        })
      ).json();
      expect(app.commitments.map((c: { itemCode: string }) => c.itemCode).sort()).toEqual(
        [...commitments].sort(),
      );
      expect(app.commitments[0].text).toContain('郑重承诺');
      const accepted = await system.app.inject({
        method: 'POST',
        url: `/api/applications/${applicationId}/accept`,
        headers: window.headers,
        payload: await deferAll(system, window, applicationId),
      });
      expect(accepted.statusCode).toBe(200);
      const byCommitment = (accepted.json().tasks as TaskView[]).filter((x) => x.viaCommitment);
      expect(byCommitment.length).toBe(commitments.length);
      expect(byCommitment.every((x) => x.status === 'approved')).toBe(true);

      const task = byCommitment[0]!;
      const staff = await system.login(`${task.departmentCode}.reviewer`);
      const { inspections } = (
        await system.app.inject({ method: 'GET', url: '/api/inspections', headers: { cookie: staff.cookie } })
      ).json();
      const inspection = inspections.find((i: { taskId: string }) => i.taskId === task.id);
      expect(inspection).toMatchObject({ status: 'pending' });
      const revoked = await system.app.inject({
        method: 'POST',
        url: `/api/inspections/${inspection.id}/result`,
        headers: staff.headers,
        payload: { outcome: 'revoked', result: '现场核查发现未按承诺落实建设条件' },
      });
      expect(revoked.statusCode).toBe(200);
      const again = await system.app.inject({
        method: 'POST',
        url: `/api/inspections/${inspection.id}/result`,
        headers: staff.headers,
        payload: { outcome: 'confirmed', result: '再次核查' },
      });
      expect(again.statusCode).toBe(409);
      const credit = await system.db
        .selectFrom('creditRecord')
        .selectAll()
        .where('sourceId', '=', inspection.id)
        .execute();
      expect(credit).toHaveLength(1);
      expect(credit[0]!.kind).toBe('commitment_broken');
      const after = (
        await system.app.inject({
          method: 'GET',
          url: `/api/tasks/${task.id}`,
          headers: { cookie: staff.cookie },
        })
      ).json();
      expect(after.status).toBe('revoked');
      return;
    }
    throw new Error('no template has a commitment item in stage 5');
  });

  it('asks for 补正 in one list at the window and takes the answer back to the window', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    const tpl = (await templateWhere(system, () => true))!;
    const { applicationId, guide } = await submitApplication(system, applicant, {
      templateCode: tpl.code,
      offset: 50,
    });
    const code = guide.materials[0]!.code;
    const res = await system.app.inject({
      method: 'POST',
      url: `/api/applications/${applicationId}/corrections`,
      headers: window.headers,
      payload: {
        items: [
          { materialCode: code, reason: '材料页码不全，请补齐第3页' },
          { field: 'projectName', reason: '名称与备案不一致' },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    // A registered fact (the project's name) is not the 补正's to change: a text field the registry does not answer.
    const properties = guide.form.properties as Record<
      string,
      { type?: string; format?: string; readOnly?: boolean }
    >;
    const editable = Object.keys(properties).find(
      (k) => !properties[k]!.readOnly && properties[k]!.type === 'string' && !properties[k]!.format,
    )!;
    const cannotAccept = await system.app.inject({
      method: 'POST',
      url: `/api/applications/${applicationId}/accept`,
      headers: window.headers,
      payload: {},
    });
    expect(cannotAccept.statusCode).toBe(409);
    const answer = await system.app.inject({
      method: 'POST',
      url: `/api/corrections/${res.json().id}/answer`,
      headers: applicant.headers,
      payload: { form: { [editable]: '更正后的内容' } },
    });
    expect(answer.statusCode).toBe(200);
    const app = (
      await system.app.inject({
        method: 'GET',
        url: `/api/applications/${applicationId}`,
        headers: { cookie: window.cookie },
      })
    ).json();
    expect(app.status).toBe('submitted');
    expect(app.form[editable]).toBe('更正后的内容');
    expect(app.materials.length).toBeGreaterThan(0); // nothing submitted was lost
  });

  it('pauses a task clock for 补正 and legal special procedures, not for expert reviews', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    const tpl = (await templateWhere(system, () => true))!;
    const { applicationId } = await submitApplication(system, applicant, {
      templateCode: tpl.code,
      offset: 60,
    });
    const tasks = await acceptApplication(system, window, applicationId);
    const task = tasks.find((x) => x.steps[0] === 'initial')!;
    const reviewer = await system.login(`${task.departmentCode}.reviewer`);

    const expert = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/special-procedures`,
      headers: reviewer.headers,
      payload: { kind: 'expert_review', reason: '组织专家评审' },
    });
    expect(expert.json()).toMatchObject({ pausesClock: false });
    const hearing = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/special-procedures`,
      headers: reviewer.headers,
      payload: { kind: 'hearing', reason: '涉及重大利益，依法听证' },
    });
    expect(hearing.json()).toMatchObject({ pausesClock: true });
    const blocked = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      headers: reviewer.headers,
      payload: { step: 'initial', outcome: 'approve', opinion: '同意' },
    });
    expect(blocked.statusCode).toBe(409);

    system.clock.set(new Date('2026-03-06T10:00:00+08:00')); // 4 working days later (Mon → Fri)
    const r2 = await system.login(`${task.departmentCode}.reviewer`);
    const during = (
      await system.app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: { cookie: r2.cookie } })
    ).json();
    expect(during.clock.paused).toBe(true);
    expect(during.clock.pausedWorkingDays).toBe(4);
    const end = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/special-procedures/${hearing.json().id}/end`,
      headers: r2.headers,
    });
    expect(end.statusCode).toBe(200);
    const after = (
      await system.app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: { cookie: r2.cookie } })
    ).json();
    expect(after.status).toBe('in_review');
    expect(after.clock.pausedWorkingDays).toBe(4);
    expect(after.clock.deadline > task.deadline).toBe(true);

    // Returned for 补正 by the department: paused until the applicant answers.
    const ret = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      headers: r2.headers,
      payload: { step: 'initial', outcome: 'return', opinion: '请补充规划总平面图电子版' },
    });
    expect(ret.statusCode).toBe(200);
    const correctionId = ret.json().correctionId;
    const a2 = await system.login('applicant');
    expect(
      (
        await system.app.inject({
          method: 'POST',
          url: `/api/corrections/${correctionId}/answer`,
          headers: a2.headers,
          payload: { note: '已补充' },
        })
      ).statusCode,
    ).toBe(200);
    const resumed = (
      await system.app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: { cookie: r2.cookie } })
    ).json();
    expect(resumed.status).toBe('in_review');
    system.clock.set(new Date('2026-03-02T09:00:00+08:00'));
  });

  it('accepts 容缺 against a due date and flags the deficiency overdue after it', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
    for (const tpl of templates as { code: string }[]) {
      const probe = await registerProject(system, applicant, { templateCode: tpl.code, offset: 70 });
      const guide = await getGuide(system, applicant, probe.id, 1);
      if (!guide.materials.some((m) => m.required && m.deficiencyAllowed)) continue;
      const { applicationId, skipped } = await submitApplication(system, applicant, {
        templateCode: tpl.code,
        offset: 71,
        skip: 'deficiencyAllowed',
      });
      const notDeferrable = await system.app.inject({
        method: 'POST',
        url: `/api/applications/${applicationId}/accept`,
        headers: window.headers,
        payload: { deficiencies: [{ materialCode: 'M_NOT_A_MATERIAL', dueDate: '2026-03-20' }] },
      });
      expect(notDeferrable.statusCode).toBe(400);
      const accepted = await system.app.inject({
        method: 'POST',
        url: `/api/applications/${applicationId}/accept`,
        headers: window.headers,
        payload: { deficiencies: skipped.map((materialCode) => ({ materialCode, dueDate: '2026-03-04' })) },
      });
      expect(accepted.statusCode).toBe(200);
      system.clock.set(new Date('2026-03-10T09:00:00+08:00'));
      const w2 = await system.login('window');
      const app = (
        await system.app.inject({
          method: 'GET',
          url: `/api/applications/${applicationId}`,
          headers: { cookie: w2.cookie },
        })
      ).json();
      expect(app.deficiencies.every((d: { overdue: boolean }) => d.overdue)).toBe(true);
      system.clock.set(new Date('2026-03-02T09:00:00+08:00'));
      return;
    }
  });
});

describeEachSystem('模拟审批 and certificates', (t) => {
  it('issues a simulated certificate before the land is transferred and makes it formal without new review', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    const { applicationId, project } = await submitApplication(system, applicant, {
      templateCode: 'SOCIAL_TRANSFER',
      offset: 80,
    });
    const tasks = await acceptApplication(system, window, applicationId);
    const simulated = tasks.filter((x) => x.simulated);
    expect(simulated.length).toBeGreaterThan(0);
    await approveAllSteps(system, tasks);
    const { certificates } = (
      await system.app.inject({
        method: 'GET',
        url: `/api/projects/${project.id}/certificates`,
        headers: { cookie: applicant.cookie },
      })
    ).json();
    const cert = certificates.find((c: { simulated: boolean }) => c.simulated);
    expect(cert).toBeDefined();
    const before = (
      await system.app.inject({ method: 'GET', url: `/api/certificates/${cert.id}/verify` })
    ).json();
    expect(before).toMatchObject({ valid: true, simulated: true, status: 'simulated' });

    // Without evidence the precondition is not taken.
    const bare = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/preconditions`,
      headers: applicant.headers,
      payload: { precondition: 'land_transferred' },
    });
    expect(bare.statusCode).toBe(400);
    const supplied = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/preconditions`,
      headers: applicant.headers,
      payload: { precondition: 'land_transferred', documentNumber: '郑土出让〔2026〕88号' },
    });
    expect(supplied.statusCode).toBe(200);
    expect(supplied.json().awaitingConfirmation.length).toBe(simulated.length);
    // Evidence alone turns nothing formal: verification still says 模拟.
    const pending = (
      await system.app.inject({ method: 'GET', url: `/api/certificates/${cert.id}/verify` })
    ).json();
    expect(pending).toMatchObject({ simulated: true, status: 'simulated' });
    // Each deciding department confirms; another department cannot.
    for (const task of simulated) {
      const foreignDept = task.departmentCode === 'fgw' ? 'cjj' : 'fgw';
      const foreign = await system.login(`${foreignDept}.senior`);
      const denied = await system.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/confirm-precondition`,
        headers: foreign.headers,
        payload: { opinion: '已核对土地出让合同' },
      });
      expect(denied.statusCode).toBe(403);
      const senior = await system.login(`${task.departmentCode}.senior`);
      const confirmed = await system.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/confirm-precondition`,
        headers: senior.headers,
        payload: { opinion: '已核对土地出让合同' },
      });
      expect(confirmed.statusCode).toBe(200);
    }
    const after = (
      await system.app.inject({ method: 'GET', url: `/api/certificates/${cert.id}/verify` })
    ).json();
    expect(after).toMatchObject({ valid: true, simulated: false, status: 'valid' });
    // No new review: the decisions are the ones made before.
    const decisions = await system.db
      .selectFrom('taskDecision')
      .select('id')
      .where(
        'taskId',
        'in',
        simulated.map((s) => s.id),
      )
      .execute();
    expect(decisions.length).toBe(simulated.reduce((n, s) => n + s.steps.length, 0));
    const unknown = (
      await system.app.inject({ method: 'GET', url: '/api/certificates/not-a-real-id/verify' })
    ).json();
    expect(unknown.valid).toBe(false);
  });
});
