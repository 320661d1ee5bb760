/**
 * Administrative documents (行政文书, issue 16 item 4) through the API: each event writes its document —
 * 受理通知书 at acceptance, 补正告知书 from the window and from a department, 不予受理决定书, 不予许可决定书
 * (with the right to 行政复议 and 行政诉讼), 延长审批期限告知书, 办结通知书 — numbered in the issuer's
 * yearly 文号 series, signed with SM2, printable as PDF by whoever may see the project, and never changed.
 */
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import {
  acceptedStage,
  approveAll,
  call,
  decideAs,
  newProject,
  sessions,
  stepUser,
  submitStage,
} from '../lifecycle-helpers';

interface DocumentRow {
  id: string;
  kind: string;
  number: string;
  issuerName: string;
  title: string;
  taskId: string | null;
}

const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');

describeEachSystem('administrative documents', (t) => {
  const year = '2026';

  it('gives a 收件回执 at submission: the materials received, the date, the 5-working-day decision (第三十二条)', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 83);
    const submitted = await submitStage(system, applicant, project.id, { stage: 1 });
    expect(submitted.status).toBe(201);
    const listed = (await call(system, applicant, 'GET', `/api/projects/${project.id}/documents`)).body
      .documents as (DocumentRow & { applicationId: string })[];
    expect(listed.map((d) => d.kind)).toEqual(['receipt']);
    const receipt = listed[0]!;
    expect(receipt.title).toBe('收件回执');
    expect(receipt.applicationId).toBe(submitted.body.id);
    expect(receipt.number).toMatch(new RegExp(`^郑政务收〔${year}〕\\d+号$`));
    const view = await call(system, window, 'GET', `/api/documents/${receipt.id}`);
    expect(view.status).toBe(200);
    expect(view.body.signatureValid).toBe(true);
    // Test clock: Monday 2026-03-02 09:00 Beijing; five working days later is Monday 2026-03-09.
    expect(view.body.content.facts.decisionBy).toBe('2026-03-09');
    const received = view.body.content.facts.materials as { materialCode: string; materialName: string }[];
    const required = submitted.guide.materials.filter((m) => m.required && !m.onFile);
    expect(received.map((m) => m.materialCode).sort()).toEqual(required.map((m) => m.code).sort());
    for (const who of [applicant, window]) {
      const res = await system.app.inject({
        method: 'GET',
        url: `/api/documents/${receipt.id}/pdf`,
        headers: { cookie: who.cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/pdf');
      // Lines wrap anywhere in Chinese text: compare without white space.
      const text = pdfText(res.rawPayload).replace(/\s+/g, '');
      expect(text).toContain('收件回执');
      expect(text).toContain('第三十二条');
      expect(text).toContain('5个工作日内（2026年3月9日前）作出受理或者不予受理的决定');
      expect(text).toContain('已于2026年3月2日09:00（北京时间）收到');
      for (const m of received) {
        expect(text).toContain(m.materialName.replace(/\s+/g, ''));
        expect(text).not.toContain(m.materialCode);
      }
    }
    // Someone who may not see the project may not read its receipt.
    const stranger = await login('applicant2');
    const refused = await system.app.inject({
      method: 'GET',
      url: `/api/documents/${receipt.id}/pdf`,
      headers: { cookie: stranger.cookie },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('writes each document from its event, numbered per issuer and year, printable and signed', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const documents = async (projectId: string) =>
      (await call(system, applicant, 'GET', `/api/projects/${projectId}/documents`)).body
        .documents as DocumentRow[];

    // The window asks for 补正 (one complete list), then refuses: two documents in the window's name.
    const refused = await newProject(system, applicant, 'SOCIAL_TRANSFER', 81);
    const submitted = await submitStage(system, applicant, refused.id, { stage: 1 });
    expect(submitted.status).toBe(201);
    const materialCode = submitted.guide.materials.find((m) => m.required)!.code;
    const asked = await call(system, window, 'POST', `/api/applications/${submitted.body.id}/corrections`, {
      items: [
        { materialCode, reason: '扫描件不清晰，请重新上传' },
        { field: 'legalRepresentative', reason: '申请表缺少法定代表人签字' },
      ],
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(
      (
        await call(system, window, 'POST', `/api/applications/${submitted.body.id}/refuse`, {
          reason: '不属于本阶段受理范围',
        })
      ).status,
    ).toBe(200);
    const early = await documents(refused.id);
    // The 收件回执 of the submission comes first.
    expect(early.map((d) => d.kind)).toEqual(['receipt', 'correction', 'refusal']);
    early.shift();
    expect(early[0]!.number).toMatch(new RegExp(`^郑政务补〔${year}〕\\d+号$`));
    expect(early[1]!.number).toMatch(new RegExp(`^郑政务不受〔${year}〕\\d+号$`));
    const correctionText = pdfText(
      (
        await system.app.inject({
          method: 'GET',
          url: `/api/documents/${early[0]!.id}/pdf`,
          headers: { cookie: applicant.cookie },
        })
      ).rawPayload,
    );
    expect(correctionText).toContain('补正材料告知书');
    expect(correctionText).toContain('扫描件不清晰');
    expect(correctionText).toContain('申请表缺少法定代表人签字');
    // The material is named, never coded.
    expect(correctionText).not.toContain(materialCode);

    // Acceptance: 受理通知书 listing every item with its department and deadline.
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 82);
    const { tasks, applicationId } = await acceptedStage(system, applicant, window, project, { stage: 1 });
    const afterAccept = await documents(project.id);
    const acceptance = afterAccept.find((d) => d.kind === 'acceptance')!;
    expect(acceptance.number).toMatch(new RegExp(`^郑政务受〔${year}〕\\d+号$`));
    expect(acceptance.title).toBe('受理通知书');
    const acceptanceView = await call(system, applicant, 'GET', `/api/documents/${acceptance.id}`);
    expect(acceptanceView.status).toBe(200);
    expect(acceptanceView.body.signatureValid).toBe(true);
    expect(acceptanceView.body.content.facts.items).toHaveLength(tasks.length);
    expect(acceptanceView.body.content.addressee).toMatch(/[\u4e00-\u9fa5]/);

    // A department's 补正 on one task, 不予许可 on another (with the remedies), approvals get the 许 series.
    const [returned, rejected] = tasks.filter((x) => x.currentStep === 'initial');
    expect(returned && rejected).toBeTruthy();
    expect(
      (
        await decideAs(
          system,
          await login(stepUser(returned!.departmentCode, 'initial')),
          returned!.id,
          'initial',
          'return',
          {
            items: [{ reason: '用地红线图比例尺不符合要求' }],
          },
        )
      ).status,
    ).toBe(200);
    // 不予许可 at the task's last step (复核 when it has one).
    const last = rejected!.steps.includes('final') ? 'final' : 'initial';
    if (last === 'final') {
      const first = await decideAs(
        system,
        await login(stepUser(rejected!.departmentCode, 'initial')),
        rejected!.id,
        'initial',
        'approve',
      );
      expect(first.status).toBe(200);
    }
    const denied = await decideAs(
      system,
      await login(stepUser(rejected!.departmentCode, last)),
      rejected!.id,
      last,
      'reject',
    );
    expect(denied.status).toBe(200);
    const afterDecisions = await documents(project.id);
    const departmentCorrection = afterDecisions.find(
      (d) => d.kind === 'correction' && d.taskId === returned!.id,
    );
    expect(departmentCorrection).toBeDefined();
    expect(departmentCorrection!.number).toMatch(new RegExp(`补〔${year}〕\\d+号$`));
    expect(departmentCorrection!.number.startsWith('郑政务')).toBe(false);
    const denial = afterDecisions.find((d) => d.kind === 'denial' && d.taskId === rejected!.id);
    {
      expect(denial).toBeDefined();
      const denialText = pdfText(
        (
          await system.app.inject({
            method: 'GET',
            url: `/api/documents/${denial!.id}/pdf`,
            headers: { cookie: applicant.cookie },
          })
        ).rawPayload,
      );
      expect(denialText).toContain('不予许可决定书');
      expect(denialText).toContain('行政复议');
      expect(denialText).toContain('行政诉讼');
      expect(denialText).toContain(denial!.number);
    }

    // Another enterprise may not read them; the documents are never changed by the application's role.
    const other = await login('applicant2');
    expect((await call(system, other, 'GET', `/api/documents/${acceptance.id}`)).status).toBe(403);
    expect((await call(system, other, 'GET', `/api/projects/${project.id}/documents`)).status).toBe(403);
    for (const statement of [
      sql`UPDATE administrative_document SET title = '伪造' WHERE id = ${acceptance.id}`,
      sql`DELETE FROM administrative_document WHERE id = ${acceptance.id}`,
    ]) {
      await expect(
        system.db.transaction().execute(async (trx) => {
          await sql`SET LOCAL ROLE zz_app`.execute(trx);
          await statement.execute(trx);
        }),
      ).rejects.toThrow(/permission denied/);
    }
    expect(applicationId).toBeTruthy();
  });

  it('numbers approvals in the department’s 许 series, tells the applicant of an extension, and ends with 办结通知书', async () => {
    const { system } = t;
    const login = sessions(system);
    const applicant = await login('applicant');
    const window = await login('window');
    const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 83);
    const { tasks } = await acceptedStage(system, applicant, window, project, { stage: 1 });
    const running = tasks.find((x) => x.status === 'in_review')!;
    const reviewer = await login(stepUser(running.departmentCode, 'initial'));
    const asked = await call(system, reviewer, 'POST', `/api/tasks/${running.id}/extensions`, {
      workingDays: 5,
      reason: '需组织专家论证',
    });
    expect(asked.status).toBe(201);
    const head = await login(`${running.departmentCode}.head`);
    expect(
      (
        await call(system, head, 'POST', `/api/tasks/${running.id}/extensions/${asked.body.id}/decision`, {
          approve: true,
          opinion: '同意延期',
        })
      ).status,
    ).toBe(200);
    await approveAll(system, login, tasks);

    const documents = (await call(system, applicant, 'GET', `/api/projects/${project.id}/documents`)).body
      .documents as DocumentRow[];
    const extension = documents.find((d) => d.kind === 'extension');
    expect(extension?.taskId).toBe(running.id);
    const extensionText = pdfText(
      (
        await system.app.inject({
          method: 'GET',
          url: `/api/documents/${extension!.id}/pdf`,
          headers: { cookie: applicant.cookie },
        })
      ).rawPayload,
    );
    expect(extensionText).toContain('延长5个工作日');
    expect(extensionText).toContain('需组织专家论证');
    const completion = documents.find((d) => d.kind === 'completion');
    expect(completion).toBeDefined();
    const completionView = (await call(system, applicant, 'GET', `/api/documents/${completion!.id}`)).body;
    const rows = completionView.content.facts.items as {
      name: string;
      result: string;
      documentNumber: string | null;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    // Every decided item carries a 文号 of its department's 许 series, or the commitment's own number.
    const decided = rows.filter((r) => r.result === '准予许可');
    expect(decided.length).toBeGreaterThan(0);
    for (const r of decided) expect(r.documentNumber).toMatch(new RegExp(`^郑.+许〔${year}〕\\d+号$`));
    // Names, not codes.
    for (const r of rows) expect(r.name).toMatch(/[\u4e00-\u9fa5]/);

    // Serials count up within an issuer's series: the window's acceptance notices of this test are consecutive.
    const acceptances = await sql<{ number: string }>`
      SELECT number FROM administrative_document WHERE kind = 'acceptance' ORDER BY seq`.execute(system.db);
    const serials = acceptances.rows.map((r) => Number(/〕(\d+)号$/.exec(r.number)![1]));
    expect(serials).toEqual(serials.map((_, i) => i + 1));
  });
});
