/**
 * The declared lifecycle, pair by pair (issue 8 §1): every (state, event) of both machines is either the
 * documented next state or a 409 CONFLICT_STATE naming the state in Chinese. The expected tables are
 * written out here from the semantics, not derived from the rules file, so a changed arrow in
 * lifecycle.rules.ts fails a named row.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors';
import type { ApplicationStatus, TaskStatus } from './approval.tables';
import {
  applicationBlzt,
  applicationEvents,
  applicationNext,
  applicationStateNames,
  applicationStates,
  assertApplicationEvent,
  assertApplicationRunning,
  assertTaskEvent,
  completionStillPossible,
  finalApplicationStates,
  reapplicableStates,
  runningTaskStates,
  taskBlzt,
  taskEvents,
  taskNext,
  taskStateNames,
  taskStates,
  type ApplicationEvent,
  type TaskEvent,
} from './lifecycle.rules';

type AppRow = Partial<Record<ApplicationEvent, ApplicationStatus>>;
type TaskRow = Partial<Record<TaskEvent, TaskStatus>>;

/**
 * Stage applications. Before acceptance the window accepts, asks for 补正 once, or refuses; the applicant
 * may withdraw at any time before the stage ends; the window terminates only what waits on a 补正 (from
 * 待补正, or a department's 补正 while 审批中). 审批中 ends as 办结, 不予许可 (completion rule can no longer
 * be met), 撤回 or 终止. Of the final states only 办结 and 不予许可 return to 审批中, by a supervised reopening;
 * the others are followed by a new application for the stage.
 */
const expectedApplication: Record<ApplicationStatus, AppRow> = {
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
  refused: {},
  rejected: { reopen: 'accepted' },
  withdrawn: {},
  terminated: {},
  completed: { reopen: 'accepted' },
};

/**
 * Item tasks. In review: 初核 advances, 复核 approves or refuses, either step returns for 补正, a special
 * procedure pauses, an extension keeps the state. Paused and 待补正 only resume / are answered, may be
 * extended, and end with the application (撤回 / 终止). Decided tasks: an approval may be revoked (承诺不实)
 * or reopened; a refusal may be reopened. Revoked, withdrawn and terminated are final.
 */
const expectedTask: Record<(typeof taskStates)[number], TaskRow> = {
  in_review: {
    advance: 'in_review',
    approve: 'approved',
    reject: 'rejected',
    return: 'correction',
    pause: 'paused',
    extend: 'in_review',
    withdraw: 'withdrawn',
    terminate: 'terminated',
  },
  paused: {
    resume: 'in_review',
    extend: 'paused',
    withdraw: 'withdrawn',
    terminate: 'terminated',
  },
  correction: {
    answer_correction: 'in_review',
    extend: 'correction',
    withdraw: 'withdrawn',
    terminate: 'terminated',
  },
  approved: { revoke: 'revoked', reopen: 'in_review' },
  rejected: { reopen: 'in_review' },
  revoked: { reopen: 'approved' }, // 纠错 of a mistaken 撤销 reinstates the approval
  withdrawn: {},
  terminated: {},
};

const appNames: Record<ApplicationStatus, string> = {
  submitted: '待受理',
  correction_requested: '待补正',
  accepted: '审批中',
  refused: '不予受理',
  rejected: '不予许可',
  withdrawn: '已撤回',
  terminated: '已终止',
  completed: '已办结',
};

const taskNames: Record<TaskStatus, string> = {
  in_review: '审查中',
  paused: '特别程序中',
  correction: '待补正',
  approved: '准予许可',
  rejected: '不予许可',
  revoked: '已撤销',
  withdrawn: '已撤回',
  terminated: '已终止',
};

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got none');
}

describe('stage application lifecycle: every (state, event) pair', () => {
  it('declares exactly the states and events of the issue', () => {
    expect([...applicationStates].sort()).toEqual(Object.keys(expectedApplication).sort());
    expect(applicationEvents).toHaveLength(9);
  });

  const pairs = applicationStates.flatMap((s) => applicationEvents.map((e) => [s, e] as const));
  it.each(pairs)('%s × %s', (state, event) => {
    const expected = expectedApplication[state][event] ?? null;
    expect(applicationNext(state, event)).toBe(expected);
    if (expected) {
      expect(assertApplicationEvent(state, event)).toBe(expected);
    } else {
      const err = refusal(() => assertApplicationEvent(state, event));
      expect(err.code).toBe('CONFLICT_STATE');
      expect(err.message).toContain(`“${appNames[state]}”`);
      expect(err.message).toContain(state);
    }
  });

  it('names every state in Chinese', () => {
    expect(applicationStateNames).toEqual(appNames);
  });

  it('gives every non-final state an exit to another state, and a path to a final state', () => {
    const running = applicationStates.filter((s) => !finalApplicationStates.has(s));
    expect(running.sort()).toEqual(['accepted', 'correction_requested', 'submitted']);
    for (const s of running) {
      const exits = applicationEvents.map((e) => applicationNext(s, e)).filter((n) => n && n !== s);
      expect(exits.length, s).toBeGreaterThan(0);
      // withdraw is the applicant's exit from every running state
      expect(applicationNext(s, 'withdraw'), s).toBe('withdrawn');
    }
    for (const s of running)
      expect(
        reaches(s, (x) => finalApplicationStates.has(x)),
        s,
      ).toBe(true);
  });

  it('lets the stage be applied for again after every end but completion', () => {
    expect([...reapplicableStates].sort()).toEqual(['refused', 'rejected', 'terminated', 'withdrawn']);
    expect(reapplicableStates.has('completed')).toBe(false);
  });

  it('assertApplicationRunning refuses each final state by its Chinese name', () => {
    for (const s of applicationStates) {
      if (finalApplicationStates.has(s)) {
        const err = refusal(() => assertApplicationRunning(s));
        expect(err.code).toBe('CONFLICT_STATE');
        expect(err.message).toContain(appNames[s]);
      } else {
        expect(() => assertApplicationRunning(s)).not.toThrow();
      }
    }
  });
});

describe('item task lifecycle: every (state, event) pair', () => {
  it('declares exactly the states and events of the issue', () => {
    expect([...taskStates].sort()).toEqual(Object.keys(expectedTask).sort());
    expect(taskEvents).toHaveLength(12);
  });

  const pairs = taskStates.flatMap((s) => taskEvents.map((e) => [s, e] as const));
  it.each(pairs)('%s × %s', (state, event) => {
    const expected = expectedTask[state][event] ?? null;
    expect(taskNext(state, event)).toBe(expected);
    if (expected) {
      expect(assertTaskEvent(state, event)).toBe(expected);
    } else {
      const err = refusal(() => assertTaskEvent(state, event));
      expect(err.code).toBe('CONFLICT_STATE');
      expect(err.message).toContain(`“${taskNames[state]}”`);
      expect(err.message).toContain(state);
    }
  });

  it('names every state in Chinese', () => {
    expect(taskStateNames).toEqual(taskNames);
  });

  it('gives every running state an exit to another state, and a path to a decision', () => {
    expect([...runningTaskStates].sort()).toEqual(['correction', 'in_review', 'paused']);
    for (const s of runningTaskStates) {
      const exits = taskEvents.map((e) => taskNext(s, e)).filter((n) => n && n !== s);
      expect(exits.length, s).toBeGreaterThan(0);
      // the application's end reaches every running task
      expect(taskNext(s, 'withdraw'), s).toBe('withdrawn');
      expect(taskNext(s, 'terminate'), s).toBe('terminated');
      expect(
        reachesTask(s, (x) => x === 'approved' || x === 'rejected'),
        s,
      ).toBe(true);
    }
  });
});

describe('BLZT (national 办理状态) of every state', () => {
  // The code set of ../shared/reference/codes.tsv (BLZT 办理状态), copied so the test runs anywhere.
  const blztCodes = new Map<number, string>([
    [1, '已接件'],
    [2, '已撤件'],
    [3, '窗口受理'],
    [4, '不受理'],
    [5, '不予受理'],
    [6, '补正（开始）'],
    [7, '补正（结束）'],
    [8, '部门开始办理'],
    [9, '特别程序（开始）'],
    [10, '特别程序（结束）'],
    [11, '办结（通过）'],
    [12, '办结（容缺通过）'],
    [13, '办结（不通过）'],
    [14, '撤回'],
    [15, '撤销'],
  ]);

  it('maps every application state to its code', () => {
    expect(applicationBlzt).toEqual({
      submitted: 1,
      correction_requested: 6,
      accepted: 3,
      refused: 5,
      rejected: 13,
      withdrawn: 14,
      terminated: 2,
      completed: 11,
    });
    for (const s of applicationStates) expect(blztCodes.has(applicationBlzt[s]), s).toBe(true);
  });

  it('maps every task state to its code', () => {
    expect(taskBlzt).toEqual({
      in_review: 8,
      paused: 9,
      correction: 6,
      approved: 11,
      rejected: 13,
      revoked: 15,
      withdrawn: 14,
      terminated: 2,
    });
    for (const s of Object.keys(taskNames) as TaskStatus[]) expect(blztCodes.has(taskBlzt[s]), s).toBe(true);
  });

  const tsv = fileURLToPath(new URL('../../../../shared/reference/codes.tsv', import.meta.url));
  it.runIf(fs.existsSync(tsv))('uses only codes listed in shared/reference/codes.tsv', () => {
    const listed = new Set(
      fs
        .readFileSync(tsv, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('BLZT'))
        .map((l) => Number(l.split('\t')[1])),
    );
    for (const code of [...Object.values(applicationBlzt), ...Object.values(taskBlzt)])
      expect(listed.has(code), String(code)).toBe(true);
    for (const code of blztCodes.keys()) expect(listed.has(code)).toBe(true);
  });
});

describe('completionStillPossible (the stage is refused when its completion rule can no longer be met)', () => {
  const m = (status: TaskStatus) => ({ milestone: true, status });
  const o = (status: TaskStatus) => ({ milestone: false, status });

  it('all milestones: any milestone ended unapproved makes completion impossible', () => {
    expect(completionStillPossible('all_milestones', [m('approved'), m('in_review'), o('rejected')])).toBe(
      true,
    );
    expect(completionStillPossible('all_milestones', [m('paused'), m('correction')])).toBe(true);
    for (const ended of ['rejected', 'withdrawn', 'terminated', 'revoked'] as const)
      expect(completionStillPossible('all_milestones', [m('approved'), m(ended)]), ended).toBe(false);
  });

  it('any milestone: possible while one milestone is approved or still running', () => {
    expect(completionStillPossible('any_milestone', [m('rejected'), m('in_review')])).toBe(true);
    expect(completionStillPossible('any_milestone', [m('rejected'), m('approved')])).toBe(true);
    expect(completionStillPossible('any_milestone', [m('rejected'), m('terminated'), o('approved')])).toBe(
      false,
    );
  });

  it('without milestones every item counts, whatever the rule', () => {
    for (const rule of ['all_milestones', 'any_milestone'] as const) {
      expect(completionStillPossible(rule, [o('approved'), o('correction')]), rule).toBe(true);
      expect(completionStillPossible(rule, [o('approved'), o('rejected')]), rule).toBe(false);
    }
    expect(completionStillPossible('all_milestones', [])).toBe(true);
  });
});

function reaches(from: ApplicationStatus, goal: (s: ApplicationStatus) => boolean): boolean {
  const seen = new Set<ApplicationStatus>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (goal(s)) return true;
    for (const e of applicationEvents) {
      const n = applicationNext(s, e);
      if (n && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}

function reachesTask(from: TaskStatus, goal: (s: TaskStatus) => boolean): boolean {
  const seen = new Set<TaskStatus>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (goal(s)) return true;
    for (const e of taskEvents) {
      const n = taskNext(s, e);
      if (n && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}
