import { expect, it } from 'vitest';
import type { Session, TestSystem } from '../app';
import { describeEachSystem } from '../app';
import {
  approveAllSteps,
  type AcceptedTask,
  fillForm,
  getGuide,
  registerProject,
  uploadRequired,
  deferAll,
} from '../factories';

type TaskView = AcceptedTask;

async function firstTemplate(system: TestSystem) {
  const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
  // A social-investment template on transferred land: the attributes of the default factory project.
  return (templates.find((t: { code: string; name: string }) => t.name.includes('出让类')) ??
    templates[0]) as { code: string };
}

async function submitStage(
  system: TestSystem,
  applicant: Session,
  projectId: string,
  stage: number,
  extra: Record<string, unknown> = {},
  key?: string,
) {
  const guide = await getGuide(system, applicant, projectId, stage);
  const materials = await uploadRequired(system, applicant, guide, (extra.skip as string[]) ?? []);
  const { skip: _skip, ...rest } = extra;
  return system.app.inject({
    method: 'POST',
    url: `/api/projects/${projectId}/applications`,
    headers: { ...applicant.headers, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { stage, form: fillForm(guide.form), materials, ...rest },
  });
}

describeEachSystem('stage application and parallel approval', (t) => {
  it('takes a project through stage 1: submit once, accept once, parallel review, stage complete', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const tpl = await firstTemplate(system);
    const project = await registerProject(system, applicant, { templateCode: tpl.code });

    const key = `k-${project.id}`;
    const first = await submitStage(system, applicant, project.id, 1, {}, key);
    expect(first.statusCode).toBe(201);
    const app = first.json();
    expect(app).toMatchObject({ status: 'submitted', stage: 1, replayed: false });

    // Same key, same body → same application; the stage has one open application only.
    const guide = await getGuide(system, applicant, project.id, 1);
    expect(guide.materials.filter((m) => m.required).every((m) => m.onFile)).toBe(true);
    const again = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/applications`,
      headers: { ...applicant.headers, 'idempotency-key': 'other-key-123' },
      payload: { stage: 1, form: fillForm(guide.form), materials: [] },
    });
    expect(again.statusCode).toBe(409);

    // The next stage is not open before stage 1 completes.
    const early = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/applications`,
      headers: applicant.headers,
      payload: { stage: 2, form: {}, materials: [] },
    });
    expect([422]).toContain(early.statusCode);
    expect(['STAGE_NOT_OPEN', 'FORM_INVALID', 'MATERIALS_MISSING']).toContain(early.json().error.code);

    const window = await system.login('window');
    const accepted = await system.app.inject({
      method: 'POST',
      url: `/api/applications/${app.id}/accept`,
      headers: window.headers,
      payload: await deferAll(system, window, app.id),
    });
    expect(accepted.statusCode).toBe(200);
    const tasks = accepted.json().tasks as TaskView[];
    expect(tasks.length).toBe(guide.items.length);
    expect(new Set(tasks.map((x) => x.itemCode))).toEqual(new Set(guide.items.map((i) => i.code)));
    for (const task of tasks) expect(task.steps.length).toBeLessThanOrEqual(2);

    // Deadlines: promised working days counted from the day after acceptance (2026-03-02, a Monday);
    // items with prerequisites in the stage come later, never earlier.
    let exact = 0;
    for (const task of tasks) {
      const days = await promisedDays(system, task.itemCode);
      const { deadline } = (
        await system.app.inject({
          method: 'GET',
          url: `/api/calendar/deadline?start=2026-03-02&workingDays=${days}`,
        })
      ).json();
      expect(task.deadline >= deadline).toBe(true);
      if (task.deadline === deadline) exact++;
    }
    expect(exact).toBeGreaterThan(0);

    // Accepting twice is a conflict.
    const twice = await system.app.inject({
      method: 'POST',
      url: `/api/applications/${app.id}/accept`,
      headers: window.headers,
      payload: {},
    });
    expect(twice.statusCode).toBe(409);

    await approveAllSteps(system, tasks);
    const done = (
      await system.app.inject({
        method: 'GET',
        url: `/api/applications/${app.id}`,
        headers: { cookie: applicant.cookie },
      })
    ).json();
    expect(done.status).toBe('completed');
    expect(done.tasks.every((x: TaskView) => x.status === 'approved')).toBe(true);

    const events = await system.app.inject({
      method: 'GET',
      url: `/api/applications/${app.id}/events`,
      headers: { cookie: window.cookie },
    });
    const actions = events.json().events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'application.submitted',
        'application.accepted',
        'task.final_approve',
        'application.completed',
      ]),
    );
    const forbidden = await system.app.inject({
      method: 'GET',
      url: `/api/applications/${app.id}/events`,
      headers: { cookie: applicant.cookie },
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('enforces roles, departments and step order on decisions; concurrent final decisions: one wins', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const tpl = await firstTemplate(system);
    const project = await registerProject(system, applicant, { templateCode: tpl.code, offset: 3 });
    const app = (await submitStage(system, applicant, project.id, 1)).json();
    const window = await system.login('window');
    const tasks = (
      await system.app.inject({
        method: 'POST',
        url: `/api/applications/${app.id}/accept`,
        headers: window.headers,
        payload: await deferAll(system, window, app.id),
      })
    ).json().tasks as TaskView[];
    // A two-step item that waits for no other item (its approval must not be held by the order rule).
    const def = (
      await system.app.inject({ method: 'GET', url: `/api/process-templates/${tpl.code}` })
    ).json();
    const waits = new Set<string>(
      def.stages.flatMap((st: { items: { itemCode: string; prerequisites: string[] }[] }) =>
        st.items.filter((i) => i.prerequisites.length > 0).map((i) => i.itemCode),
      ),
    );
    const task = tasks.find((x) => x.steps.length === 2 && !waits.has(x.itemCode))!;
    const other = tasks.find((x) => x.departmentCode !== task.departmentCode)?.departmentCode ?? 'wwj';

    const foreign = await system.login(`${other}.reviewer`);
    const denied = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      headers: foreign.headers,
      payload: { step: 'initial', outcome: 'approve', opinion: '同意' },
    });
    expect(denied.statusCode).toBe(403);

    const senior = await system.login(`${task.departmentCode}.senior`);
    const tooEarly = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      headers: senior.headers,
      payload: { step: 'final', outcome: 'approve', opinion: '同意' },
    });
    expect(tooEarly.statusCode).toBe(409);

    const reviewer = await system.login(`${task.departmentCode}.reviewer`);
    const wrongRole = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      headers: reviewer.headers,
      payload: { step: 'final', outcome: 'approve', opinion: '同意' },
    });
    expect(wrongRole.statusCode).toBe(403);

    const noReason = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      headers: reviewer.headers,
      payload: { step: 'initial', outcome: 'reject', opinion: '' },
    });
    expect(noReason.statusCode).toBe(400);

    const inbox = (
      await system.app.inject({ method: 'GET', url: '/api/tasks', headers: { cookie: reviewer.cookie } })
    ).json().tasks;
    expect(inbox.map((x: { id: string }) => x.id)).toContain(task.id);
    expect(inbox.every((x: { itemName: string }) => x.itemName.length > 0)).toBe(true);
    // The application list is the window's queue, not a reviewer's: department staff use their inbox.
    const list = await system.app.inject({
      method: 'GET',
      url: '/api/applications',
      headers: { cookie: reviewer.cookie },
    });
    expect(list.statusCode).toBe(403);
    const own = (
      await system.app.inject({
        method: 'GET',
        url: '/api/applications',
        headers: { cookie: (await system.login('applicant2')).cookie },
      })
    ).json().applications as unknown[];
    expect(own).toEqual([]);
    const deadlines = inbox.map((x: { deadline: string }) => x.deadline);
    expect([...deadlines].sort()).toEqual(deadlines);

    expect(
      (
        await system.app.inject({
          method: 'POST',
          url: `/api/tasks/${task.id}/decisions`,
          headers: reviewer.headers,
          payload: { step: 'initial', outcome: 'approve', opinion: '初核通过' },
        })
      ).statusCode,
    ).toBe(200);
    const again = await system.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      headers: reviewer.headers,
      payload: { step: 'initial', outcome: 'approve', opinion: '再次' },
    });
    expect(again.statusCode).toBe(409);

    const senior2 = await system.login(`${task.departmentCode}.senior`);
    const [a, b] = await Promise.all(
      [senior, senior2].map((s) =>
        system.app.inject({
          method: 'POST',
          url: `/api/tasks/${task.id}/decisions`,
          headers: s.headers,
          payload: {
            step: 'final',
            outcome: 'approve',
            opinion: '复核通过',
            document: { number: '郑测〔2026〕1号', title: '批复', date: '2026-03-03' },
          },
        }),
      ),
    );
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 409]);
    const decisions = await system.db
      .selectFrom('taskDecision')
      .selectAll()
      .where('taskId', '=', task.id)
      .execute();
    expect(decisions.filter((d) => d.step === 'final')).toHaveLength(1);
    const final = (
      await system.app.inject({
        method: 'GET',
        url: `/api/tasks/${task.id}`,
        headers: { cookie: senior.cookie },
      })
    ).json();
    expect(final.status).toBe('approved');
    expect(final.document).toMatchObject({ number: '郑测〔2026〕1号', validUntil: '9999-01-01' });
  });

  it('refuses incomplete submissions with specific errors and writes nothing', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const tpl = await firstTemplate(system);
    const project = await registerProject(system, applicant, { templateCode: tpl.code, offset: 5 });
    const guide = await getGuide(system, applicant, project.id, 1);
    const before = await system.db.selectFrom('stageApplication').select('id').execute();
    const noForm = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/applications`,
      headers: applicant.headers,
      payload: { stage: 1, form: {}, materials: [] },
    });
    expect(noForm.statusCode).toBe(422);
    expect(['FORM_INVALID', 'MATERIALS_MISSING']).toContain(noForm.json().error.code);
    const noMaterials = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/applications`,
      headers: applicant.headers,
      payload: { stage: 1, form: fillForm(guide.form), materials: [] },
    });
    if (guide.materials.some((m) => m.required && !m.deficiencyAllowed)) {
      expect(noMaterials.statusCode).toBe(422);
      expect(noMaterials.json().error.code).toBe('MATERIALS_MISSING');
    }
    const garbage = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/applications`,
      headers: applicant.headers,
      payload: { stage: 'one', form: 5 },
    });
    expect(garbage.statusCode).toBe(400);
    const other = await system.login('applicant2');
    const foreign = await system.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/applications`,
      headers: other.headers,
      payload: { stage: 1, form: fillForm(guide.form), materials: [] },
    });
    expect(foreign.statusCode).toBe(403);
    const after = await system.db.selectFrom('stageApplication').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('answers a retried submission with the same Idempotency-Key with the same application', async () => {
    const { system } = t;
    const applicant = await system.login('applicant');
    const tpl = await firstTemplate(system);
    const project = await registerProject(system, applicant, { templateCode: tpl.code, offset: 7 });
    const guide = await getGuide(system, applicant, project.id, 1);
    const payload = {
      stage: 1,
      form: fillForm(guide.form),
      materials: await uploadRequired(system, applicant, guide),
    };
    const send = (body: unknown, key: string) =>
      system.app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/applications`,
        headers: { ...applicant.headers, 'idempotency-key': key },
        payload: body as object,
      });
    const [a, b] = await Promise.all([send(payload, 'retry-key-0001'), send(payload, 'retry-key-0001')]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).toBe(b.json().id);
    const third = await send(payload, 'retry-key-0001');
    expect(third.json()).toMatchObject({ id: a.json().id, replayed: true });
    const changed = await send(
      { ...payload, form: { ...payload.form, projectName: '另一个' } },
      'retry-key-0001',
    );
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error.code).toBe('IDEMPOTENCY_MISMATCH');
    const rows = await system.db
      .selectFrom('stageApplication')
      .select('id')
      .where('projectId', '=', project.id)
      .execute();
    expect(rows).toHaveLength(1);
  });
});

async function promisedDays(system: TestSystem, itemCode: string): Promise<number> {
  return (await system.app.inject({ method: 'GET', url: `/api/catalog/items/${itemCode}` })).json().item
    .promisedTimeLimitDays;
}
