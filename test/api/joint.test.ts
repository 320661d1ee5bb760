/**
 * Issue 11 "Done when", through the API on each database: a project goes through 联合审图 with sections
 * and a mandatory-clause count (one 合格书; fire design review satisfied), its utilities are told at
 * 工程建设许可 and hold 施工许可 until their 报装 are filed, one 联合验收 with six sign-offs and no site
 * visits gives the 竣工验收备案 certificate, connection follows acceptance, and revoking the drawing
 * review suspends the 施工许可证.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import {
  jointRegisters,
  passJointAcceptance,
  SECTION_REVIEWERS,
  throughStageTwo,
  UTILITY_ITEMS,
} from '../joint-helpers';
import {
  acceptedStage,
  approveAll,
  approveTask,
  call,
  decideAs,
  newProject,
  sessions,
  type TaskRow,
} from '../lifecycle-helpers';

describeEachSystem('joint procedures', (t) => {
  it('联合审图 with sections, utilities in the flow, 联合验收 with six sign-offs, revocation cascade', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const supervisor = await login('supervisor');
    const { drawingOrgId, surveyOrgId } = await jointRegisters(system, login);
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 131, { buildingArea: 20000 });

    // 并行推进 services other than the utilities first (the permits wait for them).
    const parallel = await throughStageTwo(system, login, project);

    // 工程建设许可 done: the six utilities have the project's facts and their staff a notification.
    const cases = await call(system, applicant, 'GET', `/api/joint/projects/${project.id}/utilities`);
    expect(cases.status).toBe(200);
    expect(cases.body.cases.map((c: { utility: string }) => c.utility).sort()).toEqual([
      'drainage',
      'gas',
      'heat',
      'power',
      'telecom',
      'water',
    ]);
    expect(cases.body.cases.every((c: { status: string }) => c.status === 'notified')).toBe(true);
    expect(cases.body.cases[0].facts.projectCode).toBe(project.code);
    const waterStaff = await login('water.reviewer');
    const told = await call(system, waterStaff, 'GET', '/api/notifications');
    expect(JSON.stringify(told.body)).toContain(project.code);
    const desk = await call(system, waterStaff, 'GET', '/api/joint/utilities');
    const waterCase = desk.body.cases.find((c: { projectId: string }) => c.projectId === project.id);
    expect(waterCase.utility).toBe('water');

    // 施工许可 stage: the drawing review is not decided like a single item.
    const stage3 = await acceptedStage(system, applicant, window, project, { stage: 3 });
    const byItem = (tasks: TaskRow[], code: string) => tasks.find((x) => x.itemCode === code)!;
    const drawingTask = byItem(stage3.tasks, 'ZZ-STSC-001');
    const direct = await decideAs(system, await login('stsc.reviewer'), drawingTask.id, 'initial', 'approve');
    expect(direct.status).toBe(422);
    expect(direct.body.error.code).toBe('RULE_VIOLATION');

    const opened = await call(system, applicant, 'POST', '/api/joint/drawing-reviews', {
      taskId: drawingTask.id,
      organisationId: drawingOrgId,
      fireJoint: true,
      civilAirDefenceJoint: true,
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.sections).toHaveLength(8);
    const reviewId = opened.body.id as string;
    const section = async (who: string, name: string, outcome: 'pass' | 'fail', violations = 0) =>
      call(system, await login(who), 'POST', `/api/joint/drawing-reviews/${reviewId}/sections`, {
        section: name,
        outcome,
        violations,
        opinion: outcome === 'pass' ? '符合要求' : `违反强制性条文 ${violations} 条`,
      });
    // A reviewer decides only the sections they are qualified for.
    const unqualified = await section('stsc.reviewer', 'fire', 'pass');
    expect(unqualified.status).toBe(403);
    expect((await section('stsc.reviewer', 'structure', 'pass', 1)).status).toBe(400);
    expect((await section('stsc.reviewer', 'structure', 'fail', 2)).status).toBe(200);
    for (const [name, who] of Object.entries(SECTION_REVIEWERS).filter(([n]) => n !== 'structure'))
      expect((await section(who, name, 'pass')).status).toBe(200);
    const failed = await call(system, applicant, 'GET', `/api/joint/drawing-reviews/${reviewId}`);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.violationTotal).toBe(2);
    expect((await section('stsc.reviewer', 'structure', 'pass')).status).toBe(409);
    const again = await call(system, applicant, 'POST', `/api/joint/drawing-reviews/${reviewId}/next-round`);
    expect(again.body.pendingSections).toEqual(['structure']);
    const passed = await section('stsc.reviewer', 'structure', 'pass');
    expect(passed.body.status).toBe('passed');
    expect(passed.body.violationTotal).toBe(2);
    expect(passed.body.certificateId).toBeTruthy();

    // One 施工图审查合格书 listing every section; the fire design review is satisfied by it (task 29).
    const cert = await call(system, null, 'GET', `/api/certificates/${passed.body.certificateId}/verify`);
    expect(cert.body.valid).toBe(true);
    expect(cert.body.type).toBe('drawing_review');
    const stage3View = await call(system, applicant, 'GET', `/api/applications/${stage3.applicationId}`);
    const fire = stage3View.body.tasks.find((x: TaskRow) => x.itemCode === 'ZZ-CJJ-002');
    if (fire) expect(fire.status).toBe('approved');
    expect(stage3View.body.tasks.find((x: TaskRow) => x.itemCode === 'ZZ-STSC-001').status).toBe('approved');

    // 施工许可 waits for the 报装 of every utility told (or declared unneeded); connection waits for acceptance.
    const others = stage3View.body.tasks.filter(
      (x: TaskRow) => x.status === 'in_review' && x.itemCode !== 'ZZ-CJJ-001',
    );
    await approveAll(
      system,
      login,
      others.map((x: TaskRow) => ({ ...x, steps: [] })),
    );
    const permit = byItem(stage3.tasks, 'ZZ-CJJ-001');
    await expect(approveTask(system, login, permit)).rejects.toThrow(/PREREQUISITE_NOT_MET.*报装/);
    const early = await call(system, waterStaff, 'POST', `/api/joint/utilities/${waterCase.id}/connect`, {
      note: '接入',
    });
    expect(early.status).toBe(409);
    const gas = cases.body.cases.find((c: { utility: string }) => c.utility === 'gas');
    const noGas = await call(system, applicant, 'POST', `/api/joint/utilities/${gas.id}/not-needed`, {
      reason: '项目不使用管道燃气',
    });
    expect(noGas.body.status).toBe('not_needed');
    for (const code of UTILITY_ITEMS.filter(
      (c) => c !== 'ZZ-GAS-001' && parallel.items.some((i) => i.code === c),
    )) {
      const { tasks } = await acceptedStage(system, applicant, window, project, { stage: 5, itemCode: code });
      await approveAll(system, login, tasks);
    }
    const works = await call(system, waterStaff, 'POST', `/api/joint/utilities/${waterCase.id}/works`, {
      note: '红线外供水管道已开工',
    });
    expect(works.body.status).toBe('works');
    const beforeAcceptance = await call(
      system,
      waterStaff,
      'POST',
      `/api/joint/utilities/${waterCase.id}/connect`,
      {
        note: '接入',
      },
    );
    expect(beforeAcceptance.status).toBe(422);
    expect((await approveTask(system, login, permit)).status).toBe('approved');

    // 竣工验收: one joint acceptance, six sign-offs from the shared reports, no site visits.
    const stage4 = await acceptedStage(system, applicant, window, project, { stage: 4 });
    const planning = byItem(stage4.tasks, 'ZZ-ZRZY-008');
    const visit = await call(
      system,
      await login('zrzy.reviewer'),
      'POST',
      `/api/tasks/${planning.id}/special-procedures`,
      {
        kind: 'site_survey',
        reason: '现场核实',
      },
    );
    expect(visit.status).toBe(422);
    expect(visit.body.error.code).toBe('RULE_VIOLATION');
    const single = await decideAs(system, await login('zrzy.reviewer'), planning.id, 'initial', 'approve');
    expect(single.status).toBe(422);
    const notSurvey = await call(system, applicant, 'POST', '/api/joint/acceptances', {
      applicationId: stage4.applicationId,
      surveyOrganisationId: drawingOrgId,
      surveyReportNumber: 'X-1',
    });
    expect(notSurvey.status).toBe(422);
    const acceptance = await call(system, applicant, 'POST', '/api/joint/acceptances', {
      applicationId: stage4.applicationId,
      surveyOrganisationId: surveyOrgId,
      surveyReportNumber: 'LHCH-2026-131',
      testReports: ['消防检测报告'],
    });
    expect(acceptance.status, JSON.stringify(acceptance.body)).toBe(201);
    expect(acceptance.body.signoffs).toHaveLength(6);
    const wrong = await call(
      system,
      await login('rfb.reviewer'),
      'POST',
      `/api/joint/acceptances/${acceptance.body.id}/signoffs`,
      {
        area: 'planning',
        outcome: 'pass',
        opinion: '同意',
      },
    );
    expect(wrong.status).toBe(403);
    const stage4Others = stage4.tasks.filter(
      (x) =>
        ![
          'ZZ-ZRZY-008',
          'ZZ-CJJ-003',
          'ZZ-CJJ-004',
          'ZZ-RFB-005',
          'ZZ-CJDA-001',
          'ZZ-CJJ-006',
          'ZZ-CJJ-007',
        ].includes(x.itemCode),
    );
    await approveAll(system, login, stage4Others);
    const done = await passJointAcceptance(system, login, stage4.applicationId);
    expect(done.status).toBe('passed');
    expect(done.jointAcceptance).toBe(true);
    expect(done.opinionNumber).toMatch(/联合验收/);
    const stage4View = await call(system, applicant, 'GET', `/api/applications/${stage4.applicationId}`);
    expect(stage4View.body.status).toBe('completed');
    const certs = await call(system, applicant, 'GET', `/api/projects/${project.id}/certificates`);
    const types = certs.body.certificates.map((c: { type: string }) => c.type);
    expect(types.filter((x: string) => x === 'completion_filing')).toHaveLength(1);
    expect(types.filter((x: string) => x === 'drawing_review')).toHaveLength(1);

    // 接入 after 竣工验收; each utility's times.
    const connected = await call(system, waterStaff, 'POST', `/api/joint/utilities/${waterCase.id}/connect`, {
      note: '已通水',
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    expect(connected.body.status).toBe('connected');
    const stats = await call(system, supervisor, 'GET', '/api/joint/utilities/stats');
    expect(stats.body.utilities.find((u: { utility: string }) => u.utility === 'water').connected).toBe(1);

    // Revoking the drawing review suspends the 施工许可证; verification says so, the holder is told.
    const permitCert = certs.body.certificates.find(
      (c: { type: string }) => c.type === 'construction_permit',
    );
    const byReviewer = await call(
      system,
      await login('stsc.reviewer'),
      'POST',
      `/api/joint/drawing-reviews/${reviewId}/revoke`,
      {
        reason: '抽查发现结构计算书造假',
      },
    );
    expect(byReviewer.status).toBe(403);
    const revoked = await call(system, supervisor, 'POST', `/api/joint/drawing-reviews/${reviewId}/revoke`, {
      reason: '抽查发现结构计算书造假',
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect(revoked.body.suspendedCertificates).toEqual([permitCert.identifier]);
    const verify = await call(system, null, 'GET', `/api/certificates/${permitCert.id}/verify`);
    expect(verify.body.valid).toBe(false);
    expect(verify.body.status).toBe('suspended');
    const drawingCert = await call(
      system,
      null,
      'GET',
      `/api/certificates/${passed.body.certificateId}/verify`,
    );
    expect(drawingCert.body.status).toBe('revoked');
    const holderTold = await call(system, applicant, 'GET', '/api/notifications');
    expect(JSON.stringify(holderTold.body)).toContain('证照已中止');
    const audit = await call(system, await login('admin'), 'GET', '/api/audit/verify');
    expect(audit.body.valid).toBe(true);
  }, 300_000);
});
