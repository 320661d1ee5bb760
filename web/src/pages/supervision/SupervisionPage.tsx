/**
 * 电子监察 (tasks 40–41): the supervisor's dashboard (trend, department ranking, stage funnel,
 * whole-process time of completed projects against the 100-day line, running projects apart, 延期
 * counts), every running clock with 正常/预警/逾期 and 延期 tags, 督办 orders and anomaly hits.
 * Coordinators see the late departments of the stages they lead; a department's head (负责人) sees the
 * orders escalated to them and answers them.
 */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  message,
} from 'antd';
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useTx } from '../projects/strings';
import { Chart } from './Chart';
import { DistrictRanking, Reports } from './Districts';
import { Orders } from './Orders';
import {
  useAnomalies,
  useOverview,
  useSupervisedTasks,
  useSupervisionMutation,
  type ClockState,
  type Overview,
  type SupervisedTask,
} from './api';

const stateColor: Record<ClockState, string> = { normal: 'green', warning: 'orange', overdue: 'red' };
const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

function ClockTag({ state }: { state: ClockState }) {
  const tx = useTx();
  const text = {
    normal: tx('正常', 'Normal'),
    warning: tx('预警', 'Warning'),
    overdue: tx('逾期', 'Overdue'),
  }[state];
  return (
    <Tag color={stateColor[state]} data-testid={`clock-${state}`}>
      {text}
    </Tag>
  );
}

function Dashboard({ data }: { data: Overview }) {
  const tx = useTx();
  const options = useMemo(() => {
    const trend: EChartsOption = {
      title: { text: tx('申报与办结趋势', 'Applications and completions'), textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: data.trend.map((r) => r.month) },
      yAxis: { type: 'value' },
      series: [
        { name: tx('申报', 'Applications'), type: 'line', data: data.trend.map((r) => r.applications) },
        { name: tx('办件', 'Tasks'), type: 'line', data: data.trend.map((r) => r.started) },
        { name: tx('办结', 'Completed'), type: 'line', data: data.trend.map((r) => r.finished) },
      ],
    };
    const ranked = [...data.byDepartment].sort((a, b) => b.overdue - a.overdue);
    const ranking: EChartsOption = {
      title: {
        text: tx('部门排名（逾期 / 按时率 / 延期）', 'Departments: overdue, on-time rate, extended'),
        textStyle: { fontSize: 14 },
      },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      // Every department's full name stays readable: the grid makes room for the labels, long names wrap.
      grid: { left: 8, right: 16, top: 40, bottom: 36, containLabel: true },
      xAxis: [{ type: 'value' }],
      yAxis: {
        type: 'category',
        data: ranked.map((d) => d.name),
        axisLabel: { interval: 0, width: 150, overflow: 'break', lineHeight: 14 },
      },
      series: [
        { name: tx('逾期', 'Overdue'), type: 'bar', data: ranked.map((d) => d.overdue) },
        {
          name: tx('按时率%', 'On-time %'),
          type: 'bar',
          data: ranked.map((d) => Math.round((d.onTimeRate ?? 0) * 100)),
        },
        { name: tx('延期', 'Extended'), type: 'bar', data: ranked.map((d) => d.extended) },
      ],
    };
    const funnel: EChartsOption = {
      title: { text: tx('阶段漏斗', 'Stage funnel'), textStyle: { fontSize: 14 } },
      tooltip: {},
      series: [
        {
          type: 'funnel',
          sort: 'none',
          // The figures on the funnel itself, not only in the tooltip.
          label: { show: true, position: 'inside', formatter: tx('{b}：{c} 件', '{b}: {c}') },
          data: data.byStage.map((s) => ({ name: s.name, value: s.tasks })),
        },
      ],
    };
    const buckets = new Map<number, number>();
    for (const p of data.wholeProcess.projects) {
      const b = Math.floor(p.workingDays / 20) * 20;
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    const keys = [...buckets.keys()].sort((a, b) => a - b);
    const distribution: EChartsOption = {
      title: {
        text: tx(
          '全流程用时分布（主线已办结项目，工作日）',
          'Whole-process working days (completed projects)',
        ),
        textStyle: { fontSize: 14 },
      },
      tooltip: {},
      // The axis always reaches past the target, so the 100-day line is drawn even when every project is faster.
      xAxis: {
        type: 'value',
        name: tx('工作日', 'days'),
        min: 0,
        max: (v: { max: number }) => Math.max(v.max, data.wholeProcess.targetDays) + 20,
      },
      yAxis: { type: 'value', name: tx('项目数', 'projects') },
      series: [
        {
          type: 'bar',
          barWidth: 16,
          data: keys.map((k) => [k + 10, buckets.get(k) ?? 0]),
          markLine: {
            symbol: 'none',
            data: [{ xAxis: data.wholeProcess.targetDays, name: tx('100个工作日目标', '100-day target') }],
            lineStyle: { color: '#cf1322', type: 'dashed', width: 2 },
            label: {
              position: 'end',
              formatter: tx(
                `目标 ${data.wholeProcess.targetDays} 个工作日`,
                `Target ${data.wholeProcess.targetDays} working days`,
              ),
            },
          },
        },
      ],
    };
    return { trend, ranking, funnel, distribution };
  }, [data, tx]);
  const t = data.totals;
  const w = data.wholeProcess;
  return (
    <div data-testid="supervision-dashboard">
      <Row gutter={16}>
        <Col span={3}>
          <Card>
            <Statistic title={tx('申报件数', 'Applications')} value={t.applications} />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic title={tx('办件数', 'Tasks')} value={t.tasks} />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic title={tx('办结数', 'Completed')} value={t.completed} />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic title={tx('按时办结率', 'On-time rate')} value={percent(t.onTimeRate)} />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic
              title={tx('逾期办件', 'Overdue tasks')}
              value={t.overdueTasks}
              valueStyle={{ color: '#cf1322' }}
              data-testid="overdue-total"
            />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic
              title={tx('告知承诺 / 容缺', 'Commitment / deficiency')}
              value={`${percent(t.commitmentShare)} / ${percent(t.deficiencyShare)}`}
            />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic
              title={tx('延期办件', 'Extended tasks')}
              value={t.extendedTasks}
              valueStyle={{ color: '#d46b08' }}
              data-testid="extended-total"
            />
          </Card>
        </Col>
        <Col span={3}>
          <Card>
            <Statistic
              title={tx('在办项目', 'Projects running')}
              value={w.running.count}
              data-testid="running-projects"
            />
          </Card>
        </Col>
      </Row>
      <Alert
        style={{ marginTop: 16 }}
        type="info"
        showIcon
        data-testid="whole-process-summary"
        message={tx(
          `全流程用时只统计主线阶段（第一至第四阶段）均已办结的项目：共 ${w.projects.length} 个，100个工作日内 ${w.within} 个，超过 ${w.over} 个${w.avgWorkingDays === null ? '' : `，平均 ${w.avgWorkingDays} 个工作日`}。在办项目 ${w.running.count} 个另行列示${w.running.avgElapsedWorkingDays === null ? '' : `，平均已用 ${w.running.avgElapsedWorkingDays} 个工作日`}，其中已超过100个工作日 ${w.running.overTarget} 个。`,
          `Whole-process time counts only projects whose main stages (1–4) are all complete: ${w.projects.length} (${w.within} within, ${w.over} over 100 working days${w.avgWorkingDays === null ? '' : `, average ${w.avgWorkingDays}`}). ${w.running.count} running projects are shown apart${w.running.avgElapsedWorkingDays === null ? '' : ` (average ${w.running.avgElapsedWorkingDays} working days so far)`}, ${w.running.overTarget} already past 100.`,
        )}
      />
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col span={12}>
          <Card>
            <Chart option={options.trend} testId="chart-trend" />
          </Card>
        </Col>
        <Col span={12}>
          <Card>
            <Chart
              option={options.ranking}
              testId="chart-ranking"
              height={Math.max(280, 90 + 30 * data.byDepartment.length)}
            />
          </Card>
        </Col>
        <Col span={12} style={{ marginTop: 16 }}>
          <Card>
            <Chart option={options.funnel} testId="chart-funnel" />
          </Card>
        </Col>
        <Col span={12} style={{ marginTop: 16 }}>
          <Card>
            <Chart option={options.distribution} testId="chart-distribution" />
          </Card>
        </Col>
      </Row>
      <Card
        title={tx('在办项目（未计入全流程用时）', 'Running projects (not in the figure)')}
        style={{ marginTop: 16 }}
      >
        <Table
          rowKey="projectId"
          size="small"
          data-testid="running-projects-table"
          dataSource={w.running.projects}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: tx('项目代码', 'Project code'), dataIndex: 'projectCode' },
            { title: tx('项目名称', 'Project'), dataIndex: 'projectName' },
            { title: tx('开始日期', 'Started'), dataIndex: 'startedOn' },
            {
              title: tx('主线阶段办结', 'Main stages done'),
              render: (_: unknown, p: Overview['wholeProcess']['running']['projects'][number]) =>
                `${p.completedStages} / ${p.mainStages}`,
            },
            { title: tx('已用工作日', 'Working days so far'), dataIndex: 'workingDays' },
          ]}
        />
      </Card>
      <Space style={{ marginTop: 16 }}>
        <a href="/api/stats/export.xlsx">{tx('导出 Excel', 'Export Excel')}</a>
      </Space>
    </div>
  );
}

function TaskTable({ onOrder }: { onOrder?: (task: SupervisedTask) => void }) {
  const tx = useTx();
  const [clockState, setClockState] = useState<ClockState | undefined>();
  const [stage, setStage] = useState<number | undefined>();
  const [extendedOnly, setExtendedOnly] = useState(false);
  const { data, isPending, error } = useSupervisedTasks({ clockState, stage });
  const rows = (data ?? []).filter((r) => !extendedOnly || r.extended);
  return (
    <>
      {error && <ErrorAlert error={error} />}
      <Space style={{ marginBottom: 12 }}>
        <Select<ClockState>
          allowClear
          placeholder={tx('时限状态', 'Clock state')}
          style={{ width: 140 }}
          value={clockState}
          onChange={setClockState}
          options={[
            { value: 'normal', label: tx('正常', 'Normal') },
            { value: 'warning', label: tx('预警', 'Warning') },
            { value: 'overdue', label: tx('逾期', 'Overdue') },
          ]}
        />
        <Select<number>
          allowClear
          placeholder={tx('阶段', 'Stage')}
          style={{ width: 120 }}
          value={stage}
          onChange={setStage}
          options={[1, 2, 3, 4, 5].map((s) => ({ value: s, label: `第${s}阶段` }))}
        />
        <Checkbox
          checked={extendedOnly}
          onChange={(e) => setExtendedOnly(e.target.checked)}
          data-testid="extended-only"
        >
          {tx('仅看延期办件', 'Extended tasks only')}
        </Checkbox>
      </Space>
      <Table<SupervisedTask>
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={rows}
        data-testid="clock-table"
        columns={[
          { title: tx('项目', 'Project'), dataIndex: 'projectName' },
          { title: tx('事项', 'Item'), dataIndex: 'itemName' },
          { title: tx('部门', 'Department'), dataIndex: 'departmentName' },
          { title: tx('阶段', 'Stage'), dataIndex: 'stage' },
          { title: tx('截止日', 'Deadline'), dataIndex: 'deadline' },
          {
            title: tx('剩余/逾期(工作日)', 'Left / late (working days)'),
            render: (_, r) =>
              r.overdueWorkingDays > 0 ? `-${r.overdueWorkingDays}` : r.remainingWorkingDays,
          },
          {
            title: tx('状态', 'State'),
            dataIndex: 'clockState',
            render: (s: ClockState, r) => (
              <Space>
                <ClockTag state={s} />
                {r.paused && <Tag>{tx('暂停', 'Paused')}</Tag>}
                {r.extended && (
                  <Tag color="gold" data-testid="extended-tag">
                    {tx(`已延期 ${r.extendedDays} 个工作日`, `Extended ${r.extendedDays} working days`)}
                  </Tag>
                )}
              </Space>
            ),
          },
          ...(onOrder
            ? [
                {
                  title: tx('操作', 'Action'),
                  render: (_: unknown, r: SupervisedTask) => (
                    <Button size="small" onClick={() => onOrder(r)}>
                      {tx('督办', 'Order')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

function LateDepartments() {
  const tx = useTx();
  const { data } = useSupervisedTasks({});
  const rows = useMemo(() => {
    const m = new Map<string, { departmentName: string; overdue: number; warning: number }>();
    for (const t of data ?? []) {
      const r = m.get(t.departmentCode) ?? { departmentName: t.departmentName, overdue: 0, warning: 0 };
      if (t.clockState === 'overdue') r.overdue++;
      if (t.clockState === 'warning') r.warning++;
      m.set(t.departmentCode, r);
    }
    return [...m.entries()]
      .map(([code, r]) => ({ code, ...r }))
      .filter((r) => r.overdue + r.warning > 0)
      .sort((a, b) => b.overdue - a.overdue);
  }, [data]);
  return (
    <Table
      rowKey="code"
      size="small"
      data-testid="late-departments"
      dataSource={rows}
      columns={[
        { title: tx('部门', 'Department'), dataIndex: 'departmentName' },
        { title: tx('逾期', 'Overdue'), dataIndex: 'overdue' },
        { title: tx('预警', 'Warning'), dataIndex: 'warning' },
      ]}
    />
  );
}

function OrderForm({ task, onDone }: { task: SupervisedTask; onDone: () => void }) {
  const tx = useTx();
  const issue = useSupervisionMutation<{ message: string; responseWorkingDays: number }>(
    () => '/api/supervision/orders',
    (v) => ({ taskId: task.id, ...v }),
  );
  return (
    <Card title={`${tx('督办', 'Order')}：${task.itemName}`} style={{ marginTop: 16 }}>
      {issue.error && <ErrorAlert error={issue.error} />}
      <Form
        layout="inline"
        initialValues={{ responseWorkingDays: 3 }}
        onFinish={(v: { message: string; responseWorkingDays: number }) =>
          issue.mutate(v, {
            onSuccess: () => {
              void message.success(tx('已发出督办', 'Order issued'));
              onDone();
            },
          })
        }
      >
        <Form.Item name="message" label={tx('督办意见', 'Message')} rules={[{ required: true, min: 2 }]}>
          <Input style={{ width: 360 }} />
        </Form.Item>
        <Form.Item name="responseWorkingDays" label={tx('答复期限(工作日)', 'Reply within (working days)')}>
          <InputNumber min={1} max={60} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={issue.isPending}>
          {tx('发出', 'Issue')}
        </Button>
      </Form>
    </Card>
  );
}

function Anomalies() {
  const tx = useTx();
  const { data } = useAnomalies(true);
  const scan = useSupervisionMutation<void>(
    () => '/api/supervision/anomalies/scan',
    () => ({}),
  );
  const close = useSupervisionMutation<string>(
    (id) => `/api/supervision/anomalies/${id}/close`,
    () => ({ note: '已核查 (checked)' }),
  );
  return (
    <>
      <Button onClick={() => scan.mutate()} loading={scan.isPending} style={{ marginBottom: 12 }}>
        {tx('立即扫描', 'Scan now')}
      </Button>
      <Table
        rowKey="id"
        size="small"
        dataSource={data ?? []}
        data-testid="anomaly-table"
        columns={[
          { title: tx('规则', 'Rule'), dataIndex: 'ruleName' },
          { title: tx('对象', 'Object'), render: (_, r) => `${r.objectType} ${r.objectId}` },
          { title: tx('发现时间', 'Detected'), dataIndex: 'detectedAt' },
          {
            title: tx('状态', 'Status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={s === 'open' ? 'red' : 'default'}>
                {s === 'open' ? tx('待处理', 'Open') : tx('已关闭', 'Closed')}
              </Tag>
            ),
          },
          {
            title: tx('操作', 'Action'),
            render: (_, r) =>
              r.status === 'open' && (
                <Button size="small" onClick={() => close.mutate(r.id)}>
                  {tx('关闭', 'Close')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}

export default function SupervisionPage() {
  const tx = useTx();
  const { user } = useAuth();
  const supervisor = user?.role === 'supervisor' || user?.role === 'admin';
  const head = user?.role === 'head';
  const overview = useOverview(!head);
  const [ordering, setOrdering] = useState<SupervisedTask | null>(null);
  const items = head
    ? [
        {
          key: 'escalations',
          label: tx('督办升级', 'Escalated orders'),
          children: <Orders mine />,
        },
      ]
    : supervisor
      ? [
          {
            key: 'dashboard',
            label: tx('监察总览', 'Dashboard'),
            children: overview.data ? (
              <Dashboard data={overview.data} />
            ) : overview.error ? (
              <ErrorAlert error={overview.error} />
            ) : null,
          },
          {
            key: 'tasks',
            label: tx('办件计时', 'Task clocks'),
            children: (
              <>
                <TaskTable onOrder={user?.role === 'supervisor' ? setOrdering : undefined} />
                {ordering && <OrderForm task={ordering} onDone={() => setOrdering(null)} />}
              </>
            ),
          },
          { key: 'orders', label: tx('督办', 'Orders'), children: <Orders /> },
          { key: 'anomalies', label: tx('监察异常', 'Anomalies'), children: <Anomalies /> },
          { key: 'districts', label: tx('区县排名', 'Districts'), children: <DistrictRanking /> },
          { key: 'reports', label: tx('月度通报', 'Monthly reports'), children: <Reports /> },
        ]
      : [
          { key: 'late', label: tx('逾期部门', 'Late departments'), children: <LateDepartments /> },
          {
            key: 'tasks',
            label: tx('办件计时', 'Task clocks'),
            children: (
              <>
                <TaskTable onOrder={setOrdering} />
                {ordering && <OrderForm task={ordering} onDone={() => setOrdering(null)} />}
              </>
            ),
          },
          { key: 'orders', label: tx('督办', 'Orders'), children: <Orders /> },
        ];
  return (
    <>
      <PageHeader title={tx('电子监察', 'Electronic supervision')} />
      <Tabs items={items} />
    </>
  );
}
