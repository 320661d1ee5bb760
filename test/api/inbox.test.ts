/**
 * 待办箱 (issue 10 §8, issue 16 §6): the inbox is searched, filtered, ordered and paged by the server,
 * clocks are those of the one rule, and the export gives the same list as an Excel workbook.
 */
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { describeEachSystem, type Session } from '../app';
import { acceptedStage, call, newProject, sessions, stepUser, type TaskRow } from '../lifecycle-helpers';

const TEMPLATE = 'SOCIAL_TRANSFER';

interface Row {
  id: string;
  projectId: string;
  projectCode: string;
  projectName: string;
  itemCode: string;
  statusName: string;
  clock: { clockState: string };
}

describeEachSystem('inbox: search, filters, order, pages, export', (t) => {
  let reviewer: Session;
  let projects: { id: string; code: string; name: string }[];
  let department: string;

  const inbox = async (query = '', who = reviewer) => {
    const r = await call(t.system, who, 'GET', `/api/tasks${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { tasks: Row[]; total: number; page: number; pageSize: number };
  };

  beforeAll(async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    projects = [];
    let first: TaskRow[] = [];
    for (const offset of [610, 611, 612]) {
      const p = await newProject(system, applicant, TEMPLATE, offset);
      const { tasks } = await acceptedStage(system, applicant, window, p, { stage: 1 });
      if (first.length === 0) first = tasks;
      const name = (await call(system, applicant, 'GET', `/api/projects/${p.id}`)).body.name as string;
      projects.push({ id: p.id, code: p.code, name });
    }
    const task = first.find((x) => x.currentStep === 'initial')!;
    department = task.departmentCode;
    reviewer = await login(stepUser(department, 'initial'));
  });

  it('lists one page with the total; pages do not overlap and cover the list', async () => {
    const all = await inbox();
    expect(all.page).toBe(1);
    expect(all.pageSize).toBe(50);
    expect(all.total).toBe(all.tasks.length);
    expect(all.total).toBeGreaterThanOrEqual(3);
    expect(all.tasks.every((x) => x.statusName === '审查中')).toBe(true);
    const seen: string[] = [];
    for (let page = 1; page <= all.total; page++) {
      const one = await inbox(`?pageSize=1&page=${page}`);
      expect(one.total).toBe(all.total);
      expect(one.tasks).toHaveLength(1);
      seen.push(one.tasks[0]!.id);
    }
    expect(seen).toEqual(all.tasks.map((x) => x.id));
    expect((await inbox(`?pageSize=1&page=${all.total + 1}`)).tasks).toHaveLength(0);
    expect((await inbox(`?pageSize=1&page=${all.total + 1}`)).total).toBe(all.total);
  });

  it('searches project name, project code and item, with % and _ taken literally', async () => {
    const [a] = projects;
    const byName = await inbox(`?q=${encodeURIComponent(a!.name)}`);
    expect(byName.total).toBeGreaterThan(0);
    expect(byName.tasks.every((x) => x.projectId === a!.id)).toBe(true);
    const byCode = await inbox(`?q=${encodeURIComponent(a!.code.slice(-6))}`);
    expect(byCode.tasks.map((x) => x.projectId)).toContain(a!.id);
    expect(byCode.tasks.every((x) => x.projectCode.includes(a!.code.slice(-6)))).toBe(true);
    const item = byName.tasks[0]!.itemCode;
    const byItem = await inbox(`?q=${encodeURIComponent(item)}`);
    expect(byItem.total).toBeGreaterThanOrEqual(projects.length);
    expect(byItem.tasks.every((x) => x.itemCode.includes(item) || x.projectName.includes(item))).toBe(true);
    expect((await inbox('?q=%25')).total).toBe(0);
    expect((await inbox('?q=_')).total).toBe(0);
  });

  it('orders by the column asked, both ways', async () => {
    const asc = (await inbox('?sort=projectCode&order=asc')).tasks.map((x) => x.projectCode);
    const desc = (await inbox('?sort=projectCode&order=desc')).tasks.map((x) => x.projectCode);
    expect(asc).toEqual([...asc].sort());
    expect(desc).toEqual([...asc].sort().reverse());
    expect(new Set(asc).size).toBeGreaterThan(1);
  });

  it('filters by clock state and by task state', async () => {
    const { system } = t;
    expect((await inbox('?clockState=overdue')).total).toBe(0);
    const all = await inbox();
    expect((await inbox('?clockState=normal')).total).toBe(all.total);
    const before = system.clock.now();
    system.clock.set(new Date(before.getTime() + 120 * 86_400_000));
    try {
      // A session of that later day (the first one would have timed out).
      const later = await system.login(stepUser(department, 'initial'));
      const late = await inbox('?clockState=overdue&pageSize=1', later);
      expect(late.total).toBe(all.total);
      expect(late.tasks).toHaveLength(1);
      expect(late.tasks[0]!.clock.clockState).toBe('overdue');
      expect((await inbox('?clockState=normal', later)).total).toBe(0);
    } finally {
      system.clock.set(before);
    }
    expect((await inbox('?state=correction')).total).toBe(0);
    expect((await inbox('?state=running')).total).toBeGreaterThanOrEqual(all.total);
  });

  it('exports the same list as Excel, in Chinese', async () => {
    const [a] = projects;
    const listed = await inbox(`?q=${encodeURIComponent(a!.name)}`);
    const res = await t.system.app.inject({
      method: 'GET',
      url: `/api/tasks/export.xlsx?q=${encodeURIComponent(a!.name)}`,
      headers: { cookie: reviewer.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('待办')!;
    const values = sheet.getSheetValues().filter(Boolean) as unknown[][];
    expect(values[0]).toContain('项目名称');
    const dataRows = values.filter((r) => r.includes(a!.name));
    expect(dataRows).toHaveLength(listed.total);
    const text = JSON.stringify(values);
    expect(text).not.toContain('in_review');
    expect(text).toContain('审查中');
    expect(text).toContain(`共 ${listed.total} 件`);
  });

  it('refuses a bad query with the field, and anyone but department reviewers', async () => {
    const big = await call(t.system, reviewer, 'GET', '/api/tasks?pageSize=1000');
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toContain('pageSize');
    expect((await call(t.system, reviewer, 'GET', '/api/tasks?sort=secret')).status).toBe(400);
    expect((await call(t.system, reviewer, 'GET', '/api/tasks?page=0')).status).toBe(400);
    const applicant = await t.system.login('applicant');
    expect((await call(t.system, applicant, 'GET', '/api/tasks')).status).toBe(403);
    expect((await call(t.system, applicant, 'GET', '/api/tasks/export.xlsx')).status).toBe(403);
  });
});
