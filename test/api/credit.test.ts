/**
 * Credit with consequences (issue 12), on each database: a broken 告知承诺 and an overdue 容缺 each write a
 * record; the listing rule opens a notice, an objection holds the listing until it is decided, and after the
 * objection window the enterprise is black-listed; it then loses 告知承诺 and 容缺 (422 naming the listing),
 * is published, and gets both back after credit repair. Grade D bites the same way. A 双随机 draw is
 * reproducible from its published seed and pool, never names a tied inspector, and its results are public.
 */
import { expect, it } from 'vitest';
import { describeEachSystem, DEFAULT_NOW, type Session, type TestSystem } from '../app';
import {
  beijingMorning,
  call,
  declareAllMissing,
  newProject,
  sessions,
  stageGuide,
  submitStage,
} from '../lifecycle-helpers';
import { runApprovalSweep } from '../../src/modules/approvals/sweep.service';
import { runCreditSweep } from '../../src/modules/credit/credit.service';
import { poolHash, runDraw } from '../../src/modules/credit/draw.rules';

const TEMPLATE = 'SOCIAL_TRANSFER';

/** Submits a 并行推进 (stage 5) application under 告知承诺 for the first item that allows it. */
async function commitmentApplication(system: TestSystem, applicant: Session, offset: number) {
  const project = await newProject(system, applicant, TEMPLATE, offset);
  const guide = await stageGuide(system, applicant, project.id, 5);
  const item = guide.items.find((i) => i.commitmentAllowed)!;
  const reply = await submitStage(system, applicant, project.id, {
    stage: 5,
    itemCode: item.code,
    commitments: [item.code],
  });
  return { project, item, reply };
}

/** Submits stage 1 leaving out its 容缺 materials (submission takes them; acceptance decides). */
async function deficiencyApplication(system: TestSystem, applicant: Session, offset: number) {
  const project = await newProject(system, applicant, TEMPLATE, offset);
  const guide = await stageGuide(system, applicant, project.id, 1);
  const deferrable = guide.materials.filter((m) => m.required && m.deficiencyAllowed && !m.onFile);
  expect(deferrable.length, 'a 容缺 material in stage 1').toBeGreaterThan(0);
  const reply = await submitStage(system, applicant, project.id, {
    stage: 1,
    skip: deferrable.map((m) => m.code),
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { applicationId: reply.body.id as string, deferrable };
}

describeEachSystem('credit: records, black list, joint punishment, repair, 双随机', (t) => {
  let login: (u: string) => Promise<Session>;
  let offset = 500;
  let subjectId = '';
  let commitmentTask = { id: '', departmentCode: '' };

  it('a broken commitment and an overdue 容缺 each write a record; the rule notices, then lists after the objection window', async () => {
    const { system } = t;
    login = sessions(system);
    let applicant = await login('applicant');
    const window = await login('window');
    const deps = { clock: system.clock, calendar: system.ctx.calendar };

    // 告知承诺 decided at acceptance; the inspection finds the commitment broken.
    const { reply } = await commitmentApplication(system, applicant, offset++);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const accepted = await call(
      system,
      window,
      'POST',
      `/api/applications/${reply.body.id}/accept`,
      await declareAllMissing(system, window, reply.body.id),
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const task = accepted.body.tasks.find((x: { viaCommitment: boolean }) => x.viaCommitment);
    let reviewer = await login(`${task.departmentCode}.reviewer`);
    const { inspections } = (await call(system, reviewer, 'GET', '/api/inspections')).body;
    const inspection = inspections.find((i: { taskId: string }) => i.taskId === task.id);
    const revoked = await call(system, reviewer, 'POST', `/api/inspections/${inspection.id}/result`, {
      outcome: 'revoked',
      result: '现场核查未按承诺落实',
    });
    expect(revoked.status).toBe(200);

    const mine = (await call(system, applicant, 'GET', '/api/credit/mine')).body;
    subjectId = mine.subject.id;
    // The broken commitment and the revocation it causes: two records of one incident, counted once.
    expect(mine.records.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'approval_revoked',
      'commitment_broken',
    ]);
    const broken = mine.records.find((r: { kind: string }) => r.kind === 'commitment_broken');
    const revokedRecord = mine.records.find((r: { kind: string }) => r.kind === 'approval_revoked');
    expect(broken).toMatchObject({
      severity: 'serious',
      sourceType: 'inspection',
      sourceId: inspection.id,
      incident: `inspection:${inspection.id}`,
    });
    expect(broken.basis).toContain('任务37');
    expect(revokedRecord).toMatchObject({
      severity: 'serious',
      sourceType: 'task_revocation',
      incident: `inspection:${inspection.id}`,
    });
    expect(revokedRecord.basis).toContain('行政许可法');
    expect(mine.listings).toEqual([]);
    expect(mine.grade).toMatchObject({ grade: 'C', score: 75, ruleVersion: 1 });
    expect(mine.grade.reasons.join()).toContain('未履行告知承诺');

    // 容缺 due 2026-03-04; on 03-05 the approvals' daily sweep writes the record.
    const gap = await deficiencyApplication(system, applicant, offset++);
    const gapAccept = await call(system, window, 'POST', `/api/applications/${gap.applicationId}/accept`, {
      deficiencies: gap.deferrable.map((m) => ({ materialCode: m.code, dueDate: '2026-03-04' })),
    });
    expect(gapAccept.status, JSON.stringify(gapAccept.body)).toBe(200);
    system.clock.set(beijingMorning('2026-03-05'));
    login = sessions(system); // sessions idle out when the clock moves days ahead
    const supervisor = await login('supervisor');
    applicant = await login('applicant');
    expect((await runApprovalSweep(system.db, deps)).creditRecords).toBe(gap.deferrable.length);
    expect((await runApprovalSweep(system.db, deps)).creditRecords).toBe(0); // once per source event

    const listed0 = await call(system, supervisor, 'GET', `/api/credit/records?subject=${subjectId}`);
    expect(listed0.status, JSON.stringify(listed0.body)).toBe(200);
    const records = listed0.body.records;
    expect(records.map((r: { kind: string }) => r.kind).sort()).toEqual(
      ['approval_revoked', 'commitment_broken', ...gap.deferrable.map(() => 'deficiency_overdue')].sort(),
    );
    // One record per overdue material, one incident per application (counted once).
    expect(
      new Set(
        records
          .filter((r: { kind: string }) => r.kind === 'deficiency_overdue')
          .map((r: { incident: string }) => r.incident),
      ),
    ).toEqual(new Set([`deficiency:${gap.applicationId}`]));

    // Two serious records in 12 months: the black-list rule opens a notice with a 5-working-day window.
    const detail = (await call(system, supervisor, 'GET', `/api/credit/subjects/${subjectId}`)).body;
    const notice = detail.listings.find((l: { list: string }) => l.list === 'black');
    expect(notice).toMatchObject({
      status: 'noticed',
      noticedOn: '2026-03-05',
      objectionUntil: '2026-03-12',
    });
    expect(notice.reason).toContain('严重失信记录');
    // Not listed yet: 告知承诺 is still open during the notice.
    expect(detail.denyCommitment).toBeNull();

    // The enterprise objects; the objection holds the listing past the window until it is decided.
    const objection = await call(system, applicant, 'POST', `/api/credit/listings/${notice.id}/objections`, {
      reason: '容缺材料已于当日补交，请核实',
    });
    expect(objection.status, JSON.stringify(objection.body)).toBe(201);
    const twice = await call(system, applicant, 'POST', `/api/credit/listings/${notice.id}/objections`, {
      reason: '再次异议',
    });
    expect(twice.status).toBe(409);
    const other = await login('applicant2');
    const foreign = await call(system, other, 'POST', `/api/credit/listings/${notice.id}/objections`, {
      reason: '越权',
    });
    expect(foreign.status).toBe(403);

    system.clock.set(beijingMorning('2026-03-13'));
    login = sessions(system);
    const supervisor2 = await login('supervisor');
    reviewer = await login(`${task.departmentCode}.reviewer`);
    expect((await runCreditSweep(system.db, deps)).listed).toBe(0);
    const desk = (await call(system, supervisor2, 'GET', '/api/credit/desk')).body;
    expect(desk.objections.map((o: { listingId: string }) => o.listingId)).toContain(notice.id);
    const reviewerDecides = await call(
      system,
      reviewer,
      'POST',
      `/api/credit/objections/${objection.body.id}/decision`,
      {
        outcome: 'rejected',
        decision: '无',
      },
    );
    expect(reviewerDecides.status).toBe(403);
    const rejected = await call(
      system,
      supervisor2,
      'POST',
      `/api/credit/objections/${objection.body.id}/decision`,
      {
        outcome: 'rejected',
        decision: '经核实，材料逾期未补交，异议不成立',
      },
    );
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.listing).toMatchObject({
      status: 'listed',
      listedOn: '2026-03-13',
      expiresOn: '2029-03-12',
    });
    expect((await runCreditSweep(system.db, deps)).listed).toBe(0);

    const audit = await system.db
      .selectFrom('auditEvent')
      .select('action')
      .where('objectId', '=', notice.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'credit.listing_noticed',
      'credit.objection_filed',
      'credit.objection_rejected',
      'credit.listed',
    ]);
    commitmentTask = task;
  });

  it('black-listed: no 告知承诺 and no 容缺 (422 naming the listing), published; repair gives both back', async () => {
    const { system } = t;
    const applicant = await login('applicant');
    const window = await login('window');
    const supervisor = await login('supervisor');
    const detail = (await call(system, supervisor, 'GET', `/api/credit/subjects/${subjectId}`)).body;
    const listing = detail.listings.find((l: { status: string }) => l.status === 'listed');
    expect(detail.grade.grade).toBe('D');
    expect(detail.grade.reasons.join()).toContain('黑名单');

    const refused = await commitmentApplication(system, applicant, offset++);
    expect(refused.reply.status).toBe(422);
    expect(refused.reply.body.error).toMatchObject({
      code: 'COMMITMENT_NOT_ALLOWED',
      field: 'body.commitments',
    });
    expect(refused.reply.body.error.message).toContain(listing.id);
    expect(refused.reply.body.error.message).toContain('失信黑名单');

    const gap = await deficiencyApplication(system, applicant, offset++);
    const noDeficiency = await call(
      system,
      window,
      'POST',
      `/api/applications/${gap.applicationId}/accept`,
      await declareAllMissing(system, window, gap.applicationId),
    );
    expect(noDeficiency.status).toBe(422);
    expect(noDeficiency.body.error).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.deficiencies' });
    expect(noDeficiency.body.error.message).toContain(listing.id);

    // Published (no login): the black list and the dishonest acts, with basis and dates.
    const pub = (await call(system, null, 'GET', '/api/public/credit')).body;
    const listed = pub.blackList.find((l: { id: string }) => l.id === listing.id);
    expect(listed).toMatchObject({ listedOn: '2026-03-13', subjectKind: 'enterprise' });
    expect(listed.basis).toContain('任务60');
    expect(pub.dishonestActs.some((a: { kind: string }) => a.kind === 'commitment_broken')).toBe(true);

    // The export job for the provincial platform.
    const exp = await call(system, supervisor, 'POST', '/api/credit/exports');
    expect(exp.status).toBe(202);
    let status = exp.body.status;
    for (let i = 0; i < 50 && status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await call(system, supervisor, 'GET', `/api/credit/exports/${exp.body.id}`)).body.status;
    }
    expect(status).toBe('done');
    const file = await system.app.inject({
      method: 'GET',
      url: `/api/credit/exports/${exp.body.id}/file`,
      headers: { cookie: supervisor.cookie },
    });
    expect(file.headers['content-type']).toContain('text/csv');
    expect([...file.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    expect(file.rawPayload.subarray(3).toString('utf8').split('\r\n')[0], file.body.slice(0, 80)).toBe(
      '信息类别,主体类型,主体名称,统一社会信用代码,执业证书编号,认定事由,认定依据,认定日期,有效期至,认定部门代码,本系统记录编号',
    );
    expect(file.body).toContain(`黑名单,企业,${listed.subjectName}`);

    // Credit repair: requested by the enterprise, approved by the supervisor; the listing ends.
    const repair = await call(system, applicant, 'POST', `/api/credit/listings/${listing.id}/repairs`, {
      measures: '已补交全部容缺材料，整改到位，并作出信用承诺',
    });
    expect(repair.status, JSON.stringify(repair.body)).toBe(201);
    const approved = await call(
      system,
      supervisor,
      'POST',
      `/api/credit/repairs/${repair.body.id}/decision`,
      {
        outcome: 'approved',
        decision: '整改到位，准予修复',
      },
    );
    expect(approved.status).toBe(200);
    expect(approved.body.listing).toMatchObject({ status: 'removed', endedOn: '2026-03-13' });
    const again = await call(system, supervisor, 'POST', `/api/credit/repairs/${repair.body.id}/decision`, {
      outcome: 'approved',
      decision: '重复',
    });
    expect(again.status).toBe(409);
    const after = (await call(system, applicant, 'GET', '/api/credit/mine')).body;
    expect(after.grade.grade).toBe('B');
    expect(after.records.every((r: { repairedOn: string | null }) => r.repairedOn === '2026-03-13')).toBe(
      true,
    );
    // The repaired records no longer count: the sweep opens no new notice.
    expect(
      (await runCreditSweep(system.db, { clock: system.clock, calendar: system.ctx.calendar })).noticed,
    ).toBe(0);
    expect((await call(system, null, 'GET', '/api/public/credit')).body.blackList).toEqual([]);

    const back = await commitmentApplication(system, applicant, offset++);
    expect(back.reply.status, JSON.stringify(back.reply.body)).toBe(201);
    const okDeficiency = await call(
      system,
      window,
      'POST',
      `/api/applications/${gap.applicationId}/accept`,
      await declareAllMissing(system, window, gap.applicationId),
    );
    expect(okDeficiency.status, JSON.stringify(okDeficiency.body)).toBe(200);
    const backAccepted = await call(
      system,
      window,
      'POST',
      `/api/applications/${back.reply.body.id}/accept`,
      await declareAllMissing(system, window, back.reply.body.id),
    );
    expect(backAccepted.status).toBe(200);
    expect(backAccepted.body.tasks.some((x: { viaCommitment: boolean }) => x.viaCommitment)).toBe(true);
  });

  it('grade D (records entered by a department) refuses 告知承诺 too, with its reasons', async () => {
    const { system } = t;
    const other = await login('applicant2');
    const head = await login(`${commitmentTask.departmentCode}.head`);
    const mine = (await call(system, other, 'GET', '/api/credit/mine')).body;
    expect(mine.grade.grade).toBe('B');
    const badBasis = await call(system, head, 'POST', '/api/credit/records', {
      subjectId: mine.subject.id,
      kind: 'award',
      severity: 'serious',
      reason: 'x',
      basis: 'y',
    });
    expect(badBasis.status).toBe(400);
    for (const reason of ['提供虚假材料', '违法施工', '未按规定整改']) {
      const entered = await call(system, head, 'POST', '/api/credit/records', {
        subjectId: mine.subject.id,
        kind: 'false_materials',
        severity: 'serious',
        reason,
        basis: '《行政许可法》第七十八条',
      });
      expect(entered.status, JSON.stringify(entered.body)).toBe(201);
      expect(entered.body).toMatchObject({ departmentCode: commitmentTask.departmentCode, published: true });
    }
    const graded = (await call(system, other, 'GET', '/api/credit/mine')).body;
    expect(graded.grade).toMatchObject({ grade: 'D', score: 45 });
    expect(graded.denyCommitment).toContain('信用等级为 D');
    const refused = await commitmentApplication(system, other, offset++);
    expect(refused.reply.status).toBe(422);
    expect(refused.reply.body.error.message).toContain('信用等级为 D');
  });

  it('a 双随机 draw is reproducible from its published seed and pool, excludes tied inspectors, and publishes results', async () => {
    const { system } = t;
    const dept = commitmentTask.departmentCode;
    const head = await login(`${dept}.head`);
    const reviewer = await login(`${dept}.reviewer`);
    const ids: string[] = [];
    for (const [name, badge] of [
      ['李强', 'ZF-001'],
      ['周洁', 'ZF-002'],
      ['陈刚', 'ZF-003'],
    ]) {
      const added = await call(system, head, 'POST', '/api/credit/inspectors', {
        departmentCode: dept,
        name,
        badgeNo: badge,
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      ids.push(added.body.id);
    }
    const tie = await call(system, head, 'POST', `/api/credit/inspectors/${ids[0]}/ties`, {
      subjectId,
      reason: '近亲属在该企业任职',
    });
    expect(tie.status).toBe(201);
    // Every grade drawn in full, so the (repaired) enterprise's approval is certainly picked.
    for (const g of ['A', 'B', 'C', 'D']) {
      const m = await system.app.inject({
        method: 'PUT',
        url: `/api/credit/measures/ratio-${g}`,
        headers: (await login('admin')).headers,
        payload: { trigger: `grade_${g}`, effect: 'inspection_ratio', value: 1, basis: '测试：全部抽查' },
      });
      expect(m.statusCode, m.body).toBe(200);
    }
    const tooMany = await call(system, head, 'POST', '/api/credit/draws', {
      departmentCode: dept,
      inspectorsPerObject: 3,
    });
    expect(tooMany.status).toBe(422);

    const draw = await call(system, head, 'POST', '/api/credit/draws', {
      departmentCode: dept,
      inspectorsPerObject: 2,
      seed: 'zz-test-seed-0001',
    });
    expect(draw.status, JSON.stringify(draw.body)).toBe(201);
    const mine = draw.body.pool.find((o: { subjectId: string }) => o.subjectId === subjectId);
    expect(mine).toBeTruthy();
    const pick = draw.body.result.find((p: { objectId: string }) => p.objectId === mine.objectId);
    expect([...pick.inspectorIds].sort()).toEqual([ids[1], ids[2]].sort()); // the tied one never
    const calendar = await system.ctx.calendar.get();
    expect(draw.body.publishBy).toBe(calendar.addWorkingDays('2026-03-13', 20).deadline);

    // Anyone re-runs it from the published seed, pool and roster.
    const pub = (await call(system, null, 'GET', `/api/public/inspections/draws/${draw.body.id}`)).body;
    expect(pub).toMatchObject({ seed: 'zz-test-seed-0001', algorithm: 'sha256-fy-v2', reproducible: true });
    expect(poolHash(pub.pool)).toBe(pub.poolHash);
    const rerun = runDraw({
      seed: pub.seed,
      pool: pub.pool,
      roster: pub.inspectors,
      ratios: pub.ratios,
      inspectorsPerObject: pub.inspectorsPerObject,
    });
    expect(rerun.picks).toEqual(
      pub.result.map((p: { objectId: string; inspectorIds: string[] }) => ({
        objectId: p.objectId,
        inspectorIds: p.inspectorIds,
      })),
    );
    const sameSeed = await call(system, head, 'POST', '/api/credit/draws', {
      departmentCode: dept,
      inspectorsPerObject: 2,
      seed: 'zz-test-seed-0001',
    });
    expect(sameSeed.body.poolHash).toBe(draw.body.poolHash);
    expect(sameSeed.body.result.map((p: { inspectorIds: string[] }) => p.inspectorIds)).toEqual(
      draw.body.result.map((p: { inspectorIds: string[] }) => p.inspectorIds),
    );

    // A failed result is published at once and writes a credit record.
    const result = await call(
      system,
      reviewer,
      'POST',
      `/api/credit/draws/${draw.body.id}/results/${mine.objectId}`,
      {
        outcome: 'correction',
        findings: '现场安全文明施工措施未落实，责令整改',
      },
    );
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    const twice = await call(
      system,
      reviewer,
      'POST',
      `/api/credit/draws/${draw.body.id}/results/${mine.objectId}`,
      {
        outcome: 'passed',
        findings: '重复',
      },
    );
    expect(twice.status).toBe(409);
    const published = (await call(system, null, 'GET', `/api/public/inspections/draws/${draw.body.id}`)).body;
    expect(published.result.find((p: { objectId: string }) => p.objectId === mine.objectId)).toMatchObject({
      outcome: 'correction',
      publishedOn: '2026-03-13',
    });
    const list = (await call(system, null, 'GET', '/api/public/inspections/draws')).body.draws;
    expect(list.find((d: { id: string }) => d.id === draw.body.id)).toMatchObject({ recorded: 1, failed: 1 });
    const records = (
      await call(system, await login('supervisor'), 'GET', `/api/credit/records?subject=${subjectId}`)
    ).body.records;
    expect(records.find((r: { kind: string }) => r.kind === 'inspection_failed')).toMatchObject({
      severity: 'general',
      sourceType: 'inspection_draw',
    });
    system.clock.set(DEFAULT_NOW);
  });
});
