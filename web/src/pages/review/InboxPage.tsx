/**
 * 待办箱: the department's tasks at my step, nearest deadline first, with the clock state. Search, filters,
 * order and pages are the server's (GET /api/tasks); the export downloads the same list as Excel.
 */
import { Button, Card, Select, Space, Table } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SearchBox } from '../../components/SearchBox';
import { inboxExportUrl, useInbox, type InboxParams, type InboxTask } from '../projects/api';
import { stepText, useTx } from '../projects/strings';
import { ClockTag } from '../projects/ui';
import { useItemNames } from './itemNames';

type SortKey = NonNullable<InboxParams['sort']>;
const sortable = new Set<string>(['deadline', 'startedOn', 'projectName', 'projectCode', 'itemName']);

export default function InboxPage() {
  const tx = useTx();
  const name = useItemNames();
  const [params, setParams] = useState<InboxParams>({ page: 1, pageSize: 50 });
  const { data, isPending, isFetching, error, refetch } = useInbox(params);
  const update = (patch: Partial<InboxParams>) => setParams((p) => ({ ...p, page: 1, ...patch }));
  const sortOrder = (key: SortKey) =>
    (params.sort ?? 'deadline') === key ? (params.order === 'desc' ? 'descend' : 'ascend') : null;
  return (
    <>
      <PageHeader title={tx('审批工作台 · 待办', 'Workbench · inbox')} />
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <SearchBox
            width={320}
            onSearch={(q) => update({ q })}
            placeholder={tx('项目名称、项目代码或事项名称', 'Project name or code, or item')}
            label={tx('检索待办', 'Search the inbox')}
            buttonText={tx('检索', 'Search')}
            testId="inbox-search"
          />
          <Select
            style={{ width: 150 }}
            value={params.state ?? 'in_review'}
            onChange={(state) => update({ state })}
            aria-label={tx('办件状态', 'Task state')}
            data-testid="inbox-state"
            options={[
              { value: 'in_review', label: tx('待审', 'Waiting for me') },
              { value: 'correction', label: tx('补正中', 'Awaiting correction') },
              { value: 'paused', label: tx('特别程序中', 'Special procedure') },
              { value: 'running', label: tx('全部在办', 'All open') },
            ]}
          />
          <Select
            allowClear
            style={{ width: 150 }}
            value={params.clockState}
            onChange={(clockState) => update({ clockState })}
            placeholder={tx('计时状态', 'Clock state')}
            aria-label={tx('计时状态', 'Clock state')}
            data-testid="inbox-clock"
            options={[
              { value: 'normal', label: tx('正常', 'On time') },
              { value: 'warning', label: tx('预警', 'Warning') },
              { value: 'overdue', label: tx('逾期', 'Overdue') },
            ]}
          />
          <Button href={inboxExportUrl(params)} data-testid="inbox-export">
            {tx('导出 Excel', 'Export Excel')}
          </Button>
        </Space>
        <Table<InboxTask>
          rowKey="id"
          loading={isPending || isFetching}
          dataSource={data?.tasks ?? []}
          data-testid="inbox-table"
          pagination={{
            current: data?.page ?? params.page,
            pageSize: data?.pageSize ?? params.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => tx(`共 ${total} 件`, `${total} tasks`),
          }}
          onChange={(pagination, _filters, sorter) => {
            const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<InboxTask> | undefined;
            const key = typeof s?.columnKey === 'string' && sortable.has(s.columnKey) ? s.columnKey : null;
            setParams((p) => ({
              ...p,
              page: pagination.current ?? 1,
              pageSize: pagination.pageSize ?? p.pageSize,
              sort: key && s?.order ? (key as SortKey) : undefined,
              order: key && s?.order === 'descend' ? 'desc' : undefined,
            }));
          }}
          onRow={(t) =>
            ({
              'data-testid': `inbox-row-${t.projectCode}-${t.itemCode}`,
              style: t.clock.clockState === 'overdue' ? { background: '#fff1f0' } : undefined,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              key: 'itemName',
              title: tx('审批事项', 'Item'),
              dataIndex: 'itemName',
              sorter: true,
              sortOrder: sortOrder('itemName'),
              render: (_: string, t) => (
                <Link to={`/review/tasks/${t.id}`} data-testid={`inbox-open-${t.projectCode}-${t.itemCode}`}>
                  {name(t.itemCode)}
                </Link>
              ),
            },
            {
              key: 'projectCode',
              title: tx('项目代码', 'Project code'),
              dataIndex: 'projectCode',
              sorter: true,
              sortOrder: sortOrder('projectCode'),
            },
            {
              key: 'projectName',
              title: tx('项目名称', 'Project'),
              dataIndex: 'projectName',
              sorter: true,
              sortOrder: sortOrder('projectName'),
            },
            {
              title: tx('环节', 'Step'),
              dataIndex: 'currentStep',
              render: (s: string | null) => (s ? tx(...stepText[s]!) : '—'),
            },
            { title: tx('办件状态', 'State'), dataIndex: 'statusName' },
            {
              key: 'startedOn',
              title: tx('受理日', 'Started'),
              dataIndex: 'startedOn',
              sorter: true,
              sortOrder: sortOrder('startedOn'),
            },
            {
              key: 'deadline',
              title: tx('办理期限', 'Deadline'),
              sorter: true,
              sortOrder: sortOrder('deadline'),
              render: (_: unknown, t) => t.clock.deadline,
            },
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
