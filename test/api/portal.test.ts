/**
 * 公众门户 (issue 14) through the API, anonymously: guides, progress by project code + query code,
 * 批后公开, verification by the printed 证照标识, and a consultation answered and published as FAQ.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { acceptedStage, approveAll, call, newProject, sessions } from '../lifecycle-helpers';

describeEachSystem('public portal', (t) => {
  it('shows guides per project type and stage without login', async () => {
    const index = await call(t.system, null, 'GET', '/api/public/guides');
    expect(index.status).toBe(200);
    const social = index.body.templates.find((x: { code: string }) => x.code === 'SOCIAL_TRANSFER');
    expect(social.stages.length).toBeGreaterThanOrEqual(4);
    const guide = await call(t.system, null, 'GET', '/api/public/guides/SOCIAL_TRANSFER/stages/3');
    expect(guide.status, JSON.stringify(guide.body)).toBe(200);
    expect(guide.body.items.length).toBeGreaterThan(0);
    expect(guide.body.materials.length).toBeGreaterThan(0);
    // One material list: no material twice, each naming the items that use it.
    const codes = guide.body.materials.map((m: { code: string }) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(guide.body.stage.timeLimitWorkingDays).toBeGreaterThan(0);
    expect(Object.keys(guide.body.form.properties).length).toBeGreaterThan(0);
    const svg = await t.system.app.inject({ method: 'GET', url: guide.body.flowchartUrl });
    expect(svg.statusCode).toBe(200);
    expect((await call(t.system, null, 'GET', '/api/public/guides/NOPE/stages/1')).status).toBe(404);
    expect((await call(t.system, null, 'GET', '/api/public/guides/SOCIAL_TRANSFER/stages/9')).status).toBe(
      400,
    );
  });

  it('follows a project by code and query code, verifies its certificate by the printed identifier', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const project = (await newProject(system, applicant, 'SOCIAL_TRANSFER', 140)) as unknown as {
      id: string;
      code: string;
      queryCode: string;
    };
    expect(project.queryCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);

    const lookup = (projectCode: string, queryCode: string) =>
      call(system, null, 'POST', '/api/public/progress', { projectCode, queryCode });
    const first = await lookup(project.code, project.queryCode.toLowerCase());
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.code).toBe(project.code);
    expect(first.body.stages[0].status).toBe('open');
    // A wrong code and an unknown project get the same answer: nothing to enumerate.
    const wrong = await lookup(project.code, 'ZZZZZZZZ');
    const unknown = await lookup('2099-000000-00-00-000000', project.queryCode);
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);

    const { tasks } = await acceptedStage(system, applicant, window, project, { stage: 1 });
    await approveAll(system, login, tasks);
    const after = await lookup(project.code, project.queryCode);
    const stage1 = after.body.stages[0];
    expect(stage1.items.length).toBe(tasks.length);
    expect(stage1.items.every((i: { status: string }) => i.status === 'approved')).toBe(true);
    expect(stage1.items[0].deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // A lost query code: the applicant reissues it; the old one stops working.
    const reissued = await call(system, applicant, 'POST', `/api/projects/${project.id}/query-code`);
    expect(reissued.status).toBe(200);
    expect((await lookup(project.code, project.queryCode)).status).toBe(404);
    expect((await lookup(project.code, reissued.body.queryCode)).status).toBe(200);
    const stranger = await login('applicant2');
    expect((await call(system, stranger, 'POST', `/api/projects/${project.id}/query-code`)).status).toBe(403);

    const certs = await call(system, applicant, 'GET', `/api/projects/${project.id}/certificates`);
    expect(certs.status).toBe(200);
    const cert = certs.body.certificates[0];
    const printed = cert.identifier as string;
    const verifyBy = (input: string) =>
      call(system, null, 'GET', `/api/public/certificates/verify?identifier=${encodeURIComponent(input)}`);
    for (const input of [printed, ` ${printed.toLowerCase()} `, cert.id]) {
      const res = await verifyBy(input);
      expect(res.status, input).toBe(200);
      expect(res.body, input).toMatchObject({ valid: true, id: cert.id, identifier: printed });
    }
    // The certificates route the QR code uses answers to the printed identifier too (was 证照不存在).
    const legacy = await call(system, null, 'GET', `/api/certificates/${encodeURIComponent(printed)}/verify`);
    expect(legacy.body).toMatchObject({ valid: true, id: cert.id });

    // 模拟审批 turned formal: the identifier printed on the simulated certificate finds the current version.
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
        expect(confirmed.status).toBe(200);
      }
    }
    const formal = await verifyBy(printed);
    expect(formal.body).toMatchObject({ valid: true, status: 'valid', id: cert.id });
    const current = formal.body.identifier as string;

    // A mistyped identifier (check character wrong) is not a certificate.
    const last = printed.slice(-1);
    const typo = printed.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    const bad = await verifyBy(typo);
    expect(bad.body.valid).toBe(false);
    expect(bad.body.reason).toContain('证照不存在');

    // 批后公开: the certificate with holder, project and date.
    const disclosed = await call(
      system,
      null,
      'GET',
      `/api/public/disclosures/certificates?projectCode=${project.code}`,
    );
    expect(disclosed.status).toBe(200);
    expect(disclosed.body.certificates.map((c: { identifier: string }) => c.identifier)).toContain(current);
    expect(disclosed.body.certificates[0]).toMatchObject({ projectCode: project.code });
    expect(disclosed.body.certificates[0].issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('routes a question to the window, which answers it and publishes it as FAQ', async () => {
    const { system } = t;
    const ask = (body: Record<string, unknown>) =>
      call(system, null, 'POST', '/api/public/consultations', body);
    const question = {
      routedTo: 'window',
      topic: '施工许可',
      question: '施工许可证需要准备哪些材料？',
      askerName: '张三',
      askerContact: '13812345678',
    };
    expect((await ask({ ...question, routedTo: 'NOPE' })).body.error.field).toBe('body.routedTo');
    expect((await ask({ ...question, askerContact: '123' })).status).toBe(400);
    const asked = await ask(question);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ status: 'open', askerName: '张*', overdue: false });
    expect(asked.body.dueOn > '2026-03-02').toBe(true);
    const { id, ticket } = asked.body;
    expect(
      (await call(system, null, 'GET', `/api/public/consultations/${id}?ticket=WRONGWRONG`)).status,
    ).toBe(404);

    const login = sessions(system);
    const window = await login('window');
    const inbox = await call(system, window, 'GET', '/api/consultations?status=open');
    const mine = inbox.body.consultations.find((c: { id: string }) => c.id === id);
    expect(mine).toMatchObject({ askerName: '张三', askerContact: '13812345678' });
    // A department's reviewer does not answer the window's questions.
    const reviewer = await login('zrzy.reviewer');
    {
      const refused = await call(system, reviewer, 'POST', `/api/consultations/${id}/answer`, {
        answer: '不归我答',
      });
      expect(refused.status).toBe(403);
    }
    const answered = await call(system, window, 'POST', `/api/consultations/${id}/answer`, {
      answer: '请按办事指南“施工许可”阶段的材料清单准备。',
      publish: true,
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const read = await call(system, null, 'GET', `/api/public/consultations/${id}?ticket=${ticket}`);
    expect(read.body).toMatchObject({ status: 'answered', published: true });
    const faq = await call(system, null, 'GET', '/api/public/faq?topic=施工许可');
    expect(faq.body.faq.map((f: { id: string }) => f.id)).toContain(id);
    expect(JSON.stringify(faq.body)).not.toContain('13812345678');
    // Withdrawn from the FAQ, then closed: a closed question is not answered again.
    expect(
      (await call(system, window, 'PATCH' as 'POST', `/api/consultations/${id}`, { published: false }))
        .status,
    ).toBe(200);
    expect(
      (await call(system, null, 'GET', '/api/public/faq')).body.faq.map((f: { id: string }) => f.id),
    ).not.toContain(id);
    expect(
      (await call(system, window, 'PATCH' as 'POST', `/api/consultations/${id}`, { close: true })).status,
    ).toBe(200);
    const again = await call(system, window, 'POST', `/api/consultations/${id}/answer`, {
      answer: '再答一次',
    });
    expect(again.status).toBe(409);
  });
});
