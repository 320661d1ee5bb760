/**
 * The values of the approval rules a page shows (issue 16 item 9): the default 容缺 and 补正 due dates as
 * the working-day calendar gives them today, the 长期有效 date, the clock states. The pages read these from
 * GET /api/reference-values instead of keeping their own copies of the rules.
 */
import { beijingDate } from '../calendar/calendar.rules';
import { NO_EXPIRY } from '../certificates/certificate.rules';
import type { ApprovalDeps } from './approval.context';
import { DEFAULT_DEFICIENCY_WORKING_DAYS } from './approval.rules';
import type { ClockState } from './clock.rules';
import { correctionDueDate } from './correction.service';
import { DEFAULT_CORRECTION_DUE_WORKING_DAYS } from './lifecycle.rules';

const clockStateNames: Record<ClockState, string> = { normal: '正常', warning: '预警', overdue: '逾期' };

export async function referenceValues(deps: ApprovalDeps) {
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  return {
    today,
    deficiencyWorkingDays: DEFAULT_DEFICIENCY_WORKING_DAYS,
    deficiencyDueDate: calendar.addWorkingDays(today, DEFAULT_DEFICIENCY_WORKING_DAYS).deadline,
    correctionWorkingDays: deps.correctionDueWorkingDays ?? DEFAULT_CORRECTION_DUE_WORKING_DAYS,
    correctionDueDate: correctionDueDate(calendar, deps, today, undefined),
    noExpiryDate: NO_EXPIRY,
    clockStates: (Object.keys(clockStateNames) as ClockState[]).map((state) => ({
      state,
      name: clockStateNames[state],
    })),
  };
}
