/**
 * Lists that scale (issue 16 §6) and the window's district (issue 16a): 我的项目 and the window's queue
 * are searched, filtered, ordered and paged by the server, exported to Excel as the same list, and a
 * district's window sees and acts on only its district's applications.
 */
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoDistricts } from '../../src/seed/demo-districts';
import { describeEachSystem, type Session, type TestSystem } from '../app';
import { clearSite, defaultAttributes, plannedDates } from '../factories';
import { call, sessions, submitStage } from '../lifecycle-helpers';

const ZHONGMOU = '410122';
const ZHONGYUAN = '410102';
const TAG = randomBytes(3).toString('hex');

async function registerIn(
  system: TestSystem,
  applicant: Session,
  name: string,
  districtCode: string,
  offset: number,
) {
  const reply = await call(system, applicant, 'POST', '/api/projects', {
    name,
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

async function sheetRows(system: TestSystem, who: Session, url: string) {
  const res = await system.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
  );
  return rows;
}

interface ProjectRow {
  id: string;
  code: string;
  name: string;
  districtCode: string;
}
interface ApplicationRow {
  id: string;
  projectId: string;
  projectName: string;
  districtCode: string;
  status: string;
}

describeEachSystem('lists: projects and the window queue', (t) => {
  let as: (u: string) => Promise<Session>;
  let applicant: Session;
  const made: { id: string; code: string; name: string; district: string; applicationId: string }[] = [];

  const projects = async (query: string, who?: Session) => {
    const r = await call(t.system, who ?? applicant, 'GET', `/api/projects${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { projects: ProjectRow[]; total: number; page: number; pageSize: number };
  };
  const queue = async (query: string, who: Session) => {
    const r = await call(t.system, who, 'GET', `/api/applications${query}`);
    return r as {
      status: number;
      body: { applications: ApplicationRow[]; total: number; page: number; pageSize: number };
    };
  };

  beforeAll(async () => {
    const system = t.system;
    await seedDemoDistricts(system.db, system.clock.now());
    as = sessions(system);
    applicant = await as('applicant');
    const names = [
      [`列表${TAG} A甲_仓库`, ZHONGMOU],
      [`列表${TAG} B乙%厂房`, ZHONGMOU],
      [`列表${TAG} C丙办公楼`, ZHONGYUAN],
      [`列表${TAG} D丁学校`, ZHONGYUAN],
    ] as const;
    let offset = 700;
    for (const [name, district] of names) {
      const p = await registerIn(system, applicant, name, district, offset++);
      const submitted = await submitStage(system, applicant, p.id, { stage: 1 });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      made.push({ ...p, name, district, applicationId: submitted.body.id as string });
    }
  });

  it('我的项目: search treats % and _ as text, pages carry the total, sort and filters apply', async () => {
    const all = await projects(`?q=${encodeURIComponent(`列表${TAG}`)}`);
    expect(all.total).toBe(4);
    expect(all.page).toBe(1);
    expect(all.pageSize).toBe(50);
    // A typed % or _ is the character, not a wildcard.
    const pct = await projects(`?q=${encodeURIComponent('乙%厂')}`);
    expect(pct.projects.map((p) => p.name)).toEqual([`列表${TAG} B乙%厂房`]);
    expect((await projects(`?q=${encodeURIComponent(`${TAG} _`)}`)).total).toBe(0);
    expect((await projects(`?q=${encodeURIComponent('甲_仓')}`)).total).toBe(1);
    // Pages of two cover the four without overlap; the total is on every page.
    const p1 = await projects(`?q=${TAG}&pageSize=2&page=1&sort=name&order=asc`);
    const p2 = await projects(`?q=${TAG}&pageSize=2&page=2&sort=name&order=asc`);
    const p3 = await projects(`?q=${TAG}&pageSize=2&page=3&sort=name&order=asc`);
    expect([p1.total, p2.total, p3.total]).toEqual([4, 4, 4]);
    expect(p3.projects).toEqual([]);
    const names = [...p1.projects, ...p2.projects].map((p) => p.name);
    expect(names).toEqual(made.map((m) => m.name));
    // Filters: district, stage in hand, no stage in hand.
    const zm = await projects(`?q=${TAG}&districtCode=${ZHONGMOU}`);
    expect(zm.projects.every((p) => p.districtCode === ZHONGMOU)).toBe(true);
    expect(zm.total).toBe(2);
    expect((await projects(`?q=${TAG}&stage=1`)).total).toBe(4);
    expect((await projects(`?q=${TAG}&stage=2`)).total).toBe(0);
    expect((await projects(`?q=${TAG}&state=idle`)).total).toBe(0);
    // The first clients' limit/offset still cut the page.
    const legacy = await projects(`?q=${TAG}&limit=3&offset=0`);
    expect(legacy.projects).toHaveLength(3);
    expect(legacy.total).toBe(4);
  });

  it('refuses a page size outside 1–200 with the field named', async () => {
    const r = await call(t.system, applicant, 'GET', '/api/projects?pageSize=201');
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('pageSize');
    const q = await call(t.system, await as('window'), 'GET', '/api/applications?pageSize=0');
    expect(q.status).toBe(400);
  });

  it('the window queue: search, stage filter, order and pages', async () => {
    const window = await as('window');
    const first = await queue(`?status=submitted&q=${TAG}&pageSize=3&sort=projectName&order=desc`, window);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(4);
    expect(first.body.applications).toHaveLength(3);
    const names = first.body.applications.map((a) => a.projectName);
    expect(names).toEqual(
      made
        .slice(1)
        .map((m) => m.name)
        .reverse(),
    );
    const second = await queue(
      `?status=submitted&q=${TAG}&pageSize=3&page=2&sort=projectName&order=desc`,
      window,
    );
    expect(second.body.applications).toHaveLength(1);
    expect((await queue(`?q=${encodeURIComponent('乙%')}`, window)).body.total).toBe(1);
    expect((await queue(`?q=${TAG}&stage=2`, window)).body.total).toBe(0);
    expect((await queue(`?q=${TAG}&districtCode=${ZHONGYUAN}`, window)).body.total).toBe(2);
  });

  it('a district window sees and acts on its district only; the city window sees all', async () => {
    const system = t.system;
    const zmWindow = await as('zm.window');
    const ids = async (who: Session) =>
      (await queue(`?q=${TAG}`, who)).body.applications.map((a) => a.id).sort();
    const zmApps = made.filter((m) => m.district === ZHONGMOU).map((m) => m.applicationId);
    const cityApps = made.filter((m) => m.district === ZHONGYUAN).map((m) => m.applicationId);
    expect(await ids(zmWindow)).toEqual([...zmApps].sort());
    expect(await ids(await as('js.window'))).toEqual([]);
    expect(await ids(await as('window'))).toEqual([...zmApps, ...cityApps].sort());
    // Asking for another district is refused, naming the field.
    const other = await queue(`?districtCode=${ZHONGYUAN}`, zmWindow);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: { code: 'FORBIDDEN_SCOPE', field: 'query.districtCode' } });
    // Its projects list is its district's too.
    const zmProjects = await projects(`?q=${TAG}`, zmWindow);
    expect(zmProjects.projects.every((p) => p.districtCode === ZHONGMOU)).toBe(true);
    expect(zmProjects.total).toBe(2);
    // Opening or acting on another district's application: refused, nothing changes.
    const foreign = cityApps[0]!;
    expect((await call(system, zmWindow, 'GET', `/api/applications/${foreign}`)).status).toBe(403);
    const refuse = await call(system, zmWindow, 'POST', `/api/applications/${foreign}/refuse`, {
      reason: '不属于本区县受理范围',
    });
    expect(refuse.status).toBe(403);
    expect(refuse.body.error.code).toBe('FORBIDDEN_SCOPE');
    const corrections = await call(system, zmWindow, 'POST', `/api/applications/${foreign}/corrections`, {
      items: [{ field: 'projectName', reason: '请补充材料' }],
    });
    expect(corrections.status).toBe(403);
    expect((await call(system, zmWindow, 'POST', `/api/applications/${foreign}/accept`, {})).status).toBe(
      403,
    );
    const after = await call(system, await as('window'), 'GET', `/api/applications/${foreign}`);
    expect(after.body.status).toBe('submitted');
    // Its own district's application: it may act (a refusal here, which ends it).
    const own = zmApps[0]!;
    const ok = await call(system, zmWindow, 'POST', `/api/applications/${own}/refuse`, {
      reason: '申请材料与项目不符，不予受理',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('exports the same filtered list to Excel, with names, not codes', async () => {
    const window = await as('window');
    const rows = await sheetRows(
      t.system,
      window,
      `/api/applications/export.xlsx?q=${TAG}&districtCode=${ZHONGMOU}`,
    );
    expect(rows[0]).toEqual([
      '项目代码',
      '项目名称',
      '建设单位',
      '所在区县',
      '阶段',
      '状态',
      '提交时间',
      '预计办结',
    ]);
    const body = rows.slice(1).filter((r) => r[1]?.includes(TAG));
    expect(body).toHaveLength(2);
    expect(body.every((r) => r[3] === '中牟县' && r[4] === '立项用地规划许可')).toBe(true);
    expect(body.map((r) => r[5]).sort()).toEqual(['不予受理', '待受理']);
    expect(rows.at(-1)![0]).toMatch(/^导出于 .*（北京时间），共 2 件$/);

    const projectRows = await sheetRows(
      t.system,
      applicant,
      `/api/projects/export.xlsx?q=${TAG}&sort=name&order=asc`,
    );
    expect(projectRows[0]).toEqual(['项目代码', '项目名称', '建设单位', '所在区县', '当前阶段', '登记时间']);
    const listed = projectRows.slice(1).filter((r) => r[1]?.includes(TAG));
    expect(listed.map((r) => r[1])).toEqual(made.map((m) => m.name));
    expect(listed.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(r[5]!))).toBe(true);
    expect(projectRows.at(-1)![0]).toMatch(/共 4 件$/);
  });
});
