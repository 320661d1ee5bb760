/**
 * 一窗受理: the acceptance checklist (every material of the stage, with a preview), the form, and the
 * three answers: accept (the clerk ticks each missing material it accepts under 容缺, with a due date),
 * 一次性告知补正 with an answer date, 不予受理 with a reason; and 终止 once a 补正 is unanswered past its date.
 */
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tag,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CreditStandingFlag } from '../credit/CreditStandingFlag';
import { PageHeader } from '../../components/PageHeader';
import { StageTag } from '../../components/tags';
import { formatDateTime, todayInBeijing } from '../../lib/time';
import {
  useApplication,
  useGuide,
  useReferenceValues,
  type AppMaterial,
  type Application,
  type Guide,
} from '../projects/api';
import { Documents } from '../projects/Documents';
import { useTx } from '../projects/strings';
import { ApplicationStatusTag, MaterialLink, MaterialPreview } from '../projects/ui';

interface Row {
  code: string;
  name: string;
  required: boolean;
  deficiencyAllowed: boolean;
  file: AppMaterial | undefined;
  /** Required and not received (the server's missingMaterials). */
  missing: boolean;
  onFile: boolean;
}

/** Whether a key press belongs to a control being typed in (shortcuts then stay out of the way). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.getAttribute('role') === 'combobox' ||
    !!target.closest('.ant-select, .ant-picker, .ant-modal')
  );
}

export default function WindowApplicationPage() {
  const { id = '' } = useParams();
  const tx = useTx();
  const { data, error } = useApplication(id);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  return (
    <>
      <PageHeader
        title={tx('受理审查', 'Acceptance check')}
        subTitle={`${data.projectCode} ${data.projectName}`}
        back="/window"
      />
      <WithGuide application={data} />
    </>
  );
}

function WithGuide({ application }: { application: Application }) {
  const guide = useGuide(application.projectId, application.stage);
  if (guide.isPending) return <Spin />;
  return <Checklist application={application} guide={guide.data} />;
}

function Checklist({ application, guide }: { application: Application; guide: Guide | undefined }) {
  const tx = useTx();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message, modal } = AntApp.useApp();
  const today = todayInBeijing();
  const byCode = new Map(application.materials.map((m) => [m.materialCode, m]));
  const missing = new Map(application.missingMaterials.map((m) => [m.code, m]));
  const rows: Row[] = guide
    ? guide.materials.map((m) => ({
        code: m.code,
        name: m.name,
        required: m.required,
        deficiencyAllowed: m.deficiencyAllowed,
        file: byCode.get(m.code),
        missing: missing.has(m.code),
        onFile: m.onFile,
      }))
    : application.materials.map((m) => ({
        code: m.materialCode,
        name: m.materialCode,
        required: true,
        deficiencyAllowed: false,
        file: m,
        missing: false,
        onFile: false,
      }));
  // A missing material the guide does not list (e.g. the guide changed) still shows on the checklist.
  for (const m of application.missingMaterials) {
    if (!rows.some((r) => r.code === m.code)) {
      rows.push({
        code: m.code,
        name: m.name,
        required: true,
        deficiencyAllowed: m.deficiencyAllowed,
        file: undefined,
        missing: true,
        onFile: false,
      });
    }
  }
  const deferrable = application.missingMaterials.filter((m) => m.deficiencyAllowed);
  const blocking = application.missingMaterials.filter((m) => !m.deficiencyAllowed);
  // The default due dates are the server's (GET /api/reference-values), never copied here.
  const reference = useReferenceValues().data;
  const deficiencyDue = reference?.deficiencyDueDate;
  const correctionDefault = reference?.correctionDueDate;
  const [preview, setPreview] = useState<AppMaterial | null>(null);
  const [deferred, setDeferred] = useState<Record<string, string>>({});
  const [corrections, setCorrections] = useState<{ target: string; reason: string }[]>([]);
  const [correctionDue, setCorrectionDue] = useState<string | null>(null);
  const [refuseOpen, setRefuseOpen] = useState(false);
  const [terminateOpen, setTerminateOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [terminateReason, setTerminateReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const pending = application.status === 'submitted';
  const fieldKeys = Object.keys(application.form);
  const undeclared = deferrable.filter((m) => !(m.code in deferred));
  const canAccept = blocking.length === 0 && undeclared.length === 0;
  const overdueCorrection = application.corrections.find((c) => !c.answeredAt && c.overdue);
  const dueOfCorrections = correctionDue ?? correctionDefault ?? '';

  const run = async (call: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      message.success(done);
      await client.invalidateQueries({ queryKey: ['applications'] });
      navigate('/window');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const accept = () =>
    run(
      () =>
        api.post(`/api/applications/${application.id}/accept`, {
          deficiencies: Object.entries(deferred).map(([materialCode, dueDate]) => ({
            materialCode,
            dueDate,
          })),
        }),
      tx('已受理，各事项并联办理', 'Accepted; items run in parallel'),
    );
  const askCorrections = () =>
    run(
      () =>
        api.post(`/api/applications/${application.id}/corrections`, {
          items: corrections.map((c) =>
            c.target.startsWith('field:')
              ? { field: c.target.slice(6), reason: c.reason }
              : { materialCode: c.target, reason: c.reason },
          ),
          dueDate: dueOfCorrections || undefined,
        }),
      tx('已一次性告知补正', 'Corrections requested'),
    );
  const refuse = () =>
    run(
      () => api.post(`/api/applications/${application.id}/refuse`, { reason }),
      tx('已出具不予受理通知', 'Refused'),
    );
  const terminate = () =>
    run(
      () => api.post(`/api/applications/${application.id}/terminate`, { reason: terminateReason.trim() }),
      tx('已终止办理', 'Terminated'),
    );

  // 受理 starts every item and cannot be taken back by the window: it is confirmed first.
  const confirmAccept = () => {
    if (!canAccept || busy) return;
    modal.confirm({
      title: tx('确认受理？', 'Accept this application?'),
      content: tx(
        '受理后各审批事项即开始并联办理并计时，窗口不能撤销受理。',
        'Every item starts at once and its clock runs; the window cannot undo an acceptance.',
      ),
      okText: tx('确认受理', 'Accept'),
      cancelText: tx('取消', 'Cancel'),
      okButtonProps: { 'data-testid': 'accept-confirm' } as Record<string, string>,
      onOk: () => accept(),
    });
  };
  const correctionsRef = useRef<HTMLDivElement>(null);
  const addCorrection = () => {
    setCorrections((cs) => [...cs, { target: '', reason: '' }]);
    // Focus the new row's reason once it is drawn.
    setTimeout(() => {
      const inputs = correctionsRef.current?.querySelectorAll<HTMLInputElement>(
        '[data-testid^="correction-reason-"]',
      );
      inputs?.[inputs.length - 1]?.focus();
    }, 0);
  };
  // Keyboard shortcuts (A 受理, C 补正, R 不予受理): only while nothing is being typed in and no dialog is open.
  const shortcuts = useRef({ confirmAccept, addCorrection, refuse: () => setRefuseOpen(true) });
  shortcuts.current = { confirmAccept, addCorrection, refuse: () => setRefuseOpen(true) };
  const dialogOpen = refuseOpen || terminateOpen;
  useEffect(() => {
    if (!pending) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || dialogOpen || typingIn(e.target)) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
      const key = e.key.toLowerCase();
      if (key === 'a') shortcuts.current.confirmAccept();
      else if (key === 'c') shortcuts.current.addCorrection();
      else if (key === 'r') shortcuts.current.refuse();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pending, dialogOpen]);

  const targets = [
    ...rows.map((r) => ({ value: r.code, label: `${tx('材料', 'Material')}：${r.name}` })),
    ...fieldKeys.map((k) => ({
      value: `field:${k}`,
      label: `${tx('表单', 'Field')}：${(guide?.form.properties?.[k]?.title as string | undefined) ?? k}`,
    })),
  ];

  return (
    <Flex vertical gap={16}>
      <Card>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={tx('建设单位', 'Enterprise')}>
            {application.enterpriseName} <CreditStandingFlag enterpriseId={application.enterpriseId} />
          </Descriptions.Item>
          <Descriptions.Item label={tx('阶段', 'Stage')}>
            <StageTag stage={application.stage} />
          </Descriptions.Item>
          <Descriptions.Item label={tx('状态', 'Status')}>
            <ApplicationStatusTag status={application.status} />
          </Descriptions.Item>
          <Descriptions.Item label={tx('提交时间', 'Submitted')}>
            {formatDateTime(application.submittedAt)}
          </Descriptions.Item>
          <Descriptions.Item label={tx('预计办结', 'Expected')}>
            {application.expectedCompletion ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={tx('告知承诺事项', 'Commitments')}>
            {application.commitments.length === 0
              ? tx('无', 'None')
              : application.commitments.map((c) => <Tag key={c.itemCode}>{c.itemCode}</Tag>)}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={tx('材料核验清单', 'Material checklist')}>
        <Table<Row>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={rows}
          data-testid="checklist"
          onRow={(r) => ({ 'data-testid': `check-row-${r.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: tx('材料名称', 'Material'), dataIndex: 'name' },
            {
              title: tx('要求', 'Requirement'),
              render: (_: unknown, r) => (
                <>
                  {r.required ? (
                    <Tag color="red">{tx('必交', 'Required')}</Tag>
                  ) : (
                    <Tag>{tx('选交', 'Optional')}</Tag>
                  )}
                  {r.deficiencyAllowed && <Tag color="gold">{tx('可容缺', 'May be deferred')}</Tag>}
                </>
              ),
            },
            {
              title: tx('提交情况', 'Received'),
              render: (_: unknown, r) =>
                !r.file && !r.missing && r.onFile ? (
                  <Tag color="blue">{tx('已在档，无需重复提交', 'On file')}</Tag>
                ) : r.file ? (
                  <Space>
                    <Tag color="green">{tx('已提交', 'Received')}</Tag>
                    <MaterialLink material={r.file} />
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setPreview(r.file!)}
                      data-testid={`preview-${r.code}`}
                    >
                      {tx('预览', 'Preview')}
                    </Button>
                  </Space>
                ) : (
                  <Tag color={r.required ? 'red' : 'default'}>{tx('未提交', 'Missing')}</Tag>
                ),
            },
            {
              title: tx('容缺受理', 'Defer'),
              render: (_: unknown, r) =>
                pending && r.missing && r.deficiencyAllowed ? (
                  <Space>
                    <Checkbox
                      data-testid={`defer-${r.code}`}
                      checked={r.code in deferred}
                      disabled={!deficiencyDue}
                      onChange={(e) =>
                        setDeferred((d) => {
                          const next = { ...d };
                          if (e.target.checked) next[r.code] = deficiencyDue!;
                          else delete next[r.code];
                          return next;
                        })
                      }
                    >
                      {tx('同意容缺，后补', 'Accept, supply later')}
                    </Checkbox>
                    {r.code in deferred && (
                      <Space.Compact size="small">
                        <Space.Addon>{tx('补交期限', 'Due')}</Space.Addon>
                        <Input
                          type="date"
                          size="small"
                          min={today}
                          value={deferred[r.code]}
                          onChange={(e) => setDeferred((d) => ({ ...d, [r.code]: e.target.value }))}
                          data-testid={`defer-due-${r.code}`}
                        />
                      </Space.Compact>
                    )}
                  </Space>
                ) : null,
            },
          ]}
        />
        {preview && (
          <Card
            size="small"
            type="inner"
            title={preview.originalName}
            extra={
              <Button size="small" onClick={() => setPreview(null)}>
                {tx('关闭', 'Close')}
              </Button>
            }
            style={{ marginTop: 12 }}
          >
            <MaterialPreview material={preview} />
          </Card>
        )}
      </Card>

      <Card title={tx('申请表单', 'Form')}>
        <Descriptions size="small" column={2} bordered data-testid="form-values">
          {fieldKeys.map((k) => (
            <Descriptions.Item
              key={k}
              label={(guide?.form.properties?.[k]?.title as string | undefined) ?? k}
            >
              {String(application.form[k])}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>

      {application.corrections.length > 0 && (
        <Card title={tx('补正记录', 'Corrections')}>
          {application.corrections.map((c) => (
            <Alert
              key={c.id}
              type={c.answeredAt ? 'success' : 'warning'}
              style={{ marginBottom: 8 }}
              data-testid={`correction-record-${c.id}`}
              title={
                <Space wrap>
                  <span>{formatDateTime(c.requestedAt)}</span>
                  <span>{c.answeredAt ? tx('已补正', 'answered') : tx('待补正', 'waiting')}</span>
                  {c.taskId && <Tag>{tx('审批部门要求补正', 'Asked by a department')}</Tag>}
                  {c.dueDate && (
                    <span>
                      {tx('答复期限', 'Answer by')}：{c.dueDate}
                    </span>
                  )}
                  {c.overdue && <Tag color="red">{tx('已逾期', 'Overdue')}</Tag>}
                </Space>
              }
              description={c.items.map((i, n) => (
                <div key={n}>
                  <Tag>
                    {i.materialCode
                      ? (guide?.materials.find((m) => m.code === i.materialCode)?.name ??
                        tx('材料', 'Material'))
                      : ((i.field && (guide?.form.properties?.[i.field]?.title as string | undefined)) ??
                        tx('申请表', 'Form'))}
                  </Tag>
                  {i.reason}
                </div>
              ))}
            />
          ))}
        </Card>
      )}

      {overdueCorrection && (
        <Card title={tx('补正逾期', 'Correction overdue')}>
          <Flex vertical gap={8} data-testid="terminate-panel">
            <Alert
              type="error"
              showIcon
              title={tx(
                `申请人未在答复期限（${overdueCorrection.dueDate}）内补正，可依法终止办理。`,
                `The applicant did not answer by ${overdueCorrection.dueDate}: the application may be terminated.`,
              )}
            />
            <div>
              <Button danger onClick={() => setTerminateOpen(true)} data-testid="terminate">
                {tx('终止办理', 'Terminate')}
              </Button>
            </div>
          </Flex>
        </Card>
      )}

      {pending && (
        <Card title={tx('受理决定', 'Decision')}>
          <Flex vertical gap={12}>
            <Alert
              type="info"
              data-testid="shortcut-help"
              title={tx(
                '快捷键（未在输入框中时）：A 受理 · C 添加补正项 · R 不予受理',
                'Shortcuts (when not typing): A accept · C add a correction · R refuse',
              )}
            />
            <Card
              size="small"
              type="inner"
              title={tx('一次性告知补正清单', 'One-time correction list')}
              ref={correctionsRef}
            >
              {corrections.map((c, i) => (
                <Space.Compact
                  key={i}
                  style={{ width: '100%', marginBottom: 8 }}
                  data-testid="correction-row"
                >
                  <Select
                    style={{ width: 320 }}
                    value={c.target || undefined}
                    aria-label={tx(`补正项 ${i + 1}：材料或表单项`, `Correction ${i + 1}: material or field`)}
                    placeholder={tx('选择材料或表单项', 'Material or field')}
                    options={targets}
                    data-testid={`correction-target-${i}`}
                    onChange={(v) =>
                      setCorrections((cs) => cs.map((x, j) => (j === i ? { ...x, target: v } : x)))
                    }
                  />
                  <Input
                    value={c.reason}
                    aria-label={tx(`补正项 ${i + 1}：原因`, `Correction ${i + 1}: reason`)}
                    placeholder={tx('补正原因', 'Reason')}
                    data-testid={`correction-reason-${i}`}
                    onChange={(e) =>
                      setCorrections((cs) =>
                        cs.map((x, j) => (j === i ? { ...x, reason: e.target.value } : x)),
                      )
                    }
                  />
                  <Button onClick={() => setCorrections((cs) => cs.filter((_, j) => j !== i))}>
                    {tx('删除', 'Remove')}
                  </Button>
                </Space.Compact>
              ))}
              <Space wrap>
                <Space.Compact>
                  <Space.Addon>{tx('答复期限', 'Answer by')}</Space.Addon>
                  <Input
                    type="date"
                    min={today}
                    style={{ width: 160 }}
                    value={dueOfCorrections}
                    onChange={(e) => setCorrectionDue(e.target.value)}
                    data-testid="correction-due"
                  />
                </Space.Compact>
                <Button onClick={addCorrection} data-testid="correction-add" aria-keyshortcuts="C">
                  {tx('添加补正项 (C)', 'Add an item (C)')}
                </Button>
                <Button
                  type="primary"
                  ghost
                  disabled={
                    corrections.length === 0 ||
                    corrections.some((c) => !c.target || c.reason.trim().length < 2)
                  }
                  loading={busy}
                  onClick={() => void askCorrections()}
                  data-testid="corrections-submit"
                >
                  {tx('一次性告知补正', 'Request corrections')}
                </Button>
              </Space>
            </Card>
            {blocking.length > 0 && (
              <Alert
                type="error"
                showIcon
                data-testid="accept-blocked"
                title={tx(
                  `缺少不可容缺的材料：${blocking.map((m) => m.name).join('、')}，请一次性告知补正或不予受理`,
                  `Missing materials that cannot be deferred: ${blocking.map((m) => m.name).join(', ')}`,
                )}
              />
            )}
            {blocking.length === 0 && deferrable.length > 0 && (
              <Alert
                type={undeclared.length > 0 ? 'warning' : 'info'}
                showIcon
                data-testid="accept-deferrable"
                title={
                  undeclared.length > 0
                    ? tx(
                        `以下缺件材料可容缺受理，请逐项勾选并确定补交期限：${undeclared.map((m) => m.name).join('、')}`,
                        `Tick each missing material to accept under deferral: ${undeclared.map((m) => m.name).join(', ')}`,
                      )
                    : tx(
                        `容缺受理 ${deferrable.length} 项材料，申请人须在补交期限内补齐`,
                        `${deferrable.length} materials deferred`,
                      )
                }
              />
            )}
            <Space>
              <Button
                type="primary"
                loading={busy}
                disabled={!canAccept}
                onClick={confirmAccept}
                data-testid="accept"
                aria-keyshortcuts="A"
              >
                {Object.keys(deferred).length > 0
                  ? tx('容缺受理 (A)', 'Accept with deferred materials (A)')
                  : tx('受理 (A)', 'Accept (A)')}
              </Button>
              <Button danger onClick={() => setRefuseOpen(true)} data-testid="refuse" aria-keyshortcuts="R">
                {tx('不予受理 (R)', 'Refuse (R)')}
              </Button>
            </Space>
          </Flex>
        </Card>
      )}
      {error !== null && <ErrorAlert error={error} />}
      <Modal
        open={terminateOpen}
        title={tx('确认终止办理？', 'Terminate this application?')}
        okText={tx('终止办理', 'Terminate')}
        cancelText={tx('取消', 'Cancel')}
        okButtonProps={{
          danger: true,
          disabled: terminateReason.trim().length < 2,
          'data-testid': 'terminate-confirm',
        }}
        onOk={() => {
          setTerminateOpen(false);
          void terminate();
        }}
        onCancel={() => setTerminateOpen(false)}
      >
        <Input.TextArea
          rows={3}
          aria-label={tx('终止理由', 'Reason for termination')}
          value={terminateReason}
          placeholder={tx('终止理由，如：申请人逾期未补正', 'Reason, e.g. no answer to the correction')}
          onChange={(e) => setTerminateReason(e.target.value)}
          data-testid="terminate-reason"
        />
      </Modal>
      <Modal
        open={refuseOpen}
        title={tx('确认不予受理？', 'Refuse this application?')}
        okText={tx('确认不予受理', 'Refuse')}
        cancelText={tx('取消', 'Cancel')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, 'data-testid': 'refuse-confirm' }}
        onOk={() => {
          setRefuseOpen(false);
          void refuse();
        }}
        onCancel={() => setRefuseOpen(false)}
      >
        <Alert
          type="warning"
          style={{ marginBottom: 12 }}
          title={tx(
            '将出具不予受理决定书，本次申报随即结束，不能撤销；申请人可重新申报。',
            'A refusal notice is issued and this application ends; it cannot be undone (the applicant may apply again).',
          )}
        />
        <Input.TextArea
          rows={4}
          aria-label={tx('不予受理的理由', 'Reason for refusal')}
          value={reason}
          placeholder={tx('请说明不予受理的理由', 'Reason for refusal')}
          onChange={(e) => setReason(e.target.value)}
          data-testid="refuse-reason"
        />
      </Modal>
      <Documents projectId={application.projectId} />
    </Flex>
  );
}
