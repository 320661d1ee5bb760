/**
 * Issue 15: the district ranking for the city and the monthly 定期通报 per district — a district's
 * supervisor sees and generates only their district's, the city sees all, and the figures per district
 * agree with the city's totals and with the district's own overview.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { generateMonthlyReports } from '../../src/modules/stats/stats.districts';
import { seedDemoDistricts } from '../../src/seed/demo-districts';
import { describeEachSystem, type Session, type TestSystem } from '../app';
import { clearSite, defaultAttributes, plannedDates } from '../factories';
import { acceptedStage, call, sessions } from '../lifecycle-helpers';

const ZHONGMOU = '410122';
const MONTH = '2026-03';

/* eslint-disable @typescript-eslint/no-explicit-any */

async function registerIn(system: TestSystem, applicant: Session, districtCode: string, offset: number) {
  const reply = await call(system, applicant, 'POST', '/api/projects', {
    name: `通报项目 ${randomBytes(3).toString('hex')}`,
    templateCode: 'SOCIAL_TRANSFER',
    totalInvestment: 8000,
    districtCode,
    site: clearSite(offset),
    ...plannedDates(system.clock.now()),
    attributes: defaultAttributes,
  });
  if (reply.status !== 201) throw new Error(`register: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string };
}

describeEachSystem('district ranking and reports per district', (t) => {
  let as: (u: string) => Promise<Session>;
  let zmTaskCount: number;

  beforeAll(async () => {
    const system = t.system;
    await seedDemoDistricts(system.db, system.clock.now());
    as = sessions(system);
    const applicant = await as('applicant');
    const window = await as('window');
    const zm = await registerIn(system, applicant, ZHONGMOU, 500);
    zmTaskCount = (await acceptedStage(system, applicant, window, zm, { stage: 1 })).tasks.length;
    const city = await registerIn(system, applicant, '410102', 501);
    await acceptedStage(system, applicant, window, city, { stage: 1 });
  });

  const get = async (u: string, url: string) => call(t.system, await as(u), 'GET', url);

  it('ranks every district for the city; the rows add up to the city totals', async () => {
    const reply = await get('supervisor', '/api/stats/districts');
    expect(reply.status).toBe(200);
    const rows = reply.body.districts as any[];
    expect(rows.map((r) => r.key)).toEqual(expect.arrayContaining([ZHONGMOU, '410102']));
    expect(rows.map((r) => r.rank)).toEqual([...rows.map((r) => r.rank)].sort((a, b) => a - b));
    const sum = (f: (r: any) => number) => rows.reduce((a, r) => a + f(r), 0);
    expect(sum((r) => r.tasks)).toBe(reply.body.totals.tasks);
    expect(sum((r) => r.overdue)).toBe(reply.body.totals.overdueTasks);
    expect(sum((r) => r.wholeProcess.running)).toBe(reply.body.totals.wholeProcess.running);
    expect(sum((r) => r.wholeProcess.within + r.wholeProcess.over)).toBe(
      reply.body.totals.wholeProcess.within + reply.body.totals.wholeProcess.over,
    );
    expect(reply.body.targetDays).toBe(100);
    // The row for 中牟县 is the district's own overview.
    const zm = rows.find((r) => r.key === ZHONGMOU)!;
    expect(zm.tasks).toBe(zmTaskCount);
    const own = await get('zm.supervisor', '/api/stats/overview');
    expect(own.body.totals.tasks).toBe(zm.tasks);
    expect(own.body.wholeProcess.running.count).toBe(zm.wholeProcess.running);
  });

  it('gives a district supervisor their own row only', async () => {
    const reply = await get('zm.supervisor', '/api/stats/districts');
    expect(reply.status).toBe(200);
    expect((reply.body.districts as any[]).map((r) => r.key)).toEqual([ZHONGMOU]);
    expect(reply.body.totals.tasks).toBe(zmTaskCount);
  });

  it('a district supervisor generates their district’s report, never another’s', async () => {
    const zm = await call(t.system, await as('zm.supervisor'), 'POST', '/api/stats/reports', {
      month: MONTH,
    });
    expect(zm.status).toBe(201);
    expect(zm.body).toMatchObject({ month: MONTH, districtCode: ZHONGMOU, districtName: '中牟县' });
    const foreign = await call(t.system, await as('js.supervisor'), 'POST', '/api/stats/reports', {
      month: MONTH,
      districtCode: ZHONGMOU,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.field).toBe('body.districtCode');
  });

  it('the city report carries the ranking; its district rows agree with the district reports', async () => {
    const city = await call(t.system, await as('supervisor'), 'POST', '/api/stats/reports', { month: MONTH });
    expect(city.status).toBe(201);
    expect(city.body.districtCode).toBeNull();
    const stored = async (id: string) =>
      (
        await t.system.db
          .selectFrom('statsReport')
          .select('data')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).data as any;
    const cityData = await stored(city.body.id);
    const ranked = cityData.districts as any[];
    expect(ranked.reduce((a, r) => a + r.tasks, 0)).toBe(cityData.totals.tasks);
    const zmReport = (await get('zm.supervisor', '/api/stats/reports')).body.reports[0];
    const zmData = await stored(zmReport.id);
    expect(zmData.totals.tasks).toBe(ranked.find((r) => r.districtCode === ZHONGMOU).tasks);
    expect(zmData.districts).toBeUndefined();
  });

  it('lists and downloads: a district sees its own reports, the city sees all', async () => {
    const zmList = (await get('zm.supervisor', '/api/stats/reports')).body.reports as any[];
    expect(zmList.length).toBeGreaterThan(0);
    expect(zmList.every((r) => r.districtCode === ZHONGMOU)).toBe(true);
    const cityList = (await get('supervisor', '/api/stats/reports')).body.reports as any[];
    expect(cityList.map((r) => r.districtCode)).toEqual(expect.arrayContaining([null, ZHONGMOU]));
    const cityReport = cityList.find((r) => r.districtCode === null)!;
    const refused = await get('zm.supervisor', `/api/stats/reports/${cityReport.id}/pdf`);
    expect(refused.status).toBe(403);
    const js = await get('js.supervisor', `/api/stats/reports/${zmList[0].id}/xlsx`);
    expect(js.status).toBe(403);
    const res = await t.system.app.inject({
      method: 'GET',
      url: `/api/stats/reports/${zmList[0].id}/pdf`,
      headers: { cookie: (await as('zm.supervisor')).cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
  });

  it('the monthly job writes the city report and one per district with tasks', async () => {
    const result = await generateMonthlyReports(t.system.db, t.system.ctx, MONTH);
    expect(result.city.districtCode).toBeNull();
    expect(result.districts.map((r) => r.districtCode)).toEqual(expect.arrayContaining([ZHONGMOU, '410102']));
    // Regenerating replaces: still one report per month and scope.
    const rows = await t.system.db
      .selectFrom('statsReport')
      .select(['month', 'districtCode'])
      .where('month', '=', MONTH)
      .execute();
    const scopes = rows.map((r) => r.districtCode ?? 'city');
    expect(new Set(scopes).size).toBe(scopes.length);
  });
});
