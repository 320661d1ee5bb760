/** 预计办结一览: every running project's P50 / P90 against the 100-working-day target (supervision, coordination). */
import { Card, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useTx } from '../projects/strings';
import { useRunningForecasts, type RunningForecast } from './api';
import { BasisTag } from './ForecastCard';

export default function ForecastListPage() {
  const tx = useTx();
  const { data, error, isPending, refetch } = useRunningForecasts();
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  return (
    <>
      <PageHeader
        title={tx('预计办结一览', 'Predicted completion')}
        subTitle={data ? tx(`预测日 ${data.asOf}`, `As of ${data.asOf}`) : undefined}
      />
      <Card>
        <Table<RunningForecast>
          rowKey="projectId"
          size="small"
          loading={isPending}
          dataSource={data?.projects ?? []}
          data-testid="forecast-list"
          onRow={(p) =>
            ({ 'data-testid': `forecast-row-${p.projectCode}` }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: tx('项目', 'Project'),
              render: (_, p) => <Link to={`/projects/${p.projectId}`}>{p.projectName}</Link>,
            },
            { title: tx('项目代码', 'Code'), dataIndex: 'projectCode' },
            {
              title: tx('当前阶段', 'Stage'),
              dataIndex: 'currentStage',
              render: (s: string | null) => s ?? '—',
            },
            {
              title: tx('首次受理', 'Started'),
              dataIndex: 'startedOn',
              render: (s: string | null) => s ?? '—',
            },
            { title: 'P50', dataIndex: 'p50Date' },
            { title: 'P90', dataIndex: 'p90Date' },
            { title: tx('按承诺时限', 'Promised'), render: (_, p) => p.naive.date },
            {
              title: tx('全流程 P90 (工作日)', 'Whole process P90 (wd)'),
              render: (_, p) => (
                <Tag
                  color={p.wholeProcess.p90WorkingDays > p.wholeProcess.targetWorkingDays ? 'red' : 'green'}
                >
                  {p.wholeProcess.p90WorkingDays} / {p.wholeProcess.targetWorkingDays}
                </Tag>
              ),
            },
            { title: tx('依据', 'Basis'), render: (_, p) => <BasisTag basis={p.basis} /> },
          ]}
        />
      </Card>
    </>
  );
}
