/**
 * 纠错会签: the reopenings department heads asked for (GET /api/reopenings), each with its reason; a
 * supervisor countersigns with an opinion (the task goes back to its final step and its certificate is
 * revoked) or declines. Only a supervisor signs; an administrator sees the list.
 */
import { App as AntApp, Button, Card, Flex, Input, Modal, Space, Table, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useDepartmentNames } from '../../api/hooks';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/time';
import { keys, type PendingReopening as Listed } from '../projects/api';

/** fromStatus revoked: the reopening corrects a mistaken 撤销 (the approval is reinstated). */
type PendingReopening = Listed & { fromStatus?: string };
const correctsRevocation = (r: PendingReopening) => r.fromStatus === 'revoked';
import { useTx } from '../projects/strings';
import { useItemNames } from '../review/itemNames';

export default function ReopenCountersignPage() {
  const tx = useTx();
  const dept = useDepartmentNames();
  const itemName = useItemNames();
  const { hasRole } = useAuth();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: keys.reopenings,
    queryFn: ({ signal }) =>
      api.get<{ reopenings: PendingReopening[] }>('/api/reopenings', undefined, signal),
    select: (d) => d.reopenings,
  });
  const [signing, setSigning] = useState<PendingReopening | null>(null);
  return (
    <>
      <PageHeader title={tx('纠错会签', 'Reopenings to countersign')} />
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Card>
        <Typography.Paragraph type="secondary">
          {tx(
            '部门负责人对确有错误的审批决定提出纠错，经电子监察会签后，该事项回到复核环节重新办理，原核发的证照撤销，并记入异常记录。',
            'A head asks to reopen a wrong decision; once countersigned the task returns to its final step, its certificate is revoked and an anomaly is recorded.',
          )}
          {tx(
            '对撤销决定的纠错，会签后原审批决定恢复效力、证照恢复有效，因撤销记入的信用记录撤回。',
            ' Correcting a mistaken revocation reinstates the approval and its certificate and withdraws the revocation’s credit record.',
          )}
        </Typography.Paragraph>
        <Table<PendingReopening>
          rowKey="id"
          size="small"
          loading={isPending}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          dataSource={data ?? []}
          data-testid="reopenings-table"
          locale={{ emptyText: tx('暂无待会签的纠错申请', 'Nothing to countersign') }}
          onRow={(r) =>
            ({
              'data-testid': `reopening-row-${r.projectCode}-${r.itemCode}`,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            { title: tx('项目', 'Project'), render: (_: unknown, r) => `${r.projectCode} ${r.projectName}` },
            {
              title: tx('审批事项', 'Item'),
              render: (_: unknown, r) => <Link to={`/review/tasks/${r.taskId}`}>{itemName(r.itemCode)}</Link>,
            },
            { title: tx('办理部门', 'Department'), render: (_: unknown, r) => dept(r.departmentCode) },
            {
              title: tx('纠错内容', 'Correction'),
              render: (_: unknown, r) =>
                correctsRevocation(r)
                  ? tx('撤销决定有误，恢复审批决定', 'Reinstate a revoked approval')
                  : tx('重新办理', 'Decide again'),
            },
            { title: tx('纠错理由', 'Reason'), dataIndex: 'reason' },
            { title: tx('申请时间', 'Asked on'), render: (_: unknown, r) => formatDateTime(r.requestedAt) },
            {
              title: tx('操作', 'Actions'),
              render: (_: unknown, r) =>
                hasRole('supervisor') ? (
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => setSigning(r)}
                    data-testid={`reopening-open-${r.projectCode}-${r.itemCode}`}
                  >
                    {tx('会签', 'Countersign')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      {signing && <Countersign reopening={signing} onClose={() => setSigning(null)} />}
    </>
  );
}

function Countersign({ reopening, onClose }: { reopening: PendingReopening; onClose: () => void }) {
  const tx = useTx();
  const itemName = useItemNames();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [opinion, setOpinion] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const sign = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/tasks/${reopening.taskId}/reopen/${reopening.id}/countersign`, {
        approve,
        opinion: opinion.trim(),
      });
      message.success(
        !approve
          ? tx('已不同意纠错', 'Declined')
          : correctsRevocation(reopening)
            ? tx('已会签，原审批决定恢复效力', 'Countersigned: the approval is reinstated')
            : tx('已会签，该事项回到复核环节重新办理', 'Countersigned: the task is back in review'),
      );
      await client.invalidateQueries({ queryKey: keys.reopenings });
      await client.invalidateQueries({ queryKey: keys.task(reopening.taskId) });
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
      title={tx('纠错会签', 'Countersign the reopening')}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{tx('取消', 'Cancel')}</Button>
          <Button
            disabled={!ok}
            loading={busy}
            onClick={() => void sign(false)}
            data-testid="countersign-refuse"
          >
            {tx('不同意', 'Decline')}
          </Button>
          <Button
            type="primary"
            disabled={!ok}
            loading={busy}
            onClick={() => void sign(true)}
            data-testid="countersign-approve"
          >
            {tx('同意纠错', 'Countersign')}
          </Button>
        </Space>
      }
    >
      <Flex vertical gap={8}>
        <span>
          {reopening.projectCode} {reopening.projectName} · {itemName(reopening.itemCode)}
        </span>
        {correctsRevocation(reopening) && (
          <Typography.Text type="warning" data-testid="countersign-reinstates">
            {tx(
              '该事项的审批决定已被撤销。同意纠错后，原审批决定恢复效力，证照恢复有效，因撤销记入的信用记录撤回。',
              'This approval was revoked. Countersigning reinstates it and its certificate and withdraws the credit record of the revocation.',
            )}
          </Typography.Text>
        )}
        <span>
          {tx('纠错理由', 'Reason')}：{reopening.reason}
        </span>
        <Input.TextArea
          rows={3}
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
          placeholder={tx('会签意见', 'Opinion')}
          data-testid="countersign-opinion"
        />
        {error !== null && <ErrorAlert error={error} />}
      </Flex>
    </Modal>
  );
}
