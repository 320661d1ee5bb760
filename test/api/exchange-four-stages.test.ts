/**
 * The provincial exchange for a whole project (issue 14, "tables … equal hand-written expectations"): a
 * 社会投资 project from a 策划生成 planned project, taken through 并行推进 and all four main stages, with a
 * control-line layer published twice, lands in the 省前置库 (a second database) as rows in every SPGL table
 * this system fills — project, process definition, item handling, replies, the five licence results and
 * the three 多规合一 tables — each equal to what a person writes down from the project's facts; nothing
 * is held back by a rule, and reconciliation finds zero differences.
 */
import { afterAll, expect, it } from 'vitest';
import { reconcile, runExchange } from '../../src/modules/exchange/exchange.service';
import { provinceDatabases } from '../province-helpers';
import { SPGL_TABLES } from '../../src/modules/exchange/spgl.tables.data';
import { describeEachSystem } from '../app';
import { CLEAR_SITE_DISTRICT, clearSite, defaultAttributes, plannedDates } from '../factories';
import { acceptedStage, approveAll, call, sessions, stageGuide } from '../lifecycle-helpers';

const { secondDatabase, closeAll: closeProvinces } = provinceDatabases('zz_h14_four');

afterAll(async () => {
  await closeProvinces();
});

const square = (x: number, y: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

/** 2026-… in Beijing time. */
const beijingDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

describeEachSystem('provincial exchange: four stages', (t) => {
  it('fills every SPGL table for a project through all four stages', async () => {
    const { system } = t;
    const login = sessions(system);
    const admin = await login('admin');
    const applicant = await login('applicant');
    const window = await login('window');
    const agent = await login('agent');

    // 规划控制线: a 生态保护红线 layer published, then replaced by a second version (away from the site).
    const layer = async () =>
      call(system, admin, 'POST', '/api/blueprint/layers', {
        name: '交换测试生态红线',
        kind: 'ecological_redline',
        geojson: {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { name: '红线一' }, geometry: square(113.95, 34.95, 0.002) },
          ],
        },
      });
    const v1 = await layer();
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    const v2 = await layer();
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);

    // 策划生成: two departments asked, one answers with a condition; the enterprise registers from it.
    const { enterpriseId } = await system.db
      .selectFrom('appUser')
      .select('enterpriseId')
      .where('username', '=', 'applicant')
      .executeTakeFirstOrThrow();
    const site = clearSite(173);
    const planned = await call(system, agent, 'POST', '/api/blueprint/planned-projects', {
      name: '策划 交换测试',
      site,
      departments: ['zrzy', 'sthj'],
      workingDays: 5,
      enterpriseId,
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const sthj = await login('sthj.reviewer');
    const answered = await call(
      system,
      sthj,
      'POST',
      `/api/blueprint/planned-projects/${planned.body.id}/opinions`,
      { opinion: '同意', conditions: ['落实雨污分流'] },
    );
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const registered = await call(system, applicant, 'POST', '/api/projects', {
      name: '交换测试项目',
      templateCode: 'SOCIAL_TRANSFER',
      totalInvestment: 8000,
      districtCode: CLEAR_SITE_DISTRICT,
      site,
      ...plannedDates(system.clock.now()),
      attributes: { ...defaultAttributes, buildingArea: 12000 },
      plannedProjectId: planned.body.id,
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const project = registered.body as {
      id: string;
      code: string;
      name: string;
      enterpriseName: string;
      plannedStart: string;
      plannedCompletion: string;
      templateVersion: number;
    };

    // 并行推进, then 立项用地规划许可 → 工程建设许可 → 施工许可 → 竣工验收.
    const taskIds: string[] = [];
    const parallel = await stageGuide(system, applicant, project.id, 5);
    for (const item of parallel.items) {
      const { tasks } = await acceptedStage(system, applicant, window, project, {
        stage: 5,
        itemCode: item.code,
      });
      await approveAll(system, login, tasks);
      taskIds.push(...tasks.map((x) => x.id));
    }
    for (const stage of [1, 2, 3, 4]) {
      const { tasks } = await acceptedStage(system, applicant, window, project, { stage });
      await approveAll(system, login, tasks);
      taskIds.push(...tasks.map((x) => x.id));
      // 模拟审批 (建设用地规划许可 before the land is transferred) turns formal once the contract is in:
      // only a formal result is a licence for the province.
      const simulated = (
        tasks as unknown as { id: string; departmentCode: string; simulated: boolean }[]
      ).filter((x) => x.simulated);
      if (simulated.length > 0) {
        const supplied = await call(system, applicant, 'POST', `/api/projects/${project.id}/preconditions`, {
          precondition: 'land_transferred',
          documentNumber: '郑土出让〔2026〕88号',
        });
        expect(supplied.status, JSON.stringify(supplied.body)).toBe(200);
        for (const task of simulated) {
          const confirmed = await call(
            system,
            await login(`${task.departmentCode}.senior`),
            'POST',
            `/api/tasks/${task.id}/confirm-precondition`,
            { opinion: '已核对土地出让合同' },
          );
          expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
        }
      }
    }

    const province = await secondDatabase(system.kind);
    const now = new Date(system.clock.now().getTime() + 60_000);
    const run = await runExchange(
      system.db,
      province,
      now,
      { url: undefined },
      {
        publicBaseUrl: 'https://spgl.zhengzhou.example',
      },
    );
    expect(run.error).toBeNull();
    const held = await system.db
      .selectFrom('exchangeRow')
      .select(['tableCode', 'dfsjzj', 'problems'])
      .where('uploadState', '!=', 'uploaded')
      .execute();
    expect(held, JSON.stringify(held)).toEqual([]);

    const q = async (text: string, values: unknown[] = []) => (await province.query(text, values)).rows;
    const today = beijingDay(system.clock.now());

    // 项目: completely handled (项目是否完全办结 1) once the four stages completed.
    const [xm] = await q('SELECT * FROM spgl_xmjbxxb_v3 WHERE dfsjzj = $1', [project.id]);
    expect(xm).toMatchObject({ xmdm: project.code, xmmc: '交换测试项目', splcbm: 'SOCIAL_TRANSFER' });
    expect(Number(xm!.xmsfwqbj)).toBe(1);
    expect(xm!.xmwqbjsj).not.toBeNull();
    expect(Number(xm!.splcbbh)).toBe(project.templateVersion);

    // 流程, 阶段, 阶段事项: the template version the project names, as the public template says.
    const template = (await call(system, null, 'GET', '/api/process-templates/SOCIAL_TRANSFER')).body as {
      name: string;
      version: number;
      nationalProcessType: string;
      effectiveFrom: string;
      totalWorkingDays: number;
      stages: {
        nationalStage: number;
        name: string;
        completionRule: string;
        mergedStages: number[];
        timeLimitWorkingDays: number;
        items: { itemCode: string }[];
      }[];
    };
    expect(template.version).toBe(project.templateVersion);
    const key = `SOCIAL_TRANSFER.${template.version}`;
    const [lc] = await q('SELECT * FROM spgl_splcxxb_v3 WHERE dfsjzj = $1', [key]);
    expect(lc).toMatchObject({
      xzqhdm: '410100',
      splcbm: 'SOCIAL_TRANSFER',
      splcmc: template.name,
      sxrq: template.effectiveFrom,
      splctdz: 'https://spgl.zhengzhou.example/api/process-templates/SOCIAL_TRANSFER/flowchart.svg',
    });
    expect(Number(lc!.dybzsplclx)).toBe(Number(template.nationalProcessType));
    expect(lc!.splcsm).toContain(`全流程 ${template.totalWorkingDays} 个工作日`);
    const stages = await q('SELECT * FROM spgl_dfxmsplcjdxxb WHERE splcbm = $1 ORDER BY spjdxh', [
      'SOCIAL_TRANSFER',
    ]);
    expect(
      stages.map((s) => [s.dfsjzj, s.spjdmc, Number(s.spjdxh), Number(s.spjdsx), Number(s.lcbsxlx)]),
    ).toEqual(
      [...template.stages]
        .sort((a, b) => a.nationalStage - b.nationalStage)
        .map((s) => [
          `${key}.${s.nationalStage}`,
          s.name,
          s.nationalStage,
          s.timeLimitWorkingDays,
          s.completionRule === 'all_milestones' ? 1 : 2,
        ]),
    );
    const stageItems = await q('SELECT * FROM spgl_splcjblsxxxb_v3 WHERE splcbm = $1', ['SOCIAL_TRANSFER']);
    expect(stageItems.map((s) => s.dfsjzj).sort()).toEqual(
      template.stages.flatMap((s) => s.items.map((i) => `${key}.${s.nationalStage}.${i.itemCode}`)).sort(),
    );

    // 事项办理: one row per task of every application; the last handling row of each is 11 办结（通过）,
    // by a person named (BLR is the name, not an id).
    const items = await q('SELECT * FROM spgl_xmspsxblxxb_v3 WHERE gcdm = $1', [project.code]);
    expect(items.map((i) => i.dfsjzj).sort()).toEqual([...taskIds].sort());
    const handled = await q(
      'SELECT * FROM spgl_xmspsxblxxxxb_v3 WHERE gcdm = $1 ORDER BY blsj, length(dfsjzj), dfsjzj',
      [project.code],
    );
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/;
    expect(handled.every((h) => typeof h.blr === 'string' && !UUID.test(h.blr))).toBe(true);
    for (const id of taskIds) expect(Number(handled.filter((h) => h.spsxslbm === id).at(-1)!.blzt)).toBe(11);

    // 批复文件 and the licence results: one row per certificate, in the table of its type.
    const certs = (await call(system, applicant, 'GET', `/api/projects/${project.id}/certificates`)).body
      .certificates as { id: string; identifier: string; type: string; title: string }[];
    const replies = await q('SELECT * FROM spgl_xmspsxpfwjxxb_v3 WHERE gcdm = $1', [project.code]);
    expect(replies.map((r) => r.dfsjzj).sort()).toEqual(certs.map((c) => c.id).sort());
    const one = async (table: string, type: string) => {
      const cert = certs.filter((c) => c.type === type);
      expect(cert.length, `${type} certificates`).toBe(1);
      const rows = await q(`SELECT * FROM ${table} WHERE gcdm = $1`, [project.code]);
      expect(rows.map((r) => r.dfsjzj)).toEqual([cert[0]!.id]);
      return rows[0]!;
    };
    const yd = await one('spgl_jsydghxkxxb_v3', 'land_use_planning_permit');
    expect(yd).toMatchObject({ xmmc: '交换测试项目', yddw: project.enterpriseName, fzrq: today });
    expect(Number(yd.sjyxbs)).toBe(1);
    const gc = await one('spgl_jsgcghxkxxb_v3', 'construction_planning_permit');
    expect(gc).toMatchObject({ jsdw: project.enterpriseName, ydghxkzbh: yd.ydghxkzbh, fzrq: today });
    const st = await one('spgl_sgtsjwjscxxb_v3', 'drawing_review');
    expect(st).toMatchObject({ xmdm: project.code, sctgsj: today });
    expect(st.schgsbh).toMatch(/审查合格书/);
    const sg = await one('spgl_jzgcsgxkxxb_v3', 'construction_permit');
    expect(sg).toMatchObject({
      ydghxkzbh: yd.ydghxkzbh,
      gcghxkzbh: gc.gcghxkzbh,
      schgsbh: st.schgsbh,
      gcmc: '交换测试项目',
      jhkgrq: project.plannedStart,
      jhjgrq: project.plannedCompletion,
    });
    expect(Number(sg.zjzmj)).toBe(12000);
    const ba = await one('spgl_jsgcjgysbaxxb_v3', 'completion_filing');
    expect(ba).toMatchObject({ sgxkzbh: sg.sgxkzbh, schgsbh: st.schgsbh, barq: today });

    // 多规合一: both versions of the control line (the first superseded), the one answered opinion, the red line.
    const lines = await q('SELECT * FROM spgl_dfghkzxxxb WHERE kzxwjmc = $1 ORDER BY kzxwjxh', [
      '交换测试生态红线',
    ]);
    expect(lines.map((l) => [l.dfsjzj, Number(l.kzxwjxh), Number(l.sjyxbs), l.sjwxyy])).toEqual([
      [v1.body.id, 1, 0, '已被新版本替代'],
      [v2.body.id, 2, 1, null],
    ]);
    const sthjName = (await call(system, sthj, 'GET', '/api/auth/session')).body.user.displayName;
    const opinions = await q('SELECT * FROM spgl_xmqqyjxxb WHERE xmdm = $1', [project.code]);
    expect(opinions).toEqual([
      expect.objectContaining({
        dfsjzj: `${planned.body.id}.sthj`,
        bldwdm: 'sthj',
        blr: sthjName,
        qqyj: '同意（条件：落实雨污分流）',
      }),
    ]);
    const [hx] = await q('SELECT * FROM spgl_xmydhxjzxxb WHERE xmdm = $1', [project.code]);
    expect(hx).toMatchObject({ dfsjzj: `${project.id}.hx`, jzwjmc: `${project.code} 项目用地红线` });
    expect(hx!.jzwjsm).toContain('界址点 4 个');

    // Every table answers, and local equals province.
    const report = await reconcile(system.db, province, now);
    expect(report.error).toBeNull();
    expect(report.differences).toBe(0);
    expect(report.tables.map((x) => x.tableCode).sort()).toEqual(SPGL_TABLES.map((x) => x.code).sort());
    // The intermediary-service tables fill only when the owner engages an intermediary through the marketplace
    // (test/api/marketplace.test.ts uploads them); this project's approval flow fills every other table.
    const marketplaceTables = new Set(['SPGL_ZJFWSXBLXXB_V3', 'SPGL_ZJFWSXBLGCXXB_V3']);
    for (const table of report.tables) {
      if (!marketplaceTables.has(table.tableCode))
        expect(table.provinceCount, table.tableCode).toBeGreaterThan(0);
    }
  }, 400_000);
});
