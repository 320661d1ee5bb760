import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { processTemplates } from '../../src/modules/templates/template.data';

describeEachSystem('foundation API', (t) => {
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.system.app.inject({ method: 'GET', url, headers });

  it('reports health with the database kind and the PostGIS version', async () => {
    const res = await get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: t.system.kind });
    expect(res.json().postgis).toMatch(/^3\.\d+/);
  });

  it('serves the OpenAPI document', async () => {
    const res = await get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/catalog/items', '/api/calendar/deadline', '/api/auth/login']),
    );
  });

  it('lists departments with stable codes, stage leads included', async () => {
    const { departments } = (await get('/api/departments')).json();
    const codes = departments.map((d: { code: string }) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['fgw', 'zrzy', 'cjj', 'zdxmb', 'zwb']));
    expect(departments.find((d: { code: string }) => d.code === 'fgw').leadsStages).toContain(1);
  });

  it('lists active catalog items with filters', async () => {
    const all = (await get('/api/catalog/items')).json().items;
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(all.every((i: { status: string }) => i.status === 'active')).toBe(true);
    const stage2 = (await get('/api/catalog/items?stage=2')).json().items;
    expect(stage2.length).toBeGreaterThan(0);
    expect(stage2.every((i: { stage: number }) => i.stage === 2)).toBe(true);
    const search = (await get(`/api/catalog/items?q=${encodeURIComponent('规划许可')}`)).json().items;
    expect(search.length).toBeGreaterThan(0);
    expect(search.every((i: { name: string }) => i.name.includes('规划许可'))).toBe(true);
    const merged = (await get('/api/catalog/items?status=merged')).json().items;
    expect(merged.length).toBeGreaterThan(0);
    const bad = await get('/api/catalog/items?stage=9');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('shows an item with versions and its validator findings; unknown codes are 404', async () => {
    const first = (await get('/api/catalog/items')).json().items[0];
    const res = await get(`/api/catalog/items/${first.code}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().item.code).toBe(first.code);
    expect(res.json().versions).toHaveLength(1);
    const missing = await get('/api/catalog/items/NOPE-404');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  it('records the plan’s merges and cancellations with their basis', async () => {
    const { changes } = (await get('/api/catalog/changes')).json();
    const bases = changes.map((c: { basis: string }) => c.basis).join('\n');
    for (const task of ['任务3', '任务4', '任务5', '任务6']) expect(bases).toContain(task);
    const { issues } = (await get('/api/catalog/validation')).json();
    expect(issues.some((i: { code: string }) => i.code === 'BASIS_TOO_LOW')).toBe(true);
  });

  it('lists the nine process templates with computed totals within 100 working days', async () => {
    const { templates } = (await get('/api/process-templates')).json();
    expect(templates).toHaveLength(9);
    for (const tpl of templates) {
      expect(tpl.totalWorkingDays).toBeGreaterThan(0);
      expect(tpl.totalWorkingDays).toBeLessThanOrEqual(100);
      const mainLine = tpl.stages.filter((s: { nationalStage: number }) => s.nationalStage !== 5);
      expect(
        mainLine.reduce(
          (sum: number, s: { timeLimitWorkingDays: number }) => sum + s.timeLimitWorkingDays,
          0,
        ),
      ).toBe(tpl.totalWorkingDays);
    }
    const one = await get(`/api/process-templates/${templates[0].code}`);
    expect(one.json().code).toBe(templates[0].code);
    expect((await get('/api/process-templates/NOPE')).statusCode).toBe(404);
  });

  it('draws a flowchart as SVG with Chinese labels and the total', async () => {
    const { templates } = (await get('/api/process-templates')).json();
    const res = await get(`/api/process-templates/${templates[0].code}/flowchart.svg`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect(res.body).toContain('<svg');
    expect(res.body).toContain(templates[0].name);
    expect(res.body).toContain(String(templates[0].totalWorkingDays));
  });

  it('computes deadlines on the State Council calendar and refuses bad dates', async () => {
    // 2026-02-13 (Fri) + 1: the 春节 holiday runs 2/15–2/23 and Sat 2/14 is a make-up working day.
    expect((await get('/api/calendar/deadline?start=2026-02-13&workingDays=1')).json()).toMatchObject({
      deadline: '2026-02-14',
      calendarComplete: true,
    });
    expect((await get('/api/calendar/deadline?start=2026-02-14&workingDays=1')).json().deadline).toBe(
      '2026-02-24',
    );
    const future = (await get('/api/calendar/deadline?start=2031-01-06&workingDays=5')).json();
    expect(future).toMatchObject({ deadline: '2031-01-13', calendarComplete: false });
    for (const bad of ['2026-02-30', '2026-1-1', 'yesterday']) {
      const res = await get(`/api/calendar/deadline?start=${bad}&workingDays=3`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.field).toContain('start');
    }
  });

  it('lets an administrator load a yearly notice that overrides the default data, audited', async () => {
    const admin = await t.system.login('admin');
    const notice = {
      year: 2031,
      title: '国务院办公厅关于2031年部分节假日安排的通知',
      documentNumber: '国办发明电〔2030〕9号',
      days: [
        { date: '2031-01-01', kind: 'holiday', name: '元旦' },
        { date: '2031-01-08', kind: 'holiday', name: '测试假日' },
      ],
    };
    const res = await t.system.app.inject({
      method: 'PUT',
      url: '/api/admin/calendar/notices/2031',
      headers: admin.headers,
      payload: notice,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().source).toBe('notice');
    const after = (await get('/api/calendar/deadline?start=2031-01-06&workingDays=5')).json();
    expect(after).toMatchObject({ deadline: '2031-01-14', calendarComplete: true });
    const years = (await get('/api/calendar/years')).json().years;
    expect(years.find((y: { year: number }) => y.year === 2031)).toMatchObject({
      source: 'notice',
      documentNumber: notice.documentNumber,
    });
    const events = await t.system.db
      .selectFrom('auditEvent')
      .select('action')
      .where('objectType', '=', 'calendar_year')
      .execute();
    expect(events.map((e) => e.action)).toContain('calendar.notice_loaded');
    const badDay = await t.system.app.inject({
      method: 'PUT',
      url: '/api/admin/calendar/notices/2031',
      headers: admin.headers,
      payload: { ...notice, days: [{ date: '2032-01-01', kind: 'holiday' }] },
    });
    expect(badDay.statusCode).toBe(400);
  });

  it('lets an administrator publish a new item version, versioned and audited; invalid limits refused', async () => {
    const admin = await t.system.login('admin');
    const { item } = (
      await get('/api/catalog/items/' + (await get('/api/catalog/items')).json().items[0].code)
    ).json();
    const publish = (payload: Record<string, unknown>) =>
      t.system.app.inject({
        method: 'PUT',
        url: `/api/admin/catalog/items/${item.code}`,
        headers: admin.headers,
        payload: { ...item, ...payload },
      });
    // DEFAULT_NOW is 2026-03-02 in Beijing.
    const tooLong = await publish({
      promisedTimeLimitDays: item.legalTimeLimitDays + 1,
      effectiveFrom: '2026-03-02',
    });
    expect(tooLong.statusCode).toBe(400);
    const res = await publish({
      promisedTimeLimitDays: Math.max(1, item.promisedTimeLimitDays - 1),
      effectiveFrom: '2026-03-02',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: item.version + 1, effectiveFrom: '2026-03-02' });
    const detail = (await get(`/api/catalog/items/${item.code}`)).json();
    expect(detail.versions).toHaveLength(2);
    expect(detail.versions[0].effectiveTo).toBe('2026-03-02');
  });

  it('honours the version sent: an edit of a superseded version is 409, and the effective date given', async () => {
    const admin = await t.system.login('admin');
    const code = (await get('/api/catalog/items')).json().items[1].code;
    const { item } = (await get(`/api/catalog/items/${code}`)).json();
    const publish = (payload: Record<string, unknown>) =>
      t.system.app.inject({
        method: 'PUT',
        url: `/api/admin/catalog/items/${code}`,
        headers: admin.headers,
        payload: { ...item, ...payload },
      });
    // A notice effective last week, published today, keeps its own date.
    const first = await publish({ effectiveFrom: '2026-02-23' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ version: item.version + 1, effectiveFrom: '2026-02-23' });
    // A second administrator still editing the old version is refused, naming the field.
    const stale = await publish({ effectiveFrom: '2026-03-02' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'CONFLICT_STATE', field: 'body.version' });
    const future = await publish({ version: item.version + 1, effectiveFrom: '2026-04-01' });
    expect(future.statusCode).toBe(422);
    expect(future.json().error.field).toBe('body.effectiveFrom');
    const overlapping = await publish({ version: item.version + 1, effectiveFrom: '2026-02-23' });
    expect(overlapping.statusCode).toBe(422);
    expect(overlapping.json().error.field).toBe('body.effectiveFrom');

    // Templates: the same rule.
    const def = processTemplates.find((x) => x.code === 'SOCIAL_SMALL')!;
    const publishTemplate = (payload: Record<string, unknown>) =>
      t.system.app.inject({
        method: 'PUT',
        url: '/api/admin/process-templates/SOCIAL_SMALL',
        headers: admin.headers,
        payload: { ...def, ...payload },
      });
    const v2 = await publishTemplate({ version: 1, effectiveFrom: '2026-02-20' });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json()).toMatchObject({ version: 2, effectiveFrom: '2026-02-20' });
    const staleTemplate = await publishTemplate({ version: 1, effectiveFrom: '2026-03-02' });
    expect(staleTemplate.statusCode).toBe(409);
    expect(staleTemplate.json().error).toMatchObject({ code: 'CONFLICT_STATE', field: 'body.version' });
    const futureTemplate = await publishTemplate({ version: 2, effectiveFrom: '2026-03-03' });
    expect(futureTemplate.statusCode).toBe(422);
    expect(futureTemplate.json().error.field).toBe('body.effectiveFrom');
    expect((await get('/api/process-templates/SOCIAL_SMALL')).json()).toMatchObject({
      version: 2,
      effectiveFrom: '2026-02-20',
    });
  });

  it('keeps the audit chain valid and detects an edited row', async () => {
    const supervisor = await t.system.login('supervisor');
    const ok = await get('/api/audit/verify', { cookie: supervisor.cookie });
    expect(ok.json()).toMatchObject({ valid: true });
    const target = await t.system.db
      .selectFrom('auditEvent')
      .select('id')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.system.db
      .updateTable('auditEvent')
      .set({ reason: 'tampered' })
      .where('id', '=', target.id)
      .execute();
    const bad = (await get('/api/audit/verify', { cookie: supervisor.cookie })).json();
    expect(bad).toMatchObject({ valid: false, firstBadEventId: target.id });
    await t.system.db.updateTable('auditEvent').set({ reason: null }).where('id', '=', target.id).execute();
  });

  it('answers JSON 404 for unknown API routes, never a stack', async () => {
    const res = await get('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
