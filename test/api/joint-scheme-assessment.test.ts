/**
 * Issue 11, tasks 50 and 17 on each database. 多评合一: one commissioned assessment covers several running
 * assessment items — one notice of what is needed, one report, one concentrated review meeting with its
 * experts, a conclusion per assessment by its department; a failed one is decided again on a revised
 * report; withdrawing frees the items; when all pass, the items are approved by it and not on their own.
 * 方案联审: the planning department asks the departments concerned (征求意见, each with a working-day limit),
 * they agree / agree with conditions / disagree with reasons, and one conclusion approves 设计方案审查;
 * a disagreement returns the scheme for the next round; a silent department past its due date is taken as
 * having no objection.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { UTILITY_ITEMS } from '../joint-helpers';
import {
  acceptedStage,
  approveAll,
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

describeEachSystem('方案联审 and 多评合一', (t) => {
  it('merges assessments into one report and review, and reviews the scheme with one conclusion', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const admin = await login('admin');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 151, { buildingArea: 30000 });

    // 并行推进: each assessment applied for; the ones to merge stay in review.
    const parallel = await stageGuide(system, applicant, project.id, 5);
    const assessmentCodes = parallel.items.map((i) => i.code).filter((c) => MERGEABLE.includes(c));
    expect(assessmentCodes.length).toBeGreaterThanOrEqual(3);
    const tasks = new Map<string, TaskRow>();
    for (const code of assessmentCodes) {
      const s = await acceptedStage(system, applicant, window, project, { stage: 5, itemCode: code });
      tasks.set(code, s.tasks[0]!);
    }
    const [a, b, c] = assessmentCodes.map((code) => tasks.get(code)!);
    const org = await call(system, admin, 'POST', '/api/joint/organisations', {
      kind: 'assessment',
      name: '河南中原工程咨询评估有限公司',
      creditCode: '91410100MA4AB00179',
    });
    expect(org.status, JSON.stringify(org.body)).toBe(201);
    const survey = await call(system, admin, 'POST', '/api/joint/organisations', {
      kind: 'survey',
      name: '郑州测绘院（多评）',
      creditCode: '12410100MB9901231R',
    });

    // Refusals: not an assessment organisation, one assessment only, a task that is not an assessment.
    const open = (taskIds: string[], organisationId = org.body.id) =>
      call(system, applicant, 'POST', '/api/joint/merged-assessments', {
        projectId: project.id,
        taskIds,
        organisationId,
      });
    expect((await open([a!.id, b!.id], survey.body.id)).status).toBe(422);
    expect((await open([a!.id])).status).toBe(400);
    const stage1 = await acceptedStage(system, applicant, window, project, { stage: 1 });
    const notAssessment = await open([a!.id, stage1.tasks[0]!.id]);
    expect(notAssessment.status).toBe(422);
    expect(notAssessment.body.error.code).toBe('RULE_VIOLATION');

    // Withdrawn before review: the items are free again and may be merged anew.
    const first = await open([a!.id, b!.id]);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect((await open([a!.id, c!.id])).status).toBe(409);
    const withdrawn = await call(
      system,
      applicant,
      'POST',
      `/api/joint/merged-assessments/${first.body.id}/withdraw`,
      { reason: '调整合并范围' },
    );
    expect(withdrawn.body.status).toBe('withdrawn');

    const merged = await open([a!.id, b!.id, c!.id]);
    expect(merged.status, JSON.stringify(merged.body)).toBe(201);
    expect(merged.body.status).toBe('preparing');
    // 一次告知: every assessment's required contents in one notice.
    expect(merged.body.notice.map((n: { itemCode: string }) => n.itemCode).sort()).toEqual(
      [a!.itemCode, b!.itemCode, c!.itemCode].sort(),
    );
    expect(merged.body.notice.every((n: { materials: string[] }) => n.materials.length > 0)).toBe(true);
    const id = merged.body.id as string;

    // A covered item is not approved on its own.
    const directA = await decideAs(
      system,
      await login(stepUser(a!.departmentCode, 'initial')),
      a!.id,
      'initial',
      'approve',
    );
    expect(directA.status).toBe(422);
    expect(directA.body.error.code).toBe('RULE_VIOLATION');

    const lead = await login('fgw.reviewer');
    const meeting = (round: number, experts = 3) =>
      call(system, lead, 'POST', `/api/joint/merged-assessments/${id}/meeting`, {
        heldOn: '2026-03-02',
        place: `市民之家三楼评审室（第${round}轮）`,
        experts: Array.from({ length: experts }, (_, i) => ({
          name: `专家${round}-${i + 1}`,
          specialty: ['环境工程', '水土保持', '能源'][i % 3]!,
          title: '高级工程师',
        })),
      });
    expect((await meeting(1)).status).toBe(409); // no report yet
    const report = await call(system, applicant, 'POST', `/api/joint/merged-assessments/${id}/report`, {
      reportNumber: 'DPHY-2026-001',
      summary: '环评、节能、水土保持等评估内容同步编制',
    });
    expect(report.body.status).toBe('in_review');
    const conclude = async (task: TaskRow, outcome: 'pass' | 'fail', who?: string) =>
      call(
        system,
        await login(who ?? stepUser(task.departmentCode, 'initial')),
        'POST',
        `/api/joint/merged-assessments/${id}/conclusions`,
        {
          itemCode: task.itemCode,
          outcome,
          opinion: outcome === 'pass' ? '评估结论可信，同意' : '评估深度不足',
        },
      );
    const beforeMeeting = await conclude(a!, 'pass');
    expect(beforeMeeting.status).toBe(422);
    expect((await meeting(1, 2)).status).toBe(400);
    expect(
      (
        await call(system, applicant, 'POST', `/api/joint/merged-assessments/${id}/meeting`, {
          heldOn: '2026-03-02',
          place: '会议室',
          experts: [1, 2, 3].map((n) => ({ name: `专家${n}`, specialty: '环境', title: '教授' })),
        })
      ).status,
    ).toBe(403);
    const held = await meeting(1);
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect(held.body.meetings[0].experts).toHaveLength(3);
    expect((await meeting(1)).status).toBe(409);
    // Each conclusion by the assessment's own department.
    const other = [a, b, c].find((x) => x!.departmentCode !== a!.departmentCode)!;
    expect((await conclude(a!, 'pass', stepUser(other.departmentCode, 'initial'))).status).toBe(403);
    expect((await conclude(a!, 'pass')).status).toBe(200);
    expect((await conclude(b!, 'pass')).status).toBe(200);
    const failed = await conclude(c!, 'fail');
    expect(failed.body.status).toBe('failed');
    expect((await getTask(system, window, c!.id)).status).toBe('in_review');

    // A revised report: the next round decides only the failed assessment, after its own meeting.
    const revised = await call(system, applicant, 'POST', `/api/joint/merged-assessments/${id}/report`, {
      reportNumber: 'DPHY-2026-001-R1',
      summary: '补充评估深度',
    });
    expect(revised.body.round).toBe(2);
    expect(revised.body.pendingItems).toEqual([c!.itemCode]);
    expect((await conclude(c!, 'pass')).status).toBe(422);
    expect((await meeting(2)).status).toBe(200);
    expect((await conclude(a!, 'pass')).status).toBe(409);
    const passed = await conclude(c!, 'pass');
    expect(passed.body.status).toBe('passed');
    expect(passed.body.opinionNumber).toMatch(/多评合一/);
    for (const x of [a, b, c]) expect((await getTask(system, window, x!.id)).status).toBe('approved');
    expect(
      (
        await call(system, applicant, 'POST', `/api/joint/merged-assessments/${id}/withdraw`, {
          reason: '已办结',
        })
      ).status,
    ).toBe(409);
    const desk = await call(system, lead, 'GET', '/api/joint/merged-assessments');
    expect(desk.body.assessments.some((x: { id: string }) => x.id === id)).toBe(true);

    // The other assessments on their own; stage 1.
    await approveAll(system, login, stage1.tasks);
    for (const code of assessmentCodes.filter((x) => ![a, b, c].some((y) => y!.itemCode === x))) {
      await approveAll(system, login, [tasks.get(code)!]);
    }
    for (const item of parallel.items.filter(
      (i) => !UTILITY_ITEMS.includes(i.code) && !assessmentCodes.includes(i.code),
    )) {
      const s = await acceptedStage(system, applicant, window, project, { stage: 5, itemCode: item.code });
      await approveAll(system, login, s.tasks);
    }

    // 方案联审 at stage 2.
    const stage2 = await acceptedStage(system, applicant, window, project, { stage: 2 });
    const schemeTask = stage2.tasks.find((x) => x.itemCode === 'ZZ-ZRZY-006')!;
    const planner = await login(stepUser(schemeTask.departmentCode, 'initial'));
    const chief = await login(stepUser(schemeTask.departmentCode, 'final'));
    const direct = await decideAs(system, planner, schemeTask.id, 'initial', 'approve');
    expect(direct.status).toBe(422);
    expect(direct.body.error.code).toBe('RULE_VIOLATION');
    const ask = (departments: { departmentCode: string; limitDays?: number }[]) =>
      call(system, planner, 'POST', '/api/joint/scheme-reviews', { taskId: schemeTask.id, departments });
    expect((await ask([{ departmentCode: schemeTask.departmentCode }])).status).toBe(400);
    expect((await ask([{ departmentCode: 'nosuchdept' }])).status).toBe(400);
    const opened = await ask([
      { departmentCode: 'rfb', limitDays: 3 },
      { departmentCode: 'ylj', limitDays: 5 },
      { departmentCode: 'cjj', limitDays: 2 },
    ]);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.opinions).toHaveLength(3);
    // Due dates count working days from Monday 2026-03-02.
    const due = (code: string, round = 1) =>
      opened.body.opinions.find(
        (o: { departmentCode: string; round: number }) => o.departmentCode === code && o.round === round,
      )?.dueDate;
    expect(due('rfb')).toBe('2026-03-05');
    expect(due('ylj')).toBe('2026-03-09');
    expect(due('cjj')).toBe('2026-03-04');
    const told = await call(system, await login('rfb.reviewer'), 'GET', '/api/notifications');
    expect(JSON.stringify(told.body)).toContain('方案联审征求意见');
    const rid = opened.body.id as string;
    const answer = async (who: string, body: Record<string, unknown>) =>
      call(system, await login(who), 'POST', `/api/joint/scheme-reviews/${rid}/opinions`, body);
    expect((await answer('sthj.reviewer', { answer: 'agree' })).status).toBe(403);
    expect(
      (
        await call(system, applicant, 'POST', `/api/joint/scheme-reviews/${rid}/opinions`, {
          answer: 'agree',
        })
      ).status,
    ).toBe(403);
    const noConditions = await answer('rfb.reviewer', { answer: 'agree_with_conditions' });
    expect(noConditions.status).toBe(400);
    expect(noConditions.body.error.field).toBe('body.opinion');
    expect(
      (await answer('rfb.reviewer', { answer: 'agree_with_conditions', opinion: '按规定配建防空地下室' }))
        .status,
    ).toBe(200);
    expect((await answer('rfb.senior', { answer: 'agree' })).status).toBe(409);
    const passEarly = await call(system, chief, 'POST', `/api/joint/scheme-reviews/${rid}/conclusion`, {
      outcome: 'pass',
      conclusion: '同意',
    });
    expect(passEarly.status).toBe(422);
    expect(passEarly.body.error.message).toContain('未反馈');
    expect((await answer('ylj.reviewer', { answer: 'disagree' })).status).toBe(400);
    expect((await answer('ylj.reviewer', { answer: 'disagree', opinion: '绿地率低于规划条件' })).status).toBe(
      200,
    );
    expect((await answer('cjj.reviewer', { answer: 'agree' })).status).toBe(200);
    const againstIt = await call(system, chief, 'POST', `/api/joint/scheme-reviews/${rid}/conclusion`, {
      outcome: 'pass',
      conclusion: '同意',
    });
    expect(againstIt.status).toBe(422);
    expect(againstIt.body.error.message).toContain('不同意');
    expect(
      (
        await call(system, planner, 'POST', `/api/joint/scheme-reviews/${rid}/conclusion`, {
          outcome: 'return',
          conclusion: '请调整绿地率',
        })
      ).status,
    ).toBe(403);
    const returned = await call(system, chief, 'POST', `/api/joint/scheme-reviews/${rid}/conclusion`, {
      outcome: 'return',
      conclusion: '绿地率须符合规划条件，请修改方案',
    });
    expect(returned.body.status).toBe('returned');
    expect(JSON.stringify((await call(system, applicant, 'GET', '/api/notifications')).body)).toContain(
      '设计方案须修改',
    );

    // The revised scheme: the same departments asked again; cjj stays silent past its due date.
    const round2 = await call(system, planner, 'POST', `/api/joint/scheme-reviews/${rid}/next-round`, {});
    expect(round2.body.round).toBe(2);
    expect(round2.body.opinions.filter((o: { round: number }) => o.round === 2)).toHaveLength(3);
    expect((await answer('rfb.reviewer', { answer: 'agree' })).status).toBe(200);
    expect(
      (await answer('ylj.reviewer', { answer: 'agree_with_conditions', opinion: '屋顶绿化计入须符合标准' }))
        .status,
    ).toBe(200);
    expect(
      (
        await call(system, chief, 'POST', `/api/joint/scheme-reviews/${rid}/conclusion`, {
          outcome: 'pass',
          conclusion: '同意',
        })
      ).status,
    ).toBe(422);
    system.clock.set(new Date('2026-03-05T10:00:00+08:00'));
    // Three days on, the sessions of the morning have expired: everyone logs in again.
    const later = sessions(system);
    const done = await call(
      system,
      await later(stepUser(schemeTask.departmentCode, 'final')),
      'POST',
      `/api/joint/scheme-reviews/${rid}/conclusion`,
      {
        outcome: 'pass',
        conclusion: '设计方案符合规划条件，同意',
      },
    );
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('passed');
    expect(done.body.conclusion).toContain('屋顶绿化');
    expect(done.body.conclusion).toContain('视为无意见');
    const schemeView = await getTask(system, await later('window'), schemeTask.id);
    expect(schemeView.status).toBe('approved');
    const desk2 = await call(system, await later('ylj.reviewer'), 'GET', '/api/joint/scheme-reviews');
    expect(desk2.body.reviews.some((r: { id: string }) => r.id === rid)).toBe(true);
    const audit = await call(system, await later('admin'), 'GET', '/api/audit/verify');
    expect(audit.body.valid).toBe(true);
  }, 300_000);
});
