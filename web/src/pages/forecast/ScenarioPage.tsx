/**
 * 改革模拟: an administrator copies a template into a sandbox, changes limits, moves items into parallel,
 * merges stages, sets the 告知承诺 / 容缺 shares, and sees totals and distributions beside the live
 * template with the 100 / 70 / 60-day lines; saves and exports the scenario (Excel).
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
  Slider,
  Space,
  Statistic,
  Table,
  message,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useTx } from '../projects/strings';
import {
  usePreviewScenario,
  useSaveScenario,
  useScenarios,
  type ScenarioChanges,
  type ScenarioComparison,
  type ScenarioSide,
} from './api';

interface TemplateItemRow {
  itemCode: string;
  itemName: string;
  departmentCode: string;
  promisedTimeLimitDays: number;
  prerequisites: string[];
}
interface TemplateRow {
  code: string;
  name: string;
  totalWorkingDays: number;
  stages: { nationalStage: number; name: string; items: TemplateItemRow[] }[];
}

function Side({
  title,
  side,
  lines,
  testId,
}: {
  title: string;
  side: ScenarioSide;
  lines: number[];
  testId: string;
}) {
  const tx = useTx();
  return (
    <Card title={title} data-testid={testId} size="small">
      <Row gutter={16}>
        <Col span={8}>
          <Statistic
            title={tx('全流程时限 (工作日)', 'Total limit (wd)')}
            value={side.totalWorkingDays}
            valueStyle={{ color: side.totalWorkingDays > 100 ? '#cf1322' : undefined }}
          />
        </Col>
        <Col span={8}>
          <Statistic title="P50" value={side.distribution.p50WorkingDays} />
        </Col>
        <Col span={8}>
          <Statistic title="P90" value={side.distribution.p90WorkingDays} />
        </Col>
      </Row>
      <div style={{ marginTop: 8 }}>
        {side.withinLines.map((l) => (
          <div key={l.line}>
            {tx(
              `≤ ${l.line} 个工作日：${Math.round(l.share * 1000) / 10}%`,
              `≤ ${l.line} wd: ${Math.round(l.share * 1000) / 10}%`,
            )}
          </div>
        ))}
      </div>
      <Table
        size="small"
        rowKey={(s) => `${s.nationalStage}`}
        pagination={false}
        style={{ marginTop: 8 }}
        dataSource={side.stages}
        columns={[
          { title: tx('阶段', 'Stage'), dataIndex: 'name' },
          { title: tx('时限', 'Limit'), dataIndex: 'timeLimitWorkingDays' },
          { title: 'P50', dataIndex: 'p50WorkingDays' },
          { title: 'P90', dataIndex: 'p90WorkingDays' },
        ]}
      />
      <div style={{ fontSize: 12, color: '#888' }}>
        {tx(`目标线 ${lines.join(' / ')} 个工作日`, `Lines ${lines.join(' / ')} wd`)}
      </div>
    </Card>
  );
}

export default function ScenarioPage() {
  const tx = useTx();
  const { hasRole } = useAuth();
  const admin = hasRole('admin');
  const templates = useQuery({
    queryKey: ['templates', 'list'],
    queryFn: ({ signal }) =>
      api.get<{ templates: TemplateRow[] }>('/api/process-templates', undefined, signal),
    select: (d) => d.templates,
  });
  const [code, setCode] = useState<string>('SOCIAL_TRANSFER');
  const [name, setName] = useState('改革方案');
  const [limits, setLimits] = useState<Record<string, number>>({});
  const [parallel, setParallel] = useState<string[]>([]);
  const [merge23, setMerge23] = useState(false);
  const [commitment, setCommitment] = useState<number | null>(null);
  const [deficiency, setDeficiency] = useState<number | null>(null);
  const [result, setResult] = useState<ScenarioComparison | null>(null);
  const preview = usePreviewScenario();
  const save = useSaveScenario();
  const saved = useScenarios(true);
  const template = templates.data?.find((t) => t.code === code);

  const changes = (): ScenarioChanges => ({
    limits: Object.entries(limits).map(([itemCode, promisedTimeLimitDays]) => ({
      itemCode,
      promisedTimeLimitDays,
    })),
    parallel,
    mergeItems: [],
    mergeStages: merge23 ? [[2, 3]] : [],
    commitmentShare: commitment,
    deficiencyShare: deficiency,
  });
  const run = async () =>
    setResult(await preview.mutateAsync({ templateCode: code, name, changes: changes() }));
  const keep = async () => {
    const r = await save.mutateAsync({ templateCode: code, name, changes: changes() });
    setResult(r);
    void message.success(tx('方案已保存', 'Scenario saved'));
  };
  const items = template?.stages.flatMap((s) => s.items.map((i) => ({ ...i, stage: s.name }))) ?? [];

  return (
    <>
      <PageHeader title={tx('改革模拟 (沙盒)', 'Reform simulator (sandbox)')} />
      <Alert
        type="info"
        style={{ marginBottom: 16 }}
        title={tx(
          '沙盒中的修改不影响现行流程和事项清单。',
          'Changes stay in the sandbox; live templates and items are untouched.',
        )}
      />
      <Card style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={tx('审批流程', 'Template')}>
            <Select
              style={{ width: 280 }}
              value={code}
              data-testid="scenario-template"
              onChange={(v) => {
                setCode(v);
                setLimits({});
                setParallel([]);
                setResult(null);
              }}
              options={(templates.data ?? []).map((t) => ({
                value: t.code,
                label: `${t.name} (${t.totalWorkingDays})`,
              }))}
            />
          </Form.Item>
          <Form.Item label={tx('方案名称', 'Name')}>
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={100}
              data-testid="scenario-name"
            />
          </Form.Item>
          <Form.Item>
            <Checkbox checked={merge23} onChange={(e) => setMerge23(e.target.checked)}>
              {tx('合并第二、三阶段', 'Merge stages 2 and 3')}
            </Checkbox>
          </Form.Item>
        </Form>
        <Row gutter={24} style={{ marginTop: 12 }}>
          <Col span={12}>
            {tx('告知承诺比例', '告知承诺 share')}{' '}
            {commitment === null ? tx('(按历史)', '(history)') : `${Math.round(commitment * 100)}%`}
            <Slider
              min={0}
              max={100}
              value={commitment === null ? 0 : commitment * 100}
              onChange={(v: number) => setCommitment(v / 100)}
            />
          </Col>
          <Col span={12}>
            {tx('容缺受理比例', '容缺 share')}{' '}
            {deficiency === null ? tx('(按历史)', '(history)') : `${Math.round(deficiency * 100)}%`}
            <Slider
              min={0}
              max={100}
              value={deficiency === null ? 0 : deficiency * 100}
              onChange={(v: number) => setDeficiency(v / 100)}
            />
          </Col>
        </Row>
        <Table
          size="small"
          rowKey="itemCode"
          pagination={{ pageSize: 8 }}
          dataSource={items}
          data-testid="scenario-items"
          columns={[
            { title: tx('阶段', 'Stage'), dataIndex: 'stage' },
            { title: tx('事项', 'Item'), dataIndex: 'itemName' },
            { title: tx('现行时限', 'Live limit'), dataIndex: 'promisedTimeLimitDays' },
            {
              title: tx('方案时限', 'Scenario limit'),
              render: (_, i) => (
                <InputNumber
                  min={1}
                  max={365}
                  size="small"
                  data-testid={`limit-${i.itemCode}`}
                  value={limits[i.itemCode] ?? i.promisedTimeLimitDays}
                  onChange={(v) =>
                    setLimits((l) => {
                      const next = { ...l };
                      if (v === null || v === i.promisedTimeLimitDays) delete next[i.itemCode];
                      else next[i.itemCode] = v;
                      return next;
                    })
                  }
                />
              ),
            },
            {
              title: tx('改为并行', 'Parallel'),
              render: (_, i) =>
                i.prerequisites.length > 0 ? (
                  <Checkbox
                    checked={parallel.includes(i.itemCode)}
                    onChange={(e) =>
                      setParallel((p) =>
                        e.target.checked ? [...p, i.itemCode] : p.filter((c) => c !== i.itemCode),
                      )
                    }
                  />
                ) : null,
            },
          ]}
        />
        <Space>
          <Button
            type="primary"
            onClick={() => void run()}
            loading={preview.isPending}
            data-testid="scenario-preview"
          >
            {tx('试算', 'Compute')}
          </Button>
          {admin && (
            <Button onClick={() => void keep()} loading={save.isPending} data-testid="scenario-save">
              {tx('保存方案', 'Save')}
            </Button>
          )}
          {result?.id && (
            <a href={`/api/forecast/scenarios/${result.id}/export.xlsx`} data-testid="scenario-export">
              {tx('导出 Excel', 'Export Excel')}
            </a>
          )}
        </Space>
      </Card>
      {(preview.error || save.error) && <ErrorAlert error={(preview.error ?? save.error)!} />}
      {result && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={12}>
              <Side
                title={tx(`现行流程 v${result.templateVersion}`, `Live v${result.templateVersion}`)}
                side={result.live}
                lines={result.lines}
                testId="scenario-live"
              />
            </Col>
            <Col span={12}>
              <Side
                title={tx(`方案：${result.name}`, `Scenario: ${result.name}`)}
                side={result.sandbox}
                lines={result.lines}
                testId="scenario-sandbox"
              />
            </Col>
          </Row>
          {result.problems.length > 0 && (
            <Alert
              type="warning"
              style={{ marginBottom: 16 }}
              title={result.problems.map((p) => p.message).join('；')}
            />
          )}
        </>
      )}
      <Card title={tx('已保存的方案', 'Saved scenarios')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={saved.data ?? []}
          data-testid="scenario-list"
          columns={[
            { title: tx('名称', 'Name'), dataIndex: 'name' },
            { title: tx('流程', 'Template'), render: (_, s) => `${s.templateCode} v${s.templateVersion}` },
            { title: tx('现行时限', 'Live'), dataIndex: 'liveTotalWorkingDays' },
            { title: tx('方案时限', 'Scenario'), dataIndex: 'sandboxTotalWorkingDays' },
            {
              title: tx('导出', 'Export'),
              render: (_, s) => <a href={`/api/forecast/scenarios/${s.id}/export.xlsx`}>Excel</a>,
            },
          ]}
        />
      </Card>
    </>
  );
}
