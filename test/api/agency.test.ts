/**
 * 帮办代办 on the enterprise's word (issue 16 item 11): the enterprise names an agent, what it may do and
 * until when; the agent registers and applies only within that; the enterprise revokes; all audited.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachSystem, type Session } from '../app';
import {
  clearSite,
  CLEAR_SITE_DISTRICT,
  defaultAttributes,
  plannedDates,
  fillForm,
  uploadRequired,
} from '../factories';
import { beijingMorning, call, enterpriseOf, stageGuide } from '../lifecycle-helpers';

describeEachSystem('帮办代办: consent given, used, revoked', (t) => {
  let owner: Session;
  let agent: Session;
  let other: Session;
  let agentId: string;
  let enterpriseId: string;

  beforeAll(async () => {
    owner = await t.system.login('applicant2');
    other = await t.system.login('applicant');
    agent = await t.system.login('agent');
    enterpriseId = await enterpriseOf(t.system, 'applicant2');
    const agents = await call(t.system, owner, 'GET', '/api/agency/agents');
    agentId = agents.body.agents.find((a: { displayName: string }) => a.displayName === '帮办代办 孙丽').id;
  });

  const registration = (offset: number) => ({
    name: `代办登记项目 ${offset}`,
    templateCode: 'SOCIAL_TRANSFER',
    totalInvestment: 6000,
    districtCode: CLEAR_SITE_DISTRICT,
    site: clearSite(offset),
    ...plannedDates(t.system.clock.now()),
    attributes: defaultAttributes,
    enterpriseId,
  });

  async function applyAsAgent(projectId: string) {
    // The enterprise uploaded its materials itself; the agent fills and sends the stage's one form.
    const guide = await stageGuide(t.system, agent, projectId, 1);
    const materials = await uploadRequired(t.system, owner, guide);
    return call(t.system, agent, 'POST', `/api/projects/${projectId}/applications`, {
      stage: 1,
      form: { ...fillForm(guide.form), ...(guide.prefill ?? {}) },
      materials,
    });
  }

  async function audited(action: string) {
    return (
      await t.system.db.selectFrom('auditEvent').select('objectId').where('action', '=', action).execute()
    ).map((r) => r.objectId);
  }

  it('refuses bad consents with the field and why', async () => {
    const cases: [object, number, string][] = [
      [{ agentUserId: agentId, scopes: [], validUntil: '2026-12-31' }, 400, 'body.scopes'],
      [
        { agentUserId: agentId, scopes: ['register_project'], validUntil: '2026-03-01' },
        422,
        'body.validUntil',
      ],
      [
        { agentUserId: agentId, scopes: ['register_project'], validUntil: '2026-02-30' },
        400,
        'body.validUntil',
      ],
      [
        { agentUserId: await enterpriseOwnerId(), scopes: ['register_project'], validUntil: '2026-12-31' },
        422,
        'body.agentUserId',
      ],
    ];
    for (const [body, status, field] of cases) {
      const r = await call(t.system, owner, 'POST', '/api/agency/consents', body);
      expect({ status: r.status, field: r.body.error?.field }).toEqual({ status, field });
    }
    // Only an enterprise gives consent.
    const byAgent = await call(t.system, agent, 'POST', '/api/agency/consents', {
      agentUserId: agentId,
      scopes: ['register_project'],
      validUntil: '2026-12-31',
    });
    expect(byAgent.status).toBe(403);
  });

  async function enterpriseOwnerId() {
    const row = await t.system.db
      .selectFrom('appUser')
      .select('id')
      .where('username', '=', 'applicant')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('lets the agent act only within the consent, until it is revoked', async () => {
    const system = t.system;
    // No consent: 403 with the reason.
    const none = await call(system, agent, 'POST', '/api/projects', registration(200));
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('CONSENT_REQUIRED');
    expect(none.body.error.message).toContain('未委托');

    const first = await call(system, owner, 'POST', '/api/agency/consents', {
      agentUserId: agentId,
      scopes: ['register_project'],
      validUntil: '2026-06-30',
      note: '委托书 2026-001',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      status: 'active',
      statusName: '有效',
      scopeNames: ['登记项目'],
      agentName: '帮办代办 孙丽',
      enterpriseName: '河南中原置业集团有限公司',
    });

    const project = await call(system, agent, 'POST', '/api/projects', registration(201));
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    expect(project.body.enterpriseName).toBe('河南中原置业集团有限公司');

    // Registration only: applying for a stage is not in it.
    const notStage = await applyAsAgent(project.body.id);
    expect(notStage.status).toBe(403);
    expect(notStage.body.error.message).toContain('不包括阶段申报');

    // A wider consent to the same agent supersedes the first.
    const wider = await call(system, owner, 'POST', '/api/agency/consents', {
      agentUserId: agentId,
      scopes: ['register_project', 'apply_stage'],
      validUntil: '2026-06-30',
    });
    expect(wider.status).toBe(201);
    const listed = await call(system, owner, 'GET', '/api/agency/consents');
    const byId = new Map(listed.body.consents.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(first.body.id)).toMatchObject({ status: 'revoked', revokeReason: 'superseded' });
    expect(byId.get(wider.body.id)).toMatchObject({ status: 'active' });

    const applied = await applyAsAgent(project.body.id);
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);

    // The agent sees what it was given; another enterprise sees none of it and cannot revoke it.
    const mine = await call(system, agent, 'GET', '/api/agency/consents');
    expect(mine.body.consents.map((c: { id: string }) => c.id)).toContain(wider.body.id);
    const foreign = await call(system, other, 'GET', '/api/agency/consents');
    expect(foreign.body.consents.map((c: { id: string }) => c.id)).not.toContain(wider.body.id);
    const foreignRevoke = await call(
      system,
      other,
      'POST',
      `/api/agency/consents/${wider.body.id}/revoke`,
      {},
    );
    expect(foreignRevoke.status).toBe(404);

    const revoked = await call(system, owner, 'POST', `/api/agency/consents/${wider.body.id}/revoke`, {
      reason: '改为自行办理',
    });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokeReason: '改为自行办理' });
    const again = await call(system, owner, 'POST', `/api/agency/consents/${wider.body.id}/revoke`, {});
    expect(again.status).toBe(409);
    const after = await call(system, agent, 'POST', '/api/projects', registration(202));
    expect(after.status).toBe(403);
    expect(after.body.error.message).toContain('已撤销');

    expect(await audited('agency_consent.granted')).toEqual(
      expect.arrayContaining([first.body.id, wider.body.id]),
    );
    expect(await audited('agency_consent.superseded')).toContain(first.body.id);
    expect(await audited('agency_consent.revoked')).toContain(wider.body.id);
  });

  it('ends on its last day', async () => {
    const system = t.system;
    const given = await call(system, owner, 'POST', '/api/agency/consents', {
      agentUserId: agentId,
      scopes: ['register_project'],
      validUntil: '2026-03-10',
    });
    expect(given.status).toBe(201);
    // Sessions end when the clock jumps days ahead: log in again on each day.
    system.clock.set(beijingMorning('2026-03-10'));
    try {
      const onLastDay = await system.login('agent');
      expect((await call(system, onLastDay, 'POST', '/api/projects', registration(203))).status).toBe(201);
      system.clock.set(beijingMorning('2026-03-11'));
      const dayAfter = await system.login('agent');
      const late = await call(system, dayAfter, 'POST', '/api/projects', registration(204));
      expect(late.status).toBe(403);
      expect(late.body.error.message).toContain('已到期');
      const shown = await call(system, await system.login('applicant2'), 'GET', '/api/agency/consents');
      expect(shown.body.consents.find((c: { id: string }) => c.id === given.body.id).statusName).toBe(
        '已到期',
      );
    } finally {
      system.clock.set(new Date('2026-03-02T09:00:00+08:00'));
    }
  });
});
