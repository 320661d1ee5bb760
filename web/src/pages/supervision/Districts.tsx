/**
 * Issue 15: the districts side by side for the city supervisor (区县排名: on-time rate, average working
 * days, overdue, whole-process days against 100) and the monthly 定期通报 for the city or a district.
 * A district's staff see their own row and their own reports; the server decides the scope.
 */
import { Button, Card, Form, Select, Space, Statistic, Table, Tag, message } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiResponse } from '../../api/types';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { useDistricts } from '../admin/adminApi';
import { useTx } from '../projects/strings';

type Ranking = ApiResponse<'/api/stats/districts'>;
type RankingRow = Ranking['districts'][number];
type ReportRow = ApiResponse<'/api/stats/reports'>['reports'][number];

const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const days = (v: number | null) => (v === null ? '—' : String(v));

export function DistrictRanking() {
  const tx = useTx();
  const { user } = useAuth();
  const ranking = useQuery({
    queryKey: ['stats', 'districts'],
    queryFn: ({ signal }) => api.get<Ranking>('/api/stats/districts', undefined, signal),
  });
  if (ranking.error) return <ErrorAlert error={ranking.error} onRetry={() => void ranking.refetch()} />;
  const data = ranking.data;
  const target = data?.targetDays ?? 100;
  return (
    <Card
      title={
        user?.districtCode
          ? tx('本区县统计（区县排名由市级查看）', 'Your district (the city sees the ranking)')
          : tx('区县排名', 'Districts ranked')
      }
    >
      {data && (
        <Space size={32} style={{ marginBottom: 16 }} wrap>
          <Statistic title={tx('办件', 'Tasks')} value={data.totals.tasks} />
          <Statistic title={tx('按时办结率', 'On-time rate')} value={percent(data.totals.onTimeRate)} />
          <Statistic title={tx('逾期办件', 'Overdue')} value={data.totals.overdueTasks} />
          <Statistic
            title={tx('全流程平均用时（工作日）', 'Whole process, avg working days')}
            value={days(data.totals.wholeProcess.avgWorkingDays)}
            suffix={`/ ${target}`}
          />
        </Space>
      )}
      <Table<RankingRow>
        rowKey="key"
        size="small"
        loading={ranking.isPending}
        dataSource={data?.districts ?? []}
        pagination={false}
        data-testid="district-ranking"
        columns={[
          { title: tx('排名', 'Rank'), dataIndex: 'rank', width: 70 },
          { title: tx('区县', 'District'), dataIndex: 'name' },
          { title: tx('办件', 'Tasks'), dataIndex: 'tasks', align: 'right' },
          { title: tx('办结', 'Completed'), dataIndex: 'completed', align: 'right' },
          {
            title: tx('按时办结率', 'On-time rate'),
            dataIndex: 'onTimeRate',
            align: 'right',
            render: percent,
          },
          {
            title: tx('平均用时（工作日）', 'Avg working days'),
            dataIndex: 'avgDays',
            align: 'right',
            render: days,
          },
          {
            title: tx('逾期', 'Overdue'),
            dataIndex: 'overdue',
            align: 'right',
            render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : n),
          },
          {
            title: tx(`全流程平均（目标 ${target} 个工作日）`, `Whole process avg (target ${target})`),
            key: 'whole',
            align: 'right',
            render: (_, r) => {
              const avg = r.wholeProcess.avgWorkingDays;
              if (avg === null) return tx('暂无办结项目', 'none completed');
              return <Tag color={avg > target ? 'red' : 'green'}>{avg}</Tag>;
            },
          },
          {
            title: tx('超过 100 日 / 100 日内 / 在办', 'Over / within / running'),
            key: 'projects',
            align: 'right',
            render: (_, r) => `${r.wholeProcess.over} / ${r.wholeProcess.within} / ${r.wholeProcess.running}`,
          },
        ]}
      />
    </Card>
  );
}

/** The months offered: this one and the eleven before it (YYYY-MM, Beijing calendar). */
function recentMonths(): string[] {
  const now = new Date(Date.now() + 8 * 3600_000);
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

export function Reports() {
  const tx = useTx();
  const t = useT();
  const { user } = useAuth();
  const client = useQueryClient();
  const districts = useDistricts();
  const [form] = Form.useForm<{ month: string; districtCode?: string }>();
  const canGenerate = user?.role === 'supervisor' || user?.role === 'admin';
  const reports = useQuery({
    queryKey: ['stats', 'reports'],
    queryFn: ({ signal }) =>
      api.get<ApiResponse<'/api/stats/reports'>>('/api/stats/reports', undefined, signal),
    select: (d) => d.reports,
  });
  const generate = useMutation({
    mutationFn: (v: { month: string; districtCode?: string }) =>
      api.post('/api/stats/reports', { month: v.month, districtCode: v.districtCode ?? null }),
    onSuccess: () => {
      void message.success(tx('通报已生成', 'Report generated'));
      void client.invalidateQueries({ queryKey: ['stats', 'reports'] });
    },
    onError: (err) => void message.error(errorMessage(err, t)),
  });
  const months = recentMonths();
  return (
    <Card title={tx('月度通报', 'Monthly reports')}>
      {canGenerate && (
        <Form
          form={form}
          layout="inline"
          initialValues={{ month: months[1] }}
          onFinish={(v) => generate.mutate(v)}
          style={{ marginBottom: 16 }}
        >
          <Form.Item name="month" label={tx('月份', 'Month')} rules={[{ required: true }]}>
            <Select
              style={{ width: 130 }}
              options={months.map((m) => ({ value: m, label: m }))}
              data-testid="report-month"
            />
          </Form.Item>
          {!user?.districtCode && (
            <Form.Item name="districtCode" label={tx('范围', 'Scope')}>
              <Select
                allowClear
                placeholder={tx('全市（含区县排名）', 'Whole city (with ranking)')}
                style={{ width: 220 }}
                options={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
                data-testid="report-district"
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={generate.isPending} data-testid="report-generate">
            {tx('生成通报', 'Generate')}
          </Button>
        </Form>
      )}
      {reports.error && <ErrorAlert error={reports.error} />}
      <Table<ReportRow>
        rowKey="id"
        size="small"
        loading={reports.isPending}
        dataSource={reports.data ?? []}
        pagination={{ pageSize: 12, hideOnSinglePage: true }}
        data-testid="report-table"
        columns={[
          { title: tx('月份', 'Month'), dataIndex: 'month', width: 100 },
          {
            title: tx('范围', 'Scope'),
            dataIndex: 'districtName',
            render: (name: string | null) => name ?? tx('全市', 'Whole city'),
          },
          {
            title: tx('生成时间', 'Generated'),
            dataIndex: 'generatedAt',
            render: (v: string) => formatDateTime(v),
          },
          {
            title: tx('下载', 'Download'),
            key: 'download',
            render: (_, r) => (
              <Space>
                <a href={`/api/stats/reports/${r.id}/pdf`}>PDF</a>
                <a href={`/api/stats/reports/${r.id}/xlsx`}>Excel</a>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
