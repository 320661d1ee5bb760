/**
 * Issue 15: the administrator edits a process template and a catalog item in the web UI; before
 * publishing, a preview runs the same rules on the unsaved draft (computed stage limits and the
 * whole-process total, the validator's problems, the version and date check) and writes nothing.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachSystem, type Session, type TestSystem } from '../app';
import { call, sessions } from '../lifecycle-helpers';

const CODE = 'SOCIAL_TRANSFER';
const TODAY = '2026-03-02';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Presentation = any;

/** The definition an editor sends: the presentation without its computed and catalog fields. */
function toDefinition(p: Presentation) {
  return {
    code: p.code,
    name: p.name,
    nationalProcessType: p.nationalProcessType,
    version: p.version,
    effectiveFrom: TODAY,
    allowedAttributes: p.allowedAttributes,
    stages: p.stages.map((s: any) => ({
      nationalStage: s.nationalStage,
      name: s.name,
      leadDepartmentCode: s.leadDepartmentCode,
      mergedStages: s.mergedStages,
      completionRule: s.completionRule,
      parallelWithPrevious: s.parallelWithPrevious,
      items: s.items.map((i: any) => ({
        itemCode: i.itemCode,
        milestone: i.milestone,
        condition: i.condition,
        prerequisites: i.prerequisites,
        simulatedUntil: i.simulatedUntil,
        requiredBefore: i.requiredBefore,
      })),
    })),
  };
}

async function put(system: TestSystem, who: Session, url: string, payload: object) {
  const res = await system.app.inject({ method: 'PUT', url, headers: who.headers, payload });
  return { status: res.statusCode, body: res.json() };
}

describeEachSystem('admin editing: template and item previews before publishing', (t) => {
  let as: (u: string) => Promise<Session>;
  let current: Presentation;

  beforeAll(async () => {
    as = sessions(t.system);
    current = (await call(t.system, await as('admin'), 'GET', `/api/process-templates/${CODE}`)).body;
  });

  const preview = async (def: object, who = 'admin') =>
    call(t.system, await as(who), 'POST', `/api/admin/process-templates/${CODE}/preview`, def);

  it('previews an unchanged draft with the published totals, no problems, publishable', async () => {
    const reply = await preview(toDefinition(current));
    expect(reply.status).toBe(200);
    expect(reply.body.totalWorkingDays).toBe(current.totalWorkingDays);
    expect(reply.body.currentTotalWorkingDays).toBe(current.totalWorkingDays);
    expect(reply.body.targetDays).toBe(100);
    expect(reply.body.stages.map((s: any) => s.timeLimitWorkingDays)).toEqual(
      current.stages.map((s: any) => s.timeLimitWorkingDays),
    );
    expect(reply.body.issues).toEqual([]);
    expect(reply.body.publication).toBeNull();
  });

  it('computes a chained stage as the sum of its items and reports the 100-day target', async () => {
    const def = toDefinition(current);
    // Every item of stage 1 waits for the one before it: the stage limit becomes the sum.
    const stage = def.stages.find((s: any) => s.nationalStage === 1);
    const ordered = stage.items.map((i: any) => i.itemCode) as string[];
    stage.items = stage.items.map((i: any, n: number) => ({
      ...i,
      prerequisites: n === 0 ? [] : [ordered[n - 1]],
    }));
    const reply = await preview(def);
    const viewed = current.stages.find((s: any) => s.nationalStage === 1);
    const sum = viewed.items.reduce((a: number, i: any) => a + i.promisedTimeLimitDays, 0);
    const previewed = reply.body.stages.find((s: any) => s.nationalStage === 1);
    expect(previewed.timeLimitWorkingDays).toBe(sum);
    expect(reply.body.totalWorkingDays).toBe(current.totalWorkingDays - viewed.timeLimitWorkingDays + sum);
    const over = reply.body.issues.some((i: any) => i.code === 'TOTAL_EXCEEDS_TARGET');
    expect(over).toBe(reply.body.totalWorkingDays > 100);
  });

  it('names the problems of a broken draft, which publishing refuses without writing', async () => {
    const def = toDefinition(current);
    const stage = def.stages.find((s: any) => s.nationalStage === 2);
    stage.items = stage.items.map((i: any) => ({ ...i, milestone: false }));
    const reply = await preview(def);
    expect(reply.status).toBe(200);
    expect(reply.body.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'NO_MILESTONE', nationalStage: 2 })]),
    );
    const refused = await put(t.system, await as('admin'), `/api/admin/process-templates/${CODE}`, def);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CATALOG_INVALID');
    const after = await call(t.system, await as('admin'), 'GET', `/api/process-templates/${CODE}`);
    expect(after.body.version).toBe(current.version);
  });

  it('says when the draft rests on a version that is no longer current, or a future date', async () => {
    const stale = await preview({ ...toDefinition(current), version: current.version + 1 });
    expect(stale.body.publication).toMatchObject({ code: 'CONFLICT_STATE', field: 'body.version' });
    const future = await preview({ ...toDefinition(current), effectiveFrom: '2026-03-10' });
    expect(future.body.publication).toMatchObject({ code: 'RULE_VIOLATION', field: 'body.effectiveFrom' });
  });

  it('is for administrators only, and the path and body must name the same template', async () => {
    expect((await preview(toDefinition(current), 'supervisor')).status).toBe(403);
    const other = await call(
      t.system,
      await as('admin'),
      'POST',
      '/api/admin/process-templates/GOV_BUILDING/preview',
      toDefinition(current),
    );
    expect(other.status).toBe(400);
    expect(other.body.error.field).toBe('body.code');
  });

  it('publishes the previewed draft: the new version has the total the preview showed', async () => {
    const def = toDefinition(current);
    def.name = `${current.name}（修订）`;
    const shown = await preview(def);
    expect(shown.body.issues).toEqual([]);
    const published = await put(t.system, await as('admin'), `/api/admin/process-templates/${CODE}`, def);
    expect(published.status).toBe(200);
    expect(published.body.version).toBe(current.version + 1);
    expect(published.body.totalWorkingDays).toBe(shown.body.totalWorkingDays);
    // The editor's next draft rests on the new version; the old one is now stale.
    expect((await preview(def)).body.publication).toMatchObject({ code: 'CONFLICT_STATE' });
  });

  it('previews a catalog item: validator findings and each template’s total with the draft in place', async () => {
    const admin = await as('admin');
    const stage1 = current.stages.find((s: any) => s.nationalStage === 1);
    const code = stage1.items[0].itemCode as string;
    const item = (await call(t.system, admin, 'GET', `/api/catalog/items/${code}`)).body.item;
    const draft = {
      ...item,
      effectiveFrom: TODAY,
      legalTimeLimitDays: 200,
      promisedTimeLimitDays: 200,
    };
    const reply = await call(t.system, admin, 'POST', `/api/admin/catalog/items/${code}/preview`, draft);
    expect(reply.status).toBe(200);
    expect(reply.body.publication).toBeNull();
    const row = reply.body.templates.find((r: any) => r.code === CODE);
    expect(row.draftTotalWorkingDays).toBeGreaterThan(100);
    expect(row.draftTotalWorkingDays).toBeGreaterThan(row.totalWorkingDays);
    // A promised limit above the legal one names its field.
    const bad = await call(t.system, admin, 'POST', `/api/admin/catalog/items/${code}/preview`, {
      ...draft,
      promisedTimeLimitDays: 300,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('body.promisedTimeLimitDays');
    // An unknown department is a blocking finding, and publishing refuses it too.
    const orphan = { ...draft, promisedTimeLimitDays: item.promisedTimeLimitDays, departmentCode: 'nosuch' };
    const found = await call(t.system, admin, 'POST', `/api/admin/catalog/items/${code}/preview`, orphan);
    expect(found.body.issues.some((i: any) => i.blocking)).toBe(true);
    expect((await put(t.system, admin, `/api/admin/catalog/items/${code}`, orphan)).status).toBe(422);
    // Nothing was written by the previews.
    const after = (await call(t.system, admin, 'GET', `/api/catalog/items/${code}`)).body.item;
    expect(after.version).toBe(item.version);
  });
});
