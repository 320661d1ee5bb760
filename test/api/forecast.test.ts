/**
 * Foresight (issue 17) through the API: a running project's P50/P90 with its basis — the promised limits
 * while history is thin, the observed durations once five projects have gone through the same items —
 * visible to whoever may see the project, and the running list for supervision.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { acceptedStage, approveAll, call, newProject, sessions, templateOrder } from '../lifecycle-helpers';

const day = (d: string) => new Date(`${d}T09:00:00+08:00`);

describeEachSystem('forecast of running projects', (t) => {
  it('predicts from the promised limits, then from history, and says which', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');

    // Thin history: a project just accepted into stage 1.
    system.clock.set(day('2026-03-02'));
    const first = await newProject(system, applicant, 'SOCIAL_TRANSFER', 300);
    const { tasks: firstTasks } = await acceptedStage(system, applicant, window, first, { stage: 1 });
    const thin = await call(system, applicant, 'GET', `/api/projects/${first.id}/forecast`);
    expect(thin.status, JSON.stringify(thin.body)).toBe(200);
    expect(thin.body.finished).toBe(false);
    expect(thin.body.basis).toBe('promised');
    expect(thin.body.startedOn).toBe('2026-03-02');
    expect(thin.body.completion.p50Date >= '2026-03-02').toBe(true);
    expect(thin.body.completion.p90Date >= thin.body.completion.p50Date).toBe(true);
    // With the promised limits only, the forecast is the naive one.
    expect(thin.body.completion.p50Date).toBe(thin.body.naive.date);
    expect(thin.body.items.every((i: { basis: string }) => i.basis === 'promised')).toBe(true);
    const histogramRuns = thin.body.completion.histogram.reduce(
      (n: number, h: { runs: number }) => n + h.runs,
      0,
    );
    expect(histogramRuns).toBe(thin.body.runs);
    expect(thin.body.wholeProcess.targetWorkingDays).toBe(100);
    const stage1 = thin.body.stages.find((s: { nationalStage: number }) => s.nationalStage === 1);
    expect(stage1.state).toBe('running');

    // Same answer on reload (seeded), and for the supervisor; another enterprise is refused.
    const again = await call(system, applicant, 'GET', `/api/projects/${first.id}/forecast`);
    expect(again.body.completion).toEqual(thin.body.completion);
    const supervisor = await login('supervisor');
    expect((await call(system, supervisor, 'GET', `/api/projects/${first.id}/forecast`)).status).toBe(200);
    const stranger = await login('applicant2');
    const refused = await call(system, stranger, 'GET', `/api/projects/${first.id}/forecast`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN_SCOPE');

    // History: five more projects whose stage-1 items are approved two working days after acceptance.
    const stage1Items = new Set(firstTasks.filter((x) => x.status === 'in_review').map((x) => x.itemCode));
    // (Sessions end when the clock jumps days ahead: each moment logs in afresh.)
    for (let i = 0; i < 5; i++) {
      system.clock.set(day('2026-03-09'));
      const then = sessions(system);
      const p = await newProject(system, await then('applicant'), 'SOCIAL_TRANSFER', 310 + i);
      const { tasks } = await acceptedStage(system, await then('applicant'), await then('window'), p, {
        stage: 1,
      });
      system.clock.set(day('2026-03-11'));
      await approveAll(system, sessions(system), tasks);
    }
    system.clock.set(day('2026-03-12'));
    const now = sessions(system);
    const applicantNow = await now('applicant');
    const supervisorNow = await now('supervisor');
    const rich = await call(system, applicantNow, 'GET', `/api/projects/${first.id}/forecast`);
    expect(rich.status).toBe(200);
    const learned = rich.body.items.filter((i: { itemCode: string }) => stage1Items.has(i.itemCode));
    expect(learned.length).toBeGreaterThan(0);
    // An item waiting for another counts from that one's approval (the same day here: 0 days).
    const order = (await templateOrder(system, 'SOCIAL_TRANSFER')).flatMap((st) => st.items);
    const waits = (code: string) =>
      order.find((o) => o.itemCode === code)!.prerequisites.some((p) => stage1Items.has(p));
    for (const item of learned) {
      expect(item.basis).toBe('history');
      expect(item.samples).toBe(5);
      expect(item.medianDays).toBe(waits(item.itemCode) ? 0 : 2);
      expect(item.state).toBe('running');
    }
    // The first project has run eight working days: history says nothing lasts that long, so the
    // running items end on the next working day (2026-03-13), not at the promised deadline.
    const s1 = rich.body.stages.find((s: { nationalStage: number }) => s.nationalStage === 1);
    expect(s1.basis).toBe('history');
    expect(s1.p50Date).toBe('2026-03-13');
    expect(['mixed', 'history']).toContain(rich.body.basis);

    // The running list: supervision sees it; an applicant may not list.
    const list = await call(system, supervisorNow, 'GET', '/api/forecast/projects');
    expect(list.status).toBe(200);
    const row = list.body.projects.find((p: { projectId: string }) => p.projectId === first.id);
    expect(row.p50Date).toBe(rich.body.completion.p50Date);
    expect(row.currentStage).toBeTruthy();
    expect((await call(system, applicantNow, 'GET', '/api/forecast/projects')).status).toBe(403);
    // Firstly-approved projects of stage 1 are still running (stages 2–4 ahead), so they are listed too.
    expect(list.body.projects.length).toBeGreaterThanOrEqual(6);

    // Unknown project: 404; malformed id: 400.
    expect(
      (
        await call(
          system,
          supervisorNow,
          'GET',
          '/api/projects/00000000-0000-4000-8000-000000000000/forecast',
        )
      ).status,
    ).toBe(404);
    expect((await call(system, supervisorNow, 'GET', '/api/projects/nope/forecast')).status).toBe(400);
    // Six projects through the window and the departments: ~50 s alone here, more beside other suites.
  }, 240_000);
});
