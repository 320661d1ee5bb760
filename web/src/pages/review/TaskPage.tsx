/**
 * 办件审查: the task with its clock, the applicant's form and materials (previewed inline), what other
 * departments already reviewed (task 9: not examined again), the decision history, the decision form
 * (the last step carries the reply document) and special procedures (特别程序).
 */
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useDepartmentNames } from '../../api/hooks';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StageTag } from '../../components/tags';
import { formatDateTime, todayInBeijing } from '../../lib/time';
import { keys, useGuide, useTask, type AppMaterial, type Guide, type TaskDetail } from '../projects/api';
import { outcomeText, preconditionText, specialProcedureText, stepText, useTx } from '../projects/strings';
import { ClockTag, MaterialLink, MaterialPreview, TaskStatusTag } from '../projects/ui';
import { useItemNames } from './itemNames';

export default function TaskPage() {
  const { id = '' } = useParams();
  const { data, error } = useTask(id);
  const tx = useTx();
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  return <TaskView task={data} tx={tx} />;
}

function TaskView({ task: data, tx }: { task: TaskDetail; tx: (zh: string, en: string) => string }) {
  // The stage guide names the materials and the form fields (the task lists codes and keys only).
  const { data: guide } = useGuide(data.projectId, data.stage);
  return (
    <>
      <PageHeader
        title={<span data-testid="task-item-name">{data.itemName}</span>}
        subTitle={`${data.projectCode} ${data.projectName}`}
        back="/review"
      />
      <Row gutter={16}>
        <Col span={15}>
          <Flex vertical gap={16}>
            <Overview task={data} />
            <Materials task={data} guide={guide} />
            <Card title={tx('申请表单', 'Form')} size="small">
              <Descriptions size="small" column={2} bordered data-testid="task-form">
                {Object.entries(data.form).map(([k, v]) => (
                  <Descriptions.Item key={k} label={guide?.form.properties?.[k]?.title ?? k}>
                    {String(v)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
          </Flex>
        </Col>
        <Col span={9}>
          <Flex vertical gap={16}>
            <DecisionForm task={data} />
            <History task={data} />
            <SpecialProcedures task={data} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}

function Overview({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const dept = useDepartmentNames();
  return (
    <Card size="small">
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={tx('建设单位', 'Enterprise')}>{task.enterpriseName}</Descriptions.Item>
        <Descriptions.Item label={tx('办理部门', 'Department')}>
          {dept(task.departmentCode)}
        </Descriptions.Item>
        <Descriptions.Item label={tx('阶段', 'Stage')}>
          <StageTag stage={task.stage} />
        </Descriptions.Item>
        <Descriptions.Item label={tx('状态', 'State')}>
          <TaskStatusTag status={task.status} />
        </Descriptions.Item>
        <Descriptions.Item label={tx('当前环节', 'Step')}>
          <span data-testid="task-step">{task.currentStep ? tx(...stepText[task.currentStep]!) : '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={tx('审查环节', 'Steps')}>
          {task.steps.map((s) => tx(...stepText[s]!)).join(' → ')}
        </Descriptions.Item>
        <Descriptions.Item label={tx('受理日', 'Started')}>{task.startedOn}</Descriptions.Item>
        <Descriptions.Item label={tx('办理期限', 'Deadline')}>{task.clock.deadline}</Descriptions.Item>
        <Descriptions.Item label={tx('计时', 'Clock')}>
          <ClockTag state={task.clock.clockState} />
          {task.clock.paused && <Tag color="orange">{tx('暂停计时', 'Paused')}</Tag>}
          {task.clock.pausedWorkingDays > 0 &&
            tx(
              `（暂停 ${task.clock.pausedWorkingDays} 个工作日）`,
              `(${task.clock.pausedWorkingDays} days paused)`,
            )}
        </Descriptions.Item>
        {task.viaCommitment && (
          <Descriptions.Item label={tx('办理方式', 'Mode')}>
            <Tag color="blue">{tx('告知承诺制', 'Commitment')}</Tag>
          </Descriptions.Item>
        )}
        {task.simulated && (
          <Descriptions.Item label={tx('模拟审批', 'Simulated')}>
            <Tag color="purple">
              {task.simulatedUntil
                ? tx(...(preconditionText[task.simulatedUntil] ?? [task.simulatedUntil, task.simulatedUntil]))
                : '—'}
            </Tag>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function Materials({ task, guide }: { task: TaskDetail; guide: Guide | undefined }) {
  const tx = useTx();
  const dept = useDepartmentNames();
  const name = useItemNames();
  const reviewed = new Map<string, TaskDetail['alreadyReviewed']>();
  for (const r of task.alreadyReviewed)
    reviewed.set(r.materialCode, [...(reviewed.get(r.materialCode) ?? []), r]);
  const materialName = (code: string) => guide?.materials.find((m) => m.code === code)?.name ?? code;
  const [preview, setPreview] = useState<AppMaterial | null>(task.materials[0] ?? null);
  return (
    <Card title={tx('申报材料', 'Materials')} size="small">
      {task.alreadyReviewed.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="already-reviewed"
          title={tx(
            '以下材料已由其他事项审查通过，不再重复审查（谁审查、谁负责）',
            'Already reviewed elsewhere — do not review again',
          )}
          description={[...reviewed.entries()].map(([code, by]) => (
            <div key={code} data-testid={`already-reviewed-${code}`}>
              <b>{materialName(code)}</b>：
              {by
                .map(
                  (r) =>
                    `${name(r.reviewedByItem)}（${dept(r.departmentCode)}，${formatDateTime(r.decidedAt)}）`,
                )
                .join('；')}
            </div>
          ))}
        />
      )}
      <Table<AppMaterial>
        rowKey="materialCode"
        size="small"
        pagination={false}
        dataSource={task.materials}
        data-testid="task-materials"
        columns={[
          { title: tx('材料名称', 'Material'), dataIndex: 'materialCode', render: materialName },
          { title: tx('文件', 'File'), render: (_: unknown, m) => <MaterialLink material={m} /> },
          {
            title: tx('大小', 'Size'),
            dataIndex: 'sizeBytes',
            render: (b: number) => `${Math.ceil(b / 1024)} KB`,
          },
          {
            title: tx('审查', 'Review'),
            render: (_: unknown, m) =>
              reviewed.has(m.materialCode) ? (
                <Tag color="green">{tx('已审查，不再重复审查', 'Already reviewed')}</Tag>
              ) : (
                <Button
                  size="small"
                  type="link"
                  onClick={() => setPreview(m)}
                  data-testid={`task-preview-${m.materialCode}`}
                >
                  {tx('预览', 'Preview')}
                </Button>
              ),
          },
        ]}
      />
      {preview && (
        <div style={{ marginTop: 12 }}>
          <MaterialPreview material={preview} />
        </div>
      )}
    </Card>
  );
}

interface DecisionValues {
  outcome: 'approve' | 'reject' | 'return';
  opinion: string;
  number?: string;
  title?: string;
  date?: string;
  validUntil?: string;
}

function DecisionForm({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const { user } = useAuth();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<DecisionValues>();
  const outcome = Form.useWatch('outcome', form);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const myStep = user?.role === 'reviewer' ? 'initial' : user?.role === 'senior' ? 'final' : null;
  if (task.status !== 'in_review' || !myStep || task.currentStep !== myStep) {
    return (
      <Card size="small" title={tx('审查决定', 'Decision')}>
        <Alert
          type="info"
          data-testid="decision-closed"
          title={
            task.outcome
              ? tx(
                  `本事项已办结：${outcomeText[task.outcome]?.[0] ?? task.outcome}`,
                  `Decided: ${task.outcome}`,
                )
              : tx('当前环节不由您办理', 'Not your step')
          }
        />
        {task.document && (
          <Descriptions size="small" column={1} style={{ marginTop: 8 }} data-testid="task-document">
            <Descriptions.Item label={tx('文号', 'Number')}>{task.document.number}</Descriptions.Item>
            <Descriptions.Item label={tx('标题', 'Title')}>{task.document.title}</Descriptions.Item>
            <Descriptions.Item label={tx('日期', 'Date')}>{task.document.date}</Descriptions.Item>
            <Descriptions.Item label={tx('有效期至', 'Valid until')}>
              {task.document.validUntil}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
    );
  }
  const lastStep = task.steps[task.steps.length - 1] === myStep;
  const submit = async (v: DecisionValues) => {
    setSaving(true);
    setError(null);
    try {
      await api.post(`/api/tasks/${task.id}/decisions`, {
        step: myStep,
        outcome: v.outcome,
        opinion: v.opinion ?? '',
        document:
          lastStep && v.outcome === 'approve' && v.number && v.title && v.date
            ? { number: v.number, title: v.title, date: v.date, validUntil: v.validUntil || undefined }
            : undefined,
      });
      message.success(tx('决定已提交', 'Decision recorded'));
      await client.invalidateQueries({ queryKey: keys.task(task.id) });
      await client.invalidateQueries({ queryKey: keys.inbox });
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card
      size="small"
      title={tx(`审查决定（${stepText[myStep]![0]}）`, `Decision (${stepText[myStep]![1]})`)}
    >
      <Form<DecisionValues>
        form={form}
        layout="vertical"
        initialValues={{
          outcome: 'approve',
          opinion: '',
          date: todayInBeijing(),
          validUntil: '9999-01-01',
          title: task.itemName,
        }}
        onFinish={(v) => void submit(v)}
        data-testid="decision-form"
      >
        <Form.Item name="outcome" label={tx('审查结论', 'Outcome')}>
          <Radio.Group data-testid="decision-outcome">
            {(['approve', 'reject', 'return'] as const).map((o) => (
              <Radio.Button key={o} value={o} data-testid={`outcome-${o}`}>
                {tx(...outcomeText[o]!)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="opinion"
          label={tx('审查意见', 'Opinion')}
          rules={[{ required: outcome !== 'approve', min: outcome !== 'approve' ? 2 : 0 }]}
        >
          <Input.TextArea rows={3} data-testid="decision-opinion" />
        </Form.Item>
        {lastStep && outcome === 'approve' && (
          <>
            <Form.Item name="number" label={tx('批复文号', 'Document number')}>
              <Input
                placeholder={tx('留空则系统自动编号', 'Blank: numbered automatically')}
                data-testid="doc-number"
              />
            </Form.Item>
            <Form.Item name="title" label={tx('批复文件标题', 'Document title')}>
              <Input data-testid="doc-title" />
            </Form.Item>
            <Space>
              <Form.Item name="date" label={tx('批复日期', 'Date')}>
                <Input type="date" data-testid="doc-date" />
              </Form.Item>
              <Form.Item name="validUntil" label={tx('有效期至（9999-01-01 为长期）', 'Valid until')}>
                <Input type="date" data-testid="doc-valid-until" />
              </Form.Item>
            </Space>
          </>
        )}
        {error !== null && <ErrorAlert error={error} />}
        <Button type="primary" htmlType="submit" loading={saving} data-testid="decision-submit">
          {tx('提交决定', 'Submit decision')}
        </Button>
      </Form>
    </Card>
  );
}

function History({ task }: { task: TaskDetail }) {
  const tx = useTx();
  return (
    <Card size="small" title={tx('审查记录', 'Decision history')}>
      {task.decisions.length === 0 ? (
        <span style={{ color: '#999' }}>{tx('暂无审查记录', 'No decisions yet')}</span>
      ) : (
        <Timeline
          data-testid="decision-history"
          items={task.decisions.map((d) => ({
            color: d.outcome === 'approve' ? 'green' : d.outcome === 'reject' ? 'red' : 'orange',
            content: (
              <div data-testid={`decision-${d.step}`}>
                <b>{tx(...stepText[d.step]!)}</b> · {tx(...outcomeText[d.outcome]!)} · {d.decidedByName} ·{' '}
                {formatDateTime(d.decidedAt)}
                <div>{d.opinion}</div>
                {d.document && (
                  <div style={{ color: '#666' }}>
                    {d.document.number}《{d.document.title}》
                  </div>
                )}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

function SpecialProcedures({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const { hasRole } = useAuth();
  const client = useQueryClient();
  const [kind, setKind] = useState('hearing');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const canAct = hasRole('reviewer', 'senior') && (task.status === 'in_review' || task.status === 'paused');
  const call = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setReason('');
      await client.invalidateQueries({ queryKey: keys.task(task.id) });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card size="small" title={tx('特别程序', 'Special procedures')}>
      {task.pauses.map((p) => (
        <Flex key={p.id} gap={8} align="center" style={{ marginBottom: 8 }} data-testid={`pause-${p.kind}`}>
          <Tag color={p.pausesClock ? 'orange' : 'default'}>
            {tx(...(specialProcedureText[p.kind] ?? [p.kind, p.kind]))}
          </Tag>
          <span>
            {p.startedOn} — {p.endedOn ?? tx('进行中', 'ongoing')}
          </span>
          <span style={{ color: '#666' }}>{p.reason}</span>
          {!p.endedOn && canAct && (
            <Button
              size="small"
              onClick={() =>
                void call(() => api.post(`/api/tasks/${task.id}/special-procedures/${p.id}/end`))
              }
              data-testid="pause-end"
            >
              {tx('结束', 'End')}
            </Button>
          )}
        </Flex>
      ))}
      {canAct && (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            style={{ width: 180 }}
            value={kind}
            onChange={setKind}
            options={Object.entries(specialProcedureText).map(([k, [zh, en]]) => ({
              value: k,
              label: tx(zh, en),
            }))}
            data-testid="pause-kind"
          />
          <Input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={tx('事由', 'Reason')}
            data-testid="pause-reason"
          />
          <Button
            disabled={reason.trim().length < 2}
            onClick={() =>
              void call(() => api.post(`/api/tasks/${task.id}/special-procedures`, { kind, reason }))
            }
            data-testid="pause-start"
          >
            {tx('启动', 'Start')}
          </Button>
        </Space.Compact>
      )}
      {error !== null && <ErrorAlert error={error} />}
    </Card>
  );
}
