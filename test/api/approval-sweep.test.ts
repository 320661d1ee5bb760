/**
 * The approvals' daily sweep: an overdue 容缺 writes one credit record, and an applicant is reminded once
 * of a 补正 due within a few working days.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { fillForm, getGuide, registerProject, uploadRequired } from '../factories';
import { runApprovalSweep } from '../../src/modules/approvals/sweep.service';

describeEachSystem('approvals daily sweep', (t) => {
  it('records an overdue 容缺 once, and reminds of a 补正 due soon once', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const window = await system.login('window');
    const project = await registerProject(system, applicant, { templateCode: 'SOCIAL_TRANSFER', offset: 90 });
    const guide = await getGuide(system, applicant, project.id, 1);
    const deferrable = guide.materials.filter((m) => m.required && m.deficiencyAllowed && !m.onFile);
    expect(deferrable.length).toBeGreaterThan(0);
    const materials = await uploadRequired(
      system,
      applicant,
      guide,
      deferrable.map((m) => m.code),
    );
    const submit = (form: Record<string, unknown>) =>
      system.app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/applications`,
        headers: applicant.headers,
        payload: { stage: 1, form, materials },
      });
    const app = (await submit(fillForm(guide.form))).json();

    // A 补正 at the window due in two working days: the sweep reminds once.
    const correction = await system.app.inject({
      method: 'POST',
      url: `/api/applications/${app.id}/corrections`,
      headers: window.headers,
      payload: { items: [{ field: 'projectName', reason: '项目名称与备案不一致' }], dueDate: '2026-03-04' },
    });
    expect(correction.statusCode).toBe(201);
    const deps = { clock: system.clock, calendar: system.ctx.calendar };
    expect((await runApprovalSweep(system.db, deps)).reminders).toBe(1);
    expect((await runApprovalSweep(system.db, deps)).reminders).toBe(0);
    const notes = (
      await system.app.inject({
        method: 'GET',
        url: '/api/notifications',
        headers: { cookie: applicant.cookie },
      })
    ).json();
    expect(JSON.stringify(notes)).toContain('补正即将到期');
    const answered = await system.app.inject({
      method: 'POST',
      url: `/api/corrections/${correction.json().id}/answer`,
      headers: applicant.headers,
      payload: { note: '已核对' },
    });
    expect(answered.statusCode).toBe(200);

    // 容缺 declared with a due date; past it the sweep writes one credit record.
    const accepted = await system.app.inject({
      method: 'POST',
      url: `/api/applications/${app.id}/accept`,
      headers: window.headers,
      payload: { deficiencies: deferrable.map((m) => ({ materialCode: m.code, dueDate: '2026-03-06' })) },
    });
    expect(accepted.statusCode).toBe(200);
    expect((await runApprovalSweep(system.db, deps)).creditRecords).toBe(0);
    system.clock.set(new Date('2026-03-10T09:00:00+08:00'));
    try {
      expect((await runApprovalSweep(system.db, deps)).creditRecords).toBe(deferrable.length);
      expect((await runApprovalSweep(system.db, deps)).creditRecords).toBe(0);
      const owner = await system.db
        .selectFrom('project')
        .select('enterpriseId')
        .where('id', '=', project.id)
        .executeTakeFirstOrThrow();
      const records = await system.db
        .selectFrom('creditRecord')
        .selectAll()
        .where('enterpriseId', '=', owner.enterpriseId)
        .where('kind', '=', 'deficiency_overdue')
        .execute();
      expect(records.length).toBe(deferrable.length);
    } finally {
      system.clock.set(new Date('2026-03-02T09:00:00+08:00'));
    }
  });
});
