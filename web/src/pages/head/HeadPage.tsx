/**
 * 部门负责人: the department's pending 延期 requests to approve or refuse with an opinion
 * (《行政许可法》第四十二条), and its decided tasks, on any of which the head may ask for a supervised
 * reopening (纠错) with a reason. Both lists come from one request (GET /api/head/tasks).
 */
import { App as AntApp, Button, Card, Flex, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StageTag } from '../../components/tags';
import { formatDateTime } from '../../lib/time';
import { keys, type TaskDetail, type TaskExtension } from '../projects/api';
import { useTx } from '../projects/strings';
import { ClockTag, TaskStatusTag } from '../projects/ui';

/** The department's tasks the head acts on (GET /api/head/tasks: pending 延期 and decided tasks). */
type HeadTask = Pick<
  TaskDetail,
  | 'id'
  | 'projectId'
  | 'projectCode'
  | 'projectName'
  | 'itemCode'
  | 'itemName'
  | 'stage'
  | 'status'
  | 'clock'
  | 'extensions'
  | 'reopenings'
> & { decidedAt: string | null };

function useDepartmentTasks(departmentCode: string) {
  return useQuery({
    queryKey: ['head', 'tasks', departmentCode],
    queryFn: async ({ signal }) =>
      (await api.get<{ tasks: HeadTask[] }>('/api/head/tasks', undefined, signal)).tasks,
    enabled: departmentCode !== '',
  });
}

interface PendingRow {
  task: HeadTask;
  extension: TaskExtension;
}

export default function HeadPage() {
  const tx = useTx();
  const { user } = useAuth();
  const { data, isPending, error, refetch } = useDepartmentTasks(user?.departmentCode ?? '');
  const [deciding, setDeciding] = useState<PendingRow | null>(null);
  const [reopening, setReopening] = useState<HeadTask | null>(null);
  const tasks = data ?? [];
  const pending: PendingRow[] = tasks.flatMap((task) =>
    task.extensions.filter((e) => e.status === 'pending').map((extension) => ({ task, extension })),
  );
  const decided = tasks.filter((t) => t.status === 'approved' || t.status === 'rejected');
  const rowId = (t: HeadTask) => `${t.projectCode}-${t.itemCode}`;
  return (
    <>
      <PageHeader title={tx('延期与纠错审批', 'Extensions and corrections')} />
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Flex vertical gap={16}>
        <Card title={tx('待审批的延期申请', 'Extension requests to decide')}>
          <Table<PendingRow>
            rowKey={(r) => r.extension.id}
            size="small"
            loading={isPending}
            pagination={false}
            dataSource={pending}
            data-testid="head-extensions"
            locale={{ emptyText: tx('暂无待审批的延期申请', 'No pending requests') }}
            onRow={(r) =>
              ({ 'data-testid': `head-ext-row-${rowId(r.task)}` }) as React.HTMLAttributes<HTMLElement>
            }
            columns={[
              {
                title: tx('项目', 'Project'),
                render: (_: unknown, r) => `${r.task.projectCode} ${r.task.projectName}`,
              },
              {
                title: tx('审批事项', 'Item'),
                render: (_: unknown, r) => <Link to={`/review/tasks/${r.task.id}`}>{r.task.itemName}</Link>,
              },
              { title: tx('阶段', 'Stage'), render: (_: unknown, r) => <StageTag stage={r.task.stage} /> },
              {
                title: tx('现办理期限', 'Deadline now'),
                render: (_: unknown, r) => (
                  <Space>
                    {r.task.clock.deadline}
                    <ClockTag state={r.task.clock.clockState} />
                  </Space>
                ),
              },
              {
                title: tx('申请延长', 'Asked'),
                render: (_: unknown, r) =>
                  tx(`${r.extension.workingDays} 个工作日`, `${r.extension.workingDays} working days`),
              },
              { title: tx('延期理由', 'Reason'), render: (_: unknown, r) => r.extension.reason },
              {
                title: tx('申请时间', 'Asked on'),
                render: (_: unknown, r) => formatDateTime(r.extension.requestedAt),
              },
              {
                title: tx('操作', 'Actions'),
                render: (_: unknown, r) => (
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => setDeciding(r)}
                    data-testid={`head-ext-open-${rowId(r.task)}`}
                  >
                    {tx('审批', 'Decide')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
        <Card title={tx('本部门已办结事项（纠错）', 'Decided tasks (reopen a wrong decision)')}>
          <Typography.Paragraph type="secondary">
            {tx(
              '对确有错误的审批决定，可提出纠错申请，经电子监察会签后回到复核环节重新办理，已核发的证照将被撤销。',
              'A wrong decision can be reopened: after a supervisor countersigns, the task returns to its final step and its certificate is revoked.',
            )}
          </Typography.Paragraph>
          <Table<HeadTask>
            rowKey="id"
            size="small"
            loading={isPending}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            dataSource={decided}
            data-testid="head-decided"
            onRow={(t) =>
              ({ 'data-testid': `head-task-row-${rowId(t)}` }) as React.HTMLAttributes<HTMLElement>
            }
            columns={[
              {
                title: tx('项目', 'Project'),
                render: (_: unknown, t) => `${t.projectCode} ${t.projectName}`,
              },
              {
                title: tx('审批事项', 'Item'),
                render: (_: unknown, t) => <Link to={`/review/tasks/${t.id}`}>{t.itemName}</Link>,
              },
              {
                title: tx('办理状态', 'State'),
                render: (_: unknown, t) => <TaskStatusTag status={t.status} />,
              },
              {
                title: tx('决定时间', 'Decided'),
                render: (_: unknown, t) => formatDateTime(t.decidedAt),
              },
              {
                title: tx('操作', 'Actions'),
                render: (_: unknown, t) =>
                  t.reopenings.some((r) => r.status === 'pending') ? (
                    <Tag color="gold" data-testid={`head-reopen-pending-${rowId(t)}`}>
                      {tx('纠错待监察会签', 'Awaiting countersignature')}
                    </Tag>
                  ) : (
                    <Button
                      size="small"
                      danger
                      onClick={() => setReopening(t)}
                      data-testid={`head-reopen-${rowId(t)}`}
                    >
                      {tx('提出纠错', 'Reopen')}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
      </Flex>
      {deciding && <DecideExtension row={deciding} onClose={() => setDeciding(null)} />}
      {reopening && <RequestReopen task={reopening} onClose={() => setReopening(null)} />}
    </>
  );
}

function useAfter() {
  const client = useQueryClient();
  return async (taskId: string) => {
    await client.invalidateQueries({ queryKey: ['head'] });
    await client.invalidateQueries({ queryKey: keys.task(taskId) });
  };
}

function DecideExtension({ row, onClose }: { row: PendingRow; onClose: () => void }) {
  const tx = useTx();
  const after = useAfter();
  const { message } = AntApp.useApp();
  const [opinion, setOpinion] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ deadline: string }>(
        `/api/tasks/${row.task.id}/extensions/${row.extension.id}/decision`,
        { approve, opinion: opinion.trim() },
      );
      message.success(
        approve
          ? tx(`已批准延期，办理期限顺延至 ${r.deadline}`, `Approved: deadline now ${r.deadline}`)
          : tx('已不予批准延期', 'Extension refused'),
      );
      await after(row.task.id);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const ok = opinion.trim().length >= 2;
  return (
    <Modal
      open
      title={tx('审批延期申请', 'Decide the extension')}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{tx('取消', 'Cancel')}</Button>
          <Button
            danger
            disabled={!ok}
            loading={busy}
            onClick={() => void decide(false)}
            data-testid="head-ext-refuse"
          >
            {tx('不予批准', 'Refuse')}
          </Button>
          <Button
            type="primary"
            disabled={!ok}
            loading={busy}
            onClick={() => void decide(true)}
            data-testid="head-ext-approve"
          >
            {tx('批准延期', 'Approve')}
          </Button>
        </Space>
      }
    >
      <Flex vertical gap={8}>
        <span>
          {row.task.itemName}（{row.task.projectCode}）
        </span>
        <span>
          {tx(
            `申请延长 ${row.extension.workingDays} 个工作日；现办理期限 ${row.task.clock.deadline}`,
            `${row.extension.workingDays} working days more; deadline now ${row.task.clock.deadline}`,
          )}
        </span>
        <span>
          {tx('理由', 'Reason')}：{row.extension.reason}
        </span>
        <Input.TextArea
          rows={3}
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
          placeholder={tx('审批意见', 'Opinion')}
          data-testid="head-ext-opinion"
        />
        {error !== null && <ErrorAlert error={error} />}
      </Flex>
    </Modal>
  );
}

function RequestReopen({ task, onClose }: { task: HeadTask; onClose: () => void }) {
  const tx = useTx();
  const after = useAfter();
  const { message } = AntApp.useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/tasks/${task.id}/reopen`, { reason: reason.trim() });
      message.success(tx('纠错申请已提交，待电子监察会签', 'Reopening requested'));
      await after(task.id);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={tx('提出纠错（重新办理）', 'Request a reopening')}
      okText={tx('提交', 'Submit')}
      cancelText={tx('取消', 'Cancel')}
      confirmLoading={busy}
      okButtonProps={{
        danger: true,
        disabled: reason.trim().length < 2,
        'data-testid': 'head-reopen-confirm',
      }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Flex vertical gap={8}>
        <span>
          {task.itemName}（{task.projectCode}）· <TaskStatusTag status={task.status} />
        </span>
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={tx('纠错理由：原决定错在何处', 'Reason: what was wrong')}
          data-testid="head-reopen-reason"
        />
        {error !== null && <ErrorAlert error={error} />}
      </Flex>
    </Modal>
  );
}
