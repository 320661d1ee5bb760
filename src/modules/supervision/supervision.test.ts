import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../../../test/app';
import {
  CLEAR_SITE_DISTRICT,
  fillForm,
  getGuide,
  registerProject,
  uploadRequired,
} from '../../../test/factories';
import { logVerification } from './anomaly.service';
import { runDailySupervision } from './supervision.jobs';

interface TaskView {
  id: string;
  itemCode: string;
  departmentCode: string;
  status: string;
  steps: string[];
  deadline: string;
  stage: number;
}

async function acceptedStageOne(system: TestSystem, applicant: Session) {
  const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
  const tpl = templates.find((x: { name: string }) => x.name.includes('出让类')) ?? templates[0];
  const project = await registerProject(system, applicant, { templateCode: tpl.code });
  const guide = await getGuide(system, applicant, project.id, 1);
  const materials = await uploadRequired(system, applicant, guide);
  const submitted = await system.app.inject({
    method: 'POST',
    url: `/api/projects/${project.id}/applications`,
    headers: applicant.headers,
    payload: { stage: 1, form: fillForm(guide.form), materials },
  });
  expect(submitted.statusCode).toBe(201);
  const window = await system.login('window');
  const accepted = await system.app.inject({
    method: 'POST',
    url: `/api/applications/${submitted.json().id}/accept`,
    headers: window.headers,
    payload: {},
  });
  expect(accepted.statusCode).toBe(200);
  return {
    project,
    applicationId: submitted.json().id as string,
    tasks: accepted.json().tasks as TaskView[],
  };
}

describeEachSystem('electronic supervision and statistics', (t) => {
  let tasks: TaskView[] = [];
  let applicationId = '';
  let projectId = '';
  let supervisor: Session;
  const get = async (url: string, who: Session) =>
    t.system.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const post = async (url: string, who: Session, payload: unknown) =>
    t.system.app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });

  it('lists running tasks with their clocks; only supervisors and coordinators of the stage', async () => {
    const { system } = t;
    system.clock.set(new Date('2026-03-02T09:00:00+08:00'));
    const applicant = await system.login('applicant');
    const made = await acceptedStageOne(system, applicant);
    tasks = made.tasks;
    applicationId = made.applicationId;
    projectId = made.project.id;
    supervisor = await system.login('supervisor');
    const res = await get('/api/supervision/tasks', supervisor);
    expect(res.statusCode).toBe(200);
    const listed = res.json().tasks as {
      id: string;
      clockState: string;
      itemName: string;
      projectCode: string;
    }[];
    expect(new Set(listed.map((x) => x.id))).toEqual(new Set(tasks.map((x) => x.id)));
    expect(
      listed.every((x) => x.clockState === 'normal' && x.itemName && x.projectCode === made.project.code),
    ).toBe(true);
    expect((await get('/api/supervision/tasks', applicant)).statusCode).toBe(403);

    const depts = await system.db.selectFrom('department').select(['code', 'leadsStages']).execute();
    const lead = depts.find((d) => d.leadsStages.includes(1))!;
    const other = depts.find((d) => d.leadsStages.length > 0 && !d.leadsStages.includes(1));
    const coordinator = await system.login(`${lead.code}.coordinator`);
    expect((await get('/api/supervision/tasks', coordinator)).json().tasks.length).toBe(tasks.length);
    if (other)
      expect(
        (await get('/api/supervision/tasks', await system.login(`${other.code}.coordinator`))).json().tasks,
      ).toEqual([]);
  });

  it('notifies a warning transition exactly once', async () => {
    const { system } = t;
    supervisor = await system.login('supervisor');
    const target = tasks[0]!;
    const set = await system.app.inject({
      method: 'PUT',
      url: `/api/supervision/clock-settings/${target.itemCode}`,
      headers: supervisor.headers,
      payload: { warningDays: 365 },
    });
    expect(set.statusCode).toBe(200);
    const warned = (await get('/api/supervision/tasks?clockState=warning', supervisor)).json().tasks as {
      id: string;
      itemName: string;
    }[];
    const targetName = warned.find((x) => x.id === target.id)?.itemName;
    expect(warned.map((x) => x.id)).toContain(target.id);
    await get('/api/supervision/tasks', supervisor);
    await runDailySupervision(system.ctx);
    const reviewer = await system.login(`${target.departmentCode}.reviewer`);
    const mine = (await get('/api/notifications', reviewer)).json().notifications as {
      id: string;
      kind: string;
      objectId: string;
    }[];
    const hits = mine.filter((n) => n.kind === 'clock.warning' && n.objectId === target.id);
    expect(hits).toHaveLength(1);
    // What the bell shows: the item's name (not its code), Chinese only, and the project it links to.
    const shown = hits[0] as unknown as { title: string; body: string; projectId: string | null };
    expect(shown.title).toBe(`办件预警：${targetName}`);
    expect(shown.body).not.toMatch(/[A-Za-z]/);
    expect(shown.projectId).toBe(projectId);
    const before = (await get('/api/notifications', reviewer)).json().unreadCount as number;
    expect(before).toBeGreaterThanOrEqual(1);
    expect((await post(`/api/notifications/${hits[0]!.id}/read`, reviewer, {})).statusCode).toBe(200);
    expect((await get('/api/notifications', reviewer)).json().unreadCount).toBe(before - 1);
    expect(
      (await get('/api/notifications?unread=true', reviewer))
        .json()
        .notifications.some((n: { id: string }) => n.id === hits[0]!.id),
    ).toBe(false);
  });

  it('turns tasks overdue when the clock moves past their deadlines (after one task is decided on time)', async () => {
    const { system } = t;
    supervisor = await system.login('supervisor');
    const done = tasks.find((x) => x.status === 'in_review')!;
    for (const step of done.steps) {
      const who = await system.login(`${done.departmentCode}.${step === 'initial' ? 'reviewer' : 'senior'}`);
      const res = await post(`/api/tasks/${done.id}/decisions`, who, {
        step,
        outcome: 'approve',
        opinion: '符合要求，同意',
      });
      expect(res.statusCode).toBe(200);
    }
    const latest = tasks
      .map((x) => x.deadline)
      .sort()
      .at(-1)!;
    system.clock.set(new Date(`${latest}T09:00:00+08:00`));
    system.clock.set(new Date(system.clock.now().getTime() + 20 * 86_400_000));
    supervisor = await system.login('supervisor');
    const listed = (await get('/api/supervision/tasks', supervisor)).json().tasks as {
      id: string;
      clockState: string;
      overdueWorkingDays: number;
    }[];
    const running = tasks.filter((x) => x.id !== done.id && x.status === 'in_review');
    expect(listed.map((x) => x.id).sort()).toEqual(running.map((x) => x.id).sort());
    expect(listed.every((x) => x.clockState === 'overdue' && x.overdueWorkingDays > 0)).toBe(true);
  });

  it('runs a 督办 order round trip: issue, list mine, answer once, escalate when unanswered', async () => {
    const { system } = t;
    supervisor = await system.login('supervisor');
    const target = tasks.find((x) => x.status === 'in_review' && x.id !== tasks[0]!.id) ?? tasks[0]!;
    const created = await post('/api/supervision/orders', supervisor, {
      taskId: target.id,
      message: '请尽快办结该事项',
      responseWorkingDays: 2,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().dueDate > '2026-03-02').toBe(true);
    const reviewer = await system.login(`${target.departmentCode}.reviewer`);
    const mine = (await get('/api/supervision/orders?mine=true', reviewer)).json().orders as {
      id: string;
      itemName: string;
      departmentName: string;
    }[];
    expect(mine.map((o) => o.id)).toContain(created.json().id);
    // Names, not codes, on the department's desk.
    const listed = mine.find((o) => o.id === created.json().id)!;
    expect(listed.itemName).toMatch(/[\u4e00-\u9fa5]/);
    expect(listed.itemName).not.toBe(target.itemCode);
    expect(listed.departmentName).not.toBe(target.departmentCode);
    const answer = await post(`/api/supervision/orders/${created.json().id}/response`, reviewer, {
      response: '已安排专人办理',
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().status).toBe('answered');
    expect(
      (
        await post(`/api/supervision/orders/${created.json().id}/response`, reviewer, {
          response: '再次答复',
        })
      ).statusCode,
    ).toBe(409);

    const second = await post('/api/supervision/orders', supervisor, {
      taskId: target.id,
      message: '第二次督办',
      responseWorkingDays: 1,
    });
    expect(second.statusCode).toBe(201);
    await runDailySupervision(system.ctx);
    expect(
      (
        await system.db
          .selectFrom('supervisionOrder')
          .select('status')
          .where('id', '=', second.json().id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('open');
    const now = system.clock.now();
    system.clock.set(new Date(now.getTime() + 7 * 86_400_000));
    const swept = await runDailySupervision(system.ctx);
    supervisor = await system.login('supervisor');
    expect(swept.escalated).toBe(1);
    const row = await system.db
      .selectFrom('supervisionOrder')
      .select('status')
      .where('id', '=', second.json().id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('escalated');
    // Escalated to the department's head (负责人), not to its seniors.
    const escalatedTo = async (username: string) =>
      (
        (await get('/api/notifications', await system.login(username))).json().notifications as {
          kind: string;
          objectId: string;
        }[]
      ).filter((n) => n.kind === 'order.escalated' && n.objectId === second.json().id);
    expect(await escalatedTo(`${target.departmentCode}.head`)).toHaveLength(1);
    expect(await escalatedTo(`${target.departmentCode}.senior`)).toHaveLength(0);
    const head = await system.login(`${target.departmentCode}.head`);
    const headOrders = (await get('/api/supervision/orders?mine=true', head)).json().orders as {
      id: string;
      status: string;
    }[];
    expect(headOrders.find((o) => o.id === second.json().id)?.status).toBe('escalated');
    // Sweeping again escalates nothing twice.
    expect((await runDailySupervision(system.ctx)).escalated).toBe(0);
    const events = await system.db
      .selectFrom('auditEvent')
      .select('action')
      .where('objectId', '=', second.json().id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['supervision_order.issued', 'supervision_order.escalated']);
  });

  it('agrees with the rows in the overview and the xlsx export', async () => {
    const { system } = t;
    supervisor = await system.login('supervisor');
    const today = '2099-01-01';
    const rows = await system.db.selectFrom('itemTask').select(['id', 'status', 'deadline']).execute();
    const running = rows.filter((r) => r.status === 'in_review' || r.status === 'paused');
    const overdueByHand = running.filter((r) => r.deadline < today).length;
    const res = await get('/api/stats/overview', supervisor);
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.totals.tasks).toBe(rows.length);
    expect(o.totals.completed).toBe(rows.length - running.length);
    expect(o.totals.onTime).toBe(1);
    expect(o.totals.overdueTasks).toBe(overdueByHand);
    expect(o.totals.applications).toBe(1);
    expect(o.byDepartment.reduce((s: number, d: { tasks: number }) => s + d.tasks, 0)).toBe(rows.length);
    // Only stage 1 was applied for: the project is still running, so it is shown apart from the figure.
    expect(o.wholeProcess.projects).toHaveLength(0);
    expect(o.wholeProcess.over + o.wholeProcess.within).toBe(0);
    expect(o.wholeProcess.running.count).toBe(1);
    expect(o.wholeProcess.running.projects[0]).toMatchObject({ finished: false, completedStages: 0 });
    expect(o.wholeProcess.running.projects[0].mainStages).toBeGreaterThanOrEqual(3);
    expect(o.totals.extendedTasks).toBe(0);
    expect(
      (await get(`/api/stats/overview?districtCode=${CLEAR_SITE_DISTRICT}`, supervisor)).json().totals.tasks,
    ).toBe(rows.length);
    expect((await get('/api/stats/overview?districtCode=410181', supervisor)).json().totals.tasks).toBe(0);
    expect((await get('/api/stats/overview?from=2030-01-01', supervisor)).json().totals.tasks).toBe(0);
    expect(o.byTemplate.reduce((sum: number, x: { tasks: number }) => sum + x.tasks, 0)).toBe(rows.length);
    expect((await get('/api/stats/overview', await system.login('applicant'))).statusCode).toBe(403);

    const xlsx = await get('/api/stats/export.xlsx', supervisor);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('概览')!;
    const values = new Map<string, unknown>();
    sheet.eachRow((r, i) => {
      if (i > 1) values.set(String(r.getCell(1).value), r.getCell(2).value);
    });
    expect(values.get('办件数 tasks')).toBe(rows.length);
    expect(values.get('逾期办件 overdue tasks')).toBe(overdueByHand);
    expect(wb.getWorksheet('按部门')!.rowCount - 1).toBe(o.byDepartment.length);

    const report = await post('/api/stats/reports', supervisor, { month: '2026-03' });
    expect(report.statusCode).toBe(201);
    const list = (await get('/api/stats/reports', supervisor)).json().reports as { id: string }[];
    expect(list.map((r) => r.id)).toContain(report.json().id);
    const pdf = await get(`/api/stats/reports/${report.json().id}/pdf`, supervisor);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(`/api/stats/reports/${report.json().id}/xlsx`, supervisor)).statusCode).toBe(200);
  });

  it('verifies the audit chain, names an edited row, and the app role cannot change audit events', async () => {
    const { system } = t;
    supervisor = await system.login('supervisor');
    expect((await get('/api/audit/verify', supervisor)).json()).toMatchObject({ valid: true });
    const target = await system.db
      .selectFrom('auditEvent')
      .select(['id', 'reason'])
      .orderBy('id')
      .offset(3)
      .limit(1)
      .executeTakeFirstOrThrow();
    // As the owner (the test handle): a forensic edit the verifier must catch.
    await system.db
      .updateTable('auditEvent')
      .set({ reason: 'tampered' })
      .where('id', '=', target.id)
      .execute();
    expect((await get('/api/audit/verify', supervisor)).json()).toMatchObject({
      valid: false,
      firstBadEventId: target.id,
    });
    await system.db
      .updateTable('auditEvent')
      .set({ reason: target.reason })
      .where('id', '=', target.id)
      .execute();
    expect((await get('/api/audit/verify', supervisor)).json()).toMatchObject({ valid: true });

    for (const statement of [
      sql`UPDATE audit_event SET reason = 'x' WHERE id = ${target.id}`,
      sql`DELETE FROM audit_event WHERE id = ${target.id}`,
    ]) {
      await expect(
        system.db.transaction().execute(async (trx) => {
          await sql`SET LOCAL ROLE zz_app`.execute(trx);
          await statement.execute(trx);
        }),
      ).rejects.toThrow(/permission denied/);
    }
    // The same role may read and append.
    const count = await system.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE zz_app`.execute(trx);
      await sql`UPDATE notification SET read_at = read_at WHERE false`.execute(trx);
      return (await sql<{ n: string }>`SELECT count(*) AS n FROM audit_event`.execute(trx)).rows[0]!.n;
    });
    expect(Number(count)).toBeGreaterThan(0);
  });

  it('fires each anomaly rule on crafted data and not on clean data; supervisors close hits', async () => {
    const { system } = t;
    supervisor = await system.login('supervisor');
    const clean = await post('/api/supervision/anomalies/scan', supervisor, {});
    expect(clean.statusCode).toBe(200);
    expect(clean.json()).toEqual({ hits: 0, created: 0 });

    const decided = await system.db
      .selectFrom('taskDecision')
      .select(['id', 'taskId'])
      .limit(1)
      .executeTakeFirstOrThrow();
    const app = await system.db
      .selectFrom('stageApplication')
      .select(['acceptedAt'])
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    await system.db
      .updateTable('taskDecision')
      .set({ decidedAt: new Date(app.acceptedAt!.getTime() - 86_400_000) })
      .where('id', '=', decided.id)
      .execute();
    const user = await system.db
      .selectFrom('appUser')
      .select('id')
      .where('username', '=', 'window')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 2; i++) {
      await system.db
        .insertInto('correctionRequest')
        .values({
          applicationId,
          taskId: null,
          items: JSON.stringify([{ reason: '补正' }]),
          requestedBy: user.id,
          requestedAt: new Date(),
        })
        .execute();
    }
    const running = tasks.find((x) => x.id !== decided.taskId)!;
    await system.db
      .insertInto('clockPause')
      .values({
        taskId: running.id,
        kind: 'hearing',
        pausesClock: true,
        reason: '听证',
        startedAt: new Date('2026-03-03T09:00:00+08:00'),
        startedOn: '2026-03-03',
        startedBy: null,
      })
      .execute();
    const limit = await system.app.inject({
      method: 'PUT',
      url: '/api/supervision/settings/special-pause-max-days',
      headers: supervisor.headers,
      payload: { days: 5 },
    });
    expect(limit.statusCode).toBe(200);
    // The public verification endpoint logs every lookup; an unknown id is the anomaly.
    const unknown = await system.app.inject({
      method: 'GET',
      url: '/api/certificates/ZZ-UNKNOWN-0001/verify',
    });
    expect(unknown.json().valid).toBe(false);
    await logVerification(system.db, 'ZZ-KNOWN-0001', true);
    const first = (await post('/api/supervision/anomalies/scan', supervisor, {})).json();
    const firstRules = (
      (await get('/api/supervision/anomalies', supervisor)).json().anomalies as { rule: string }[]
    ).map((a) => a.rule);
    expect(firstRules.sort()).toEqual([
      'long_special_pause',
      'repeated_correction',
      'timestamps_out_of_order',
      'unknown_certificate_verification',
    ]);
    expect(first.created).toBe(4);
    await system.db
      .updateTable('stageApplication')
      .set({ acceptedAt: null })
      .where('id', '=', applicationId)
      .execute();
    await post('/api/supervision/anomalies/scan', supervisor, {});

    const list = (await get('/api/supervision/anomalies', supervisor)).json().anomalies as {
      id: string;
      rule: string;
      objectId: string;
    }[];
    expect(new Set(list.map((a) => a.rule))).toEqual(
      new Set([
        'decision_without_acceptance',
        'timestamps_out_of_order',
        'repeated_correction',
        'long_special_pause',
        'unknown_certificate_verification',
      ]),
    );
    expect(list.find((a) => a.rule === 'unknown_certificate_verification')!.objectId).toBe('ZZ-UNKNOWN-0001');
    expect(list.find((a) => a.rule === 'repeated_correction')!.objectId).toBe(applicationId);
    // Scanning again creates nothing new (one hit per rule and object).
    expect((await post('/api/supervision/anomalies/scan', supervisor, {})).json().created).toBe(0);
    const id = list[0]!.id;
    expect(
      (await post(`/api/supervision/anomalies/${id}/close`, supervisor, { note: '已核实，系误操作' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await post(`/api/supervision/anomalies/${id}/close`, supervisor, { note: '再次关闭' })).statusCode,
    ).toBe(409);
    expect((await get('/api/supervision/anomalies', await system.login('applicant'))).statusCode).toBe(403);
  });
});
