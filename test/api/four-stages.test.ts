/**
 * One project through all four main stages with detours (issue 8, "Done when"): a department's 补正
 * answered and decided again, a withdrawal and a re-application, an extension, and the 并行推进 services
 * applied for one at a time before the permits that wait for them.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import {
  acceptedStage,
  approveAll,
  call,
  decideAs,
  getApplication,
  newProject,
  sessions,
  stageGuide,
  stepUser,
} from '../lifecycle-helpers';

describeEachSystem('four stages with detours', (t) => {
  it('takes a 社会投资 project from 立项用地规划许可 to 竣工验收', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 120);

    // 并行推进: every applicable service, one application each, approved before the permits need them.
    const parallel = await stageGuide(system, applicant, project.id, 5);
    for (const item of parallel.items) {
      const { tasks } = await acceptedStage(system, applicant, window, project, {
        stage: 5,
        itemCode: item.code,
      });
      await approveAll(system, login, tasks);
    }

    for (const stage of [1, 2, 3, 4]) {
      let { applicationId, tasks } = await acceptedStage(system, applicant, window, project, { stage });
      if (stage === 1) {
        // A department returns one item for 补正; the applicant answers; the same step is decided again.
        const task = tasks.find((x) => x.status === 'in_review' && x.currentStep === 'initial')!;
        const returned = await decideAs(
          system,
          await login(stepUser(task.departmentCode, 'initial')),
          task.id,
          'initial',
          'return',
        );
        expect(returned.status, JSON.stringify(returned.body)).toBe(200);
        const answered = await call(
          system,
          applicant,
          'POST',
          `/api/corrections/${returned.body.correctionId}/answer`,
          {
            note: '已按要求补正',
          },
        );
        expect(answered.status).toBe(200);
      }
      if (stage === 2) {
        // The applicant withdraws and applies again; the stage runs anew.
        const withdrawn = await call(
          system,
          applicant,
          'POST',
          `/api/applications/${applicationId}/withdraw`,
          {
            reason: '设计方案调整，撤回后重新申报',
          },
        );
        expect(withdrawn.body.status).toBe('withdrawn');
        ({ applicationId, tasks } = await acceptedStage(system, applicant, window, project, { stage }));
      }
      if (stage === 3) {
        // An extension asked by the reviewer and approved by the head moves the deadline.
        const task = tasks.find((x) => x.status === 'in_review')!;
        const asked = await call(
          system,
          await login(stepUser(task.departmentCode, 'initial')),
          'POST',
          `/api/tasks/${task.id}/extensions`,
          {
            workingDays: 5,
            reason: '需组织专家论证，申请延期',
          },
        );
        expect(asked.status, JSON.stringify(asked.body)).toBe(201);
        const decided = await call(
          system,
          await login(`${task.departmentCode}.head`),
          'POST',
          `/api/tasks/${task.id}/extensions/${asked.body.id}/decision`,
          {
            approve: true,
            opinion: '同意延期',
          },
        );
        expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      }
      const view = await getApplication(system, window, applicationId);
      await approveAll(
        system,
        login,
        view.tasks.map((x: { id: string; departmentCode: string; itemCode: string; status: string }) => ({
          ...x,
          steps: [],
        })),
      );
      const done = await getApplication(system, applicant, applicationId);
      expect(
        done.status,
        `stage ${stage}: ${JSON.stringify(done.tasks.map((x: { itemCode: string; status: string }) => [x.itemCode, x.status]))}`,
      ).toBe('completed');
    }
    const audit = await call(system, await login('admin'), 'GET', '/api/audit/verify');
    expect(audit.body.valid).toBe(true);
  });
});
