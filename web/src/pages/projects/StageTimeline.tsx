/** Every stage of a project with its item tasks: department, deadline, state and clock tag. */
import { useQueries } from '@tanstack/react-query';
import { Button, Card, Flex, Table, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useDepartmentNames } from '../../api/hooks';
import { todayInBeijing } from '../../lib/time';
import { api } from '../../api/client';
import { keys, type Project, type ProjectStage, type ProjectTask, type TaskDetail } from './api';
import { useTx } from './strings';
import { approximateClock, ClockTag, StageStatusTag, TaskStatusTag } from './ui';

const FINISHED = new Set(['approved', 'rejected', 'revoked']);
const DOT: Record<string, string> = {
  completed: 'green',
  accepted: 'blue',
  submitted: 'blue',
  correction_requested: 'orange',
  refused: 'red',
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
  const today = todayInBeijing();
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
              <TaskTable tasks={s.tasks} today={today} />
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

export function TaskTable({ tasks, today, link }: { tasks: ProjectTask[]; today: string; link?: boolean }) {
  const tx = useTx();
  const dept = useDepartmentNames();
  // The project view lists tasks without their clock: each task's working-day clock comes from its detail.
  const details = useQueries({
    queries: tasks.map((t) => ({
      queryKey: keys.task(t.id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<TaskDetail>(`/api/tasks/${t.id}`, undefined, signal),
    })),
  });
  const clockOf = (t: ProjectTask) => {
    const detail = details.find((d) => d.data?.id === t.id)?.data;
    return detail ? detail.clock : null;
  };
  const stateOf = (t: ProjectTask) =>
    clockOf(t)?.clockState ?? approximateClock(t.deadline, today, FINISHED.has(t.status));
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
          style: state === 'overdue' ? { background: '#fff1f0' } : undefined,
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
          render: (_: unknown, t) => clockOf(t)?.deadline ?? t.deadline,
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
            if (!clock) return <ClockTag state={stateOf(t)} estimated />;
            return (
              <>
                <ClockTag state={clock.clockState} />
                {clock.paused && <Typography.Text type="warning">{tx('暂停计时', 'Paused')}</Typography.Text>}
              </>
            );
          },
        },
      ]}
    />
  );
}

export function ApplyButton({ projectId, stage }: { projectId: string; stage: ProjectStage }) {
  const tx = useTx();
  if (stage.status !== 'open' && stage.status !== 'refused') return null;
  return (
    <Link to={`/projects/${projectId}/stages/${stage.nationalStage}/apply`}>
      <Button type="primary" size="small" data-testid={`apply-stage-${stage.nationalStage}`}>
        {tx('查看指南并申报', 'Guide & apply')}
      </Button>
    </Link>
  );
}
