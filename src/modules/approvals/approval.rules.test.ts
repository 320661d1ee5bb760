import { describe, expect, it } from 'vitest';
import { WorkingCalendar, defaultSchedules } from '../calendar/calendar.rules';
import {
  checkForm,
  decisionEffect,
  missingMaterials,
  reviewSteps,
  specialProcedures,
  stageComplete,
} from './approval.rules';
import { pausedWorkingDays, taskClock, warningThreshold } from './clock.rules';

describe('review steps and decisions (task 8: at most 初核 + 复核)', () => {
  it('gives filing items one step and others two', () => {
    expect(reviewSteps('竣工验收备案证明')).toEqual(['final']);
    expect(reviewSteps('建设工程规划许可证')).toEqual(['initial', 'final']);
  });

  it('moves 初核 on to 复核 whatever it proposes; only 复核 ends the task', () => {
    expect(decisionEffect(['initial', 'final'], 'initial', 'approve')).toMatchObject({
      status: 'in_review',
      currentStep: 'final',
      ends: false,
    });
    expect(decisionEffect(['initial', 'final'], 'initial', 'reject')).toMatchObject({
      currentStep: 'final',
      ends: false,
    });
    expect(decisionEffect(['initial', 'final'], 'final', 'approve')).toMatchObject({
      status: 'approved',
      currentStep: null,
      ends: true,
    });
    expect(decisionEffect(['final'], 'final', 'reject')).toMatchObject({ status: 'rejected', ends: true });
    expect(decisionEffect(['initial', 'final'], 'final', 'return')).toMatchObject({
      status: 'paused',
      currentStep: 'final',
      pausesForCorrection: true,
    });
  });
});

describe('special procedures (行政许可法 第45条 vs. task 12)', () => {
  it('pauses the clock for hearings and testing, not for expert or technical reviews', () => {
    expect(specialProcedures.hearing.pausesClock).toBe(true);
    expect(specialProcedures.testing.pausesClock).toBe(true);
    expect(specialProcedures.expert_review.pausesClock).toBe(false);
    expect(specialProcedures.technical_review.pausesClock).toBe(false);
  });
});

describe('stage completion', () => {
  const t = (milestone: boolean, status: 'approved' | 'in_review' | 'rejected') => ({ milestone, status });
  it('needs all milestones, or any one, by the stage rule', () => {
    expect(
      stageComplete('all_milestones', [t(true, 'approved'), t(true, 'in_review'), t(false, 'in_review')]),
    ).toBe(false);
    expect(
      stageComplete('all_milestones', [t(true, 'approved'), t(true, 'approved'), t(false, 'in_review')]),
    ).toBe(true);
    expect(stageComplete('any_milestone', [t(true, 'approved'), t(true, 'rejected')])).toBe(true);
    expect(stageComplete('any_milestone', [t(true, 'in_review')])).toBe(false);
  });
});

describe('form and materials', () => {
  it('merges fields by key and reports missing and mistyped values', () => {
    const problems = checkForm(
      [
        { key: 'projectName', label: '项目名称', type: 'string', required: false },
        { key: 'projectName', label: '项目名称', type: 'string', required: true },
        { key: 'buildingArea', label: '建筑面积', type: 'number', required: true },
        { key: 'startDate', label: '开工日期', type: 'date', required: false },
      ],
      { buildingArea: '12', startDate: '2026-02-30' },
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['buildingArea', 'projectName', 'startDate']);
    expect(checkForm([{ key: 'a', label: 'A', type: 'boolean', required: true }], { a: false })).toEqual([]);
  });

  it('separates missing materials that block from those 容缺 allows', () => {
    const needs = [
      { code: 'A', name: 'A', required: true, deficiencyAllowed: false },
      { code: 'B', name: 'B', required: true, deficiencyAllowed: true },
      { code: 'C', name: 'C', required: false, deficiencyAllowed: false },
    ];
    const r = missingMaterials(needs, new Set(['C']));
    expect(r.blocking.map((m) => m.code)).toEqual(['A']);
    expect(r.deferrable.map((m) => m.code)).toEqual(['B']);
  });
});

describe('task clock (working days; pauses for 补正 and legal special procedures)', () => {
  const calendar = new WorkingCalendar(defaultSchedules());

  it('counts paused working days and pushes the deadline out', () => {
    const pauses = [
      { pausesClock: true, startedOn: '2026-03-02', endedOn: '2026-03-04' },
      { pausesClock: false, startedOn: '2026-03-02', endedOn: null },
    ];
    expect(pausedWorkingDays(calendar, pauses, '2026-03-10')).toBe(2);
    const clock = taskClock(
      calendar,
      { deadline: '2026-03-09', promisedDays: 5, finishedOn: null },
      pauses,
      '2026-03-05',
    );
    expect(clock.deadline).toBe('2026-03-11');
    expect(clock.clockState).toBe('normal');
  });

  it('turns to warning in the last 20% (at least one day) and overdue after the deadline', () => {
    expect(warningThreshold(5)).toBe(1);
    expect(warningThreshold(20)).toBe(4);
    expect(
      taskClock(calendar, { deadline: '2026-03-09', promisedDays: 5, finishedOn: null }, [], '2026-03-09')
        .clockState,
    ).toBe('warning');
    const late = taskClock(
      calendar,
      { deadline: '2026-03-09', promisedDays: 5, finishedOn: null },
      [],
      '2026-03-12',
    );
    expect(late).toMatchObject({ clockState: 'overdue', overdueWorkingDays: 3, remainingWorkingDays: 0 });
  });
});
