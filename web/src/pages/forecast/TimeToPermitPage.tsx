/**
 * 全流程用时看板 (time to permit): actual whole-process working days of finished and running projects
 * against the 100-day target, and the items and departments that took the most time. The figures are the
 * statistics module's (one rule for whole-process time); this page only arranges them.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useTx } from '../projects/strings';

interface SpanRow {
  projectId: string;
  projectCode: string;
  projectName: string;
  startedOn: string;
  completedOn: string | null;
  workingDays: number;
  completedStages: number;
  mainStages: number;
}
interface GroupRow {
  key: string;
  name: string;
  tasks: number;
  completed: number;
  avgDays: number | null;
  p90Days: number | null;
}
interface Overview {
  byItem: GroupRow[];
  byDepartment: GroupRow[];
  byTemplate: GroupRow[];
  wholeProcess: {
    targetDays: number;
    over: number;
    within: number;
    avgWorkingDays: number | null;
    medianWorkingDays: number | null;
    projects: SpanRow[];
    running: { count: number; avgElapsedWorkingDays: number | null; overTarget: number; projects: SpanRow[] };
  };
}

const slowest = (rows: GroupRow[]) =>
  [...rows]
    .filter((r) => r.avgDays !== null)
    .sort((a, b) => (b.avgDays ?? 0) - (a.avgDays ?? 0))
    .slice(0, 10);

export default function TimeToPermitPage() {
  const tx = useTx();
  const { data, error, refetch } = useQuery({
    queryKey: ['forecast', 'time-to-permit'],
    queryFn: ({ signal }) => api.get<Overview>('/api/stats/overview', undefined, signal),
  });
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  const w = data?.wholeProcess;
  const target = w?.targetDays ?? 100;
  const days = (d: number) => <Tag color={d > target ? 'red' : 'green'}>{d}</Tag>;
  const spanColumns = [
    { title: tx('项目代码', 'Code'), dataIndex: 'projectCode' },
    { title: tx('项目名称', 'Name'), dataIndex: 'projectName' },
    { title: tx('首次受理', 'Started'), dataIndex: 'startedOn' },
    {
      title: tx('主线办结', 'Main line done'),
      dataIndex: 'completedOn',
      render: (d: string | null) => d ?? '—',
    },
    { title: tx('工作日', 'Working days'), dataIndex: 'workingDays', render: days },
  ];
  const groupColumns = [
    { title: tx('名称', 'Name'), dataIndex: 'name' },
    { title: tx('办结', 'Completed'), dataIndex: 'completed' },
    { title: tx('平均用时', 'Avg'), dataIndex: 'avgDays' },
    { title: 'P90', dataIndex: 'p90Days' },
  ];
  return (
    <>
      <PageHeader title={tx('全流程用时看板', 'Time to permit')} />
      <Row gutter={16} style={{ marginBottom: 16 }} data-testid="ttp-summary">
        <Col span={4}>
          <Statistic title={tx('已办结项目', 'Finished')} value={w?.projects.length ?? 0} />
        </Col>
        <Col span={4}>
          <Statistic title={tx(`${target} 日内`, `Within ${target}`)} value={w?.within ?? 0} />
        </Col>
        <Col span={4}>
          <Statistic title={tx('超过目标', 'Over target')} value={w?.over ?? 0} />
        </Col>
        <Col span={4}>
          <Statistic title={tx('平均 (工作日)', 'Average (wd)')} value={w?.avgWorkingDays ?? '—'} />
        </Col>
        <Col span={4}>
          <Statistic title={tx('在办项目', 'Running')} value={w?.running.count ?? 0} />
        </Col>
        <Col span={4}>
          <Statistic title={tx('在办已超目标', 'Running over target')} value={w?.running.overTarget ?? 0} />
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Card title={tx('已办结项目', 'Finished projects')} size="small" style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="projectId"
              dataSource={w?.projects ?? []}
              columns={spanColumns}
              pagination={{ pageSize: 8 }}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card
            title={tx('在办项目 (已用工作日)', 'Running projects (elapsed)')}
            size="small"
            style={{ marginBottom: 16 }}
          >
            <Table
              size="small"
              rowKey="projectId"
              dataSource={w?.running.projects ?? []}
              columns={spanColumns}
              pagination={{ pageSize: 8 }}
              data-testid="ttp-running"
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <Card title={tx('用时最长的事项', 'Slowest items')} size="small">
            <Table
              size="small"
              rowKey="key"
              dataSource={slowest(data?.byItem ?? [])}
              columns={groupColumns}
              pagination={false}
            />
          </Card>
        </Col>
        <Col span={8}>
          <Card title={tx('用时最长的部门', 'Slowest departments')} size="small">
            <Table
              size="small"
              rowKey="key"
              dataSource={slowest(data?.byDepartment ?? [])}
              columns={groupColumns}
              pagination={false}
            />
          </Card>
        </Col>
        <Col span={8}>
          <Card title={tx('按审批流程', 'By template')} size="small">
            <Table
              size="small"
              rowKey="key"
              dataSource={data?.byTemplate ?? []}
              columns={groupColumns}
              pagination={false}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
