/**
 * Time follows the calendar (issue 8 item 7): an administrator loading a State Council notice through
 * the API moves every running task's deadline (and its supervision clock) by the working days the
 * notice adds or removes inside the task's span; replacing the notice moves them back.
 */
import { expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../../../test/app';
import {
  acceptApplication,
  fillForm,
  getGuide,
  registerProject,
  uploadRequired,
} from '../../../test/factories';

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
  return acceptApplication(system, await system.login('window'), submitted.json().id as string);
}

describeEachSystem('running deadlines follow the calendar', (t) => {
  it('a notice adding a holiday inside a running task moves its deadline; replacing it moves it back', async () => {
    const { system } = t;
    system.clock.set(new Date('2026-03-02T09:00:00+08:00'));
    const tasks = (await acceptedStageOne(system, await system.login('applicant'))).filter(
      (x) => x.status === 'in_review',
    );
    expect(tasks.length).toBeGreaterThan(0);
    const admin = await system.login('admin');
    const supervisor = await system.login('supervisor');
    const deadlines = async () => {
      const rows = await system.db
        .selectFrom('itemTask')
        .select(['id', 'deadline'])
        .where(
          'id',
          'in',
          tasks.map((x) => x.id),
        )
        .execute();
      return new Map(rows.map((r) => [r.id, r.deadline]));
    };
    const supervised = async () => {
      const res = await system.app.inject({
        method: 'GET',
        url: '/api/supervision/tasks',
        headers: { cookie: supervisor.cookie },
      });
      expect(res.statusCode).toBe(200);
      return new Map((res.json().tasks as { id: string; deadline: string }[]).map((x) => [x.id, x.deadline]));
    };
    const nextWorkingDay = async (date: string) =>
      (
        await system.app.inject({
          method: 'GET',
          url: `/api/calendar/deadline?start=${date}&workingDays=1`,
        })
      ).json().deadline as string;
    const before = await deadlines();
    expect(await supervised()).toEqual(before);
    // Every task started on 2026-03-02, so Tuesday 2026-03-03 lies inside every span.
    expect([...before.values()].every((d) => d >= '2026-03-03')).toBe(true);

    const year = (await system.app.inject({ method: 'GET', url: '/api/calendar/years/2026' })).json() as {
      days: { date: string; kind: string; name?: string }[];
    };
    const notice = (days: typeof year.days, documentNumber: string) =>
      system.app.inject({
        method: 'PUT',
        url: '/api/admin/calendar/notices/2026',
        headers: admin.headers,
        payload: {
          year: 2026,
          title: '国务院办公厅关于2026年部分节假日安排的通知（测试）',
          documentNumber,
          days,
        },
      });
    const withHoliday = [...year.days, { date: '2026-03-03', kind: 'holiday', name: '测试假日' }].sort(
      (a, b) => a.date.localeCompare(b.date),
    );
    const loaded = await notice(withHoliday, '国办发明电〔2025〕99号');
    expect(loaded.statusCode).toBe(200);

    const moved = await deadlines();
    for (const [id, deadline] of before) expect(moved.get(id)).toBe(await nextWorkingDay(deadline));
    expect(await supervised()).toEqual(moved);

    const replaced = await notice(year.days, '国办发明电〔2025〕100号');
    expect(replaced.statusCode).toBe(200);
    expect(await deadlines()).toEqual(before);
    expect(await supervised()).toEqual(before);
  });
});
