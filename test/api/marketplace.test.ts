/**
 * The online intermediary marketplace (issue 13), on each database: intermediaries register (GB 32100
 * code), qualify and offer within the list's standard, 政务办 lists them; an owner posts a need and an
 * intermediary is chosen by a draw reproducible from its seed, while a black-listed one cannot be chosen
 * (the reason shown); the service runs on a working-day clock, a late one gets a credit record, its
 * report becomes the project's material, it is rated and complained about; sealed quotes stay sealed
 * until their opening; an expired qualification unlists its service; the public page shows it all.
 */
import { afterAll, expect, it } from 'vitest';
import { describeEachSystem, type Session } from '../app';
import { uploadMaterial } from '../factories';
import { beijingMorning, call, newProject, sessions, stageGuide } from '../lifecycle-helpers';
import { runCreditSweep } from '../../src/modules/credit/credit.service';
import { creditCodeCheckChar } from '../../src/modules/identity/identity.rules';
import { runExchange } from '../../src/modules/exchange/exchange.service';
import { provinceDatabases } from '../province-helpers';
import { runMarketplaceSweep } from '../../src/modules/marketplace/marketplace.jobs';
import { drawPoolHash, drawWinner } from '../../src/modules/marketplace/need.service';
import { demoEnterprises, demoIntermediaries } from '../../src/seed/demo';

const { secondDatabase, closeAll: closeProvinces } = provinceDatabases('zz_h13_province');

afterAll(async () => {
  await closeProvinces();
});

const GEO = 'ZJ-DZZH-PG';
const SURVEY = 'ZJ-JGLHCH';

describeEachSystem('marketplace: list, selection by draw, supervised service, credit, public pages', (t) => {
  let login: (u: string) => Promise<Session>;
  const ids: Record<string, string> = {};
  const offers: Record<string, Record<string, string>> = {};
  let projectId = '';
  let needId = '';
  let engagementId = '';
  let contracted = { committedDays: 0, projectCode: '' };
  let reportFileId = '';
  let winner = '';

  const deps = () => ({ clock: t.system.clock, calendar: t.system.ctx.calendar });
  /** Moves the clock; sessions idle that long have expired, so everyone logs in again. */
  const at = (instant: Date) => {
    t.system.clock.set(instant);
    login = sessions(t.system);
  };

  it('registers intermediaries with a checked 统一社会信用代码, fees within the standard, and 政务办 lists them', async () => {
    const { system } = t;
    login = sessions(system);
    const window = await login('window');
    const bad = await call(system, await login('intermediary'), 'POST', '/api/marketplace/intermediaries', {
      name: '校验码错误的机构',
      creditCode: '91410100MA9GK01010',
      contactName: '张三',
      contactPhone: '0371-60000000',
      address: '郑州市',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('body.creditCode');

    for (const e of demoIntermediaries) {
      const me = await login(e.key);
      const reg = await call(system, me, 'POST', '/api/marketplace/intermediaries', {
        name: e.name,
        creditCode: e.creditCode,
        contactName: '联系人',
        contactPhone: '0371-60000001',
        address: '郑州市金水区',
      });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      expect(reg.body.status).toBe('pending');
      ids[e.key] = reg.body.id;
      const q = await call(system, me, 'POST', '/api/marketplace/intermediaries/mine/qualifications', {
        name: '地质灾害危险性评估资质',
        grade: '甲级',
        certificateNo: `CERT-${e.key}`,
        issuer: '河南省自然资源厅',
        expiresOn: '2028-12-31',
      });
      expect(q.status, JSON.stringify(q.body)).toBe(201);
      const qualificationId = q.body.qualifications[0].id;
      // Over the list's fee ceiling (80 000 元): refused, naming the field.
      const over = await call(system, me, 'POST', '/api/marketplace/intermediaries/mine/offers', {
        serviceCode: GEO,
        qualificationId,
        feeYuan: 90000,
        committedDays: 10,
        commitment: '10 个工作日',
      });
      expect(over.status).toBe(422);
      expect(over.body.error.field).toBe('body.feeYuan');
      offers[e.key] = {};
      for (const [code, fee, days] of [
        [GEO, e.key === 'intermediary2' ? 55000 : 60000, e.key === 'intermediary' ? 15 : 18],
        [SURVEY, e.key === 'intermediary2' ? 40000 : 45000, 10],
      ] as const) {
        const o = await call(system, me, 'POST', '/api/marketplace/intermediaries/mine/offers', {
          serviceCode: code,
          qualificationId,
          feeYuan: fee,
          committedDays: days,
          commitment: `${days} 个工作日内完成`,
        });
        expect(o.status, JSON.stringify(o.body)).toBe(200);
        offers[e.key]![code] = o.body.offers.find((x: { serviceCode: string }) => x.serviceCode === code).id;
      }
      expect(
        (await call(system, me, 'GET', '/api/marketplace/intermediaries/mine')).body.offers.every(
          (o: { status: string }) => o.status === 'pending',
        ),
      ).toBe(true);
      const listed = await call(
        system,
        window,
        'POST',
        `/api/marketplace/intermediaries/${ids[e.key]}/review`,
        {
          decision: 'list',
          note: '符合入库条件',
        },
      );
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      expect(listed.body.status).toBe('listed');
      expect(listed.body.offers.every((o: { status: string }) => o.status === 'listed')).toBe(true);
    }
    // Only 政务办 reviews.
    const applicant = await login('applicant');
    const refused = await call(
      system,
      applicant,
      'POST',
      `/api/marketplace/intermediaries/${ids.intermediary}/review`,
      {
        decision: 'suspend',
        note: 'x',
      },
    );
    expect(refused.status).toBe(403);
  });

  it('keeps a black-listed intermediary out of a need: direct choice refused with the reason, the draw excludes it and is reproducible', async () => {
    const { system } = t;
    let applicant = await login('applicant');
    const supervisor = await login('supervisor');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 900);
    projectId = project.id;
    const posted = await call(system, applicant, 'POST', '/api/marketplace/needs', {
      projectId,
      serviceCode: GEO,
      description: '项目用地地质灾害危险性评估',
      budgetYuan: 80000,
      dueOn: '2026-06-30',
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    needId = posted.body.id;

    // Two serious records → the listing rule's notice → after the objection window, the black list.
    const subjects = await call(system, supervisor, 'GET', '/api/credit/subjects?kind=intermediary');
    const subject = subjects.body.subjects.find(
      (s: { creditCode: string }) => s.creditCode === demoIntermediaries[2]!.creditCode,
    );
    expect(subject, 'listing made the intermediary a credit subject').toBeTruthy();
    for (const reason of ['出具虚假评估报告', '伪造检测数据']) {
      const r = await call(system, supervisor, 'POST', '/api/credit/records', {
        subjectId: subject.id,
        kind: 'department_entry',
        severity: 'serious',
        reason,
        basis: '《地质灾害防治条例》第四十四条',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    at(beijingMorning('2026-03-10'));
    applicant = await login('applicant');
    expect((await runCreditSweep(system.db, deps())).listed).toBe(1);

    const direct = await call(system, applicant, 'POST', `/api/marketplace/needs/${needId}/selection`, {
      method: 'direct',
      offerId: offers.intermediary3![GEO],
    });
    expect(direct.status).toBe(422);
    expect(direct.body.error.code).toBe('RULE_VIOLATION');
    expect(direct.body.error.message).toContain('黑名单');

    const seed = '0123456789abcdef0123456789abcdef';
    const drawn = await call(system, applicant, 'POST', `/api/marketplace/needs/${needId}/selection`, {
      method: 'draw',
      seed,
    });
    expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
    const need = drawn.body;
    expect(need.status).toBe('selected');
    expect(need.draw.seed).toBe(seed);
    expect(need.draw.pool.map((p: { intermediaryId: string }) => p.intermediaryId).sort()).toEqual(
      [ids.intermediary, ids.intermediary2].sort(),
    );
    const excluded = need.excluded.find(
      (x: { intermediaryId: string }) => x.intermediaryId === ids.intermediary3,
    );
    expect(excluded.reason).toContain('黑名单');
    // Anyone can re-run the draw from the published seed and pool.
    expect(drawPoolHash(need.draw.pool)).toBe(need.draw.poolHash);
    expect(drawWinner(seed, need.draw.pool)).toBe(need.selected.offerId);
    winner = Object.keys(offers).find((k) => offers[k]![GEO] === need.selected.offerId)!;
    expect(['intermediary', 'intermediary2']).toContain(winner);
  });

  it('runs the service on a working-day clock: late → overdue and one credit record; the accepted report is the project material', async () => {
    const { system } = t;
    let applicant = await login('applicant');
    const contract = await call(system, applicant, 'POST', `/api/marketplace/needs/${needId}/contract`, {
      contractNo: 'HT-2026-001',
      amountYuan: 60000,
      signedOn: '2026-03-10',
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    engagementId = contract.body.id;
    contracted = contract.body;
    expect(contract.body.status).toBe('in_service');
    expect(contract.body.clock.state).toBe('normal');
    const deadline = contract.body.deadline as string;
    expect(deadline > '2026-03-10').toBe(true);

    at(beijingMorning('2026-04-27'));
    applicant = await login('applicant');
    const swept = await runMarketplaceSweep(system.db, deps());
    expect(swept.overdueRecorded).toBe(1);
    expect((await runMarketplaceSweep(system.db, deps())).overdueRecorded).toBe(0);
    const me = await login(winner);
    const fileId = await uploadMaterial(system, me, 'M_GEO_HAZARD_REPORT');
    reportFileId = fileId;
    const delivered = await call(system, me, 'POST', `/api/marketplace/engagements/${engagementId}/report`, {
      fileId,
      reportNo: 'DZ-2026-018',
      summary: '评估区地质灾害危险性小，适宜建设',
    });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.clock.state).toBe('overdue');

    const supervisor = await login('supervisor');
    const subjects = await call(system, supervisor, 'GET', '/api/credit/subjects?kind=intermediary');
    const subject = subjects.body.subjects.find(
      (s: { creditCode: string }) =>
        s.creditCode === demoIntermediaries.find((d) => d.key === winner)!.creditCode,
    );
    const records = await call(system, supervisor, 'GET', `/api/credit/records?subject=${subject.id}`);
    const overdue = records.body.records.filter((r: { kind: string }) => r.kind === 'service_overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0].sourceId).toBe(engagementId);

    // Another intermediary may not deliver; the owner accepts.
    const other = winner === 'intermediary' ? 'intermediary2' : 'intermediary';
    const foreign = await call(
      system,
      await login(other),
      'POST',
      `/api/marketplace/engagements/${engagementId}/report`,
      {
        fileId,
        reportNo: 'X',
        summary: '',
      },
    );
    expect(foreign.status).toBe(403);
    const accepted = await call(
      system,
      applicant,
      'POST',
      `/api/marketplace/engagements/${engagementId}/report-decision`,
      {
        decision: 'accept',
      },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(accepted.body.adoptedFileId).toBeTruthy();
    const guide = await stageGuide(system, applicant, projectId, 5, 'ZZ-ZRZY-009');
    const material = guide.materials.find((m) => m.code === 'M_GEO_HAZARD_REPORT')!;
    expect(material.onFile).toBe(true);
    expect((material as { fileId?: string }).fileId).toBe(accepted.body.adoptedFileId);

    const rated = await call(
      system,
      applicant,
      'POST',
      `/api/marketplace/engagements/${engagementId}/rating`,
      {
        satisfactionCode: 4,
        comment: '报告质量尚可，但严重超期',
      },
    );
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect(rated.body.rating.name).toBe('不满意');
    const bad = await call(system, applicant, 'POST', `/api/marketplace/engagements/${engagementId}/rating`, {
      satisfactionCode: 6,
    });
    expect(bad.status).toBe(400);

    const complained = await call(
      system,
      applicant,
      'POST',
      `/api/marketplace/engagements/${engagementId}/complaints`,
      {
        reason: '超期 20 余个工作日未说明理由',
      },
    );
    expect(complained.status, JSON.stringify(complained.body)).toBe(201);
    const window = await login('window');
    const decided = await call(
      system,
      window,
      'POST',
      `/api/marketplace/complaints/${complained.body.complaints[0].id}/decision`,
      { decision: 'upheld', note: '经核实属实' },
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.creditRecordWritten).toBe(true);

    const rows = await call(
      system,
      supervisor,
      'GET',
      `/api/marketplace/engagements/${engagementId}/exchange-rows`,
    );
    const tables = new Set(rows.body.rows.map((r: { tableName: string }) => r.tableName));
    expect([...tables].sort()).toEqual(['中介服务事项办理信息表', '中介服务事项办理过程信息表']);
    const main = rows.body.rows.find((r: { tableName: string }) => r.tableName === '中介服务事项办理信息表');
    const winnerFacts = demoIntermediaries.find((d) => d.key === winner)!;
    expect(main.row).toMatchObject({
      DFSJZJ: engagementId,
      ZJFWSXSLBM: engagementId,
      ZJFWSXBM: GEO,
      ZJJGMC: winnerFacts.name,
      ZJJGDM: winnerFacts.creditCode,
      BLSX: contracted.committedDays,
    });
  }, 180_000);

  it("puts the engagement's 中介服务事项办理信息 / 办理过程信息 rows in the 省前置库 with the exchange upload", async () => {
    const { system } = t;
    const winnerFacts = demoIntermediaries.find((d) => d.key === winner)!;
    // The outbox (written with each step) → SPGL rows → the second database.
    const province = await secondDatabase(system.kind);
    const uploaded = await runExchange(system.db, province, new Date(system.clock.now().getTime() + 60_000), {
      url: undefined,
    });
    expect(uploaded.error).toBeNull();
    const problems = await system.db
      .selectFrom('exchangeRow')
      .select(['dfsjzj', 'problems'])
      .where('tableCode', 'in', ['SPGL_ZJFWSXBLXXB_V3', 'SPGL_ZJFWSXBLGCXXB_V3'])
      .where('uploadState', '=', 'invalid')
      .execute();
    expect(problems).toEqual([]);
    const [info] = (
      await province.query('SELECT * FROM spgl_zjfwsxblxxb_v3 WHERE dfsjzj = $1', [engagementId])
    ).rows;
    expect(info).toMatchObject({
      xmdm: contracted.projectCode,
      zjjgmc: winnerFacts.name,
      zjjgdm: winnerFacts.creditCode,
      wtr: demoEnterprises[0]!.name,
      sjsczt: 0,
    });
    const steps = (
      await province.query(
        'SELECT blyj, fjid FROM spgl_zjfwsxblgcxxb_v3 WHERE zjfwsxslbm = $1 ORDER BY dfsjzj',
        [engagementId],
      )
    ).rows as { blyj: string; fjid: string | null }[];
    const step = (name: string) => steps.find((r) => r.blyj.startsWith(name));
    for (const name of ['签订合同', '逾期', '提交成果', '成果验收', '服务评价'])
      expect(step(name), name).toBeTruthy();
    expect(step('提交成果')!.fjid).toBe(reportFileId);
  }, 240_000);

  it('keeps sealed quotes unseen by anyone before the opening time, then selects the lowest', async () => {
    const { system } = t;
    let applicant = await login('applicant');
    const window = await login('window');
    const posted = await call(system, applicant, 'POST', '/api/marketplace/needs', {
      projectId,
      serviceCode: SURVEY,
      description: '竣工联合测绘',
      budgetYuan: 60000,
      dueOn: '2026-08-31',
    });
    const id = posted.body.id;
    const started = await call(system, applicant, 'POST', `/api/marketplace/needs/${id}/selection`, {
      method: 'quote',
      opensAt: '2026-04-28T10:00:00+08:00',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.status).toBe('quoting');
    for (const [who, amount] of [
      ['intermediary', 42000],
      ['intermediary2', 38000],
    ] as const) {
      const q = await call(system, await login(who), 'POST', `/api/marketplace/needs/${id}/quotes`, {
        amountYuan: amount,
        committedDays: 10,
      });
      expect(q.status, JSON.stringify(q.body)).toBe(200);
      expect(q.body.myQuoteSubmitted).toBe(true);
      expect(q.body.quotes).toEqual([]);
    }
    const again = await call(
      system,
      await login('intermediary'),
      'POST',
      `/api/marketplace/needs/${id}/quotes`,
      {
        amountYuan: 30000,
        committedDays: 10,
      },
    );
    expect(again.status).toBe(409);
    for (const who of [applicant, window, await login('supervisor')]) {
      const seen = await call(system, who, 'GET', `/api/marketplace/needs/${id}`);
      expect(seen.body.quoteCount).toBe(2);
      expect(seen.body.quotes).toEqual([]);
      expect(JSON.stringify(seen.body)).not.toContain('38000');
    }
    at(new Date('2026-04-28T10:00:01+08:00'));
    applicant = await login('applicant');
    const opened = await call(system, applicant, 'GET', `/api/marketplace/needs/${id}`);
    expect(opened.body.quotesOpened).toBe(true);
    expect(opened.body.status).toBe('selected');
    expect(opened.body.selected.intermediaryId).toBe(ids.intermediary2);
    expect(opened.body.quotes.map((q: { amountYuan: number }) => q.amountYuan).sort()).toEqual([
      38000, 42000,
    ]);
    // A late quote is refused.
    const late = await call(
      system,
      await login('intermediary3'),
      'POST',
      `/api/marketplace/needs/${id}/quotes`,
      {
        amountYuan: 1000,
        committedDays: 5,
      },
    );
    expect(late.status).toBe(409);
  });

  it('unlists a service when its qualification expires', async () => {
    const { system } = t;
    let me = await login('intermediary2');
    const q = await call(system, me, 'POST', '/api/marketplace/intermediaries/mine/qualifications', {
      name: '水土保持方案编制资质',
      grade: '乙级',
      certificateNo: 'SB-2026-02',
      issuer: '河南省水利厅',
      expiresOn: '2026-05-31',
    });
    const qualificationId = q.body.qualifications.find(
      (x: { certificateNo: string }) => x.certificateNo === 'SB-2026-02',
    ).id;
    const o = await call(system, me, 'POST', '/api/marketplace/intermediaries/mine/offers', {
      serviceCode: 'ZJ-STBC-FA',
      qualificationId,
      feeYuan: 50000,
      committedDays: 15,
      commitment: '15 个工作日',
    });
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    const offer = () =>
      call(system, me, 'GET', '/api/marketplace/intermediaries/mine').then((r) =>
        r.body.offers.find((x: { serviceCode: string }) => x.serviceCode === 'ZJ-STBC-FA'),
      );
    expect((await offer()).status).toBe('listed');
    at(beijingMorning('2026-06-02'));
    me = await login('intermediary2');
    expect((await runMarketplaceSweep(system.db, deps())).unlisted).toBe(1);
    const after = await offer();
    expect(after.status).toBe('unlisted');
    expect(after.unlistedReason).toContain('到期');
  });

  it('shows the lists, intermediaries with fees, time limits and ratings, and the black list without login', async () => {
    const { system } = t;
    const res = await call(system, null, 'GET', '/api/public/marketplace');
    expect(res.status).toBe(200);
    const body = res.body;
    const geo = body.services.find((s: { code: string }) => s.code === GEO);
    expect(geo).toMatchObject({ timeLimitDays: 20, feeMaxYuan: 80000, itemCodes: ['ZZ-ZRZY-009'] });
    expect(
      body.services
        .filter((s: { list: string }) => s.list !== 'intermediary')
        .every((s: { chargesApplicant: boolean }) => !s.chargesApplicant),
    ).toBe(true);
    const rated = body.intermediaries.find((i: { id: string }) => i.id === ids[winner]);
    expect(rated.rating.ratings).toBe(1);
    expect(rated.rating.counts.find((c: { code: number }) => c.code === 4).count).toBe(1);
    expect(rated.services.find((s: { serviceCode: string }) => s.serviceCode === GEO)).toMatchObject({
      committedDays: expect.any(Number),
      feeYuan: expect.any(Number),
    });
    const two = body.intermediaries.find((i: { id: string }) => i.id === ids.intermediary2);
    expect(two.services.map((s: { serviceCode: string }) => s.serviceCode)).not.toContain('ZJ-STBC-FA');
    const black = body.blackList.find(
      (b: { intermediaryId: string }) => b.intermediaryId === ids.intermediary3,
    );
    expect(black.reason).toBeTruthy();
    expect(black.listedOn).toBe('2026-03-10');
  });

  it('lets an intermediary register itself without login; 政务办 listing opens its account and shelves its offers', async () => {
    const { system } = t;
    const first17 = '91410100MA9GK0199';
    const registration = {
      name: '郑州自荐测绘技术有限公司',
      creditCode: first17 + creditCodeCheckChar(first17),
      legalPerson: '钱自荐',
      contactPhone: '0371-60000099',
      username: 'zijian.survey',
      displayName: '自荐测绘 业务员',
      password: 'Survey#2026xyz',
      contactName: '钱自荐',
      address: '郑州市高新区',
      qualifications: [
        {
          name: '测绘资质',
          grade: '乙级',
          certificateNo: 'CH-ZJ-0199',
          issuer: '河南省自然资源厅',
          expiresOn: '2028-12-31',
        },
      ],
      offers: [
        {
          serviceCode: GEO,
          qualificationIndex: 0,
          feeYuan: 50000,
          committedDays: 12,
          commitment: '12 个工作日内出具评估报告',
        },
      ],
    };
    const badCode = await call(system, null, 'POST', '/api/public/marketplace/registrations', {
      ...registration,
      creditCode: first17 + (registration.creditCode.endsWith('0') ? '1' : '0'),
    });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.field).toBe('body.creditCode');
    // A fee over the standard: refused naming the offer's field, and nothing is left behind.
    const over = await call(system, null, 'POST', '/api/public/marketplace/registrations', {
      ...registration,
      offers: [{ ...registration.offers[0], feeYuan: 90000 }],
    });
    expect(over.status).toBe(422);
    expect(over.body.error.field).toBe('body.offers.0.feeYuan');
    const loginAs = (password: string) =>
      call(system, null, 'POST', '/api/auth/login', { username: registration.username, password });
    expect((await loginAs(registration.password)).status).toBe(401);

    const ok = await call(system, null, 'POST', '/api/public/marketplace/registrations', registration);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.intermediary).toMatchObject({ status: 'pending', creditCode: registration.creditCode });
    expect(ok.body.intermediary.offers.map((o: { status: string }) => o.status)).toEqual(['pending']);
    expect((await loginAs(registration.password)).body.error.code).toBe('AUTH_ACCOUNT_DISABLED');
    const again = await call(system, null, 'POST', '/api/public/marketplace/registrations', {
      ...registration,
      username: 'zijian.other',
    });
    expect(again.status).toBe(409);

    const window = await login('window');
    const pending = await call(system, window, 'GET', '/api/marketplace/intermediaries?status=pending');
    expect(pending.body.intermediaries.map((i: { id: string }) => i.id)).toContain(ok.body.intermediary.id);
    const listed = await call(
      system,
      window,
      'POST',
      `/api/marketplace/intermediaries/${ok.body.intermediary.id}/review`,
      { decision: 'list', note: '营业执照、资质及收费核对无误，准予入库' },
    );
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.status).toBe('listed');
    expect(listed.body.offers.map((o: { status: string }) => o.status)).toEqual(['listed']);
    expect((await loginAs(registration.password)).status).toBe(200);
    const me = await system.login(registration.username, registration.password);
    const mine = await call(system, me, 'GET', '/api/marketplace/intermediaries/mine');
    expect(mine.body.id).toBe(ok.body.intermediary.id);
    const pub = await call(system, null, 'GET', '/api/public/marketplace');
    expect(pub.body.intermediaries.map((i: { id: string }) => i.id)).toContain(ok.body.intermediary.id);
  });
});
