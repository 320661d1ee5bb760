/**
 * 纠错 of a mistaken 撤销 (issue 12, each database): a revoked approval is not a dead end. The department's
 * head asks to reopen the revoked task with a reason (the existing reopening with countersign); a
 * supervisor countersigns; the approval is in force again with its decision, the certificate revoked with
 * it verifies as valid again, the revocation is kept and marked corrected, the `approval_revoked` credit
 * record is withdrawn (no longer counted, published or listed — the black-list notice it completed is
 * cancelled), the holder is told, and all of it is audited. A refused countersignature changes nothing,
 * and the reinstated approval can be revoked again.
 */
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import {
  acceptedStage,
  approveAll,
  call,
  getTask,
  newProject,
  sessions,
  type TaskRow,
} from '../lifecycle-helpers';

const basis = '《中华人民共和国行政许可法》第六十九条第二款';

describeEachSystem(
  '纠错 of a revocation: the approval, its certificate and the credit record come back',
  (t) => {
    it('reinstates a revoked approval on a countersigned reopening, withdraws the credit record, ends the notice', async () => {
      const { system } = t;
      const login = sessions(system);
      const applicant = await login('applicant');
      const window = await login('window');
      const supervisor = await login('supervisor');

      const project = await newProject(system, applicant, 'SOCIAL_TRANSFER', 191);
      const stage1 = await acceptedStage(system, applicant, window, project, { stage: 1 });
      await approveAll(system, login, stage1.tasks);
      // The target is an item whose approval issued a certificate (it must come back with the approval).
      const tasks = stage1.tasks as TaskRow[];
      const certified = await system.db
        .selectFrom('certificate')
        .select('taskId')
        .where(
          'taskId',
          'in',
          tasks.map((x) => x.id),
        )
        .execute();
      const target = tasks.find((x) => certified.some((c) => c.taskId === x.id));
      const other = tasks.find((x) => x !== target);
      expect(target && other, 'stage 1 has two items, one with a certificate').toBeTruthy();

      // Two revocations: two serious incidents open a black-list notice (12 months, 2 or more).
      const revokeAs = async (task: TaskRow, reason: string) => {
        const head = await login(`${task.departmentCode}.head`);
        const res = await call(system, head, 'POST', `/api/tasks/${task.id}/revoke`, {
          reason,
          legalBasis: basis,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body as { id: string; certificateRevoked: string | null };
      };
      const first = await revokeAs(target!, '误认为申请人提供虚假材料');
      await revokeAs(other!, '申请人以欺骗手段取得许可');
      let mine = (await call(system, applicant, 'GET', '/api/credit/mine')).body;
      expect(mine.records.filter((r: { kind: string }) => r.kind === 'approval_revoked')).toHaveLength(2);
      expect(mine.listings.map((l: { list: string; status: string }) => `${l.list}:${l.status}`)).toEqual([
        'black:noticed',
      ]);
      const certificate = await system.db
        .selectFrom('certificate')
        .select(['id', 'identifier', 'revokedAt'])
        .where('taskId', '=', target!.id)
        .executeTakeFirst();
      expect(certificate).toBeTruthy();
      expect(first.certificateRevoked).toBe(certificate!.identifier);
      expect(certificate!.revokedAt).not.toBeNull();

      // Only the department's head asks; the reason is required.
      const head = await login(`${target!.departmentCode}.head`);
      const senior = await login(`${target!.departmentCode}.senior`);
      expect(
        (await call(system, senior, 'POST', `/api/tasks/${target!.id}/reopen`, { reason: '撤销有误' }))
          .status,
      ).toBe(403);
      expect(
        (await call(system, head, 'POST', `/api/tasks/${target!.id}/reopen`, { reason: '' })).status,
      ).toBe(400);

      // A refused countersignature leaves the revocation in force.
      const asked = await call(system, head, 'POST', `/api/tasks/${target!.id}/reopen`, {
        reason: '复查认定材料真实，撤销决定有误',
      });
      expect(asked.status, JSON.stringify(asked.body)).toBe(201);
      const refused = await call(
        system,
        supervisor,
        'POST',
        `/api/tasks/${target!.id}/reopen/${asked.body.id}/countersign`,
        { approve: false, opinion: '证据不足，不予会签' },
      );
      expect(refused.status, JSON.stringify(refused.body)).toBe(200);
      expect(refused.body).toMatchObject({ status: 'refused', taskStatus: 'revoked' });
      expect((await getTask(system, head, target!.id)).status).toBe('revoked');

      // Asked again and countersigned: the approval is reinstated.
      const again = await call(system, head, 'POST', `/api/tasks/${target!.id}/reopen`, {
        reason: '复查认定材料真实，撤销决定有误',
      });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      const signed = await call(
        system,
        supervisor,
        'POST',
        `/api/tasks/${target!.id}/reopen/${again.body.id}/countersign`,
        { approve: true, opinion: '经核查，撤销决定有误，同意纠正' },
      );
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
      expect(signed.body).toMatchObject({
        status: 'approved',
        taskStatus: 'approved',
        certificateRevoked: null,
      });
      expect(signed.body.creditRecordsWithdrawn).toHaveLength(1);

      const task = await getTask(system, head, target!.id);
      expect(task.status).toBe('approved');
      expect(task.outcome).toBe('approve');
      expect(task.revocations).toHaveLength(1);
      expect(task.revocations[0].correctedReason).toBe('复查认定材料真实，撤销决定有误');
      expect(task.revocations[0].correctedAt).toBeTruthy();

      {
        expect(signed.body.certificateReinstated).toMatchObject({ identifier: certificate!.identifier });
        const row = await system.db
          .selectFrom('certificate')
          .select(['revokedAt', 'revokedReason'])
          .where('id', '=', certificate!.id)
          .executeTakeFirstOrThrow();
        expect(row.revokedAt).toBeNull();
        const verified = await system.app.inject({
          method: 'GET',
          url: `/api/public/certificates/verify?identifier=${encodeURIComponent(certificate!.identifier)}`,
        });
        expect(verified.statusCode, verified.body).toBe(200);
        expect(verified.json()).toMatchObject({ valid: true, revoked: false });
      }

      // The credit record stays, withdrawn: not counted, not published; the notice it completed is cancelled.
      mine = (await call(system, applicant, 'GET', '/api/credit/mine')).body;
      const withdrawn = mine.records.find((r: { sourceId: string }) => r.sourceId === first.id);
      expect(withdrawn).toMatchObject({ kind: 'approval_revoked' });
      expect(withdrawn.withdrawnOn).toBeTruthy();
      expect(withdrawn.withdrawnReason).toContain('撤销决定有误');
      expect(mine.listings.map((l: { list: string; status: string }) => `${l.list}:${l.status}`)).toEqual([
        'black:cancelled',
      ]);
      const published = await system.app.inject({ method: 'GET', url: '/api/public/credit' });
      expect(published.body).not.toContain('误认为申请人提供虚假材料');
      expect(published.body).toContain('申请人以欺骗手段取得许可');

      // The holder is told; everything is audited.
      const told = await call(system, applicant, 'GET', '/api/notifications');
      expect(JSON.stringify(told.body)).toContain('撤销决定已纠正');
      const actions = (
        await system.db
          .selectFrom('auditEvent')
          .select('action')
          .where('reason', 'like', '%撤销决定有误%')
          .execute()
      ).map((a) => a.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'task.reopen_requested',
          'task.revocation_corrected',
          'credit.record_withdrawn',
        ]),
      );
      const certificateEvents = await system.db
        .selectFrom('auditEvent')
        .select('action')
        .where('objectId', '=', certificate!.id)
        .execute();
      expect(certificateEvents.map((a) => a.action)).toEqual(
        expect.arrayContaining(['certificate.revoked', 'certificate.reinstated']),
      );

      // The reinstated approval can be revoked again (a new revocation in force), and corrected again.
      const second = await revokeAs(target!, '经再次核查，确有欺骗行为');
      expect(second.id).not.toBe(first.id);
      expect((await getTask(system, head, target!.id)).status).toBe('revoked');
    });
  },
);
