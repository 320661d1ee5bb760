/**
 * The reform simulator (issue 17 item 3) through the API: a sandbox scenario beside the live template,
 * with the 100 / 70 / 60 lines, saved, listed, compared, exported as Excel and deleted — and the live
 * template untouched throughout.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { call, sessions } from '../lifecycle-helpers';

describeEachSystem('reform scenarios', (t) => {
  it('compares a sandbox with the live template, saves, exports and deletes it', async () => {
    const { system } = t;
    const login = sessions(system);
    const admin = await login('admin');
    const supervisor = await login('supervisor');
    const live = (await call(system, null, 'GET', '/api/process-templates/SOCIAL_TRANSFER')).body;
    const stage1 = live.stages.find((s: { nationalStage: number }) => s.nationalStage === 1);
    const limits = stage1.items.map((i: { itemCode: string }) => ({
      itemCode: i.itemCode,
      promisedTimeLimitDays: 1,
    }));
    const body = {
      templateCode: 'SOCIAL_TRANSFER',
      name: '立项阶段压缩至1日',
      changes: { limits, mergeStages: [[2, 3]], commitmentShare: 0.5 },
    };

    const preview = await call(system, admin, 'POST', '/api/forecast/scenarios/preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.id).toBeNull();
    expect(preview.body.lines).toEqual([100, 70, 60]);
    expect(preview.body.live.totalWorkingDays).toBe(live.totalWorkingDays);
    expect(preview.body.sandbox.totalWorkingDays).toBeLessThan(live.totalWorkingDays);
    expect(preview.body.sandbox.stages.length).toBe(preview.body.live.stages.length - 1);
    expect(preview.body.sandbox.distribution.p50WorkingDays).toBeLessThanOrEqual(
      preview.body.live.distribution.p50WorkingDays,
    );
    expect(preview.body.live.withinLines.map((l: { line: number }) => l.line)).toEqual([100, 70, 60]);
    expect(preview.body.live.basis).toBe('promised');

    // Bad input: a limit over the legal one names the field; an unknown template is 404; a supervisor
    // may read scenarios but not make them.
    const tooLong = await call(system, admin, 'POST', '/api/forecast/scenarios/preview', {
      ...body,
      changes: { limits: [{ itemCode: limits[0].itemCode, promisedTimeLimitDays: 365 }] },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.field).toBe('body.changes.limits.0.promisedTimeLimitDays');
    const unknownKey = await call(system, admin, 'POST', '/api/forecast/scenarios/preview', {
      ...body,
      changes: { shortenEverything: true },
    });
    expect(unknownKey.status).toBe(400);
    expect(
      (
        await call(system, admin, 'POST', '/api/forecast/scenarios/preview', {
          ...body,
          templateCode: 'NOPE',
        })
      ).status,
    ).toBe(404);
    expect((await call(system, supervisor, 'POST', '/api/forecast/scenarios', body)).status).toBe(403);

    const saved = await call(system, admin, 'POST', '/api/forecast/scenarios', body);
    expect(saved.status).toBe(201);
    const id = saved.body.id as string;
    expect(saved.body.sandbox.totalWorkingDays).toBe(preview.body.sandbox.totalWorkingDays);

    const list = await call(system, supervisor, 'GET', '/api/forecast/scenarios');
    expect(list.body.scenarios).toContainEqual(
      expect.objectContaining({
        id,
        name: '立项阶段压缩至1日',
        liveTotalWorkingDays: live.totalWorkingDays,
        sandboxTotalWorkingDays: preview.body.sandbox.totalWorkingDays,
      }),
    );
    const second = await call(system, admin, 'POST', '/api/forecast/scenarios', {
      ...body,
      name: '仅告知承诺',
      changes: { commitmentShare: 1 },
    });
    const compared = await call(
      system,
      supervisor,
      'GET',
      `/api/forecast/scenarios/compare?ids=${id},${second.body.id}`,
    );
    expect(compared.status).toBe(200);
    expect(compared.body.scenarios.map((s: { name: string }) => s.name)).toEqual([
      '立项阶段压缩至1日',
      '仅告知承诺',
    ]);

    const xlsx = await system.app.inject({
      method: 'GET',
      url: `/api/forecast/scenarios/${id}/export.xlsx`,
      headers: { cookie: supervisor.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    // The live template never changed.
    const after = (await call(system, null, 'GET', '/api/process-templates/SOCIAL_TRANSFER')).body;
    expect(after.version).toBe(live.version);
    expect(after.totalWorkingDays).toBe(live.totalWorkingDays);

    expect((await call(system, admin, 'DELETE' as 'POST', `/api/forecast/scenarios/${id}`)).status).toBe(204);
    expect((await call(system, supervisor, 'GET', `/api/forecast/scenarios/${id}`)).status).toBe(404);
    const audit = await system.db
      .selectFrom('auditEvent')
      .select('action')
      .where('objectId', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['forecast.scenario_saved', 'forecast.scenario_deleted']);
  });
});
