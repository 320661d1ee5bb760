/**
 * Property test of the lifecycle (issue 8 §9): fast-check drives the API with random sequences of legal
 * and illegal actions by random roles over a few projects, on both databases. After every step:
 *  - no answer is a 5xx;
 *  - a refused action (4xx) changed nothing (the project's applications, tasks, decisions, 补正, 容缺,
 *    pauses, extensions, reopenings, revocations, certificates, inspections, credit records, and the
 *    audit log are as before);
 *  - no application is stuck: a running application has a way on (待补正 has an open 补正; 审批中 has a
 *    running task; each running task can be decided, answered or resumed), and an ended one runs no task;
 * and at the end of every run every running application is withdrawn by its applicant (an end state is
 * reachable), and the audit chain verifies. What was explored is printed for the issue's note.
 *
 * LIFECYCLE_DEBUG=1 prints every refused request.
 * Bounded: LIFECYCLE_RUNS runs (default 12) per database of at most 25 actions, seeded (LIFECYCLE_SEED).
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { describeEachSystem, DEFAULT_NOW, type Session, type TestSystem } from '../app';
import { fillForm, uploadMaterial, uploadRequired } from '../factories';
import {
  acceptedStage,
  approveAll,
  call,
  declareAllMissing,
  newProject,
  sessions,
  stageGuide,
  stepUser,
  type Reply,
} from '../lifecycle-helpers';

const RUNS = Number(process.env.LIFECYCLE_RUNS ?? 12);
const SEED = Number(process.env.LIFECYCLE_SEED ?? 20260302);
const TEMPLATE = 'SOCIAL_TRANSFER';
const PROJECTS_PER_RUN = 2;
const OUTSIDER = 'wwj'; // a department with no item in the stages driven here

const runningApp = new Set(['submitted', 'correction_requested', 'accepted']);
const runningTask = new Set(['in_review', 'paused', 'correction']);

const kinds = [
  'submit',
  'submit',
  'accept',
  'accept',
  'windowCorrection',
  'answer',
  'answer',
  'refuse',
  'decide',
  'decide',
  'decide',
  'decide',
  'decide',
  'decide',
  'withdraw',
  'terminate',
  'clock',
  'extend',
  'extend',
  'extensionDecision',
  'extensionDecision',
  'reopen',
  'reopen',
  'revoke',
  'revoke',
  'countersign',
  'countersign',
  'special',
  'specialEnd',
  'supply',
] as const;
type Kind = (typeof kinds)[number];

interface Action {
  kind: Kind;
  project: number;
  pick: number;
  right: boolean;
  variant: number;
}

const actionArb: fc.Arbitrary<Action> = fc.record({
  kind: fc.constantFrom(...kinds),
  project: fc.nat(PROJECTS_PER_RUN - 1),
  pick: fc.nat(40),
  right: fc.constantFrom(true, true, true, false),
  variant: fc.nat(9),
});

interface Request {
  label?: string;
  who: string;
  method: 'POST';
  url: string;
  payload: unknown;
}

/** What was explored on one database. */
const newExplored = () => ({
  runs: 0,
  steps: 0,
  byKind: {} as Record<string, { tried: number; allowed: number; refused: number; notApplicable: number }>,
  refusedBy: {} as Record<string, number>,
  applicationStates: new Set<string>(),
  taskStates: new Set<string>(),
  applicationTransitions: new Set<string>(),
  taskTransitions: new Set<string>(),
  stagesApplied: new Set<number>(),
  endWithdrawals: 0,
  auditEventsVerified: 0,
  endDecisions: 0,
  knownStuck: new Set<string>(),
});

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);

/** Everything of the run's projects that an action may change, plus the audit log's length. */
async function snapshot(system: TestSystem, projectIds: string[]) {
  const db = system.db;
  const apps = await db
    .selectFrom('stageApplication')
    .selectAll()
    .where('projectId', 'in', projectIds)
    .orderBy('id')
    .execute();
  const tasks = await db
    .selectFrom('itemTask')
    .selectAll()
    .where('projectId', 'in', projectIds)
    .orderBy('id')
    .execute();
  const appIds = apps.map((a) => a.id);
  const taskIds = tasks.map((t) => t.id);
  const byApp = async (table: 'correctionRequest' | 'deficiency' | 'commitment' | 'applicationMaterial') =>
    appIds.length ? db.selectFrom(table).selectAll().where('applicationId', 'in', appIds).execute() : [];
  const byTask = async (
    table:
      | 'taskDecision'
      | 'clockPause'
      | 'taskExtension'
      | 'taskReopening'
      | 'inspection'
      | 'certificate'
      | 'taskRevocation',
  ) => (taskIds.length ? db.selectFrom(table).selectAll().where('taskId', 'in', taskIds).execute() : []);
  const sort = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  const audit = await db
    .selectFrom('auditEvent')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    apps,
    tasks,
    corrections: sort(await byApp('correctionRequest')),
    deficiencies: sort(await byApp('deficiency')),
    commitments: sort(await byApp('commitment')),
    applicationMaterials: sort(await byApp('applicationMaterial')),
    decisions: sort(await byTask('taskDecision')),
    pauses: sort(await byTask('clockPause')),
    extensions: sort(await byTask('taskExtension')),
    reopenings: sort(await byTask('taskReopening')),
    inspections: sort(await byTask('inspection')),
    certificates: sort(await byTask('certificate')),
    revocations: sort(await byTask('taskRevocation')),
    creditRecords: sort(await db.selectFrom('creditRecord').selectAll().execute()),
    auditEvents: Number(audit.n),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/**
 * Found by this test (reported to the lead): a non-milestone task returned for 补正 whose stage then
 * completes on its milestones can never move again — answering is 409 (application 已办结), and the
 * application can be neither withdrawn nor terminated. The end of each run tries to answer such a 补正
 * (and fails on the 409); LIFECYCLE_TOLERATE_KNOWN=1 counts it instead of failing, to explore past it.
 * The deterministic repro is the skipped test at the end of test/api/lifecycle.test.ts.
 */
const KNOWN_STUCK = '补正 of a running task in a completed application cannot be answered';
const tolerateKnown = process.env.LIFECYCLE_TOLERATE_KNOWN === '1';

/** No application is stuck, and nothing runs inside an ended one. Returns the problems found. */
function stuck(s: Snapshot): string[] {
  const problems: string[] = [];
  const openCorrections = s.corrections
    .map((c) => JSON.parse(c) as { applicationId: string; taskId: string | null; answeredAt: string | null })
    .filter((c) => !c.answeredAt);
  const openPauses = s.pauses
    .map((p) => JSON.parse(p) as { taskId: string; endedAt: string | null; pausesClock: boolean })
    .filter((p) => !p.endedAt);
  for (const app of s.apps) {
    const tasks = s.tasks.filter((t) => t.applicationId === app.id);
    const running = tasks.filter((t) => runningTask.has(t.status));
    // A stage completes on its milestones; its other items may still run (and are driven to their end
    // when the run is over). Any other ended application runs nothing.
    if (!runningApp.has(app.status) && app.status !== 'completed') {
      if (running.length > 0)
        problems.push(`${app.status} application ${app.id} still runs ${running.length} task(s)`);
      continue;
    }
    if (
      app.status === 'correction_requested' &&
      !openCorrections.some((c) => c.applicationId === app.id && !c.taskId)
    )
      problems.push(`application ${app.id} waits for a 补正 that was never asked or is answered`);
    // 审批中 with nothing running waits for the applicant's 容缺 materials (then it completes), or is stuck.
    const waitsForMaterials = s.deficiencies.some((d) => {
      const row = JSON.parse(d) as { applicationId: string; fulfilledAt: string | null };
      return row.applicationId === app.id && !row.fulfilledAt;
    });
    if (app.status === 'accepted' && running.length === 0 && !waitsForMaterials)
      problems.push(
        `accepted application ${app.id} (stage ${app.stage}) has no running task: ${tasks.map((t) => `${t.itemCode}:${t.status}`).join(', ')}`,
      );
    for (const t of running) {
      if (t.status === 'in_review' && !(t.currentStep && t.steps.includes(t.currentStep)))
        problems.push(`task ${t.id} in review at no step (${t.currentStep})`);
      if (t.status === 'correction' && !openCorrections.some((c) => c.taskId === t.id))
        problems.push(`task ${t.id} waits for a 补正 that is not open`);
      if (t.status === 'paused' && !openPauses.some((p) => p.taskId === t.id))
        problems.push(`task ${t.id} paused without an open special procedure`);
    }
  }
  return problems;
}

describeEachSystem('lifecycle property: random legal and illegal actions', (t) => {
  let offset = 600;
  const explored = newExplored();
  afterAll(() => {
    const states = (xs: Set<string>) => [...xs].sort().join(', ');
    console.log(
      [
        `lifecycle property [${t.system.kind}] seed ${SEED}: ${explored.runs} runs, ${explored.steps} steps`,
        ...Object.entries(explored.byKind)
          .sort()
          .map(
            ([k, c]) =>
              `  ${k}: tried ${c.tried}, allowed ${c.allowed}, refused ${c.refused}, not applicable ${c.notApplicable}`,
          ),
        `  refusals by code: ${Object.entries(explored.refusedBy)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        `  application states reached: ${states(explored.applicationStates)}`,
        `  task states reached: ${states(explored.taskStates)}`,
        `  application transitions: ${states(explored.applicationTransitions)}`,
        `  task transitions: ${states(explored.taskTransitions)}`,
        `  stages applied for: ${[...explored.stagesApplied].sort().join(', ')}`,
        `  running applications withdrawn at the end of runs: ${explored.endWithdrawals}`,
        `  decisions ending items still running in completed stages: ${explored.endDecisions}`,
        ...(explored.knownStuck.size
          ? [`  tolerated (LIFECYCLE_TOLERATE_KNOWN=1) ${explored.knownStuck.size} task(s): ${KNOWN_STUCK}`]
          : []),
        `  audit events verified: ${explored.auditEventsVerified}`,
      ].join('\n'),
    );
  });

  it('no 5xx, refusals change nothing, nothing gets stuck, every application can end, the audit chain verifies', async () => {
    const { system } = t;
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 5, maxLength: 25 }), async (actions) => {
        system.clock.set(DEFAULT_NOW);
        let login = sessions(system);
        const applicant = await login('applicant');
        const projects: { id: string }[] = [];
        for (let i = 0; i < PROJECTS_PER_RUN; i++)
          projects.push(await newProject(system, applicant, TEMPLATE, offset++));
        // The first project starts with stage 1 complete, so runs reach stage 2, reopenings and the rest.
        const ahead = await acceptedStage(system, applicant, await login('window'), projects[0]!, {
          stage: 1,
        });
        await approveAll(system, login, ahead.tasks);
        const ids = projects.map((p) => p.id);
        explored.runs++;

        for (const action of actions) {
          const state = await snapshot(system, ids);
          const projectId = projects[action.project]!.id;
          let prepared = await prepare(system, login, state, projectId, action);
          const tally = (kind: string) =>
            (explored.byKind[kind] ??= { tried: 0, allowed: 0, refused: 0, notApplicable: 0 });
          let counts = tally(action.kind);
          counts.tried++;
          explored.steps++;
          if (!prepared) {
            // Nothing to act on yet: take the project one legal step on instead (so runs go deep).
            counts.notApplicable++;
            prepared = await progress(system, login, state, projectId, action);
            counts = tally(`progress (${prepared ? prepared.label : 'none'})`);
            counts.tried++;
          }
          if (prepared === 'clock') {
            // Time passes: 补正 and 容缺 fall due; sessions expire, so everyone logs in again.
            const days = [1, 3, 7, 15, 25][action.variant % 5]!;
            system.clock.set(new Date(system.clock.now().getTime() + days * 86_400_000));
            login = sessions(system);
            counts.allowed++;
            continue;
          }
          if (!prepared) {
            counts.notApplicable++;
            continue;
          }
          const who = await login(prepared.who);
          const before = await snapshot(system, ids);
          const reply: Reply = await call(system, who, prepared.method, prepared.url, prepared.payload);
          const after = await snapshot(system, ids);
          const where = `${action.kind} by ${prepared.who}: POST ${prepared.url} ${JSON.stringify(prepared.payload)} → ${reply.status} ${JSON.stringify(reply.body)}`;
          expect(reply.status, where).toBeLessThan(500);
          if (reply.status >= 400) {
            counts.refused++;
            if (process.env.LIFECYCLE_DEBUG) console.log('REFUSED', where.slice(0, 400));
            const code = (reply.body?.error?.code as string | undefined) ?? String(reply.status);
            explored.refusedBy[code] = (explored.refusedBy[code] ?? 0) + 1;
            expect(after, `refused action changed something: ${where}`).toEqual(before);
          } else {
            counts.allowed++;
          }
          for (const a of after.apps) {
            explored.applicationStates.add(a.status);
            const old = before.apps.find((b) => b.id === a.id);
            if (old && old.status !== a.status)
              explored.applicationTransitions.add(`${old.status}→${a.status}`);
            if (!old) explored.stagesApplied.add(a.stage);
          }
          for (const task of after.tasks) {
            explored.taskStates.add(task.status);
            const old = before.tasks.find((b) => b.id === task.id);
            if (old && old.status !== task.status)
              explored.taskTransitions.add(`${old.status}→${task.status}`);
          }
          expect(stuck(after), where).toEqual([]);
        }

        // Every application can still reach an end: the applicant withdraws whatever still runs.
        const end = await snapshot(system, ids);
        const owner = await login('applicant');
        for (const app of end.apps.filter((a) => runningApp.has(a.status))) {
          const res = await call(system, owner, 'POST', `/api/applications/${app.id}/withdraw`, {
            reason: '测试结束，撤回申报',
          });
          expect(res.status, `withdraw ${app.status} ${app.id}: ${JSON.stringify(res.body)}`).toBe(200);
          explored.endWithdrawals++;
        }
        // Items still running in a completed stage are decided to the end by their department.
        const stuckKnown = new Set<string>();
        for (let round = 0; round < 8; round++) {
          const now = await snapshot(system, ids);
          const done = new Set(now.apps.filter((a) => a.status === 'completed').map((a) => a.id));
          const left = now.tasks.filter((x) => done.has(x.applicationId) && runningTask.has(x.status));
          const movable = left.filter((x) => !stuckKnown.has(x.id));
          if (movable.length === 0) break;
          for (const task of movable) {
            const next = progressTask(now, task);
            if (!next) continue;
            const res = await call(system, await login(next.who), next.method, next.url, next.payload);
            if (tolerateKnown && task.status === 'correction' && res.status === 409) {
              stuckKnown.add(task.id);
              explored.knownStuck.add(task.id);
              continue;
            }
            if (res.status === 409 && res.body?.error?.code === 'PREREQUISITE_NOT_MET') {
              // Its prerequisite will not come in this stage: 不予许可 is the department's exit.
              const step = task.currentStep!;
              const refused = await call(
                system,
                await login(stepUser(task.departmentCode, step)),
                'POST',
                next.url,
                {
                  step,
                  outcome: 'reject',
                  opinion: '前置事项未办结，不予许可',
                },
              );
              expect(refused.status, JSON.stringify(refused.body)).toBe(200);
            } else {
              expect(res.status, `${next.url}: ${JSON.stringify(res.body)}`).toBe(200);
            }
            explored.endDecisions++;
          }
        }
        const final = await snapshot(system, ids);
        const stillRunning = final.tasks.filter((x) => runningTask.has(x.status) && !stuckKnown.has(x.id));
        expect(stillRunning).toEqual([]);
        expect(final.apps.filter((a) => runningApp.has(a.status))).toEqual([]);
        system.clock.set(DEFAULT_NOW);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const admin = await system.login('admin');
    const audit = await call(system, admin, 'GET', '/api/audit/verify');
    expect(audit.status).toBe(200);
    expect(audit.body.valid, JSON.stringify(audit.body)).toBe(true);
    explored.auditEventsVerified += audit.body.events as number;
  }, 420_000);
});

function openDeficiency(s: Snapshot, apps: Snapshot['apps'], n: number) {
  const open = s.deficiencies
    .map((d) => JSON.parse(d) as { applicationId: string; materialCode: string; fulfilledAt: string | null })
    .filter((d) => !d.fulfilledAt && apps.some((x) => x.id === d.applicationId && runningApp.has(x.status)));
  return pick(open, n);
}

/** The applicant (or another enterprise) uploads a 容缺 material and hands it in. */
async function supply(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  d: { applicationId: string; materialCode: string },
  who: string,
): Promise<Request> {
  const fileId = await uploadMaterial(system, await login(who), d.materialCode);
  return {
    who,
    method: 'POST',
    url: `/api/applications/${d.applicationId}/deficiencies/${d.materialCode}`,
    payload: { fileId },
  };
}

/** The next legal step of one running task: answer its 补正, end its special procedure, or decide. */
function progressTask(s: Snapshot, task: Snapshot['tasks'][number]): Request | null {
  if (task.status === 'correction') {
    const c = s.corrections
      .map((x) => JSON.parse(x) as { id: string; taskId: string | null; answeredAt: string | null })
      .find((x) => x.taskId === task.id && !x.answeredAt);
    return c
      ? {
          who: 'applicant',
          method: 'POST',
          url: `/api/corrections/${c.id}/answer`,
          payload: { note: '已补正' },
        }
      : null;
  }
  if (task.status === 'paused') {
    const p = s.pauses
      .map((x) => JSON.parse(x) as { id: string; taskId: string; kind: string; endedAt: string | null })
      .find((x) => x.taskId === task.id && !x.endedAt && x.kind !== 'correction');
    return p
      ? {
          who: `${task.departmentCode}.reviewer`,
          method: 'POST',
          url: `/api/tasks/${task.id}/special-procedures/${p.id}/end`,
          payload: {},
        }
      : null;
  }
  const step = task.currentStep!;
  return {
    who: stepUser(task.departmentCode, step),
    method: 'POST',
    url: `/api/tasks/${task.id}/decisions`,
    payload: { step, outcome: 'approve', opinion: '符合要求，同意' },
  };
}

/** The next legal step of a project: accept, answer, resume, approve, or apply for the next stage. */
async function progress(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  s: Snapshot,
  projectId: string,
  a: Action,
): Promise<Request | null> {
  const apps = s.apps.filter((x) => x.projectId === projectId);
  const tasks = s.tasks.filter((x) => x.projectId === projectId);
  const open = s.corrections
    .map((c) => JSON.parse(c) as { id: string; applicationId: string; answeredAt: string | null })
    .filter((c) => !c.answeredAt && apps.some((x) => x.id === c.applicationId && runningApp.has(x.status)));
  const submitted = apps.find((x) => x.status === 'submitted');
  if (submitted)
    return {
      label: 'accept',
      who: 'window',
      method: 'POST',
      url: `/api/applications/${submitted.id}/accept`,
      payload: await declareAllMissing(system, await login('window'), submitted.id),
    };
  const deficiency = openDeficiency(s, apps, a.pick);
  if (
    deficiency &&
    !tasks.some((x) => x.applicationId === deficiency.applicationId && runningTask.has(x.status))
  )
    return { ...(await supply(system, login, deficiency, 'applicant')), label: 'supply' };
  // A pending 延期 goes to the department's head, a pending reopening to a supervisor.
  const ext = s.extensions
    .map((e) => JSON.parse(e) as { id: string; taskId: string; status: string })
    .find((e) => e.status === 'pending' && tasks.some((x) => x.id === e.taskId));
  if (ext)
    return {
      label: 'extensionDecision',
      who: `${tasks.find((x) => x.id === ext.taskId)!.departmentCode}.head`,
      method: 'POST',
      url: `/api/tasks/${ext.taskId}/extensions/${ext.id}/decision`,
      payload: { approve: a.variant < 7, opinion: '同意延期' },
    };
  const reopening = s.reopenings
    .map((r) => JSON.parse(r) as { id: string; taskId: string; status: string })
    .find((r) => r.status === 'pending' && tasks.some((x) => x.id === r.taskId));
  if (reopening)
    return {
      label: 'countersign',
      who: 'supervisor',
      method: 'POST',
      url: `/api/tasks/${reopening.taskId}/reopen/${reopening.id}/countersign`,
      payload: { approve: a.variant < 8, opinion: '经核查，同意重新办理' },
    };
  const c = pick(open, a.pick);
  if (c)
    return {
      label: 'answer',
      who: 'applicant',
      method: 'POST',
      url: `/api/corrections/${c.id}/answer`,
      payload: { note: '已补正' },
    };
  const paused = s.pauses
    .map((p) => JSON.parse(p) as { id: string; taskId: string; kind: string; endedAt: string | null })
    .find(
      (p) =>
        !p.endedAt &&
        p.kind !== 'correction' &&
        tasks.some((x) => x.id === p.taskId && x.status === 'paused'),
    );
  if (paused) {
    const dept = tasks.find((x) => x.id === paused.taskId)!.departmentCode;
    return {
      label: 'specialEnd',
      who: `${dept}.reviewer`,
      method: 'POST',
      url: `/api/tasks/${paused.taskId}/special-procedures/${paused.id}/end`,
      payload: {},
    };
  }
  const task = pick(
    tasks.filter((x) => x.status === 'in_review'),
    a.pick,
  );
  if (task) {
    const step = task.currentStep!;
    return {
      label: 'approve',
      who: stepUser(task.departmentCode, step),
      method: 'POST',
      url: `/api/tasks/${task.id}/decisions`,
      payload: { step, outcome: 'approve', opinion: '符合要求，同意' },
    };
  }
  if (apps.some((x) => runningApp.has(x.status))) return null;
  // Apply for the next stage: 1 until it is complete, then 2, and the 并行推进 地震安评 now and then.
  const stage1Done = apps.some((x) => x.stage === 1 && x.status === 'completed');
  const stage5Done = apps.some((x) => x.stage === 5 && x.status === 'completed');
  const stage = !stage1Done ? 1 : !stage5Done && a.variant % 2 ? 5 : 2;
  const variant = stage === 1 ? 0 : stage === 2 ? 2 : 4;
  const request = await prepare(system, login, s, projectId, { ...a, kind: 'submit', right: true, variant });
  return request && request !== 'clock' ? { ...request, label: `submit stage ${stage}` } : null;
}

/**
 * Turns an abstract action into one request against the current state: which application or task,
 * by whom (the right person, or a wrong one: another enterprise, department or role), with what.
 * Reads and uploads happen here, before the snapshot the request is judged against.
 */
async function prepare(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  s: Snapshot,
  projectId: string,
  a: Action,
): Promise<Request | 'clock' | null> {
  const apps = s.apps.filter((x) => x.projectId === projectId);
  const tasks = s.tasks.filter((x) => x.projectId === projectId);
  const prefer = <T>(all: T[], good: (x: T) => boolean) => {
    const g = all.filter(good);
    // Mostly a fitting target; sometimes any (an illegal action); with none fitting, half the time
    // nothing (the project is taken a legal step on instead).
    if (g.length === 0 && a.pick % 2 === 0) return undefined;
    return pick(g.length && a.variant < 8 ? g : all, a.pick);
  };
  const post = (who: string, url: string, payload: unknown): Request => ({
    who,
    method: 'POST',
    url,
    payload,
  });
  const today = new Date(system.clock.now().getTime() + 8 * 3_600_000);
  const laterDate = (days: number) =>
    new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);

  switch (a.kind) {
    case 'clock':
      return 'clock';
    case 'supply': {
      const d = openDeficiency(s, apps, a.pick);
      return d ? supply(system, login, d, a.right ? 'applicant' : 'applicant2') : null;
    }
    case 'submit': {
      const stage = [1, 1, 2, 2, 5][a.variant % 5]!;
      const itemCode = stage === 5 ? 'ZZ-DZJ-001' : undefined;
      const who = a.right ? 'applicant' : 'applicant2';
      const session = await login(who);
      let guide;
      try {
        guide = await stageGuide(system, session, projectId, stage, itemCode);
      } catch {
        return post(who, `/api/projects/${projectId}/applications`, {
          stage,
          ...(itemCode ? { itemCode } : {}),
          form: {},
          materials: [],
        });
      }
      // Now and then leave the 容缺 materials out, so that the window must declare them.
      const skip =
        a.variant >= 6 ? guide.materials.filter((m) => m.deficiencyAllowed).map((m) => m.code) : [];
      const materials = await uploadRequired(system, session, guide, skip);
      return post(who, `/api/projects/${projectId}/applications`, {
        stage,
        ...(itemCode ? { itemCode, ...(a.variant % 2 === 0 ? { commitments: [itemCode] } : {}) } : {}),
        form: { ...fillForm(guide.form), ...(guide.prefill ?? {}) },
        materials,
      });
    }
    case 'accept': {
      const app = prefer(apps, (x) => x.status === 'submitted');
      if (!app) return null;
      const who = a.right ? 'window' : 'applicant';
      const payload =
        a.variant % 3 === 0
          ? {}
          : a.variant % 3 === 1
            ? await declareAllMissing(system, await login('window'), app.id)
            : { deficiencies: [{ materialCode: 'M_BUSINESS_LICENCE' }] };
      return post(who, `/api/applications/${app.id}/accept`, payload);
    }
    case 'windowCorrection': {
      const app = prefer(apps, (x) => x.status === 'submitted');
      if (!app) return null;
      return post(a.right ? 'window' : 'fgw.reviewer', `/api/applications/${app.id}/corrections`, {
        items: [{ materialCode: 'M_SITE_RED_LINE', reason: '红线图缺少坐标' }],
        ...(a.variant % 2 ? { dueDate: laterDate(a.variant) } : {}),
      });
    }
    case 'answer': {
      const corrections = s.corrections
        .map((c) => JSON.parse(c) as { id: string; applicationId: string; answeredAt: string | null })
        .filter((c) => apps.some((x) => x.id === c.applicationId));
      const c = prefer(corrections, (x) => !x.answeredAt);
      if (!c) return null;
      return post(a.right ? 'applicant' : 'applicant2', `/api/corrections/${c.id}/answer`, {
        note: '已按要求补正',
      });
    }
    case 'refuse': {
      const app = prefer(apps, (x) => x.status === 'submitted' || x.status === 'correction_requested');
      if (!app) return null;
      return post(a.right ? 'window' : 'applicant', `/api/applications/${app.id}/refuse`, {
        reason: '不符合受理条件',
      });
    }
    case 'withdraw': {
      const app = prefer(apps, (x) => runningApp.has(x.status));
      if (!app) return null;
      const who = a.right ? 'applicant' : a.variant % 2 ? 'applicant2' : 'window';
      return post(who, `/api/applications/${app.id}/withdraw`, { reason: '申请人撤回' });
    }
    case 'terminate': {
      const app = prefer(apps, (x) => x.status === 'correction_requested' || x.status === 'accepted');
      if (!app) return null;
      return post(a.right ? 'window' : 'applicant', `/api/applications/${app.id}/terminate`, {
        reason: '补正逾期未答复',
      });
    }
    case 'decide': {
      const task = prefer(tasks, (x) => x.status === 'in_review');
      if (!task) return null;
      const step = (task.currentStep ?? task.steps[task.steps.length - 1]!) as 'initial' | 'final';
      const outcome = a.variant < 5 ? 'approve' : a.variant < 7 ? 'return' : 'reject';
      let who = stepUser(task.departmentCode, step);
      let decidedStep = step;
      if (!a.right) {
        const wrong = a.pick % 3;
        if (wrong === 0) who = stepUser(OUTSIDER, step);
        else if (wrong === 1) who = stepUser(task.departmentCode, step === 'initial' ? 'final' : 'initial');
        else decidedStep = step === 'initial' ? 'final' : 'initial';
      }
      return post(who, `/api/tasks/${task.id}/decisions`, {
        step: decidedStep,
        outcome,
        opinion: outcome === 'approve' ? '符合要求，同意' : '材料不符合要求',
        ...(outcome === 'return' && a.pick % 2 ? { dueDate: laterDate(5 + (a.pick % 20)) } : {}),
      });
    }
    case 'extend': {
      const task = prefer(tasks, (x) => runningTask.has(x.status));
      if (!task) return null;
      const workingDays = [3, 5, 10, 12][a.variant % 4]!;
      const who = a.right ? `${task.departmentCode}.reviewer` : `${OUTSIDER}.reviewer`;
      return post(who, `/api/tasks/${task.id}/extensions`, { workingDays, reason: '需要组织专家论证' });
    }
    case 'extensionDecision': {
      const exts = s.extensions
        .map((e) => JSON.parse(e) as { id: string; taskId: string; status: string })
        .filter((e) => tasks.some((x) => x.id === e.taskId));
      const ext = prefer(exts, (x) => x.status === 'pending');
      if (!ext) return null;
      const dept = tasks.find((x) => x.id === ext.taskId)!.departmentCode;
      const who = a.right ? `${dept}.head` : a.variant % 2 ? `${OUTSIDER}.head` : `${dept}.reviewer`;
      return post(who, `/api/tasks/${ext.taskId}/extensions/${ext.id}/decision`, {
        approve: a.variant < 7,
        opinion: a.variant < 7 ? '同意延期' : '不同意延期',
      });
    }
    case 'revoke': {
      // 撤销 by the department's head (or, wrongly, its senior reviewer): reason and legal basis.
      const task = prefer(tasks, (x) => x.status === 'approved');
      if (!task) return null;
      const who = a.right ? `${task.departmentCode}.head` : `${task.departmentCode}.senior`;
      return post(who, `/api/tasks/${task.id}/revoke`, {
        reason: '申请人以欺骗手段取得许可',
        legalBasis: '《中华人民共和国行政许可法》第六十九条第二款',
      });
    }
    case 'reopen': {
      // 纠错: a wrong decision is decided again; a mistaken 撤销 is corrected (the approval reinstated).
      const revoked = tasks.filter((x) => x.status === 'revoked');
      const task = revoked.length
        ? pick(revoked, a.pick)
        : prefer(tasks, (x) => ['approved', 'rejected'].includes(x.status));
      if (!task) return null;
      const who = a.right ? `${task.departmentCode}.head` : `${task.departmentCode}.senior`;
      return post(who, `/api/tasks/${task.id}/reopen`, { reason: '复核认定事实有误，申请纠错' });
    }
    case 'countersign': {
      const reopenings = s.reopenings
        .map((r) => JSON.parse(r) as { id: string; taskId: string; status: string })
        .filter((r) => tasks.some((x) => x.id === r.taskId));
      const r = prefer(reopenings, (x) => x.status === 'pending');
      if (!r) return null;
      const dept = tasks.find((x) => x.id === r.taskId)!.departmentCode;
      return post(
        a.right ? 'supervisor' : `${dept}.head`,
        `/api/tasks/${r.taskId}/reopen/${r.id}/countersign`,
        {
          approve: a.variant < 8,
          opinion: '经核查，同意重新办理',
        },
      );
    }
    case 'special': {
      const task = prefer(tasks, (x) => x.status === 'in_review');
      if (!task) return null;
      const who = a.right ? `${task.departmentCode}.reviewer` : `${OUTSIDER}.reviewer`;
      return post(who, `/api/tasks/${task.id}/special-procedures`, {
        kind: a.variant % 2 ? 'hearing' : 'expert_review',
        reason: '组织听证',
      });
    }
    case 'specialEnd': {
      const pauses = s.pauses
        .map((p) => JSON.parse(p) as { id: string; taskId: string; kind: string; endedAt: string | null })
        .filter((p) => p.kind !== 'correction' && tasks.some((x) => x.id === p.taskId));
      const p = prefer(pauses, (x) => !x.endedAt);
      if (!p) return null;
      const dept = tasks.find((x) => x.id === p.taskId)!.departmentCode;
      return post(
        a.right ? `${dept}.reviewer` : `${OUTSIDER}.reviewer`,
        `/api/tasks/${p.taskId}/special-procedures/${p.id}/end`,
        {},
      );
    }
  }
}
