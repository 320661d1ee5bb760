/**
 * The declared lifecycle of stage applications and item tasks: states, events, the next state, and the
 * national 办理状态 (BLZT, ../shared/reference/codes.tsv) each state reports as. Every state-changing
 * use case asks `applicationNext` / `taskNext` first; a refused pair is 409 CONFLICT_STATE naming the
 * state. Every state that is not final has an exit a real office uses, and final states name what
 * follows (a new application for the stage, a supervised reopening).
 *
 * Guards that need data (a 补正 past its due date, the right role) live in the use cases; this file
 * only says which (state, event) pairs exist.
 */
import { DomainError } from '../../shared/errors';
import type { ApplicationStatus, TaskStatus } from './approval.tables';
import { RUNNING_TASK_STATUSES } from './clock.rules';

export type { ApplicationStatus, TaskStatus };

export const applicationStates: readonly ApplicationStatus[] = [
  'submitted',
  'correction_requested',
  'accepted',
  'refused',
  'rejected',
  'withdrawn',
  'terminated',
  'completed',
];

export type ApplicationEvent =
  | 'accept' //               一窗受理
  | 'request_correction' //   窗口一次性告知补正
  | 'answer_correction' //    申请人补正后重新提交窗口
  | 'refuse' //               不予受理
  | 'withdraw' //             申请人撤回
  | 'terminate' //            窗口终止（补正逾期未答复）
  | 'reject' //               阶段完成规则已不能满足（事项不予许可）
  | 'complete' //             阶段办结
  | 'reopen'; //              监察会签纠错后重新办理

export const applicationEvents: readonly ApplicationEvent[] = [
  'accept',
  'request_correction',
  'answer_correction',
  'refuse',
  'withdraw',
  'terminate',
  'reject',
  'complete',
  'reopen',
];

const applicationTable: Record<ApplicationStatus, Partial<Record<ApplicationEvent, ApplicationStatus>>> = {
  submitted: {
    accept: 'accepted',
    request_correction: 'correction_requested',
    refuse: 'refused',
    withdraw: 'withdrawn',
  },
  correction_requested: {
    answer_correction: 'submitted',
    refuse: 'refused',
    withdraw: 'withdrawn',
    terminate: 'terminated',
  },
  accepted: {
    withdraw: 'withdrawn',
    terminate: 'terminated',
    reject: 'rejected',
    complete: 'completed',
  },
  // Final states. The exit from each is a new application for the stage (applicationsOpenAfter);
  // a completed or rejected stage returns to 'accepted' when a supervised reopening corrects a decision.
  refused: {},
  rejected: { reopen: 'accepted' },
  withdrawn: {},
  terminated: {},
  completed: { reopen: 'accepted' },
};

export const finalApplicationStates: ReadonlySet<ApplicationStatus> = new Set(
  applicationStates.filter((s) => !['submitted', 'correction_requested', 'accepted'].includes(s)),
);

/** Final states after which the stage may be applied for again (everything but completion). */
export const reapplicableStates: ReadonlySet<ApplicationStatus> = new Set([
  'refused',
  'rejected',
  'withdrawn',
  'terminated',
]);

export const taskStates: readonly TaskStatus[] = [
  'in_review',
  'paused',
  'correction',
  'approved',
  'rejected',
  'revoked',
  'withdrawn',
  'terminated',
];

export type TaskEvent =
  | 'advance' //              初核意见，转复核
  | 'approve' //              准予许可（复核）
  | 'reject' //               不予许可（复核）
  | 'return' //               部门要求补正
  | 'answer_correction' //    申请人答复补正：同一环节重新决定
  | 'pause' //                特别程序（停止计时）
  | 'resume' //               特别程序结束
  | 'extend' //               延期（部门负责人批准）
  | 'withdraw' //             申报被撤回
  | 'terminate' //            申报终止，或前置事项不予许可
  | 'revoke' //               撤销（承诺不实）
  | 'reopen'; //              监察会签纠错：回到复核环节；撤销有误的，恢复审批决定

export const taskEvents: readonly TaskEvent[] = [
  'advance',
  'approve',
  'reject',
  'return',
  'answer_correction',
  'pause',
  'resume',
  'extend',
  'withdraw',
  'terminate',
  'revoke',
  'reopen',
];

const running = { withdraw: 'withdrawn', terminate: 'terminated', extend: undefined } as const;

const taskTable: Record<TaskStatus, Partial<Record<TaskEvent, TaskStatus>>> = {
  in_review: {
    advance: 'in_review',
    approve: 'approved',
    reject: 'rejected',
    return: 'correction',
    pause: 'paused',
    extend: 'in_review',
    withdraw: running.withdraw,
    terminate: running.terminate,
  },
  paused: {
    resume: 'in_review',
    extend: 'paused',
    withdraw: running.withdraw,
    terminate: running.terminate,
  },
  correction: {
    answer_correction: 'in_review',
    extend: 'correction',
    withdraw: running.withdraw,
    terminate: running.terminate,
  },
  approved: { revoke: 'revoked', reopen: 'in_review' },
  rejected: { reopen: 'in_review' },
  // 纠错 of a mistaken 撤销: the supervised reopening reinstates the approval (and its certificate); a
  // decision that itself needs review again is reopened from approved afterwards.
  revoked: { reopen: 'approved' },
  withdrawn: {},
  terminated: {},
};

/** The running task states: the clock's own list (one rule for what runs). */
export const runningTaskStates: ReadonlySet<TaskStatus> = new Set(RUNNING_TASK_STATUSES);

export const applicationStateNames: Record<ApplicationStatus, string> = {
  submitted: '待受理',
  correction_requested: '待补正',
  accepted: '审批中',
  refused: '不予受理',
  rejected: '不予许可',
  withdrawn: '已撤回',
  terminated: '已终止',
  completed: '已办结',
};

export const taskStateNames: Record<TaskStatus, string> = {
  in_review: '审查中',
  paused: '特别程序中',
  correction: '待补正',
  approved: '准予许可',
  rejected: '不予许可',
  revoked: '已撤销',
  withdrawn: '已撤回',
  terminated: '已终止',
};

/** National 办理状态 (BLZT) of each state, for the exchange with the provincial system. */
export const applicationBlzt: Record<ApplicationStatus, number> = {
  submitted: 1, //             已接件
  correction_requested: 6, //  补正（开始）
  accepted: 3, //              窗口受理
  refused: 5, //               不予受理
  rejected: 13, //             办结（不通过）
  withdrawn: 14, //            撤回
  terminated: 2, //            已撤件
  completed: 11, //            办结（通过）
};

export const taskBlzt: Record<TaskStatus, number> = {
  in_review: 8, //   部门开始办理
  paused: 9, //      特别程序（开始）
  correction: 6, //  补正（开始）
  approved: 11, //   办结（通过）
  rejected: 13, //   办结（不通过）
  revoked: 15, //    撤销
  withdrawn: 14, //  撤回
  terminated: 2, //  已撤件
};

export function applicationNext(state: ApplicationStatus, event: ApplicationEvent): ApplicationStatus | null {
  return applicationTable[state][event] ?? null;
}

export function taskNext(state: TaskStatus, event: TaskEvent): TaskStatus | null {
  return taskTable[state][event] ?? null;
}

const applicationEventNames: Record<ApplicationEvent, string> = {
  accept: '受理',
  request_correction: '要求补正',
  answer_correction: '答复补正',
  refuse: '不予受理',
  withdraw: '撤回',
  terminate: '终止',
  reject: '不予许可',
  complete: '办结',
  reopen: '重新办理',
};

const taskEventNames: Record<TaskEvent, string> = {
  advance: '初核',
  approve: '准予许可',
  reject: '不予许可',
  return: '要求补正',
  answer_correction: '答复补正',
  pause: '启动特别程序',
  resume: '结束特别程序',
  extend: '延期',
  withdraw: '撤回',
  terminate: '终止',
  revoke: '撤销',
  reopen: '重新办理',
};

/** The next state, or 409 CONFLICT_STATE naming the state the application is in. */
export function assertApplicationEvent(state: ApplicationStatus, event: ApplicationEvent): ApplicationStatus {
  const next = applicationNext(state, event);
  if (!next) {
    throw new DomainError(
      'CONFLICT_STATE',
      `申报当前状态为“${applicationStateNames[state]}”，不能${applicationEventNames[event]} (application is ${state}; ${event} not allowed)`,
      { details: { state, event } },
    );
  }
  return next;
}

export function assertTaskEvent(state: TaskStatus, event: TaskEvent): TaskStatus {
  const next = taskNext(state, event);
  if (!next) {
    throw new DomainError(
      'CONFLICT_STATE',
      `办件当前状态为“${taskStateNames[state]}”，不能${taskEventNames[event]} (task is ${state}; ${event} not allowed)`,
      { details: { state, event } },
    );
  }
  return next;
}

/** A running application (待受理, 待补正, 审批中), or 409 naming the state it ended in. */
export function assertApplicationRunning(state: ApplicationStatus) {
  if (finalApplicationStates.has(state)) {
    throw new DomainError(
      'CONFLICT_STATE',
      `申报当前状态为“${applicationStateNames[state]}”，已结束 (application is ${state})`,
      { details: { state } },
    );
  }
}

/** The notice of remedies every 不予许可 carries (《行政许可法》第三十八条). */
export const REMEDY_NOTICE =
  '申请人如对本决定不服，可自收到本决定之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。';

/** Working days the applicant has to answer a 补正 when the request names no date (configurable). */
export const DEFAULT_CORRECTION_DUE_WORKING_DAYS = 20;

/** Working days before a 补正's due date at which the applicant is reminded. */
export const CORRECTION_REMINDER_WORKING_DAYS = 3;

/** The longest 延期 an item allows when the catalog sets none (《行政许可法》第四十二条: 十日). */
export const DEFAULT_EXTENSION_LIMIT_WORKING_DAYS = 10;

/**
 * Can the stage's completion rule still be met? All-milestones: no milestone ended unapproved. Any
 * milestone: at least one milestone is approved or still running. Without milestones every item counts.
 */
export function completionStillPossible(
  rule: 'all_milestones' | 'any_milestone',
  tasks: readonly { milestone: boolean; status: TaskStatus }[],
): boolean {
  const milestones = tasks.filter((t) => t.milestone);
  const counted = milestones.length > 0 ? milestones : tasks;
  const alive = (t: { status: TaskStatus }) => t.status === 'approved' || runningTaskStates.has(t.status);
  if (rule === 'any_milestone' && milestones.length > 0) return counted.some(alive);
  return counted.every(alive);
}
