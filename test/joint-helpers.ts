/**
 * Joint procedures through the public API (issue 11): the registers a city keeps (a drawing-review
 * organisation with reviewers qualified per section, a surveying organisation), a 方案联审 with one
 * department asked, a 联合审图 passed section by section, and a 联合验收 signed off by its six departments. Idempotent, so the lifecycle helpers can
 * call them for any task a joint procedure decides.
 */
import type { Session, TestSystem } from './app';
import { acceptedStage, approveAll, call, stageGuide, stepUser } from './lifecycle-helpers';

/** The six 报装 items of 并行推进 (told at 工程建设许可, filed before 施工许可). */
export const UTILITY_ITEMS = [
  'ZZ-WATER-001',
  'ZZ-POWER-001',
  'ZZ-GAS-001',
  'ZZ-HEAT-001',
  'ZZ-DRAIN-001',
  'ZZ-TELECOM-001',
];

/**
 * Takes a project through its 并行推进 services other than the utilities (the permits wait for them)
 * and through stages 1 and 2 (工程建设许可: the utilities are told). Returns the 并行推进 guide.
 */
export async function throughStageTwo(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  project: { id: string; code: string },
  options: { skipParallel?: readonly string[] } = {},
) {
  const applicant = await login('applicant');
  const window = await login('window');
  const parallel = await stageGuide(system, applicant, project.id, 5);
  for (const item of parallel.items.filter(
    (i) => !UTILITY_ITEMS.includes(i.code) && !(options.skipParallel ?? []).includes(i.code),
  )) {
    const { tasks } = await acceptedStage(system, applicant, window, project, {
      stage: 5,
      itemCode: item.code,
    });
    await approveAll(system, login, tasks);
  }
  for (const stage of [1, 2]) {
    const { tasks } = await acceptedStage(system, applicant, window, project, { stage });
    await approveAll(system, login, tasks);
  }
  return parallel;
}

/** 方案联审 (task 17): asks 人防 for its opinion, which agrees, and passes the scheme. */
export async function passSchemeReview(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  task: { id: string; departmentCode: string },
) {
  const planner = await login(stepUser(task.departmentCode, 'initial'));
  let review = await call(system, planner, 'POST', '/api/joint/scheme-reviews', {
    taskId: task.id,
    departments: [{ departmentCode: 'rfb', limitDays: 3 }],
  });
  if (review.status === 409) {
    const list = await call(system, planner, 'GET', '/api/joint/scheme-reviews');
    review = { status: 200, body: list.body.reviews.find((r: { taskId: string }) => r.taskId === task.id) };
  } else if (review.status !== 201)
    throw new Error(`open scheme review: ${review.status} ${JSON.stringify(review.body)}`);
  for (const o of review.body.opinions as {
    round: number;
    departmentCode: string;
    answer: string | null;
  }[]) {
    if (o.round !== review.body.round || o.answer) continue;
    const r = await call(
      system,
      await login(`${o.departmentCode}.reviewer`),
      'POST',
      `/api/joint/scheme-reviews/${review.body.id}/opinions`,
      { answer: 'agree' },
    );
    if (r.status !== 200)
      throw new Error(`opinion ${o.departmentCode}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const done = await call(
    system,
    await login(stepUser(task.departmentCode, 'final')),
    'POST',
    `/api/joint/scheme-reviews/${review.body.id}/conclusion`,
    { outcome: 'pass', conclusion: '设计方案符合规划条件，同意' },
  );
  if (done.status !== 200) throw new Error(`conclude scheme: ${done.status} ${JSON.stringify(done.body)}`);
  return done.body;
}

/** Who reviews which section in the demo organisation. */
export const SECTION_REVIEWERS: Record<string, string> = {
  architecture: 'stsc.reviewer',
  structure: 'stsc.reviewer',
  plumbing: 'stsc.reviewer',
  electrical: 'stsc.reviewer',
  hvac: 'stsc.reviewer',
  fire: 'stsc.senior',
  civil_air_defence: 'stsc.senior',
  technical_defence: 'stsc.senior',
};

export const SIGNERS: Record<string, string> = {
  planning: 'zrzy.reviewer',
  quality: 'cjj.reviewer',
  land: 'zrzy.senior',
  fire: 'cjj.senior',
  civil_air_defence: 'rfb.reviewer',
  archives: 'cjda.reviewer',
};

const registers = new WeakMap<TestSystem, Promise<{ drawingOrgId: string; surveyOrgId: string }>>();

/** Registers (once per system) a drawing-review organisation with its reviewers and a surveying organisation. */
export function jointRegisters(system: TestSystem, login: (u: string) => Promise<Session>) {
  let p = registers.get(system);
  if (!p) {
    p = (async () => {
      const admin = await login('admin');
      const org = await call(system, admin, 'POST', '/api/joint/organisations', {
        kind: 'drawing_review',
        name: '郑州市施工图联合审查中心',
        creditCode: '12410100MB1234567X',
        purchasedService: true,
      });
      if (org.status !== 201) throw new Error(`organisation: ${org.status} ${JSON.stringify(org.body)}`);
      const byUser = new Map<string, string[]>();
      for (const [section, user] of Object.entries(SECTION_REVIEWERS))
        byUser.set(user, [...(byUser.get(user) ?? []), section]);
      for (const [username, sections] of byUser) {
        const r = await call(system, admin, 'POST', `/api/joint/organisations/${org.body.id}/reviewers`, {
          username,
          sections,
          qualification: `审查人员证书-${username}`,
        });
        if (r.status !== 200) throw new Error(`reviewer: ${r.status} ${JSON.stringify(r.body)}`);
      }
      const survey = await call(system, admin, 'POST', '/api/joint/organisations', {
        kind: 'survey',
        name: '郑州市联合测绘院',
        creditCode: '12410100MB7654321Y',
      });
      if (survey.status !== 201) throw new Error(`survey: ${survey.status} ${JSON.stringify(survey.body)}`);
      return { drawingOrgId: org.body.id as string, surveyOrgId: survey.body.id as string };
    })();
    registers.set(system, p);
  }
  return p;
}

/** Opens (or finds) the drawing review of a 施工图审查 task and passes every open section. */
export async function passDrawingReview(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  taskId: string,
) {
  const { drawingOrgId } = await jointRegisters(system, login);
  const staff = await login('stsc.reviewer');
  let review = await call(system, staff, 'POST', '/api/joint/drawing-reviews', {
    taskId,
    organisationId: drawingOrgId,
  });
  if (review.status === 409) {
    const list = await call(system, staff, 'GET', '/api/joint/drawing-reviews');
    review = { status: 200, body: list.body.reviews.find((r: { taskId: string }) => r.taskId === taskId) };
  } else if (review.status !== 201)
    throw new Error(`open review: ${review.status} ${JSON.stringify(review.body)}`);
  for (const section of review.body.pendingSections as string[]) {
    const r = await call(
      system,
      await login(SECTION_REVIEWERS[section]!),
      'POST',
      `/api/joint/drawing-reviews/${review.body.id}/sections`,
      { section, outcome: 'pass', violations: 0, opinion: '符合强制性条文和审查要点' },
    );
    if (r.status !== 200) throw new Error(`section ${section}: ${r.status} ${JSON.stringify(r.body)}`);
    review = r;
  }
  return review.body;
}

/** Opens (or finds) the joint acceptance of a stage-4 application and has the six departments sign off. */
export async function passJointAcceptance(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  applicationId: string,
) {
  const { surveyOrgId } = await jointRegisters(system, login);
  const staff = await login('cjj.reviewer');
  const list = await call(system, staff, 'GET', '/api/joint/acceptances');
  let acceptance = {
    status: 200,
    body: list.body.acceptances.find(
      (a: { applicationId: string; status: string }) =>
        a.applicationId === applicationId && a.status !== 'failed',
    ),
  };
  if (!acceptance.body) {
    acceptance = await call(system, staff, 'POST', '/api/joint/acceptances', {
      applicationId,
      surveyOrganisationId: surveyOrgId,
      surveyReportNumber: 'LHCH-2026-001',
      testReports: ['消防检测报告 XF-2026-01', '节能检测报告 JN-2026-01'],
    });
    if (acceptance.status !== 201)
      throw new Error(`open acceptance: ${acceptance.status} ${JSON.stringify(acceptance.body)}`);
  }
  for (const s of acceptance.body.signoffs as { area: string; outcome: string | null }[]) {
    if (s.outcome) continue;
    const r = await call(
      system,
      await login(SIGNERS[s.area]!),
      'POST',
      `/api/joint/acceptances/${acceptance.body.id}/signoffs`,
      { area: s.area, outcome: 'pass', opinion: '依据联合测绘和检测报告，符合要求' },
    );
    if (r.status !== 200) throw new Error(`signoff ${s.area}: ${r.status} ${JSON.stringify(r.body)}`);
    acceptance = r;
  }
  return acceptance.body;
}

const JOINT_ACCEPTANCE_ITEMS = [
  'ZZ-ZRZY-008',
  'ZZ-CJJ-003',
  'ZZ-CJJ-004',
  'ZZ-RFB-005',
  'ZZ-CJDA-001',
  'ZZ-CJJ-006',
  'ZZ-CJJ-007',
];

/** Runs the joint procedure that decides this task, if any; false when the task is decided on its own. */
export async function decideJointly(
  system: TestSystem,
  login: (u: string) => Promise<Session>,
  task: { id: string; itemCode: string; stage: number; applicationId: string; departmentCode: string },
): Promise<boolean> {
  if (task.itemCode === 'ZZ-ZRZY-006') {
    await passSchemeReview(system, login, task);
    return true;
  }
  if (task.itemCode === 'ZZ-STSC-001') {
    await passDrawingReview(system, login, task.id);
    return true;
  }
  if (task.stage === 4 && JOINT_ACCEPTANCE_ITEMS.includes(task.itemCode)) {
    // Waiting for the stage's other items is a PREREQUISITE_NOT_MET in the message: approveAll retries.
    await passJointAcceptance(system, login, task.applicationId);
    return true;
  }
  return false;
}
