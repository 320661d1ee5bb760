/**
 * 我的项目: the projects in my scope with their current stage. Search, filters, order and pages are the
 * server's (GET /api/projects); the export downloads the same list as Excel.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space, Table } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SearchBox } from '../../components/SearchBox';
import { STAGES, stageKey } from '../../components/tags';
import { useAuth } from '../../auth';
import { useT } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import {
  projectsExportUrl,
  useDistricts,
  useProjectList,
  type ProjectListParams,
  type ProjectSummary,
} from './api';
import { useTx } from './strings';
import { StageStatusTag } from './ui';

type SortKey = NonNullable<ProjectListParams['sort']>;
const sortable = new Set<string>(['createdAt', 'name', 'code']);

export default function ProjectListPage() {
  const tx = useTx();
  const t = useT();
  const { hasRole } = useAuth();
  const [params, setParams] = useState<ProjectListParams>({ page: 1, pageSize: 50 });
  const { data, isPending, isFetching, error, refetch } = useProjectList(params);
  const districts = useDistricts();
  const districtName = new Map((districts.data ?? []).map((d) => [d.code, d.name]));
  const update = (patch: Partial<ProjectListParams>) => setParams((p) => ({ ...p, page: 1, ...patch }));
  const sortOrder = (key: SortKey) =>
    (params.sort ?? 'createdAt') === key ? (params.order === 'asc' ? 'ascend' : 'descend') : null;
  return (
    <>
      <PageHeader
        title={tx('我的项目', 'My projects')}
        extra={
          hasRole('applicant', 'agent') ? (
            <Link to="/projects/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="project-new">
                {tx('登记项目', 'Register a project')}
              </Button>
            </Link>
          ) : undefined
        }
      />
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <SearchBox
            width={300}
            onSearch={(q) => update({ q })}
            placeholder={tx('项目名称或项目代码', 'Project name or code')}
            label={tx('检索项目', 'Search projects')}
            buttonText={tx('检索', 'Search')}
            testId="projects-search"
          />
          <Select
            allowClear
            style={{ width: 160 }}
            value={params.districtCode}
            onChange={(districtCode?: string) => update({ districtCode })}
            placeholder={tx('所在区县', 'District')}
            aria-label={tx('所在区县', 'District')}
            data-testid="projects-district"
            options={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
          />
          <Select
            allowClear
            style={{ width: 190 }}
            value={params.stage}
            onChange={(stage?: number) => update({ stage })}
            placeholder={tx('在办阶段', 'Stage in hand')}
            aria-label={tx('在办阶段', 'Stage in hand')}
            data-testid="projects-stage"
            options={STAGES.map((s) => {
              const key = stageKey(s);
              return { value: s, label: key ? t(key) : String(s) };
            })}
          />
          <Select
            allowClear
            style={{ width: 150 }}
            value={params.state}
            onChange={(state?: 'running' | 'idle') => update({ state })}
            placeholder={tx('办理情况', 'In hand')}
            aria-label={tx('办理情况', 'In hand')}
            data-testid="projects-state"
            options={[
              { value: 'running', label: tx('有阶段在办', 'A stage in hand') },
              { value: 'idle', label: tx('无在办阶段', 'Nothing in hand') },
            ]}
          />
          <Button href={projectsExportUrl(params)} data-testid="projects-export">
            {tx('导出 Excel', 'Export Excel')}
          </Button>
        </Space>
        <Table<ProjectSummary>
          rowKey="id"
          loading={isPending || isFetching}
          dataSource={data?.projects ?? []}
          data-testid="projects-table"
          pagination={{
            current: data?.page ?? params.page,
            pageSize: data?.pageSize ?? params.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => tx(`共 ${total} 个项目`, `${total} projects`),
          }}
          onChange={(pagination, _filters, sorter) => {
            const s = (Array.isArray(sorter) ? sorter[0] : sorter) as
              SorterResult<ProjectSummary> | undefined;
            const key = typeof s?.columnKey === 'string' && sortable.has(s.columnKey) ? s.columnKey : null;
            setParams((p) => ({
              ...p,
              page: pagination.current ?? 1,
              pageSize: pagination.pageSize ?? p.pageSize,
              sort: key && s?.order ? (key as SortKey) : undefined,
              order: key && s?.order ? (s.order === 'ascend' ? 'asc' : 'desc') : undefined,
            }));
          }}
          onRow={(p) => ({ 'data-testid': `project-row-${p.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'code',
              title: tx('项目代码', 'Project code'),
              dataIndex: 'code',
              sorter: true,
              sortOrder: sortOrder('code'),
              render: (code: string, p) => <Link to={`/projects/${p.id}`}>{code}</Link>,
            },
            {
              key: 'name',
              title: tx('项目名称', 'Name'),
              dataIndex: 'name',
              sorter: true,
              sortOrder: sortOrder('name'),
            },
            { title: tx('建设单位', 'Enterprise'), dataIndex: 'enterpriseName' },
            {
              title: tx('所在区县', 'District'),
              dataIndex: 'districtCode',
              render: (code: string) => districtName.get(code) ?? '—',
            },
            {
              title: tx('当前阶段', 'Current stage'),
              render: (_: unknown, p) =>
                p.currentStage ? (
                  <>
                    {p.currentStage.name} <StageStatusTag status={p.currentStage.status} />
                  </>
                ) : (
                  tx('四个阶段均已办结', 'All stages completed')
                ),
            },
            {
              key: 'createdAt',
              title: tx('登记时间', 'Registered'),
              dataIndex: 'createdAt',
              sorter: true,
              sortOrder: sortOrder('createdAt'),
              render: formatDateTime,
            },
          ]}
        />
      </Card>
    </>
  );
}
