/**
 * City and districts in one system (issue 15): 事权 routing of a project's tasks to the right level's
 * departments, and each side seeing only its own.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoDistricts } from '../../src/seed/demo-districts';
import { describeEachSystem, type Session, type TestSystem } from '../app';
import { clearSite, defaultAttributes, plannedDates } from '../factories';
import { acceptedStage, call, sessions, type TaskRow } from '../lifecycle-helpers';

const ZHONGMOU = '410122';

/** A PUT as `who` (the lifecycle helper's call knows GET and POST). */
async function put(system: TestSystem, who: Session, url: string, payload: object) {
  const res = await system.app.inject({ method: 'PUT', url, headers: who.headers, payload });
  return { status: res.statusCode, body: res.json() };
}

async function registerIn(system: TestSystem, applicant: Session, districtCode: string, offset: number) {
  const reply = await call(system, applicant, 'POST', '/api/projects', {
    name: `区县项目 ${randomBytes(3).toString('hex')}`,
    templateCode: 'SOCIAL_TRANSFER',
    totalInvestment: 8000,
    districtCode,
    site: clearSite(offset),
    ...plannedDates(system.clock.now()),
    attributes: defaultAttributes,
  });
  if (reply.status !== 201) throw new Error(`register: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; code: string };
}

describeEachSystem('districts: routing and scope', (t) => {
  let as: (u: string) => Promise<Session>;
  let zmTasks: TaskRow[];
  let cityTasks: TaskRow[];
  let zmProjectId: string;

  beforeAll(async () => {
    const system = t.system;
    await seedDemoDistricts(system.db, system.clock.now());
    as = sessions(system);
    const applicant = await as('applicant');
    const window = await as('window');
    const zm = await registerIn(system, applicant, ZHONGMOU, 400);
    zmProjectId = zm.id;
    zmTasks = (await acceptedStage(system, applicant, window, zm, { stage: 1 })).tasks;
    const city = await registerIn(system, applicant, '410102', 401);
    cityTasks = (await acceptedStage(system, applicant, window, city, { stage: 1 })).tasks;
  });

  it('routes district-level items to 中牟县 departments and city-level items to the city', () => {
    const dept = (rows: TaskRow[], code: string) => rows.find((r) => r.itemCode === code)?.departmentCode;
    // 建设用地规划许可 is district level in the demo; 建设用地批准书 has no rule: the city.
    expect(dept(zmTasks, 'ZZ-ZRZY-002')).toBe('zmzrzy');
    expect(dept(zmTasks, 'ZZ-ZRZY-004')).toBe('zrzy');
    // 企业投资项目核准/备案: district level (核准 below 5 亿元 by the investment rule).
    const fgw = zmTasks.find((r) => r.itemCode.startsWith('ZZ-FGW-'))!;
    expect(fgw.departmentCode).toBe('zmfgw');
    // 中原区 has no departments of its own: everything stays with the city.
    expect(new Set(cityTasks.map((r) => r.departmentCode))).toEqual(new Set(['fgw', 'zrzy']));
  });

  it('a district reviewer sees only its district’s tasks; another district’s reviewer sees none', async () => {
    const system = t.system;
    const zmTask = zmTasks.find((r) => r.itemCode === 'ZZ-ZRZY-002')!;
    const inbox = async (u: string) =>
      ((await call(system, await as(u), 'GET', '/api/tasks')).body.tasks as { id: string }[]).map(
        (r) => r.id,
      );
    expect(await inbox('zmzrzy.reviewer')).toContain(zmTask.id);
    expect(await inbox('jszrzy.reviewer')).not.toContain(zmTask.id);
    // The city department no longer has the district's item, but keeps its city-level one.
    expect(await inbox('zrzy.reviewer')).not.toContain(zmTask.id);
    expect(await inbox('zrzy.reviewer')).toContain(zmTasks.find((r) => r.itemCode === 'ZZ-ZRZY-004')!.id);

    const other = await call(system, await as('jszrzy.reviewer'), 'GET', `/api/tasks/${zmTask.id}`);
    expect([403, 404]).toContain(other.status);
    const own = await call(system, await as('zmzrzy.reviewer'), 'GET', `/api/tasks/${zmTask.id}`);
    expect(own.status).toBe(200);
    const project = await call(system, await as('jszrzy.reviewer'), 'GET', `/api/projects/${zmProjectId}`);
    expect([403, 404]).toContain(project.status);
  });

  it('only the district’s reviewer decides its task', async () => {
    const system = t.system;
    const zmTask = zmTasks.find((r) => r.itemCode === 'ZZ-ZRZY-002')!;
    const decide = (u: string) =>
      as(u).then((s) =>
        call(system, s, 'POST', `/api/tasks/${zmTask.id}/decisions`, {
          step: 'initial',
          outcome: 'approve',
          opinion: '同意',
        }),
      );
    expect((await decide('jszrzy.reviewer')).status).toBe(403);
    expect((await decide('zrzy.reviewer')).status).toBe(403);
    expect((await decide('zmzrzy.reviewer')).status).toBe(200);
  });

  it('district supervisors see their district; city supervisors see all', async () => {
    const system = t.system;
    const listed = async (u: string) =>
      ((await call(system, await as(u), 'GET', '/api/supervision/tasks')).body.tasks as { id: string }[]).map(
        (r) => r.id,
      );
    const zmIds = zmTasks.filter((r) => r.status === 'in_review').map((r) => r.id);
    const cityIds = cityTasks.filter((r) => r.status === 'in_review').map((r) => r.id);
    const zm = await listed('zm.supervisor');
    const js = await listed('js.supervisor');
    const city = await listed('supervisor');
    expect(zm).toEqual(expect.arrayContaining(zmIds.slice(1)));
    expect(zm.some((id) => cityIds.includes(id))).toBe(false);
    expect(js.some((id) => zmIds.includes(id) || cityIds.includes(id))).toBe(false);
    expect(city).toEqual(expect.arrayContaining([...zmIds.slice(1), ...cityIds]));
    // A district supervisor cannot issue a 督办 order on another district's task.
    const order = await call(system, await as('js.supervisor'), 'POST', '/api/supervision/orders', {
      taskId: zmIds[1] ?? zmIds[0],
      message: '请加快办理',
      responseWorkingDays: 2,
    });
    expect(order.status).toBe(403);
  });

  it('the stage guide names the department that will handle each item for the project’s district', async () => {
    const system = t.system;
    const guide = await call(
      system,
      await as('applicant'),
      'GET',
      `/api/projects/${zmProjectId}/stages/1/guide`,
    );
    expect(guide.status).toBe(200);
    const items = guide.body.items as { code: string; departmentCode: string; level: string }[];
    for (const task of zmTasks) {
      expect(items.find((i) => i.code === task.itemCode)?.departmentCode).toBe(task.departmentCode);
    }
    expect(items.some((i) => i.level === 'district' && i.departmentCode.startsWith('zm'))).toBe(true);
  });

  it('a district supervisor sees and closes only its district’s anomalies', async () => {
    const system = t.system;
    const hit = (objectType: string, objectId: string) => ({
      rule: 'decision_without_acceptance',
      objectType,
      objectId,
      detail: JSON.stringify({}),
      detectedAt: system.clock.now(),
      status: 'open' as const,
    });
    const rows = await system.db
      .insertInto('anomaly')
      .values([
        hit('item_task', zmTasks[0]!.id),
        hit('item_task', cityTasks[0]!.id),
        hit('certificate', 'ZZ-UNKNOWN-0001'),
      ])
      .returning('id')
      .execute();
    const [zmHit, cityHit, certHit] = rows.map((r) => r.id);
    const seen = async (u: string) =>
      (
        (await call(system, await as(u), 'GET', '/api/supervision/anomalies')).body.anomalies as {
          id: string;
        }[]
      ).map((a) => a.id);
    const zm = await seen('zm.supervisor');
    expect(zm).toContain(zmHit);
    expect(zm).not.toContain(cityHit);
    expect(zm).not.toContain(certHit);
    expect(await seen('js.supervisor')).not.toContain(zmHit);
    expect(await seen('supervisor')).toEqual(expect.arrayContaining([zmHit, cityHit, certHit]));
    const foreign = await call(
      system,
      await as('js.supervisor'),
      'POST',
      `/api/supervision/anomalies/${zmHit}/close`,
      {
        note: '不是本区县的',
      },
    );
    expect(foreign.status).toBe(404);
    const own = await call(
      system,
      await as('zm.supervisor'),
      'POST',
      `/api/supervision/anomalies/${zmHit}/close`,
      {
        note: '已核实处理',
      },
    );
    expect(own.status).toBe(200);
  });

  it('counts statistics per district, ranks the districts, and keeps district staff to their own', async () => {
    const system = t.system;
    const overview = async (u: string, query = '') =>
      call(system, await as(u), 'GET', `/api/stats/overview${query}`);
    const city = await overview('supervisor');
    expect(city.status).toBe(200);
    const rows = city.body.byDistrict as { key: string; tasks: number; rank: number }[];
    const zm = rows.find((r) => r.key === ZHONGMOU)!;
    expect(zm.tasks).toBe(zmTasks.length);
    expect(rows.find((r) => r.key === '410102')!.tasks).toBeGreaterThanOrEqual(cityTasks.length);
    expect(rows.map((r) => r.rank)).toEqual([...rows.map((r) => r.rank)].sort((a, b) => a - b));
    // The district's own figures agree with the city's row for it.
    const own = await overview('zm.supervisor');
    expect(own.body.totals.tasks).toBe(zm.tasks);
    expect((own.body.byDistrict as { key: string }[]).map((r) => r.key)).toEqual([ZHONGMOU]);
    const other = await overview('js.supervisor', `?districtCode=${ZHONGMOU}`);
    expect(other.status).toBe(403);
    expect(other.body.error.field).toBe('query.districtCode');
  });

  it('previews routing by district and investment; a district without the line falls back to the city', async () => {
    const system = t.system;
    const admin = await as('admin');
    const route = async (district: string, investment: number) =>
      new Map(
        (
          (
            await call(
              system,
              admin,
              'GET',
              `/api/jurisdiction/routing?districtCode=${district}&totalInvestment=${investment}`,
            )
          ).body.items as { itemCode: string; departmentCode: string; cityStandsIn: boolean }[]
        ).map((r) => [r.itemCode, r]),
      );
    const small = await route(ZHONGMOU, 8000);
    const large = await route(ZHONGMOU, 60000);
    expect(small.get('ZZ-FGW-004')!.departmentCode).toBe('zmfgw');
    expect(large.get('ZZ-FGW-004')!.departmentCode).toBe('fgw');
    expect(small.get('ZZ-CJJ-001')!.departmentCode).toBe('zmcjj');
    const zone = await route('410173', 8000);
    expect(zone.get('ZZ-CJJ-001')).toMatchObject({ departmentCode: 'cjj', cityStandsIn: true });

    // The administrator sets an item's level (audited); a bad rule names its field.
    const bad = await put(system, admin, '/api/admin/jurisdiction/items/ZZ-ZRZY-004', {
      level: 'investment',
    });
    expect(bad.status).toBe(400);
    const set = await put(system, admin, '/api/admin/jurisdiction/items/ZZ-ZRZY-004', {
      level: 'district',
    });
    expect(set.status).toBe(200);
    expect((await route(ZHONGMOU, 8000)).get('ZZ-ZRZY-004')!.departmentCode).toBe('zmzrzy');
    const reviewer = await put(
      system,
      await as('zrzy.reviewer'),
      '/api/admin/jurisdiction/items/ZZ-ZRZY-004',
      {
        level: 'city',
      },
    );
    expect(reviewer.status).toBe(403);
  });
});
