/**
 * One clock (issue 8 item 6): the inbox, the task page, the application and supervision show the same
 * clock for a task, per-item warning threshold included (the inbox used to say 正常 where the others
 * said 预警); an approved 延期 shows in every clock, in the supervision list and in the statistics; and
 * the one-notification-per-transition guard holds when two refreshes run at once.
 */
import { expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../../../test/app';
import {
  acceptApplication,
  fillForm,
  getGuide,
  registerProject,
  uploadRequired,
  type AcceptedTask,
} from '../../../test/factories';
import { refreshClocks } from './clock.service';

interface Clock {
  deadline: string;
  remainingWorkingDays: number;
  overdueWorkingDays: number;
  clockState: string;
  extendedBy: number;
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
  const applicationId = submitted.json().id as string;
  return {
    applicationId,
    tasks: await acceptApplication(system, await system.login('window'), applicationId),
  };
}

describeEachSystem('one clock for every view', (t) => {
  let applicationId = '';
  let tasks: AcceptedTask[] = [];
  const get = (url: string, who: Session) =>
    t.system.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const post = (url: string, who: Session, payload: object) =>
    t.system.app.inject({ method: 'POST', url, headers: who.headers, payload });

  /** The task's clock in the inbox (of the role at its step), on its page, in its application, in supervision. */
  async function clocksOf(task: AcceptedTask) {
    const { system } = t;
    const step = task.steps[0] === 'initial' ? 'reviewer' : 'senior';
    const staff = await system.login(`${task.departmentCode}.${step}`);
    const supervisor = await system.login('supervisor');
    const inbox = (await get('/api/tasks', staff)).json().tasks as { id: string; clock: Clock }[];
    const page = (await get(`/api/tasks/${task.id}`, staff)).json() as { clock: Clock };
    const application = (await get(`/api/applications/${applicationId}`, supervisor)).json() as {
      tasks: { id: string; clock: Clock }[];
    };
    const supervised = (await get('/api/supervision/tasks', supervisor)).json().tasks as (Clock & {
      id: string;
      extended: boolean;
      extendedDays: number;
    })[];
    const pick = ({ deadline, remainingWorkingDays, overdueWorkingDays, clockState }: Clock) => ({
      deadline,
      remainingWorkingDays,
      overdueWorkingDays,
      clockState,
    });
    const row = supervised.find((x) => x.id === task.id)!;
    return {
      inbox: inbox.find((x) => x.id === task.id)!.clock,
      page: page.clock,
      application: application.tasks.find((x) => x.id === task.id)!.clock,
      supervision: row,
      same: [
        inbox.find((x) => x.id === task.id)!.clock,
        page.clock,
        application.tasks.find((x) => x.id === task.id)!.clock,
        row,
      ].map(pick),
    };
  }

  it('inbox, task page, application and supervision agree, with the per-item warning threshold', async () => {
    const { system } = t;
    system.clock.set(new Date('2026-03-02T09:00:00+08:00'));
    const made = await acceptedStageOne(system, await system.login('applicant'));
    applicationId = made.applicationId;
    tasks = made.tasks.filter((x) => x.status === 'in_review');
    const target = tasks.find((x) => x.steps.length === 2) ?? tasks[0]!;
    const before = await clocksOf(target);
    expect(before.same.every((c) => c.clockState === 'normal')).toBe(true);
    expect(new Set(before.same.map((c) => JSON.stringify(c))).size).toBe(1);

    const supervisor = await system.login('supervisor');
    const set = await system.app.inject({
      method: 'PUT',
      url: `/api/supervision/clock-settings/${target.itemCode}`,
      headers: supervisor.headers,
      payload: { warningDays: 365 },
    });
    expect(set.statusCode).toBe(200);
    const after = await clocksOf(target);
    expect(after.same.map((c) => c.clockState)).toEqual(['warning', 'warning', 'warning', 'warning']);
    expect(new Set(after.same.map((c) => JSON.stringify(c))).size).toBe(1);
  });

  it('an approved 延期 moves the deadline in every clock; supervision flags it and statistics count it', async () => {
    const { system } = t;
    const target = tasks.find((x) => x.steps.length === 2) ?? tasks[0]!;
    const before = await clocksOf(target);
    expect(before.supervision).toMatchObject({ extended: false, extendedDays: 0 });
    const reviewer = await system.login(`${target.departmentCode}.reviewer`);
    const asked = await post(`/api/tasks/${target.id}/extensions`, reviewer, {
      workingDays: 5,
      reason: '需组织专家论证，申请延期',
    });
    expect(asked.statusCode).toBe(201);
    const head = await system.login(`${target.departmentCode}.head`);
    const decided = await post(`/api/tasks/${target.id}/extensions/${asked.json().id}/decision`, head, {
      approve: true,
      opinion: '同意延期',
    });
    expect(decided.statusCode).toBe(200);

    const after = await clocksOf(target);
    const moved = (
      await system.app.inject({
        method: 'GET',
        url: `/api/calendar/deadline?start=${before.page.deadline}&workingDays=5`,
      })
    ).json().deadline as string;
    expect(after.same.map((c) => c.deadline)).toEqual([moved, moved, moved, moved]);
    expect([after.inbox, after.page, after.application].map((c) => c.extendedBy)).toEqual([5, 5, 5]);
    expect(after.supervision).toMatchObject({ extended: true, extendedDays: 5 });
    const others = (await get('/api/supervision/tasks', await system.login('supervisor'))).json().tasks as {
      id: string;
      extended: boolean;
    }[];
    expect(others.filter((x) => x.extended).map((x) => x.id)).toEqual([target.id]);

    const o = (await get('/api/stats/overview', await system.login('supervisor'))).json();
    expect(o.totals.extendedTasks).toBe(1);
    expect(o.byDepartment.find((d: { key: string }) => d.key === target.departmentCode).extended).toBe(1);
    expect(o.byDepartment.reduce((s: number, d: { extended: number }) => s + d.extended, 0)).toBe(1);
    expect(o.byItem.find((d: { key: string }) => d.key === target.itemCode).extended).toBe(1);
  });

  it('two refreshes at once notify each (task, state) transition once', async () => {
    const { system } = t;
    // Far past every deadline: every running task turns overdue at the next refresh.
    system.clock.set(new Date('2026-06-30T09:00:00+08:00'));
    const running = tasks.map((x) => x.id);
    const results = await Promise.all([
      refreshClocks(system.db, system.ctx),
      refreshClocks(system.db, system.ctx),
      refreshClocks(system.db, system.ctx),
    ]);
    expect(results.reduce((s, r) => s + r.transitions, 0)).toBe(running.length);
    const transitions = await system.db
      .selectFrom('clockTransition')
      .select(['taskId'])
      .where('clockState', '=', 'overdue')
      .execute();
    expect(transitions.map((r) => r.taskId).sort()).toEqual([...running].sort());
    const notes = await system.db
      .selectFrom('notification')
      .select(['userId', 'objectId'])
      .where('kind', '=', 'clock.overdue')
      .execute();
    expect(new Set(notes.map((n) => n.objectId))).toEqual(new Set(running));
    const perRecipient = new Map<string, number>();
    for (const n of notes) {
      const key = `${n.userId}/${n.objectId}`;
      perRecipient.set(key, (perRecipient.get(key) ?? 0) + 1);
    }
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
  });
});
