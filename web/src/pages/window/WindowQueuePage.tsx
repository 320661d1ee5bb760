/** 综合窗口收件队列: submitted applications first (一窗受理), then the other states by tab. */
import { Card, Table, Tabs } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StageTag } from '../../components/tags';
import { formatDateTime } from '../../lib/time';
import { useApplications, type ApplicationSummary } from '../projects/api';
import { useTx } from '../projects/strings';
import { ApplicationStatusTag } from '../projects/ui';

export default function WindowQueuePage() {
  const tx = useTx();
  const [status, setStatus] = useState('submitted');
  const { data, isPending, error, refetch } = useApplications(status);
  return (
    <>
      <PageHeader title={tx('综合窗口收件', 'Window: applications')} />
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Card>
        <Tabs
          activeKey={status}
          onChange={setStatus}
          items={[
            { key: 'submitted', label: tx('待受理', 'To accept') },
            { key: 'correction_requested', label: tx('待补正', 'Awaiting correction') },
            { key: 'accepted', label: tx('审批中', 'In review') },
            { key: 'completed', label: tx('已办结', 'Completed') },
            { key: 'refused', label: tx('不予受理', 'Refused') },
            { key: 'rejected', label: tx('不予许可', 'Rejected') },
            { key: 'withdrawn,terminated', label: tx('撤回/终止', 'Withdrawn / terminated') },
          ]}
        />
        <Table<ApplicationSummary>
          rowKey="id"
          loading={isPending}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          dataSource={data ?? []}
          data-testid="queue-table"
          onRow={(a) =>
            ({ 'data-testid': `queue-row-${a.projectCode}` }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: tx('项目代码', 'Project code'),
              dataIndex: 'projectCode',
              render: (code: string, a) => (
                <Link to={`/window/applications/${a.id}`} data-testid={`queue-open-${a.projectCode}`}>
                  {code}
                </Link>
              ),
            },
            { title: tx('项目名称', 'Project'), dataIndex: 'projectName' },
            { title: tx('建设单位', 'Enterprise'), dataIndex: 'enterpriseName' },
            { title: tx('阶段', 'Stage'), dataIndex: 'stage', render: (s: number) => <StageTag stage={s} /> },
            {
              title: tx('状态', 'Status'),
              dataIndex: 'status',
              render: (s: string) => <ApplicationStatusTag status={s} />,
            },
            { title: tx('提交时间', 'Submitted'), dataIndex: 'submittedAt', render: formatDateTime },
            { title: tx('预计办结', 'Expected'), dataIndex: 'expectedCompletion' },
          ]}
        />
      </Card>
    </>
  );
}
