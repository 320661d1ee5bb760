/**
 * Issue 11, task 30 on each database: the commitment-based exemption of the drawings needs the lifelong-
 * responsibility commitment of a 甲级 firm with a valid qualification; anyone else gets 422 RULE_VIOLATION
 * saying why. The commitment is stored and shown; the project enters the post-inspection pool.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { throughStageTwo } from '../joint-helpers';
import {
  acceptedStage,
  approveAll,
  call,
  newProject,
  sessions,
  stageGuide,
  submitStage,
} from '../lifecycle-helpers';

describeEachSystem('甲级 design exemption', (t) => {
  it('refuses the exemption without a valid 甲级 commitment and takes it with one', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const admin = await login('admin');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 137, {
      designFirmGradeA: true,
      buildingArea: 20000,
    });
    await throughStageTwo(system, login, project);
    const guide = await stageGuide(system, applicant, project.id, 3);
    expect(guide.items.map((i) => i.code)).toContain('ZZ-STSC-002');

    // No commitment on file: the exemption is refused, and nothing is stored.
    const none = await submitStage(system, applicant, project.id, { stage: 3, commitments: ['ZZ-STSC-002'] });
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('RULE_VIOLATION');
    expect(none.body.error.message).toContain('承诺');

    const firm = async (creditCode: string, grade: string, qualificationExpires: string) => {
      const res = await call(system, admin, 'POST', '/api/joint/design-firms', {
        name: `设计院 ${creditCode.slice(-4)}`,
        creditCode,
        grade,
        qualificationNumber: `A${creditCode.slice(-6)}`,
        qualificationExpires,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const sign = (designFirmId: string) =>
      call(system, applicant, 'POST', `/api/joint/projects/${project.id}/design-commitments`, {
        designFirmId,
        chiefDesigner: '张建国',
        chiefDesignerReg: '一级注册建筑师 2010410001',
      });
    const gradeB = await sign(await firm('91410100MA40000B1X', 'grade_b', '2030-12-31'));
    expect(gradeB.status).toBe(422);
    expect(gradeB.body.error.code).toBe('RULE_VIOLATION');
    expect(gradeB.body.error.message).toContain('乙级');
    const expired = await sign(await firm('91410100MA40000E1X', 'grade_a', '2025-12-31'));
    expect(expired.status).toBe(422);
    expect(expired.body.error.message).toContain('过期');
    const gradeAId = await firm('91410100MA40000A1X', 'grade_a', '2030-12-31');
    const signed = await sign(gradeAId);
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(signed.body.text).toContain('张建国');
    expect(signed.body.text).toContain('终身负责');
    expect(signed.body.postInspectionPool).toBe(true);
    expect((await sign(gradeAId)).status).toBe(409);
    const shown = await call(
      system,
      applicant,
      'GET',
      `/api/joint/projects/${project.id}/design-commitments`,
    );
    expect(shown.body.commitments).toHaveLength(1);

    // The firm's qualification lapses: the exemption is refused again, naming why.
    await call(system, admin, 'POST', `/api/joint/design-firms/${gradeAId}`, {
      qualificationExpires: '2026-01-31',
    });
    const lapsed = await submitStage(system, applicant, project.id, {
      stage: 3,
      commitments: ['ZZ-STSC-002'],
    });
    expect(lapsed.status).toBe(422);
    expect(lapsed.body.error.message).toContain('过期');
    await call(system, admin, 'POST', `/api/joint/design-firms/${gradeAId}`, {
      qualificationExpires: '2030-12-31',
    });

    // With the commitment the exemption is decided at acceptance and goes to the post-inspection pool.
    const { tasks } = await acceptedStage(system, applicant, window, project, {
      stage: 3,
      commitments: ['ZZ-STSC-002'],
    });
    const exempted = tasks.find((x) => x.itemCode === 'ZZ-STSC-002')!;
    expect(exempted.status).toBe('approved');
    const inspections = await call(system, await login('stsc.reviewer'), 'GET', '/api/inspections');
    expect(JSON.stringify(inspections.body)).toContain(exempted.id);

    // The signed commitment prints (A4 PDF with the firm's seal and the system's signature).
    const pdf = await system.app.inject({
      method: 'GET',
      url: signed.body.pdfUrl,
      headers: { cookie: applicant.cookie },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await system.app.inject({ method: 'GET', url: signed.body.pdfUrl })).statusCode).toBe(401);

    // 施工许可 on the exemption: the utilities declared unneeded, the rest of the stage approved.
    const utilityCases = await call(system, applicant, 'GET', `/api/joint/projects/${project.id}/utilities`);
    for (const c of utilityCases.body.cases.filter((x: { status: string }) => x.status === 'notified'))
      await call(system, applicant, 'POST', `/api/joint/utilities/${c.id}/not-needed`, { reason: '不需要' });
    await approveAll(
      system,
      login,
      tasks.filter((x) => x.status === 'in_review'),
    );
    const certs = await call(system, applicant, 'GET', `/api/projects/${project.id}/certificates`);
    const permit = certs.body.certificates.find((c: { type: string }) => c.type === 'construction_permit');
    expect(permit, JSON.stringify(certs.body)).toBeTruthy();

    // 承诺不实: the commitment is revoked (once) and the permit resting on it suspended.
    const supervisor = await login('supervisor');
    const revoked = await call(
      system,
      supervisor,
      'POST',
      `/api/joint/design-commitments/${signed.body.id}/revoke`,
      {
        reason: '抽查发现设计文件违反强制性条文',
      },
    );
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body.suspendedCertificates).toEqual([permit.identifier]);
    // …and in the same transaction the firm and its chief designer get a 未履行告知承诺 credit record.
    const subjectOf = async (q: string) =>
      (await call(system, supervisor, 'GET', `/api/credit/subjects?q=${encodeURIComponent(q)}`)).body
        .subjects[0] as { id: string; kind: string; name: string } | undefined;
    const recordsOf = async (subjectId: string) =>
      (await call(system, supervisor, 'GET', `/api/credit/records?subject=${subjectId}`)).body.records as {
        kind: string;
        sourceType: string;
        reason: string;
      }[];
    const firmSubject = await subjectOf('91410100MA40000A1X');
    expect(firmSubject).toMatchObject({ kind: 'design_org' });
    const firmRecords = await recordsOf(firmSubject!.id);
    expect(firmRecords.map((r) => [r.kind, r.sourceType])).toEqual([
      ['commitment_broken', 'design_commitment'],
    ]);
    expect(firmRecords[0]!.reason).toContain('抽查发现设计文件违反强制性条文');
    const chief = await subjectOf('2010410001');
    expect(chief).toMatchObject({ kind: 'practitioner', name: '张建国' });
    expect((await recordsOf(chief!.id)).map((r) => r.kind)).toEqual(['commitment_broken']);
    expect((await call(system, null, 'GET', `/api/certificates/${permit.id}/verify`)).body.status).toBe(
      'suspended',
    );
    expect(
      (
        await call(system, supervisor, 'POST', `/api/joint/design-commitments/${signed.body.id}/revoke`, {
          reason: '再次',
        })
      ).status,
    ).toBe(409);

    // The commitment re-established by the 甲级 firm: the permit is valid again, the holder is told.
    const resigned = await sign(gradeAId);
    expect(resigned.status, JSON.stringify(resigned.body)).toBe(201);
    const verify = await call(system, null, 'GET', `/api/certificates/${permit.id}/verify`);
    expect(verify.body.valid).toBe(true);
    expect(verify.body.status).toBe('valid');
    expect(JSON.stringify((await call(system, applicant, 'GET', '/api/notifications')).body)).toContain(
      '证照已恢复',
    );
    // The revoked commitment still prints, for the record.
    const old = await system.app.inject({
      method: 'GET',
      url: `/api/joint/design-commitments/${signed.body.id}/pdf`,
      headers: { cookie: applicant.cookie },
    });
    expect(old.statusCode).toBe(200);
  }, 300_000);
});
