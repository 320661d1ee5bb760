/**
 * The approvals' daily sweep (run by the job runner): an overdue 容缺 material writes a credit record for
 * the enterprise (once per material), and the applicant is reminded of a 补正 due within a few working
 * days (once per request). Both are idempotent: the sweep may run twice.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { recordFromFlow } from '../credit/credit.service';
import { notify } from '../supervision/notification.channel';
import type { ApprovalDeps } from './approval.context';
import * as appRepo from './application.repository';
import * as inspectionRepo from './inspection.repository';
import { CORRECTION_REMINDER_WORKING_DAYS } from './lifecycle.rules';

export async function runApprovalSweep(db: Kysely<DB>, deps: ApprovalDeps) {
  const now = deps.clock.now();
  const today = beijingDate(now);
  const calendar = await deps.calendar.get();
  let creditRecords = 0;
  let reminders = 0;
  for (const d of await appRepo.listOverdueDeficiencies(db, today)) {
    const sourceId = `${d.applicationId}:${d.materialCode}`;
    await db.transaction().execute(async (trx) => {
      const written = await recordFromFlow(
        trx,
        calendar,
        {
          enterpriseId: d.enterpriseId,
          kind: 'deficiency_overdue',
          reason: `项目 ${d.projectCode} 容缺材料 ${d.materialCode} 逾期未补交（约定 ${d.dueDate}）`,
          sourceType: 'deficiency',
          sourceId,
          // One record per material (each is shown), one incident per application: an application with
          // several overdue materials counts once toward the grade and the black-list rule.
          incident: `deficiency:${d.applicationId}`,
        },
        now,
      );
      if (!written) return;
      await recordEvent(trx, null, now, {
        action: 'credit.deficiency_overdue',
        objectType: 'stage_application',
        objectId: d.applicationId,
        detail: { materialCode: d.materialCode, dueDate: d.dueDate, enterpriseId: d.enterpriseId },
      });
      creditRecords++;
    });
  }
  const remindFrom = calendar.addWorkingDays(today, CORRECTION_REMINDER_WORKING_DAYS).deadline;
  for (const c of await appRepo.listOpenCorrections(db)) {
    if (!c.dueDate || c.remindedAt || c.dueDate > remindFrom) continue;
    await db.transaction().execute(async (trx) => {
      const marked = await appRepo.markCorrectionReminded(trx, c.id, now);
      if (Number(marked.numUpdatedRows) !== 1) return;
      const project = (await appRepo.findProject(trx, c.projectId))!;
      const users = await inspectionRepo.enterpriseUsers(trx, project.enterpriseId);
      await notify(
        trx,
        now,
        users.map((u) => ({
          userId: u.id,
          kind: 'correction.due',
          title: `补正即将到期：${project.name}`,
          body: `请于 ${c.dueDate} 前答复补正；逾期未答复的，窗口可终止办理`,
          objectType: 'stage_application',
          objectId: c.applicationId,
        })),
      );
      reminders++;
    });
  }
  return { creditRecords, reminders };
}
