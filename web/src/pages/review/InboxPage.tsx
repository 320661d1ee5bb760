/** 待办箱: the department's tasks at my step, nearest deadline first, with the clock state. */
import { Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useInbox, type InboxTask } from '../projects/api';
import { stepText, useTx } from '../projects/strings';
import { ClockTag } from '../projects/ui';
import { useItemNames } from './itemNames';

export default function InboxPage() {
  const tx = useTx();
  const name = useItemNames();
  const { data, isPending, error, refetch } = useInbox();
  return (
    <>
      <PageHeader title={tx('审批工作台 · 待办', 'Workbench · inbox')} />
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Card>
        <Table<InboxTask>
          rowKey="id"
          loading={isPending}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          dataSource={data ?? []}
          data-testid="inbox-table"
          onRow={(t) =>
            ({
              'data-testid': `inbox-row-${t.projectCode}-${t.itemCode}`,
              style: t.clock.clockState === 'overdue' ? { background: '#fff1f0' } : undefined,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: tx('审批事项', 'Item'),
              dataIndex: 'itemCode',
              render: (code: string, t) => (
                <Link to={`/review/tasks/${t.id}`} data-testid={`inbox-open-${t.projectCode}-${t.itemCode}`}>
                  {name(code)}
                </Link>
              ),
            },
            { title: tx('项目代码', 'Project code'), dataIndex: 'projectCode' },
            { title: tx('项目名称', 'Project'), dataIndex: 'projectName' },
            {
              title: tx('环节', 'Step'),
              dataIndex: 'currentStep',
              render: (s: string | null) => (s ? tx(...stepText[s]!) : '—'),
            },
            { title: tx('受理日', 'Started'), dataIndex: 'startedOn' },
            { title: tx('办理期限', 'Deadline'), render: (_: unknown, t) => t.clock.deadline },
            {
              title: tx('计时', 'Clock'),
              render: (_: unknown, t) => (
                <>
                  <ClockTag state={t.clock.clockState} />
                  {t.clock.overdueWorkingDays > 0
                    ? tx(
                        `逾期 ${t.clock.overdueWorkingDays} 个工作日`,
                        `${t.clock.overdueWorkingDays} days late`,
                      )
                    : tx(
                        `剩余 ${t.clock.remainingWorkingDays} 个工作日`,
                        `${t.clock.remainingWorkingDays} days left`,
                      )}
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
