/**
 * Issue 12, what bites after an approval (each database): a department's head revokes an approval (reason and
 * legal basis, certificate revoked, holder notified, `approval_revoked` written); 双随机 pools of projects
 * under construction and of 施工图 exemptions (issue 11's 甲级 commitment); a "revoked" result revokes what
 * was inspected, and its records are one incident; the design firm, its chief designer and a professional
 * whose materials were false get records of their own; the window and reviewers read the standing.
 */
import { expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../app';
import {
  acceptedStage,
  approveAll,
  call,
  enterpriseOf,
  getTask,
  newProject,
  sessions,
  stageGuide,
  type TaskRow,
} from '../lifecycle-helpers';

interface Rec {
  kind: string;
  severity: string;
  sourceType: string | null;
  incident: string | null;
}

async function allRatiosOne(system: TestSystem, admin: Session) {
  for (const g of ['A', 'B', 'C', 'D']) {
    const m = await system.app.inject({
      method: 'PUT',
      url: `/api/credit/measures/ratio-${g}`,
      headers: admin.headers,
      payload: { trigger: `grade_${g}`, effect: 'inspection_ratio', value: 1, basis: '测试：全部抽查' },
    });
    expect(m.statusCode, m.body).toBe(200);
  }
}

async function roster(system: TestSystem, head: Session, dept: string) {
  for (const [name, badge] of [
    ['赵一', `${dept}-01`],
    ['钱二', `${dept}-02`],
  ]) {
    const added = await call(system, head, 'POST', '/api/credit/inspectors', {
      departmentCode: dept,
      name,
      badgeNo: badge,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  }
}

describeEachSystem('credit consequences: revocation, wider pools, practitioners', (t) => {
  it('revokes approvals, draws from construction and exemption pools, records firms and practitioners', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const admin = await login('admin');
    const supervisor = await login('supervisor');
    const enterpriseId = await enterpriseOf(system, 'applicant');

    // A project through stages 1–3 with the 甲级 exemption: 施工许可 issued, not completed.
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 171, {
      designFirmGradeA: true,
      buildingArea: 20000,
    });
    const parallel = await stageGuide(system, applicant, project.id, 5);
    for (const item of parallel.items) {
      const { tasks } = await acceptedStage(system, applicant, window, project, {
        stage: 5,
        itemCode: item.code,
      });
      await approveAll(system, login, tasks);
    }
    const stage1 = await acceptedStage(system, applicant, window, project, { stage: 1 });
    await approveAll(system, login, stage1.tasks);
    const stage2 = await acceptedStage(system, applicant, window, project, { stage: 2 });
    await approveAll(system, login, stage2.tasks);
    const firm = await call(system, admin, 'POST', '/api/joint/design-firms', {
      name: '郑州甲级建筑设计研究院',
      creditCode: '91410100MA40000A1X',
      grade: 'grade_a',
      qualificationNumber: 'A141000001',
      qualificationExpires: '2030-12-31',
    });
    expect(firm.status, JSON.stringify(firm.body)).toBe(201);
    const signed = await call(
      system,
      applicant,
      'POST',
      `/api/joint/projects/${project.id}/design-commitments`,
      {
        designFirmId: firm.body.id,
        chiefDesigner: '张建国',
        chiefDesignerReg: '2010410001',
      },
    );
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const stage3 = await acceptedStage(system, applicant, window, project, {
      stage: 3,
      commitments: ['ZZ-STSC-002'],
    });
    await approveAll(system, login, stage3.tasks);
    const permit = stage3.tasks.find((x) => x.itemCode === 'ZZ-CJJ-001')!;
    const exemption = stage3.tasks.find((x) => x.itemCode === 'ZZ-STSC-002')!;
    expect(!!permit && !!exemption, stage3.tasks.map((x) => x.itemCode).join()).toBe(true);

    // The window and reviewers read the standing with its reasons (not a credit desk's own data).
    const standing = await call(system, window, 'GET', `/api/credit/standing?enterprise=${enterpriseId}`);
    expect(standing.status, JSON.stringify(standing.body)).toBe(200);
    expect(standing.body).toMatchObject({ enterpriseId, black: false, red: false });
    expect(standing.body.reasons[0]).toContain('等级');
    expect(
      (await call(system, applicant, 'GET', `/api/credit/standing?enterprise=${enterpriseId}`)).status,
    ).toBe(403);

    // 撤销 by the department's head: reason and legal basis, certificate revoked, holder told, credit record.
    const target = stage1.tasks[0] as TaskRow;
    const reviewer = await login(`${target.departmentCode}.reviewer`);
    const head = await login(`${target.departmentCode}.head`);
    const body = {
      reason: '申请人以欺骗手段取得许可',
      legalBasis: '《中华人民共和国行政许可法》第六十九条第二款',
    };
    expect((await call(system, reviewer, 'POST', `/api/tasks/${target.id}/revoke`, body)).status).toBe(403);
    const otherDept = target.departmentCode === 'stsc' ? 'cjj' : 'stsc';
    expect(
      (await call(system, await login(`${otherDept}.head`), 'POST', `/api/tasks/${target.id}/revoke`, body))
        .status,
    ).toBe(403);
    expect(
      (await call(system, head, 'POST', `/api/tasks/${target.id}/revoke`, { reason: '理由' })).status,
    ).toBe(400);
    const revoked = await call(system, head, 'POST', `/api/tasks/${target.id}/revoke`, body);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      legalBasis: body.legalBasis,
      sourceType: 'department',
    });
    expect((await getTask(system, head, target.id)).status).toBe('revoked');
    const cert = await system.db
      .selectFrom('certificate')
      .select(['identifier', 'revokedAt'])
      .where('taskId', '=', target.id)
      .execute();
    for (const c of cert) expect(c.revokedAt).not.toBeNull();
    if (cert.length) expect(revoked.body.certificateRevoked).toBe(cert[0]!.identifier);
    expect((await call(system, head, 'POST', `/api/tasks/${target.id}/revoke`, body)).status).toBe(409);
    const told = await call(system, applicant, 'GET', '/api/notifications');
    expect(JSON.stringify(told.body)).toContain(body.legalBasis);
    const audit = await system.db
      .selectFrom('auditEvent')
      .select(['action', 'detail'])
      .where('objectId', '=', target.id)
      .where('action', '=', 'task.revoked')
      .execute();
    expect(audit).toHaveLength(1);
    const mine = (await call(system, applicant, 'GET', '/api/credit/mine')).body;
    expect(mine.records).toHaveLength(1);
    expect(mine.records[0]).toMatchObject({
      kind: 'approval_revoked',
      severity: 'serious',
      sourceType: 'task_revocation',
      sourceId: revoked.body.id,
    });

    // 双随机 over projects under construction: a "revoked" result revokes the 施工许可 and its certificate.
    await allRatiosOne(system, admin);
    const cjjHead = await login(`${permit.departmentCode}.head`);
    await roster(system, cjjHead, permit.departmentCode);
    const construction = await call(system, cjjHead, 'POST', '/api/credit/draws', {
      departmentCode: permit.departmentCode,
      poolKind: 'construction',
      inspectorsPerObject: 1,
    });
    expect(construction.status, JSON.stringify(construction.body)).toBe(201);
    expect(construction.body).toMatchObject({
      poolKind: 'construction',
      algorithm: 'sha256-fy-v2',
      reproducible: true,
    });
    const site = construction.body.pool.find((o: { objectId: string }) => o.objectId === permit.id);
    expect(site.label).toContain('在建');
    const cjjReviewer = await login(`${permit.departmentCode}.reviewer`);
    const siteResult = await call(
      system,
      cjjReviewer,
      'POST',
      `/api/credit/draws/${construction.body.id}/results/${permit.id}`,
      { outcome: 'revoked', findings: '未按许可的施工图施工，擅自变更结构' },
    );
    expect(siteResult.status, JSON.stringify(siteResult.body)).toBe(201);
    expect(siteResult.body.revocationId).toBeTruthy();
    expect((await getTask(system, cjjHead, permit.id)).status).toBe('revoked');
    const after = (await call(system, applicant, 'GET', '/api/credit/mine')).body;
    const incident = `draw:${construction.body.id}:${permit.id}`;
    const ofDraw = after.records.filter((r: Rec) => r.incident === incident);
    expect(ofDraw.map((r: Rec) => r.kind).sort()).toEqual(['approval_revoked', 'inspection_failed']);
    // Two records, one act: 90 − 15 (the department's revocation) − 15 (this one), not − 30 for it.
    expect(after.grade.score).toBe(60);
    expect(after.grade.reasons.join()).toContain('合并计一次');
    // Two serious incidents in 12 months: the black-list notice is open (the rule counts incidents).
    expect(after.listings.map((l: { list: string; status: string }) => `${l.list}:${l.status}`)).toEqual([
      'black:noticed',
    ]);
    expect(after.listings[0].reason).toContain('2 起');
    // Once the project completes it leaves the pool; here it is still under construction but revoked: gone.
    const again = await call(system, cjjHead, 'POST', '/api/credit/draws', {
      departmentCode: permit.departmentCode,
      poolKind: 'construction',
      inspectorsPerObject: 1,
    });
    if (again.status === 201)
      expect(again.body.pool.map((o: { objectId: string }) => o.objectId)).not.toContain(permit.id);
    else expect(again.body.error.code).toBe('RULE_VIOLATION');

    // 双随机 over the 施工图 exemptions: the design firm is the subject; "revoked" revokes the commitment
    // and records the firm, its chief designer, and a professional whose materials were false.
    const stscHead = await login(`${exemption.departmentCode}.head`);
    await roster(system, stscHead, exemption.departmentCode);
    const exempt = await call(system, stscHead, 'POST', '/api/credit/draws', {
      departmentCode: exemption.departmentCode,
      poolKind: 'exemption',
      inspectorsPerObject: 1,
    });
    expect(exempt.status, JSON.stringify(exempt.body)).toBe(201);
    const obj = exempt.body.pool.find((o: { objectId: string }) => o.objectId === signed.body.id);
    expect(obj.subjectName).toBe('郑州甲级建筑设计研究院');
    const stscReviewer = await login(`${exemption.departmentCode}.reviewer`);
    const designResult = await call(
      system,
      stscReviewer,
      'POST',
      `/api/credit/draws/${exempt.body.id}/results/${signed.body.id}`,
      {
        outcome: 'revoked',
        findings: '施工图违反强制性条文3条，承诺不实',
        falseMaterials: [{ name: '王五', certificateNo: 'S2019410002', profession: '一级注册结构工程师' }],
      },
    );
    expect(designResult.status, JSON.stringify(designResult.body)).toBe(201);
    expect(designResult.body.commitmentRevoked).toBe(signed.body.id);
    const shown = await call(
      system,
      applicant,
      'GET',
      `/api/joint/projects/${project.id}/design-commitments`,
    );
    expect(shown.body.commitments[0]).toMatchObject({ revoked: true, postInspectionPool: false });

    const subjects = async (q: string) =>
      (await call(system, supervisor, 'GET', `/api/credit/subjects?q=${encodeURIComponent(q)}`)).body
        .subjects;
    const recordsOf = async (subjectId: string) =>
      (await call(system, supervisor, 'GET', `/api/credit/records?subject=${subjectId}`)).body
        .records as Rec[];
    const [firmSubject] = await subjects('郑州甲级建筑设计研究院');
    expect(firmSubject.kind).toBe('design_org');
    expect((await recordsOf(firmSubject.id)).map((r) => r.kind).sort()).toEqual([
      'commitment_broken',
      'inspection_failed',
    ]);
    const [chief] = await subjects('2010410001');
    expect(chief).toMatchObject({ kind: 'practitioner', name: '张建国', employerSubjectId: firmSubject.id });
    const chiefRecords = await recordsOf(chief.id);
    expect(chiefRecords.map((r) => r.kind)).toEqual(['commitment_broken']);
    expect(chiefRecords[0]!.sourceType).toBe('design_commitment');
    const [liar] = await subjects('S2019410002');
    expect(liar).toMatchObject({ kind: 'practitioner', name: '王五', profession: '一级注册结构工程师' });
    expect((await recordsOf(liar.id)).map((r) => r.kind)).toEqual(['false_materials']);
    // Practitioners' dishonest acts are published (task 61).
    const pub = (await call(system, null, 'GET', '/api/public/credit')).body;
    expect(
      pub.dishonestActs.some((a: { subjectName: string; kind: string }) => a.subjectName === '王五'),
    ).toBe(true);
  }, 600_000);
});
