/** 牵头部门: every visible project with its current stage; open one to watch its parallel items. */
import { Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/time';
import { useProjects, type ProjectSummary } from '../projects/api';
import { useTx } from '../projects/strings';
import { StageStatusTag } from '../projects/ui';

export default function CoordinationPage() {
  const tx = useTx();
  const { data, isPending, error } = useProjects();
  return (
    <>
      <PageHeader title={tx('并联审批协调', 'Parallel approval coordination')} />
      {error && <ErrorAlert error={error} />}
      <Card>
        <Table<ProjectSummary>
          rowKey="id"
          loading={isPending}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          dataSource={data ?? []}
          data-testid="coordination-table"
          onRow={(p) => ({ 'data-testid': `coord-row-${p.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: tx('项目代码', 'Project code'),
              dataIndex: 'code',
              render: (code: string, p) => (
                <Link to={`/coordination/${p.id}`} data-testid={`coord-open-${p.code}`}>
                  {code}
                </Link>
              ),
            },
            { title: tx('项目名称', 'Project'), dataIndex: 'name' },
            { title: tx('建设单位', 'Enterprise'), dataIndex: 'enterpriseName' },
            {
              title: tx('当前阶段', 'Current stage'),
              render: (_: unknown, p) =>
                p.currentStage ? (
                  <>
                    {p.currentStage.name} <StageStatusTag status={p.currentStage.status} />
                  </>
                ) : (
                  tx('均已办结', 'All completed')
                ),
            },
            { title: tx('登记时间', 'Registered'), dataIndex: 'createdAt', render: formatDateTime },
          ]}
        />
      </Card>
    </>
  );
}
