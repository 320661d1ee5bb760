/** 预计办结: P50 / P90 dates of a project and its stages, with the basis they rest on (shown to every role that sees the project). */
import { Card, Descriptions, Spin, Table, Tag, Tooltip } from 'antd';
import { useTx } from '../projects/strings';
import { useProjectForecast, type Basis, type ProjectForecast } from './api';

export const basisText: Record<Basis, [string, string, string]> = {
  history: ['按历史用时', 'From history', 'green'],
  promised: ['按承诺时限', 'From promised limits', 'gold'],
  mixed: ['历史与承诺时限结合', 'History and promised limits', 'blue'],
  known: ['已办结', 'Completed', 'default'],
};

const stateText: Record<string, [string, string]> = {
  done: ['已办结', 'Done'],
  running: ['办理中', 'Running'],
  future: ['未开始', 'Not started'],
};

export function BasisTag({ basis }: { basis: Basis }) {
  const tx = useTx();
  const [zh, en, color] = basisText[basis];
  return (
    <Tag color={color} data-testid="forecast-basis" data-basis={basis}>
      {tx(zh, en)}
    </Tag>
  );
}

/** A small histogram of the simulated completion days, P50 and P90 marked. */
function Histogram({ f }: { f: ProjectForecast }) {
  const tx = useTx();
  const bars = f.completion.histogram;
  if (bars.length === 0) return null;
  const max = Math.max(...bars.map((b) => b.runs));
  return (
    <div
      style={{ display: 'flex', alignItems: 'flex-end', height: 60, gap: 1 }}
      aria-label={tx('模拟分布', 'Simulated distribution')}
    >
      {bars.map((b) => (
        <Tooltip key={b.workingDays} title={`${b.date ?? ''}: ${b.runs}/${f.runs}`}>
          <div
            style={{
              width: 6,
              height: Math.max(2, (b.runs / max) * 60),
              background:
                b.workingDays <= f.completion.p50WorkingDays
                  ? '#1677ff'
                  : b.workingDays <= f.completion.p90WorkingDays
                    ? '#69b1ff'
                    : '#d9d9d9',
            }}
          />
        </Tooltip>
      ))}
    </div>
  );
}

export function ForecastCard({ projectId }: { projectId: string }) {
  const tx = useTx();
  const { data: f, error } = useProjectForecast(projectId);
  if (error) return null;
  if (!f) return <Spin />;
  const whole = f.wholeProcess;
  return (
    <Card
      title={tx('预计办结', 'Predicted completion')}
      style={{ marginBottom: 16 }}
      data-testid="forecast-card"
      extra={<BasisTag basis={f.basis} />}
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={tx('预计办结 (P50)', 'Likely by (P50)')}>
          <b data-testid="forecast-p50">{f.completion.p50Date}</b>
        </Descriptions.Item>
        <Descriptions.Item label={tx('较稳妥 (P90)', 'Safely by (P90)')}>
          <b data-testid="forecast-p90">{f.completion.p90Date}</b>
        </Descriptions.Item>
        <Descriptions.Item label={tx('按承诺时限推算', 'At promised limits')}>
          {f.naive.date}
        </Descriptions.Item>
        <Descriptions.Item label={tx('全流程 (工作日)', 'Whole process (working days)')}>
          <span data-testid="forecast-whole">
            {tx(
              `已用 ${whole.elapsedWorkingDays}，预计 ${whole.p50WorkingDays}–${whole.p90WorkingDays}，目标 ≤ ${whole.targetWorkingDays}`,
              `${whole.elapsedWorkingDays} used, ${whole.p50WorkingDays}–${whole.p90WorkingDays} expected, target ≤ ${whole.targetWorkingDays}`,
            )}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={tx('预测日', 'As of')}>{f.asOf}</Descriptions.Item>
        <Descriptions.Item label={tx('模拟次数', 'Runs')}>{f.runs}</Descriptions.Item>
      </Descriptions>
      <Histogram f={f} />
      <Table
        size="small"
        rowKey="nationalStage"
        pagination={false}
        style={{ marginTop: 12 }}
        data-testid="forecast-stages"
        dataSource={f.stages}
        columns={[
          { title: tx('阶段', 'Stage'), dataIndex: 'name' },
          {
            title: tx('状态', 'State'),
            dataIndex: 'state',
            render: (s: string) => tx(...(stateText[s] ?? [s, s])),
          },
          { title: 'P50', render: (_, s) => s.doneOn ?? s.p50Date },
          { title: 'P90', render: (_, s) => s.doneOn ?? s.p90Date },
          { title: tx('依据', 'Basis'), dataIndex: 'basis', render: (b: Basis) => <BasisTag basis={b} /> },
        ]}
      />
      <p style={{ marginTop: 8, color: '#888', fontSize: 12 }}>
        {tx(
          `依据同一事项同一部门已办结办件的实际用时 (每项不少于 5 件) 进行 ${f.runs} 次模拟；历史不足的事项按承诺时限计算。日期按国务院工作日安排。`,
          `${f.runs} simulated runs from completed tasks of the same item and department (at least 5 each); items with less history use their promised limits. Working days per the State Council calendar.`,
        )}
      </p>
    </Card>
  );
}
