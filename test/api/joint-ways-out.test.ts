/**
 * Issue 11, the ways out of the joint procedures on each database: a withdrawn 报装 puts its utility case
 * back (it holds 施工许可 again); a revoked drawing-review conclusion suspends the 施工许可证 and a passed
 * 复审 restores it (audited, holder told, public verification valid again); the joint acceptance's last
 * sign-off follows the stage order rule — it names the prerequisite still running (雷电防护装置验收) and
 * goes through once that is approved.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { jointRegisters, passDrawingReview, SIGNERS, throughStageTwo, UTILITY_ITEMS } from '../joint-helpers';
import {
  acceptedStage,
  approveAll,
  approveTask,
  call,
  newProject,
  sessions,
  submitStage,
  type TaskRow,
} from '../lifecycle-helpers';

describeEachSystem('joint procedures: ways out', (t) => {
  it('releases a withdrawn 报装, restores a suspended permit, orders the last sign-off', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const supervisor = await login('supervisor');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 157, {
      buildingArea: 20000,
      flammableExplosive: true,
    });
    const parallel = await throughStageTwo(system, login, project);
    const cases = async () =>
      (await call(system, applicant, 'GET', `/api/joint/projects/${project.id}/utilities`)).body.cases as {
        id: string;
        utility: string;
        itemCode: string;
        status: string;
        appliedAt: string | null;
      }[];

    // A 报装 filed, then withdrawn: its case is "told" again, not "applied".
    const filedCode = UTILITY_ITEMS.find((c) => parallel.items.some((i) => i.code === c))!;
    const status = async () => (await cases()).find((c) => c.itemCode === filedCode)!;
    const filed = await submitStage(system, applicant, project.id, { stage: 5, itemCode: filedCode });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect((await status()).status).toBe('applied');
    const withdrawn = await call(system, applicant, 'POST', `/api/applications/${filed.body.id}/withdraw`, {
      reason: '报装容量需重新核算',
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    const released = await status();
    expect(released.status).toBe('notified');
    expect(released.appliedAt).toBeNull();
    // 不予受理 at the window does the same.
    const refiled = await submitStage(system, applicant, project.id, { stage: 5, itemCode: filedCode });
    expect((await status()).status).toBe('applied');
    const refused = await call(system, window, 'POST', `/api/applications/${refiled.body.id}/refuse`, {
      reason: '用水性质填写错误',
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    expect((await status()).status).toBe('notified');

    // Every other utility not needed; the released one holds 施工许可 again.
    for (const c of (await cases()).filter((x) => x.itemCode !== filedCode && x.status === 'notified'))
      expect(
        (
          await call(system, applicant, 'POST', `/api/joint/utilities/${c.id}/not-needed`, {
            reason: '不需要',
          })
        ).status,
      ).toBe(200);
    const stage3 = await acceptedStage(system, applicant, window, project, { stage: 3 });
    const drawingTask = stage3.tasks.find((x) => x.itemCode === 'ZZ-STSC-001')!;
    const review = await passDrawingReview(system, login, drawingTask.id);
    expect(review.status).toBe('passed');
    const permit = stage3.tasks.find((x) => x.itemCode === 'ZZ-CJJ-001')!;
    await approveAll(
      system,
      login,
      stage3.tasks.filter(
        (x) => x.status === 'in_review' && !['ZZ-CJJ-001', 'ZZ-STSC-001'].includes(x.itemCode),
      ),
    );
    await expect(approveTask(system, login, permit)).rejects.toThrow(/PREREQUISITE_NOT_MET.*报装/);
    const again = await acceptedStage(system, applicant, window, project, { stage: 5, itemCode: filedCode });
    await approveAll(system, login, again.tasks);
    expect((await approveTask(system, login, permit)).status).toBe('approved');

    // Revoked conclusion → permit suspended; a 复审 of the revised drawings passes → permit restored.
    const certs = await call(system, applicant, 'GET', `/api/projects/${project.id}/certificates`);
    const permitCert = certs.body.certificates.find(
      (c: { type: string }) => c.type === 'construction_permit',
    );
    const revoked = await call(system, supervisor, 'POST', `/api/joint/drawing-reviews/${review.id}/revoke`, {
      reason: '抽查发现消防设计违反强条',
    });
    expect(revoked.body.suspendedCertificates).toEqual([permitCert.identifier]);
    // The review organisation whose conclusion was revoked gets a 审批决定被撤销 credit record.
    const orgSubject = (
      await call(
        system,
        supervisor,
        'GET',
        `/api/credit/subjects?q=${encodeURIComponent('12410100MB1234567X')}`,
      )
    ).body.subjects[0];
    expect(orgSubject).toMatchObject({ kind: 'review_org' });
    const orgRecords = (await call(system, supervisor, 'GET', `/api/credit/records?subject=${orgSubject.id}`))
      .body.records as { kind: string; sourceType: string; sourceId: string; reason: string }[];
    expect(orgRecords.map((r) => [r.kind, r.sourceType, r.sourceId])).toEqual([
      ['approval_revoked', 'drawing_review', review.id],
    ]);
    expect(orgRecords[0]!.reason).toContain('抽查发现消防设计违反强条');
    expect((await call(system, null, 'GET', `/api/certificates/${permitCert.id}/verify`)).body.status).toBe(
      'suspended',
    );
    const reReview = await passDrawingReview(system, login, drawingTask.id);
    expect(reReview.id).not.toBe(review.id);
    expect(reReview.status).toBe('passed');
    expect(reReview.certificateId).toBeTruthy();
    expect(reReview.certificateId).not.toBe(review.certificateId);
    const verify = await call(system, null, 'GET', `/api/certificates/${permitCert.id}/verify`);
    expect(verify.body.valid).toBe(true);
    expect(verify.body.status).toBe('valid');
    expect(JSON.stringify((await call(system, applicant, 'GET', '/api/notifications')).body)).toContain(
      '证照已恢复',
    );
    // A passed review is not reviewed again without a revocation.
    const twice = await call(system, applicant, 'POST', '/api/joint/drawing-reviews', {
      taskId: drawingTask.id,
      organisationId: review.organisation.id,
    });
    expect(twice.status).toBe(409);
    const events = await call(
      system,
      await login('admin'),
      'GET',
      `/api/audit/events?objectId=${permitCert.id}`,
    );
    if (events.status === 200) expect(JSON.stringify(events.body)).toContain('certificate.restored');

    // 竣工验收: the last sign-off waits for 雷电防护装置验收 (a prerequisite of the joint opinion) and says so.
    const stage4 = await acceptedStage(system, applicant, window, project, { stage: 4 });
    const lightning = stage4.tasks.find((x) => x.itemCode === 'ZZ-QXJ-002');
    expect(lightning, 'flammable project has 雷电防护装置验收').toBeTruthy();
    const { surveyOrgId } = await jointRegisters(system, login);
    const JOINT = [
      'ZZ-ZRZY-008',
      'ZZ-CJJ-003',
      'ZZ-CJJ-004',
      'ZZ-RFB-005',
      'ZZ-CJDA-001',
      'ZZ-CJJ-006',
      'ZZ-CJJ-007',
    ];
    await approveAll(
      system,
      login,
      stage4.tasks.filter((x) => !JOINT.includes(x.itemCode) && x.itemCode !== 'ZZ-QXJ-002'),
    );
    const acceptance = await call(system, applicant, 'POST', '/api/joint/acceptances', {
      applicationId: stage4.applicationId,
      surveyOrganisationId: surveyOrgId,
      surveyReportNumber: 'LHCH-2026-157',
      testReports: ['防雷检测报告'],
    });
    expect(acceptance.status, JSON.stringify(acceptance.body)).toBe(201);
    const areas = Object.keys(SIGNERS);
    const sign = async (area: string) =>
      call(
        system,
        await login(SIGNERS[area]!),
        'POST',
        `/api/joint/acceptances/${acceptance.body.id}/signoffs`,
        {
          area,
          outcome: 'pass',
          opinion: '依据联合测绘和检测报告，符合要求',
        },
      );
    for (const area of areas.slice(0, -1)) expect((await sign(area)).status).toBe(200);
    const last = await sign(areas[areas.length - 1]!);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('PREREQUISITE_NOT_MET');
    expect(last.body.error.message).toContain('前置事项');
    expect(last.body.error.details.waiting).toContain('ZZ-QXJ-002');
    const still = await call(system, applicant, 'GET', `/api/joint/acceptances/${acceptance.body.id}`);
    expect(still.body.signoffs.filter((s: { outcome: string | null }) => s.outcome)).toHaveLength(
      areas.length - 1,
    );
    await approveTask(system, login, lightning as TaskRow);
    const passed = await sign(areas[areas.length - 1]!);
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    expect(passed.body.status).toBe('passed');
    const stage4View = await call(system, applicant, 'GET', `/api/applications/${stage4.applicationId}`);
    expect(stage4View.body.status).toBe('completed');
  }, 300_000);
});
