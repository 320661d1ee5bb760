/**
 * 综合窗口收件队列: submitted applications first (一窗受理), then the other states by tab. Search, filters,
 * order and pages are the server's (GET /api/applications); a district's window sees its district only.
 * The export downloads the same list as Excel.
 */
import { Button, Card, Select, Space, Table, Tabs } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SearchBox } from '../../components/SearchBox';
import { StageTag, STAGES, stageKey } from '../../components/tags';
import { useT } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import {
  applicationsExportUrl,
  useApplicationQueue,
  useDistricts,
  type ApplicationSummary,
  type QueueParams,
} from '../projects/api';
import { useTx } from '../projects/strings';
import { ApplicationStatusTag } from '../projects/ui';

type SortKey = NonNullable<QueueParams['sort']>;
const sortable = new Set<string>([
  'submittedAt',
  'projectName',
  'projectCode',
  'stage',
  'expectedCompletion',
]);

export default function WindowQueuePage() {
  const tx = useTx();
  const t = useT();
  const { user } = useAuth();
  const [params, setParams] = useState<QueueParams>({ status: 'submitted', page: 1, pageSize: 50 });
  const { data, isPending, isFetching, error, refetch } = useApplicationQueue(params);
  const districts = useDistricts();
  const districtName = new Map((districts.data ?? []).map((d) => [d.code, d.name]));
  const ownDistrict = user?.districtCode ?? null;
  const update = (patch: Partial<QueueParams>) => setParams((p) => ({ ...p, page: 1, ...patch }));
  const sortOrder = (key: SortKey) =>
    (params.sort ?? 'submittedAt') === key ? (params.order === 'desc' ? 'descend' : 'ascend') : null;
  const rows = (data?.applications ?? []) as ApplicationSummary[];
  return (
    <>
      <PageHeader
        title={
          ownDistrict
            ? tx(
                `综合窗口收件 · ${districtName.get(ownDistrict) ?? ''}`,
                `Window: applications · ${districtName.get(ownDistrict) ?? ''}`,
              )
            : tx('综合窗口收件', 'Window: applications')
        }
      />
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Card>
        <Tabs
          activeKey={params.status ?? 'submitted'}
          onChange={(status) => update({ status })}
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
        <Space wrap style={{ marginBottom: 16 }}>
          <SearchBox
            width={320}
            onSearch={(q) => update({ q })}
            placeholder={tx('项目名称、项目代码或建设单位', 'Project name or code, or enterprise')}
            label={tx('检索申报', 'Search applications')}
            buttonText={tx('检索', 'Search')}
            testId="queue-search"
          />
          <Select
            allowClear
            style={{ width: 190 }}
            value={params.stage}
            onChange={(stage?: number) => update({ stage })}
            placeholder={tx('审批阶段', 'Stage')}
            aria-label={tx('审批阶段', 'Stage')}
            data-testid="queue-stage"
            options={STAGES.map((s) => {
              const key = stageKey(s);
              return { value: s, label: key ? t(key) : String(s) };
            })}
          />
          {!ownDistrict && (
            <Select
              allowClear
              style={{ width: 160 }}
              value={params.districtCode}
              onChange={(districtCode?: string) => update({ districtCode })}
              placeholder={tx('所在区县', 'District')}
              aria-label={tx('所在区县', 'District')}
              data-testid="queue-district"
              options={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
            />
          )}
          <Button href={applicationsExportUrl(params)} data-testid="queue-export">
            {tx('导出 Excel', 'Export Excel')}
          </Button>
        </Space>
        <Table<ApplicationSummary>
          rowKey="id"
          loading={isPending || isFetching}
          dataSource={rows}
          data-testid="queue-table"
          pagination={{
            current: data?.page ?? params.page,
            pageSize: data?.pageSize ?? params.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => tx(`共 ${total} 件`, `${total} applications`),
          }}
          onChange={(pagination, _filters, sorter) => {
            const s = (Array.isArray(sorter) ? sorter[0] : sorter) as
              SorterResult<ApplicationSummary> | undefined;
            const key = typeof s?.columnKey === 'string' && sortable.has(s.columnKey) ? s.columnKey : null;
            setParams((p) => ({
              ...p,
              page: pagination.current ?? 1,
              pageSize: pagination.pageSize ?? p.pageSize,
              sort: key && s?.order ? (key as SortKey) : undefined,
              order: key && s?.order === 'descend' ? 'desc' : undefined,
            }));
          }}
          onRow={(a) =>
            ({ 'data-testid': `queue-row-${a.projectCode}` }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              key: 'projectCode',
              title: tx('项目代码', 'Project code'),
              dataIndex: 'projectCode',
              sorter: true,
              sortOrder: sortOrder('projectCode'),
              render: (code: string, a) => (
                <Link to={`/window/applications/${a.id}`} data-testid={`queue-open-${a.projectCode}`}>
                  {code}
                </Link>
              ),
            },
            {
              key: 'projectName',
              title: tx('项目名称', 'Project'),
              dataIndex: 'projectName',
              sorter: true,
              sortOrder: sortOrder('projectName'),
            },
            { title: tx('建设单位', 'Enterprise'), dataIndex: 'enterpriseName' },
            {
              title: tx('所在区县', 'District'),
              dataIndex: 'districtCode',
              render: (code: string | undefined) => (code ? (districtName.get(code) ?? '—') : '—'),
            },
            {
              key: 'stage',
              title: tx('阶段', 'Stage'),
              dataIndex: 'stage',
              sorter: true,
              sortOrder: sortOrder('stage'),
              render: (s: number) => <StageTag stage={s} />,
            },
            {
              title: tx('状态', 'Status'),
              dataIndex: 'status',
              render: (s: string) => <ApplicationStatusTag status={s} />,
            },
            {
              key: 'submittedAt',
              title: tx('提交时间', 'Submitted'),
              dataIndex: 'submittedAt',
              sorter: true,
              sortOrder: sortOrder('submittedAt'),
              render: formatDateTime,
            },
            {
              key: 'expectedCompletion',
              title: tx('预计办结', 'Expected'),
              dataIndex: 'expectedCompletion',
              sorter: true,
              sortOrder: sortOrder('expectedCompletion'),
            },
          ]}
        />
      </Card>
    </>
  );
}
