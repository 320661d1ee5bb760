/**
 * 办件审查: the task with its clock, the applicant's form and materials (previewed inline), what other
 * departments already reviewed (task 9: not examined again), the decision history by round (a 补正
 * answered starts a new round at the same step), the decision form (the last step carries the reply
 * document; a return for 补正 carries its answer date), special procedures (特别程序), 延期 (the
 * reviewer asks, the department's head decides) and 纠错 (the head asks, a supervisor countersigns).
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
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useDepartmentNames } from '../../api/hooks';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CreditStandingFlag } from '../credit/CreditStandingFlag';
import { PageHeader } from '../../components/PageHeader';
import { StageTag } from '../../components/tags';
import { formatDateTime, todayInBeijing } from '../../lib/time';
import {
  keys,
  TASK_ENDED,
  useGuide,
  useTask,
  type AppMaterial,
  type Guide,
  type TaskDetail,
  useReferenceValues,
} from '../projects/api';
import {
  extensionStatusText,
  outcomeText,
  preconditionText,
  reopeningStatusText,
  specialProcedureText,
  stepText,
  useTx,
} from '../projects/strings';
import { TaskNotes, WorkingDaysLeft, withoutRemedy } from '../projects/StageTimeline';
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
  const { user } = useAuth();
  return (
    <>
      <PageHeader
        title={<span data-testid="task-item-name">{data.itemName}</span>}
        subTitle={`${data.projectCode} ${data.projectName}`}
        back={user?.role === 'head' ? '/head' : '/review'}
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
            <DecisionForm task={data} guide={guide} />
            <HeadActions task={data} />
            <History task={data} />
            <Extensions task={data} />
            <Revocations task={data} />
            <Reopenings task={data} />
            <PreconditionConfirm task={data} />
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
        <Descriptions.Item label={tx('建设单位', 'Enterprise')}>
          {task.enterpriseName} <CreditStandingFlag enterpriseId={task.enterpriseId} />
        </Descriptions.Item>
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
        <Descriptions.Item label={tx('办理期限', 'Deadline')}>
          <span data-testid="task-deadline">{task.clock.deadline}</span>
          {(task.clock.extendedBy ?? 0) > 0 && (
            <Tag color="purple" style={{ marginInlineStart: 4 }} data-testid="task-extended">
              {tx(`已延期 ${task.clock.extendedBy} 个工作日`, `Extended by ${task.clock.extendedBy}`)}
            </Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={tx('审查轮次', 'Round')}>
          <span data-testid="task-round">{tx(`第 ${task.round} 轮`, `Round ${task.round}`)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={tx('计时', 'Clock')}>
          <ClockTag state={task.clock.clockState} />
          {!TASK_ENDED.has(task.status) && <WorkingDaysLeft clock={task.clock} />}
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
        <Descriptions.Item label={tx('说明', 'Notes')} span={3}>
          <TaskNotes task={task} />
        </Descriptions.Item>
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
  /** return only: the answer date of the 补正 and the materials to supply again. */
  dueDate?: string;
  materialCodes?: string[];
  number?: string;
  title?: string;
  date?: string;
  validUntil?: string;
}

/** A task's 撤销 records (GET /api/tasks/:id lists them; a corrected one says when and why). */
interface Revocation {
  id: string;
  reason: string;
  legalBasis: string;
  sourceType: 'department' | 'inspection' | 'inspection_draw';
  certificateIdentifier: string | null;
  revokedAt: string;
  correctedAt: string | null;
  correctedReason: string | null;
}
const revocationsOf = (task: TaskDetail) =>
  (task as TaskDetail & { revocations?: Revocation[] }).revocations ?? [];

function closedText(task: TaskDetail, tx: (zh: string, en: string) => string): string {
  if (task.status === 'correction')
    return tx('已退回补正，待申请人答复后重新审查', 'Awaiting the applicant’s correction');
  if (task.status === 'paused') return tx('特别程序进行中，暂停审查', 'Special procedure running');
  if (task.status === 'withdrawn')
    return tx('申请人已撤回申报，本事项不再办理', 'The application was withdrawn');
  if (task.status === 'terminated') return tx('本事项已终止办理', 'This task was terminated');
  if (task.status === 'revoked') return tx('审批决定已撤销', 'The decision was revoked');
  if (task.outcome) {
    const o = outcomeText[task.outcome];
    return o ? tx(`本事项已办结：${o[0]}`, `Decided: ${o[1]}`) : tx('本事项已办结', 'Decided');
  }
  return tx('当前环节不由您办理', 'Not your step');
}

function DecisionForm({ task, guide }: { task: TaskDetail; guide: Guide | undefined }) {
  const tx = useTx();
  const { user } = useAuth();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<DecisionValues>();
  const outcome = Form.useWatch('outcome', form);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const { modal } = AntApp.useApp();
  const reference = useReferenceValues().data;
  const defaultDue = reference?.correctionDueDate;
  const myStep = user?.role === 'reviewer' ? 'initial' : user?.role === 'senior' ? 'final' : null;
  if (task.status !== 'in_review' || !myStep || task.currentStep !== myStep) {
    return (
      <Card size="small" title={tx('审查决定', 'Decision')}>
        <Alert
          type={task.status === 'rejected' || task.status === 'terminated' ? 'warning' : 'info'}
          data-testid="decision-closed"
          title={closedText(task, tx)}
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
  // 不予许可 ends the task: the reviewer confirms it (the way back is a supervised 纠错 only).
  const confirmThenSubmit = (v: DecisionValues) => {
    if (v.outcome !== 'reject') return void submit(v);
    modal.confirm({
      title: tx('确认作出不予许可决定？', 'Refuse the application?'),
      content: tx(
        '不予许可决定作出后即告知申请人（附复议、诉讼权利），本事项办结；确有错误的，只能经负责人提出、电子监察会签纠错。',
        'The applicant is told at once (with the remedies) and the task ends; a mistake is corrected only through a countersigned reopening.',
      ),
      okText: tx('确认不予许可', 'Refuse'),
      okButtonProps: { danger: true, 'data-testid': 'decision-confirm' } as never,
      cancelText: tx('取消', 'Cancel'),
      onOk: () => submit(v),
    });
  };
  const submit = async (v: DecisionValues) => {
    setSaving(true);
    setError(null);
    try {
      await api.post(`/api/tasks/${task.id}/decisions`, {
        step: myStep,
        outcome: v.outcome,
        opinion: v.opinion ?? '',
        dueDate: v.outcome === 'return' ? v.dueDate || defaultDue || undefined : undefined,
        items:
          v.outcome === 'return' && v.materialCodes?.length
            ? v.materialCodes.map((materialCode) => ({ materialCode, reason: v.opinion }))
            : undefined,
        document:
          lastStep && v.outcome === 'approve' && v.number && v.title && v.date
            ? { number: v.number, title: v.title, date: v.date, validUntil: v.validUntil || undefined }
            : undefined,
      });
      message.success(tx('决定已提交', 'Decision recorded'));
      form.resetFields();
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
      title={tx(
        `审查决定（${stepText[myStep]![0]}${task.round > 1 ? `，第 ${task.round} 轮` : ''}）`,
        `Decision (${stepText[myStep]![1]}${task.round > 1 ? `, round ${task.round}` : ''})`,
      )}
    >
      {task.round > 1 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="decision-again"
          title={tx('申请人已答复补正，请重新审查并作出决定', 'The applicant answered: decide again')}
        />
      )}
      <Form<DecisionValues>
        form={form}
        layout="vertical"
        // No outcome is preselected: the reviewer chooses one.
        initialValues={{
          opinion: '',
          date: todayInBeijing(),
          title: task.itemName,
        }}
        onFinish={confirmThenSubmit}
        data-testid="decision-form"
      >
        <Form.Item
          name="outcome"
          label={tx('审查结论', 'Outcome')}
          rules={[{ required: true, message: tx('请选择审查结论', 'Choose an outcome') }]}
        >
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
          rules={[
            {
              required: outcome === 'reject' || outcome === 'return',
              min: outcome === 'reject' || outcome === 'return' ? 2 : 0,
            },
          ]}
        >
          <Input.TextArea rows={3} data-testid="decision-opinion" />
        </Form.Item>
        {outcome === 'return' && (
          <>
            <Form.Item name="dueDate" label={tx('补正答复期限', 'Answer by')}>
              <Input
                type="date"
                min={todayInBeijing()}
                placeholder={defaultDue}
                data-testid="return-due"
                onFocus={() => {
                  if (!form.getFieldValue('dueDate') && defaultDue) form.setFieldValue('dueDate', defaultDue);
                }}
              />
            </Form.Item>
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: -16, marginBottom: 8 }}>
              {reference &&
                tx(
                  `不填则为 ${reference.correctionDueDate}（${reference.correctionWorkingDays} 个工作日）`,
                  `Blank: ${reference.correctionDueDate} (${reference.correctionWorkingDays} working days)`,
                )}
            </Typography.Text>
            <Form.Item
              name="materialCodes"
              label={tx('需重新提交的材料（可选）', 'Materials to supply again')}
            >
              <Select
                mode="multiple"
                allowClear
                data-testid="return-materials"
                options={task.materials.map((m) => ({
                  value: m.materialCode,
                  label: guide?.materials.find((g) => g.code === m.materialCode)?.name ?? m.originalName,
                }))}
              />
            </Form.Item>
          </>
        )}
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
              <Form.Item
                name="validUntil"
                label={tx(
                  `有效期至（不填或 ${reference?.noExpiryDate ?? ''} 为长期）`,
                  `Valid until (blank: no expiry)`,
                )}
              >
                <Input type="date" data-testid="doc-valid-until" placeholder={reference?.noExpiryDate} />
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
  const rounds = Math.max(1, ...task.decisions.map((d) => d.round ?? 1));
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
              <div data-testid={`decision-${d.step}`} data-round={d.round ?? 1} data-outcome={d.outcome}>
                {rounds > 1 && <Tag>{tx(`第 ${d.round ?? 1} 轮`, `Round ${d.round ?? 1}`)}</Tag>}
                <b>{tx(...stepText[d.step]!)}</b> · {tx(...outcomeText[d.outcome]!)} · {d.decidedByName} ·{' '}
                {formatDateTime(d.decidedAt)}
                <div style={{ whiteSpace: 'pre-wrap' }}>
                  {d.outcome === 'reject' ? withoutRemedy(d.opinion) : d.opinion}
                </div>
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

/** Runs one POST, then reloads the task (and the lists that show it); keeps the error to show. */
function useTaskAction(task: TaskDetail) {
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      message.success(done);
      await client.invalidateQueries({ queryKey: keys.task(task.id) });
      await client.invalidateQueries({ queryKey: ['tasks'] });
      await client.invalidateQueries({ queryKey: ['head'] });
      await client.invalidateQueries({ queryKey: keys.reopenings });
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy };
}

const RUNNING = new Set(['in_review', 'paused', 'correction']);
/** 《行政许可法》第四十二条: at most ten working days more, once (server: DEFAULT_EXTENSION_LIMIT_WORKING_DAYS). */
const EXTENSION_LIMIT = 10;

/** 延期: the history of requests; the department's reviewer or senior asks, with a reason. */
function Extensions({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const { hasRole } = useAuth();
  const { run, error, busy } = useTaskAction(task);
  const [days, setDays] = useState<number | null>(5);
  const [reason, setReason] = useState('');
  const approved = task.extensions.some((e) => e.status === 'approved');
  const pending = task.extensions.some((e) => e.status === 'pending');
  const canAsk = hasRole('reviewer', 'senior') && RUNNING.has(task.status) && !approved && !pending;
  if (task.extensions.length === 0 && !canAsk) return null;
  const valid = days !== null && days >= 1 && days <= EXTENSION_LIMIT && reason.trim().length >= 2;
  return (
    <Card size="small" title={tx('延期', 'Extension')} data-testid="extensions">
      {task.extensions.map((e) => (
        <Flex
          key={e.id}
          vertical
          gap={2}
          style={{ marginBottom: 8 }}
          data-testid={`extension-${e.id}`}
          data-status={e.status}
        >
          <span>
            <Tag color={e.status === 'approved' ? 'green' : e.status === 'refused' ? 'red' : 'gold'}>
              {tx(...(extensionStatusText[e.status] ?? ['—', '—']))}
            </Tag>
            {tx(`延长 ${e.workingDays} 个工作日`, `${e.workingDays} working days`)} ·{' '}
            {formatDateTime(e.requestedAt)}
          </span>
          <span>
            {tx('理由', 'Reason')}：{e.reason}
          </span>
          {e.opinion && (
            <span style={{ color: '#666' }}>
              {tx('负责人意见', 'Head’s opinion')}：{e.opinion}（{formatDateTime(e.decidedAt)}）
            </span>
          )}
        </Flex>
      ))}
      {canAsk && (
        <Flex vertical gap={8}>
          <Space.Compact>
            <Space.Addon>{tx('延长', 'Extend by')}</Space.Addon>
            <InputNumber
              min={1}
              max={EXTENSION_LIMIT}
              precision={0}
              value={days}
              onChange={(v) => setDays(v)}
              data-testid="extension-days"
            />
            <Space.Addon>{tx('个工作日', 'working days')}</Space.Addon>
          </Space.Compact>
          <Input.TextArea
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={tx('延期理由（申请人可见）', 'Reason (shown to the applicant)')}
            data-testid="extension-reason"
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {tx(
              `依《行政许可法》第四十二条，经本部门负责人批准可延长一次，最多 ${EXTENSION_LIMIT} 个工作日。`,
              `Once, at most ${EXTENSION_LIMIT} working days, with the head's approval.`,
            )}
          </Typography.Text>
          <div>
            <Button
              disabled={!valid}
              loading={busy}
              onClick={() =>
                void run(
                  async () => {
                    await api.post(`/api/tasks/${task.id}/extensions`, {
                      workingDays: days,
                      reason: reason.trim(),
                    });
                    setReason('');
                  },
                  tx('延期申请已提交，待负责人审批', 'Extension requested'),
                )
              }
              data-testid="extension-submit"
            >
              {tx('申请延期', 'Request an extension')}
            </Button>
          </div>
        </Flex>
      )}
      {error !== null && <ErrorAlert error={error} />}
    </Card>
  );
}

/** The head (负责人): decides a pending 延期, and asks to reopen (纠错) a decided task. */
function HeadActions({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const { user } = useAuth();
  const { run, error, busy } = useTaskAction(task);
  const { modal } = AntApp.useApp();
  const [opinion, setOpinion] = useState('');
  const [reason, setReason] = useState('');
  const [revokeReason, setRevokeReason] = useState('');
  const [revokeBasis, setRevokeBasis] = useState('');
  if (user?.role !== 'head' || user.departmentCode !== task.departmentCode) return null;
  const pending = task.extensions.find((e) => e.status === 'pending');
  const reopenPending = task.reopenings.some((r) => r.status === 'pending');
  const revoked = task.status === 'revoked';
  const canReopen = (task.status === 'approved' || task.status === 'rejected' || revoked) && !reopenPending;
  const canRevoke = task.status === 'approved' && !reopenPending;
  // 撤销 is irreversible for the holder at once (certificate, credit record, notice): confirm first.
  const revoke = () =>
    modal.confirm({
      title: tx('确认撤销审批决定？', 'Revoke the approval?'),
      content: tx(
        '撤销后审批决定和证照随即失效，记入申请人的信用记录并通知申请人。撤销有误的，只能经负责人提出、电子监察会签纠错。',
        'The approval and its certificate lapse at once, a credit record is written and the holder told. A mistake is corrected only through a countersigned reopening.',
      ),
      okText: tx('确认撤销', 'Revoke'),
      okButtonProps: { danger: true, 'data-testid': 'revoke-confirm' } as never,
      cancelText: tx('取消', 'Cancel'),
      onOk: () =>
        run(
          async () => {
            await api.post(`/api/tasks/${task.id}/revoke`, {
              reason: revokeReason.trim(),
              legalBasis: revokeBasis.trim(),
            });
            setRevokeReason('');
            setRevokeBasis('');
          },
          tx('审批决定已撤销', 'Approval revoked'),
        ),
    });
  const decide = (approve: boolean) =>
    run(
      async () => {
        await api.post(`/api/tasks/${task.id}/extensions/${pending!.id}/decision`, {
          approve,
          opinion: opinion.trim(),
        });
        setOpinion('');
      },
      approve ? tx('已批准延期，办理期限已顺延', 'Extension approved') : tx('已不予批准延期', 'Refused'),
    );
  return (
    <Card size="small" title={tx('负责人审批', 'Head of department')} data-testid="head-actions">
      <Flex vertical gap={12}>
        {pending ? (
          <Flex vertical gap={8} data-testid="head-extension">
            <span>
              {tx(
                `延期申请：延长 ${pending.workingDays} 个工作日`,
                `Extension: ${pending.workingDays} working days`,
              )}
              （{formatDateTime(pending.requestedAt)}）
            </span>
            <span>
              {tx('理由', 'Reason')}：{pending.reason}
            </span>
            <Input.TextArea
              rows={2}
              value={opinion}
              onChange={(e) => setOpinion(e.target.value)}
              placeholder={tx('审批意见', 'Opinion')}
              data-testid="extension-opinion"
            />
            <Space>
              <Button
                type="primary"
                disabled={opinion.trim().length < 2}
                loading={busy}
                onClick={() => void decide(true)}
                data-testid="extension-approve"
              >
                {tx('批准延期', 'Approve')}
              </Button>
              <Button
                danger
                disabled={opinion.trim().length < 2}
                loading={busy}
                onClick={() => void decide(false)}
                data-testid="extension-refuse"
              >
                {tx('不予批准', 'Refuse')}
              </Button>
            </Space>
          </Flex>
        ) : (
          <Typography.Text type="secondary">
            {tx('暂无待审批的延期申请', 'No pending extension')}
          </Typography.Text>
        )}
        {canRevoke && (
          <Flex vertical gap={8} data-testid="head-revoke">
            <Typography.Text strong>{tx('撤销审批决定', 'Revoke the approval')}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tx(
                '依《行政许可法》第六十九条撤销：证照随之撤销，记入信用记录，通知申请人。',
                'Under Article 69 of the Administrative Licensing Law: the certificate is revoked, a credit record written, the holder told.',
              )}
            </Typography.Text>
            <Input.TextArea
              rows={2}
              value={revokeReason}
              onChange={(e) => setRevokeReason(e.target.value)}
              placeholder={tx('撤销理由（申请人可见）', 'Reason (shown to the holder)')}
              data-testid="revoke-reason"
            />
            <Input
              value={revokeBasis}
              onChange={(e) => setRevokeBasis(e.target.value)}
              placeholder={tx('法律依据，如《行政许可法》第六十九条第二款', 'Legal basis')}
              data-testid="revoke-basis"
            />
            <div>
              <Button
                danger
                disabled={revokeReason.trim().length < 2 || revokeBasis.trim().length < 2}
                loading={busy}
                onClick={revoke}
                data-testid="revoke-submit"
              >
                {tx('撤销审批决定', 'Revoke')}
              </Button>
            </div>
          </Flex>
        )}
        {canReopen && (
          <Flex vertical gap={8} data-testid="head-reopen">
            <Typography.Text strong>
              {revoked
                ? tx('纠错：撤销决定有误，申请恢复审批决定', 'Correct a mistaken revocation')
                : tx('纠错：申请重新办理', 'Reopen a wrong decision')}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {revoked
                ? tx(
                    '撤销决定确有错误的，经电子监察会签后原审批决定恢复效力：证照恢复有效，因撤销记入的信用记录撤回，通知申请人。',
                    'After a supervisor countersigns, the approval is in force again: its certificate is valid again and the credit record of the revocation is withdrawn.',
                  )
                : tx(
                    '确有错误的审批决定，经电子监察会签后回到复核环节重新办理；已核发的证照将被撤销。',
                    'After a supervisor countersigns, the task returns to its final step; its certificate is revoked.',
                  )}
            </Typography.Text>
            <Input.TextArea
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={tx('纠错理由', 'Reason')}
              data-testid="reopen-reason"
            />
            <div>
              <Button
                danger
                disabled={reason.trim().length < 2}
                loading={busy}
                onClick={() =>
                  void run(
                    async () => {
                      await api.post(`/api/tasks/${task.id}/reopen`, { reason: reason.trim() });
                      setReason('');
                    },
                    tx('纠错申请已提交，待电子监察会签', 'Reopening requested'),
                  )
                }
                data-testid="reopen-submit"
              >
                {tx('提出纠错', 'Request reopening')}
              </Button>
            </div>
          </Flex>
        )}
        {error !== null && <ErrorAlert error={error} />}
      </Flex>
    </Card>
  );
}

/** 撤销 of this task: why, on what basis, from which source; a corrected one says when and why. */
function Revocations({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const rows = revocationsOf(task);
  if (rows.length === 0) return null;
  const source: Record<Revocation['sourceType'], [string, string]> = {
    department: ['部门决定', 'Department'],
    inspection: ['告知承诺核查', 'Commitment inspection'],
    inspection_draw: ['双随机抽查', 'Random inspection'],
  };
  return (
    <Card size="small" title={tx('撤销记录', 'Revocations')} data-testid="revocations">
      {rows.map((r) => (
        <Flex
          key={r.id}
          vertical
          gap={2}
          style={{ marginBottom: 8 }}
          data-testid={`revocation-${r.id}`}
          data-corrected={r.correctedAt ? 'yes' : 'no'}
        >
          <span>
            <Tag color={r.correctedAt ? 'default' : 'red'}>
              {r.correctedAt ? tx('已纠错撤回', 'Corrected') : tx('撤销有效', 'In force')}
            </Tag>
            {tx(...source[r.sourceType])} · {formatDateTime(r.revokedAt)}
          </span>
          <span>
            {tx('理由', 'Reason')}：{r.reason}
          </span>
          <span>
            {tx('依据', 'Basis')}：{r.legalBasis}
          </span>
          {r.certificateIdentifier && (
            <span>
              {tx('证照', 'Certificate')}：{r.certificateIdentifier}
              {r.correctedAt ? tx('（已恢复有效）', ' (valid again)') : tx('（已撤销）', ' (revoked)')}
            </span>
          )}
          {r.correctedAt && (
            <span style={{ color: '#666' }}>
              {tx('纠错理由', 'Correction')}：{r.correctedReason}（{formatDateTime(r.correctedAt)}）
            </span>
          )}
        </Flex>
      ))}
    </Card>
  );
}

/** 纠错 requests of this task and their countersignature. */
function Reopenings({ task }: { task: TaskDetail }) {
  const tx = useTx();
  if (task.reopenings.length === 0) return null;
  return (
    <Card size="small" title={tx('纠错记录', 'Reopenings')} data-testid="reopenings">
      {task.reopenings.map((r) => (
        <Flex
          key={r.id}
          vertical
          gap={2}
          style={{ marginBottom: 8 }}
          data-testid={`reopening-${r.id}`}
          data-status={r.status}
        >
          <span>
            <Tag color={r.status === 'approved' ? 'magenta' : r.status === 'refused' ? 'default' : 'gold'}>
              {tx(...(reopeningStatusText[r.status] ?? ['—', '—']))}
            </Tag>
            {formatDateTime(r.requestedAt)}
          </span>
          <span>
            {tx('理由', 'Reason')}：{r.reason}
          </span>
          {r.opinion && (
            <span style={{ color: '#666' }}>
              {tx('监察意见', 'Supervisor’s opinion')}：{r.opinion}（{formatDateTime(r.countersignedAt)}）
            </span>
          )}
        </Flex>
      ))}
    </Card>
  );
}

/** 模拟审批: the deciding department confirms the applicant's evidence; the result turns formal. */
function PreconditionConfirm({ task }: { task: TaskDetail }) {
  const tx = useTx();
  const { hasRole } = useAuth();
  const { run, error, busy } = useTaskAction(task);
  const [opinion, setOpinion] = useState('');
  if (!task.simulated || task.status !== 'approved' || !hasRole('reviewer', 'senior')) return null;
  return (
    <Card size="small" title={tx('模拟审批转正式', 'Make the simulated result formal')}>
      <Flex vertical gap={8}>
        <Input.TextArea
          rows={2}
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
          placeholder={tx('核验意见，如：土地出让合同已核验', 'Opinion on the evidence')}
          data-testid="precondition-opinion"
        />
        <div>
          <Button
            disabled={opinion.trim().length < 2}
            loading={busy}
            onClick={() =>
              void run(
                () => api.post(`/api/tasks/${task.id}/confirm-precondition`, { opinion: opinion.trim() }),
                tx('前提条件已确认，审批结果转为正式', 'Made formal'),
              )
            }
            data-testid="precondition-confirm"
          >
            {tx('确认前提条件，转为正式', 'Confirm the precondition')}
          </Button>
        </div>
        {error !== null && <ErrorAlert error={error} />}
      </Flex>
    </Card>
  );
}
