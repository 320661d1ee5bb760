/** 我的项目: the applicant's projects with their current stage. */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../lib/time';
import { useProjects, type ProjectSummary } from './api';
import { useTx } from './strings';
import { StageStatusTag } from './ui';

export default function ProjectListPage() {
  const tx = useTx();
  const { hasRole } = useAuth();
  const { data, isPending, error, refetch } = useProjects();
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
        <Table<ProjectSummary>
          rowKey="id"
          loading={isPending}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          dataSource={data ?? []}
          data-testid="projects-table"
          onRow={(p) => ({ 'data-testid': `project-row-${p.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: tx('项目代码', 'Project code'),
              dataIndex: 'code',
              render: (code: string, p) => <Link to={`/projects/${p.id}`}>{code}</Link>,
            },
            { title: tx('项目名称', 'Name'), dataIndex: 'name' },
            { title: tx('建设单位', 'Enterprise'), dataIndex: 'enterpriseName' },
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
            { title: tx('登记时间', 'Registered'), dataIndex: 'createdAt', render: formatDateTime },
          ]}
        />
      </Card>
    </>
  );
}
