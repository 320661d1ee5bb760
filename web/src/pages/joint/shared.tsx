/**
 * What the joint desks share (issue 11): one way to run an action (message, refresh), one frame for a
 * desk's list, and the Chinese / English names of every joint state (a person never reads the code).
 */
import { App as AntApp, Card, Flex, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useTx } from '../projects/strings';
import type { DrawingReview, MergedAssessment, SchemeReview, UtilityCase } from './api';

/** Runs a call, says it worked (or why not) and refreshes the desk's queries. */
export function useJointAction(invalidate: readonly unknown[]) {
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  return async (run: () => Promise<unknown>, done: string): Promise<boolean> => {
    try {
      await run();
      void message.success(done);
      await qc.invalidateQueries({ queryKey: invalidate });
      return true;
    } catch (e) {
      void message.error((e as Error).message);
      return false;
    }
  };
}

/** A desk: its explanation, its cards (or a loading card), and what it says when there are none. */
export function DeskFrame(props: {
  intro: string;
  error: unknown;
  retry: () => void;
  pending: boolean;
  empty: string;
  count: number | undefined;
  before?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      {props.error ? <ErrorAlert error={props.error} onRetry={props.retry} /> : null}
      <Typography.Paragraph type="secondary">{props.intro}</Typography.Paragraph>
      {props.before}
      <Flex vertical gap={16}>
        {props.pending && <Card loading />}
        {props.children}
        {props.count === 0 && <Typography.Text type="secondary">{props.empty}</Typography.Text>}
      </Flex>
    </>
  );
}

/** [中文, English, tag colour] of each state. */
type Names<S extends string> = Record<S, [string, string, string]>;

export const reviewStatus: Names<DrawingReview['status']> = {
  in_review: ['审查中', 'In review', 'processing'],
  failed: ['审查不合格', 'Failed', 'error'],
  passed: ['审查合格', 'Passed', 'success'],
  revoked: ['结论已撤销', 'Revoked', 'default'],
};
export const utilityStatus: Names<UtilityCase['status']> = {
  pending: ['未告知', 'Not told', 'default'],
  notified: ['已告知，待报装', 'Told, awaiting application', 'processing'],
  applied: ['已报装', 'Applied', 'processing'],
  works: ['配套工程施工中', 'Works under way', 'processing'],
  connected: ['已接入', 'Connected', 'success'],
  not_needed: ['不需要', 'Not needed', 'default'],
};
export const schemeStatus: Names<SchemeReview['status']> = {
  consulting: ['征求意见中', 'Asking opinions', 'processing'],
  returned: ['退回修改', 'Returned for revision', 'warning'],
  passed: ['方案联审通过', 'Passed', 'success'],
  withdrawn: ['已结束', 'Ended', 'default'],
};
export const opinionState: Record<SchemeReview['opinions'][number]['state'], [string, string]> = {
  answered: ['已反馈', 'Answered'],
  awaited: ['待反馈', 'Awaited'],
  overdue: ['逾期未反馈（视为无意见）', 'Overdue (no objection)'],
};
export const assessmentStatus: Names<MergedAssessment['status']> = {
  preparing: ['报告编制中', 'Report in preparation', 'default'],
  in_review: ['集中评审中', 'Under review', 'processing'],
  failed: ['评审不通过，待修改报告', 'Failed, revised report awaited', 'error'],
  passed: ['评审通过', 'Passed', 'success'],
  withdrawn: ['已结束', 'Ended', 'default'],
};

/** The department staff who review (the 方案联审 and 多评合一 actions are theirs). */
export const staffRoles: readonly string[] = ['reviewer', 'senior', 'head'];

/** Experts one per line: 姓名，专业，职称. */
export function parseExperts(text: string) {
  return text
    .split('\n')
    .map((l) => l.split(/[，,、\s]+/).filter(Boolean))
    .filter((p) => p.length > 0)
    .map(([name, specialty, title]) => ({ name: name!, specialty: specialty ?? '—', title: title ?? '—' }));
}

export function useStateName() {
  const tx = useTx();
  return <S extends string>(names: Names<S>, s: S) => tx(names[s][0], names[s][1]);
}
