/**
 * Issue 11 on each database: nothing joint stays open on a task that ended on its own. A 多评合一 whose
 * covered task is withdrawn loses that part (no conclusion is asked of it, the rest goes on); when a
 * second covered task is refused (不予许可) fewer than two assessments are left, so it closes with its
 * reason and the last one is decided on its own. A 方案联审 whose 设计方案审查 is withdrawn ends, and
 * the refusal to answer on it names its state in Chinese.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import {
  acceptedStage,
  approveAll,
  approveTask,
  call,
  decideAs,
  getTask,
  newProject,
  sessions,
  stageGuide,
  stepUser,
  type TaskRow,
} from '../lifecycle-helpers';

const MERGEABLE = ['ZZ-STHJ-001', 'ZZ-FGW-006', 'ZZ-SLJ-001', 'ZZ-DZJ-001', 'ZZ-ZRZY-009'];

describeEachSystem('joint procedures when a task ends on its own', (t) => {
  it('voids the covered part, closes the 多评合一 when too little is left, ends the 方案联审', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const admin = await login('admin');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 171, { buildingArea: 30000 });

    const parallel = await stageGuide(system, applicant, project.id, 5);
    const codes = parallel.items.map((i) => i.code).filter((c) => MERGEABLE.includes(c));
    expect(codes.length).toBeGreaterThanOrEqual(3);
    const filed: { applicationId: string; task: TaskRow }[] = [];
    for (const code of codes.slice(0, 3)) {
      const s = await acceptedStage(system, applicant, window, project, { stage: 5, itemCode: code });
      filed.push({ applicationId: s.applicationId, task: s.tasks[0]! });
    }
    const [a, b, c] = filed as [(typeof filed)[0], (typeof filed)[0], (typeof filed)[0]];
    const org = await call(system, admin, 'POST', '/api/joint/organisations', {
      kind: 'assessment',
      name: '河南嵩山工程咨询评估有限公司',
      creditCode: '91410100MA4AB00187',
    });
    expect(org.status, JSON.stringify(org.body)).toBe(201);
    const opened = await call(system, applicant, 'POST', '/api/joint/merged-assessments', {
      projectId: project.id,
      taskIds: [a.task.id, b.task.id, c.task.id],
      organisationId: org.body.id,
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.id as string;
    const view = async () =>
      (await call(system, applicant, 'GET', `/api/joint/merged-assessments/${id}`)).body as {
        status: string;
        statusName: string;
        closedReason: string | null;
        pendingItems: string[];
        items: { itemCode: string; ended: boolean; endedReason: string | null }[];
      };
    await call(system, applicant, 'POST', `/api/joint/merged-assessments/${id}/report`, {
      reportNumber: 'DPHY-2026-171',
      summary: '同步编制',
    });
    const lead = await login('fgw.reviewer');
    const held = await call(system, lead, 'POST', `/api/joint/merged-assessments/${id}/meeting`, {
      heldOn: '2026-03-02',
      place: '市民之家评审室',
      experts: [1, 2, 3].map((n) => ({ name: `专家${n}`, specialty: '环境工程', title: '高级工程师' })),
    });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    const conclude = async (task: TaskRow) =>
      call(
        system,
        await login(stepUser(task.departmentCode, 'initial')),
        'POST',
        `/api/joint/merged-assessments/${id}/conclusions`,
        { itemCode: task.itemCode, outcome: 'pass', opinion: '评估结论可信，同意' },
      );
    expect((await conclude(a.task)).status).toBe(200);

    // c's application withdrawn: its part is void, the rest goes on.
    const withdrawn = await call(system, applicant, 'POST', `/api/applications/${c.applicationId}/withdraw`, {
      reason: '项目调整，不再办理该评估',
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    let now = await view();
    expect(now.status).toBe('in_review');
    expect(now.pendingItems).toEqual([b.task.itemCode]);
    const voided = now.items.find((i) => i.itemCode === c.task.itemCode)!;
    expect(voided.ended).toBe(true);
    expect(voided.endedReason).toContain('已撤回');
    const onEnded = await conclude(c.task);
    expect(onEnded.status).toBe(409);
    expect(onEnded.body.error.message).toContain('已结束');

    // b refused on its own (不予许可): one assessment left → the merged assessment closes with its reason.
    for (const step of ['initial', 'final'] as const) {
      const r = await decideAs(
        system,
        await login(stepUser(b.task.departmentCode, step)),
        b.task.id,
        step,
        'reject',
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    expect((await getTask(system, window, b.task.id)).status).toBe('rejected');
    now = await view();
    expect(now.status).toBe('withdrawn');
    expect(now.statusName).toBe('已结束');
    expect(now.closedReason).toContain('不予许可');
    expect(now.closedReason).toContain('不足两项');
    // The last one is free: decided by its department on its own.
    expect((await approveTask(system, login, a.task)).status).toBe('approved');
    // A closed one is not withdrawn again; the refusal names the state, not a stored value.
    const again = await call(system, applicant, 'POST', `/api/joint/merged-assessments/${id}/withdraw`, {
      reason: '再次',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('「已结束」');
    expect(again.body.error.message).not.toContain('withdrawn');

    // 方案联审 at stage 2: the stage application withdrawn → the review ends with it.
    for (const code of codes.slice(3)) {
      const s = await acceptedStage(system, applicant, window, project, { stage: 5, itemCode: code });
      await approveAll(system, login, s.tasks);
    }
    const stage1 = await acceptedStage(system, applicant, window, project, { stage: 1 });
    await approveAll(system, login, stage1.tasks);
    const stage2 = await acceptedStage(system, applicant, window, project, { stage: 2 });
    const schemeTask = stage2.tasks.find((x) => x.itemCode === 'ZZ-ZRZY-006')!;
    const planner = await login(stepUser(schemeTask.departmentCode, 'initial'));
    const scheme = await call(system, planner, 'POST', '/api/joint/scheme-reviews', {
      taskId: schemeTask.id,
      departments: [{ departmentCode: 'rfb', limitDays: 3 }],
    });
    expect(scheme.status, JSON.stringify(scheme.body)).toBe(201);
    const out = await call(system, applicant, 'POST', `/api/applications/${stage2.applicationId}/withdraw`, {
      reason: '设计方案重新委托',
    });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    const ended = await call(system, planner, 'GET', `/api/joint/scheme-reviews/${scheme.body.id}`);
    expect(ended.body.status).toBe('withdrawn');
    expect(ended.body.conclusion).toContain('已撤回');
    const late = await call(
      system,
      await login('rfb.reviewer'),
      'POST',
      `/api/joint/scheme-reviews/${scheme.body.id}/opinions`,
      { answer: 'agree' },
    );
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('「已结束」');
    const audit = await call(system, admin, 'GET', '/api/audit/verify');
    expect(audit.body.valid).toBe(true);
  }, 600_000);
});
