/** Every stage of a project with its item tasks: department, deadline, state and clock tag. */
import { useQueries } from '@tanstack/react-query';
import { Button, Card, Flex, Table, Tag, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useDepartmentNames } from '../../api/hooks';
import { api } from '../../api/client';
import {
  keys,
  REAPPLICABLE,
  TASK_ENDED,
  type Project,
  type ProjectStage,
  type ProjectTask,
  type TaskClock,
  type TaskDetail,
} from './api';
import { remedyNotice, useTx } from './strings';
import { ClockTag, StageStatusTag, TaskStatusTag } from './ui';

const DOT: Record<string, string> = {
  completed: 'green',
  accepted: 'blue',
  submitted: 'blue',
  correction_requested: 'orange',
  refused: 'red',
  rejected: 'red',
  withdrawn: 'gray',
  terminated: 'red',
  open: 'cyan',
  locked: 'gray',
};

export function StageTimeline({
  project,
  actions,
  children,
}: {
  project: Project;
  actions?: (stage: ProjectStage) => ReactNode;
  children?: (stage: ProjectStage) => ReactNode;
}) {
  const tx = useTx();
  const dept = useDepartmentNames();
  return (
    <Timeline
      data-testid="stage-timeline"
      items={project.stages.map((s) => ({
        color: DOT[s.status] ?? 'gray',
        content: (
          <Card
            size="small"
            data-testid={`stage-${s.nationalStage}`}
            title={
              <Flex gap={8} align="center" wrap>
                <span>
                  {tx(`第${s.nationalStage}阶段`, `Stage ${s.nationalStage}`)} · {s.name}
                </span>
                <StageStatusTag status={s.status} testId={`stage-status-${s.nationalStage}`} />
                <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                  {tx('牵头', 'Lead')}：{dept(s.leadDepartmentCode)} ·{' '}
                  {tx(`时限 ${s.timeLimitWorkingDays} 个工作日`, `${s.timeLimitWorkingDays} working days`)}
                </Typography.Text>
              </Flex>
            }
            extra={actions?.(s)}
          >
            {s.tasks.length > 0 ? (
              <TaskTable tasks={s.tasks} />
            ) : (
              <Typography.Text type="secondary">
                {s.status === 'locked'
                  ? tx('前一阶段办结后开放', 'Opens when the previous stage completes')
                  : tx('受理后各事项并联办理', 'Items run in parallel after acceptance')}
              </Typography.Text>
            )}
            {children?.(s)}
          </Card>
        ),
      }))}
    />
  );
}

/** What every view's clock carries (the project view's is the task detail's without the calendar flag). */
type ClockView = Pick<
  TaskClock,
  'clockState' | 'deadline' | 'paused' | 'remainingWorkingDays' | 'overdueWorkingDays'
>;

export function TaskTable({ tasks, link }: { tasks: ProjectTask[]; link?: boolean }) {
  const tx = useTx();
  const dept = useDepartmentNames();
  // The project view lists tasks without their clock: each task's working-day clock, 延期 and the
  // reason it ended come from its detail (the one clock rule on the server).
  const details = useQueries({
    queries: tasks.map((t) => ({
      queryKey: keys.task(t.id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<TaskDetail>(`/api/tasks/${t.id}`, undefined, signal),
    })),
  });
  const detailOf = (t: ProjectTask) => details.find((d) => d.data?.id === t.id)?.data;
  // The server's working-day clock (approvals/clock.rules): the project view carries it, the task's
  // detail too; the page never works one out itself.
  const clockOf = (t: ProjectTask): ClockView | null => t.clock ?? detailOf(t)?.clock ?? null;
  const stateOf = (t: ProjectTask) => clockOf(t)?.clockState;
  return (
    <Table<ProjectTask>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={tasks}
      onRow={(t) => {
        const state = stateOf(t);
        return {
          'data-testid': `task-row-${t.itemCode}`,
          'data-task-id': t.id,
          style: state === 'overdue' && !TASK_ENDED.has(t.status) ? { background: '#fff1f0' } : undefined,
        } as React.HTMLAttributes<HTMLElement>;
      }}
      columns={[
        {
          title: tx('审批事项', 'Item'),
          dataIndex: 'itemName',
          render: (name: string, t) => (link ? <Link to={`/review/tasks/${t.id}`}>{name}</Link> : name),
        },
        { title: tx('办理部门', 'Department'), dataIndex: 'departmentCode', render: dept },
        {
          title: tx('办理期限', 'Deadline'),
          render: (_: unknown, t) => (
            <span data-testid="task-deadline">{clockOf(t)?.deadline ?? t.deadline}</span>
          ),
        },
        {
          title: tx('办理状态', 'State'),
          dataIndex: 'status',
          render: (s: string) => <TaskStatusTag status={s} />,
        },
        {
          title: tx('计时', 'Clock'),
          render: (_: unknown, t) => {
            const clock = clockOf(t);
            if (!clock) return <Typography.Text type="secondary">—</Typography.Text>;
            return (
              <Flex gap={4} align="center" wrap>
                <ClockTag state={clock.clockState} />
                {!TASK_ENDED.has(t.status) && <WorkingDaysLeft clock={clock} />}
                {clock.paused && <Typography.Text type="warning">{tx('暂停计时', 'Paused')}</Typography.Text>}
              </Flex>
            );
          },
        },
        {
          title: tx('说明', 'Notes'),
          render: (_: unknown, t) => {
            const detail = detailOf(t);
            return detail ? <TaskNotes task={detail} /> : null;
          },
        },
      ]}
    />
  );
}

/** 剩余 N 个工作日 / 逾期 N 个工作日 of a running task's clock. */
export function WorkingDaysLeft({ clock }: { clock: ClockView }) {
  const tx = useTx();
  if (clock.overdueWorkingDays > 0) {
    return (
      <Typography.Text type="danger" data-testid="task-overdue-days">
        {tx(`逾期 ${clock.overdueWorkingDays} 个工作日`, `${clock.overdueWorkingDays} working days overdue`)}
      </Typography.Text>
    );
  }
  return (
    <Typography.Text type="secondary" data-testid="task-remaining-days">
      {tx(`剩余 ${clock.remainingWorkingDays} 个工作日`, `${clock.remainingWorkingDays} working days left`)}
    </Typography.Text>
  );
}

/**
 * What the applicant must know of one task: its approved 延期 and why, a pending one, the 不予许可 reason
 * with the notice of remedies, and why a task ended without a decision (撤回, 终止).
 */
export function TaskNotes({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const approved = task.extensions.find((e) => e.status === 'approved');
  const pending = task.extensions.find((e) => e.status === 'pending');
  const reason = task.status === 'rejected' ? withoutRemedy(task.opinion) : null;
  return (
    <Flex vertical gap={2}>
      {approved && (
        <span data-testid="task-extension">
          <Tag color="purple">
            {tx(`延期 ${approved.workingDays} 个工作日`, `Extended by ${approved.workingDays} working days`)}
          </Tag>
          {tx('理由', 'Reason')}：{approved.reason}
        </span>
      )}
      {pending && !approved && (
        <Typography.Text type="secondary" data-testid="task-extension-pending">
          {tx(`延期申请（${pending.workingDays} 个工作日）待负责人审批`, 'Extension awaiting the head')}
        </Typography.Text>
      )}
      {task.status === 'rejected' && (
        <span data-testid="task-rejection">
          <Typography.Text type="danger">
            {tx('不予许可理由', 'Reason for rejection')}：{reason || '—'}
          </Typography.Text>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="task-remedy">
            {tx(...remedyNotice)}
          </Typography.Text>
        </span>
      )}
      {(task.status === 'withdrawn' || task.status === 'terminated') && task.endedReason && (
        <Typography.Text type="secondary" data-testid="task-ended-reason">
          {tx('结束原因', 'Ended because')}：{task.endedReason}
        </Typography.Text>
      )}
      {task.reopenings.some((r) => r.status === 'approved') && task.status === 'in_review' && (
        <Tag color="magenta">{tx('纠错后重新办理', 'Reopened after correction')}</Tag>
      )}
    </Flex>
  );
}

/** The opinion of a 不予许可 without the notice of remedies the server appends (shown in the reader's language). */
export function withoutRemedy(opinion: string | null): string {
  return (opinion ?? '')
    .split('\n')
    .filter((line) => line.trim() !== remedyNotice[0])
    .join('\n')
    .trim();
}

export function ApplyButton({ projectId, stage }: { projectId: string; stage: ProjectStage }) {
  const tx = useTx();
  const again = REAPPLICABLE.has(stage.status);
  if (stage.status !== 'open' && !again) return null;
  return (
    <Link to={`/projects/${projectId}/stages/${stage.nationalStage}/apply`}>
      <Button
        type="primary"
        size="small"
        data-testid={again ? `reapply-stage-${stage.nationalStage}` : `apply-stage-${stage.nationalStage}`}
      >
        {again ? tx('重新申报本阶段', 'Apply again for this stage') : tx('查看指南并申报', 'Guide & apply')}
      </Button>
    </Link>
  );
}
