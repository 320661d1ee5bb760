/**
 * The provincial exchange (issue 14) end to end: a project taken through a stage lands in a second
 * database (the 省前置库: a second PostgreSQL database when DATABASE_URL is set, else a second PGlite) as
 * SPGL rows equal to hand-written expectations; the province down for hours loses nothing and every change
 * arrives once; the local notification receiver sees one call per batch; reconciliation finds zero
 * differences, and finds the one a tampered province row makes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reconcile, runExchange } from '../../src/modules/exchange/exchange.service';
import { openProvince } from '../../src/modules/exchange/province';
import { provinceDatabases } from '../province-helpers';
import { describeEachSystem } from '../app';
import { acceptedStage, approveAll, call, newProject, sessions } from '../lifecycle-helpers';

const { secondDatabase, track, closeAll: closeProvinces } = provinceDatabases('zz_h14_province');

/** A province that is down: nothing listens on port 1. */
const downProvince = () => openProvince({ url: 'postgres://postgres@127.0.0.1:1/province' });

let receiver: http.Server;
let notifyUrl = '';
const calls: { batchId: string; rowCount: number }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
});

afterAll(async () => {
  receiver.close();
  await closeProvinces();
});

const HOUR = 3_600_000;

describeEachSystem('provincial exchange', (t) => {
  it('uploads a project history as SPGL rows through an outage, once, and reconciles to zero', async () => {
    const { system } = t;
    calls.length = 0; // the receiver is shared by the PGlite and the PostgreSQL run
    const province = await secondDatabase(system.kind);
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 160);
    const { tasks } = await acceptedStage(system, applicant, window, project, { stage: 1 });
    await approveAll(system, login, tasks);

    // The outbox was written in the changes' own transactions.
    const outbox = await system.db.selectFrom('exchangeOutbox').selectAll().execute();
    expect(outbox.some((o) => o.objectType === 'project' && o.objectId === project.id)).toBe(true);
    const taskChanges = outbox.filter((o) => o.objectType === 'item_task');
    expect(taskChanges.length).toBeGreaterThanOrEqual(tasks.length * 2);

    // The province is down for hours: every attempt fails, nothing is lost, retries back off.
    const down = await downProvince();
    track(down);
    const notifier = { url: notifyUrl };
    let now = new Date(system.clock.now().getTime() + 60_000);
    const first = await runExchange(system.db, down, now, notifier);
    expect(first.uploaded).toBe(0);
    expect(first.failed).toBeGreaterThan(0);
    const waiting = await system.db.selectFrom('exchangeRow').selectAll().execute();
    expect(waiting.every((r) => r.uploadState === 'pending' && r.attempts === 1)).toBe(true);
    // Backoff: a run one second later tries nothing.
    expect((await runExchange(system.db, down, new Date(now.getTime() + 1000), notifier)).failed).toBe(0);
    for (let i = 0; i < 4; i++) {
      now = new Date(now.getTime() + HOUR);
      expect((await runExchange(system.db, down, now, notifier)).uploaded).toBe(0);
    }
    expect(calls.length).toBe(0);

    // Back: everything arrives, one notification per batch.
    now = new Date(now.getTime() + 2 * HOUR);
    const back = await runExchange(system.db, province, now, notifier);
    expect(back.uploaded).toBe(waiting.length);
    expect(back.notified).toBe(back.batches);
    expect(calls.length).toBe(back.batches);
    expect(new Set(calls.map((c) => c.batchId)).size).toBe(calls.length);

    // The rows equal what a person writes down from the project's facts.
    const q = async (text: string, values: unknown[] = []) => (await province.query(text, values)).rows;
    const [xm] = await q('SELECT * FROM spgl_xmjbxxb_v3 WHERE dfsjzj = $1', [project.id]);
    const registered = (await call(system, applicant, 'GET', `/api/projects/${project.id}`)).body;
    expect(xm).toMatchObject({
      xzqhdm: '410100',
      xmdm: registered.code,
      gcdm: registered.code,
      xmmc: registered.name,
      nkgsj: registered.plannedStart,
      njcsj: registered.plannedCompletion,
      splcbm: 'SOCIAL_TRANSFER',
      jsddxzqh: registered.districtCode,
      jsdw: registered.enterpriseName,
      sjyxbs: expect.anything(),
      sjsczt: expect.anything(),
      xmsfwqbj: expect.anything(),
    });
    expect(Number(xm!.ztze)).toBe(registered.totalInvestment);
    expect(Number(xm!.xmsfwqbj)).toBe(0);
    expect(Number(xm!.sjsczt)).toBe(0);
    const items = await q('SELECT * FROM spgl_xmspsxblxxb_v3 WHERE gcdm = $1 ORDER BY spsxbm', [
      registered.code,
    ]);
    expect(items.map((i) => i.spsxslbm).sort()).toEqual(tasks.map((x) => x.id).sort());
    for (const task of tasks) {
      const item = items.find((i) => i.dfsjzj === task.id)!;
      expect(item).toMatchObject({ spsxbm: task.itemCode, spbmbm: task.departmentCode });
      // One handling row per state change, the national BLZT: 8 部门开始办理 first, 11 办结（通过） last.
      const handled = await q(
        'SELECT * FROM spgl_xmspsxblxxxxb_v3 WHERE spsxslbm = $1 ORDER BY blsj, length(dfsjzj), dfsjzj',
        [task.id],
      );
      expect(handled.length).toBe(taskChanges.filter((c) => c.objectId === task.id).length);
      expect(Number(handled.at(-1)!.blzt)).toBe(11);
      expect(handled.every((h) => h.gcdm === registered.code && h.sjly)).toBe(true);
    }
    const certs = (await call(system, applicant, 'GET', `/api/projects/${project.id}/certificates`)).body
      .certificates as { id: string; identifier: string; title: string }[];
    const replies = await q('SELECT * FROM spgl_xmspsxpfwjxxb_v3 WHERE gcdm = $1', [registered.code]);
    expect(replies.map((r) => [r.dfsjzj, r.zzbs, r.pfwjbt]).sort()).toEqual(
      certs.map((c) => [c.id, c.identifier, c.title]).sort(),
    );

    // Replay: the same changes built again upload nothing twice; the province keeps one row per key.
    const counts = async () =>
      Number((await q('SELECT count(*)::int AS n FROM spgl_xmspsxblxxxxb_v3'))[0]!.n);
    const before = await counts();
    await system.db.updateTable('exchangeOutbox').set({ processedAt: null }).execute();
    const replay = await runExchange(system.db, province, new Date(now.getTime() + 60_000), notifier);
    expect(replay.uploaded).toBe(0);
    expect(await counts()).toBe(before);
    expect(calls.length).toBe(back.batches);

    // Reconciliation: zero differences; a row altered in the province is found.
    const clean = await reconcile(system.db, province, now);
    expect(clean.error).toBeNull();
    expect(clean.differences).toBe(0);
    expect(clean.tables.find((x) => x.tableCode === 'SPGL_XMJBXXB_V3')!.provinceCount).toBeGreaterThan(0);
    await province.query(`UPDATE spgl_xmjbxxb_v3 SET xmmc = 'x' WHERE dfsjzj = $1`, [project.id]);
    const dirty = await reconcile(system.db, province, new Date(now.getTime() + 1000));
    expect(dirty.differences).toBe(1);
    expect(dirty.tables.find((x) => x.tableCode === 'SPGL_XMJBXXB_V3')!.different).toEqual([project.id]);

    // The administrator sees it all.
    const admin = await login('admin');
    const overview = await call(system, admin, 'GET', '/api/admin/exchange');
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
    expect(overview.body.reconciliations[0].differences).toBe(1);
    expect((await call(system, applicant, 'GET', '/api/admin/exchange')).status).toBe(403);
    const invalid = await call(system, admin, 'GET', '/api/admin/exchange/rows?state=invalid');
    expect(invalid.status).toBe(200);
  }, 240_000);
});
