/**
 * The applicant's side of one stage application: 补正 to answer before its due date, 容缺 materials to
 * supply, 模拟审批, 撤回 with a reason, and after an ending (不予受理, 不予许可, 撤回, 终止) why it ended and
 * the way on: applying for the stage again.
 */
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useDepartmentNames } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/time';
import { useWorkingDaysUntil } from '../../lib/workingDays';
import { keys, REAPPLICABLE, useApplication, useGuide, type Application } from './api';
import { MaterialUpload, type Uploaded } from './MaterialUpload';
import { preconditionText, remedyNotice, useTx } from './strings';
import { ApplicationStatusTag } from './ui';
import { useItemNames } from '../review/itemNames';

/** States in which the applicant may still withdraw (before the stage ends). */
const WITHDRAWABLE = new Set(['submitted', 'correction_requested', 'accepted']);

export function ApplicationPanel({
  applicationId,
  projectId,
  canAct = true,
}: {
  applicationId: string;
  projectId: string;
  /** The applicant or its agent: may answer, supply, withdraw and apply again. */
  canAct?: boolean;
}) {
  const tx = useTx();
  const { data, error } = useApplication(applicationId);
  const itemName = useItemNames();
  if (error) return <ErrorAlert error={error} />;
  if (!data) return null;
  const open = data.corrections.filter((c) => !c.answeredAt);
  const deficiencies = data.deficiencies.filter((d) => !d.fulfilledAt);
  const simulated = data.tasks.some((t) => t.simulated);
  const ended = REAPPLICABLE.has(data.status);
  return (
    <Flex vertical gap={12} style={{ marginTop: 12 }} data-testid={`application-${data.stage}`}>
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={tx('申报状态', 'Status')}>
          <ApplicationStatusTag status={data.status} />
        </Descriptions.Item>
        <Descriptions.Item label={tx('提交时间', 'Submitted')}>
          {formatDateTime(data.submittedAt)}
        </Descriptions.Item>
        <Descriptions.Item label={tx('受理时间', 'Accepted')}>
          {formatDateTime(data.acceptedAt)}
        </Descriptions.Item>
        {data.refusedReason && (
          <Descriptions.Item label={tx('不予受理理由', 'Refusal reason')} span={3}>
            {data.refusedReason}
          </Descriptions.Item>
        )}
      </Descriptions>
      {ended && <EndedNotice application={data} projectId={projectId} canAct={canAct} />}
      {canAct && WITHDRAWABLE.has(data.status) && <Withdraw application={data} />}
      {open.map((c) => (
        <CorrectionAnswer key={c.id} correction={c} application={data} canAct={canAct} />
      ))}
      {canAct &&
        deficiencies.map((d) => <DeficiencySupply key={d.materialCode} application={data} deficiency={d} />)}
      {data.commitments.length > 0 && (
        <Alert
          type="info"
          title={tx('已签署告知承诺', 'Commitments signed')}
          description={data.commitments.map((c) => (
            <div key={c.itemCode}>
              <Tag>{itemName(c.itemCode)}</Tag>
              {c.text}
            </div>
          ))}
        />
      )}
      {canAct && simulated && <PreconditionSupply projectId={projectId} applicationId={applicationId} />}
    </Flex>
  );
}

const endedTitle: Record<string, [string, string]> = {
  refused: ['本次申报不予受理', 'This application was refused'],
  rejected: ['本阶段有事项不予许可，本次申报已结束', 'An item was rejected: this application has ended'],
  withdrawn: ['本次申报已撤回', 'This application was withdrawn'],
  terminated: ['本次申报已终止办理', 'This application was terminated'],
};

/** Why the application ended and the way on: a new application for the stage (approved items stay). */
function EndedNotice({
  application,
  projectId,
  canAct,
}: {
  application: Application;
  projectId: string;
  canAct: boolean;
}) {
  const tx = useTx();
  const reason = application.endedReason ?? application.refusedReason;
  const refusedOrRejected = application.status === 'refused' || application.status === 'rejected';
  return (
    <Alert
      type={application.status === 'withdrawn' ? 'info' : 'warning'}
      showIcon
      data-testid="application-ended"
      title={tx(...(endedTitle[application.status] ?? ['本次申报已结束', 'This application has ended']))}
      description={
        <Flex vertical gap={4}>
          {reason && (
            <span data-testid="application-ended-reason">
              {tx('原因', 'Reason')}：{reason}
              {application.endedAt && `（${formatDateTime(application.endedAt)}）`}
            </span>
          )}
          {refusedOrRejected && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tx(...remedyNotice)}
            </Typography.Text>
          )}
          <span>
            {tx(
              '可重新申报本阶段：已准予许可的事项保持有效，已在档的材料无需重复提交。',
              'You may apply for this stage again: approved items stay approved, materials on file are reused.',
            )}
          </span>
          {canAct && (
            <Link to={`/projects/${projectId}/stages/${application.stage}/apply`}>
              <Button type="primary" data-testid={`reapply-${application.stage}`}>
                {tx('重新申报本阶段', 'Apply again for this stage')}
              </Button>
            </Link>
          )}
        </Flex>
      }
    />
  );
}

/** 撤回: the applicant ends its own application with a reason, after confirming. */
function Withdraw({ application }: { application: Application }) {
  const tx = useTx();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      await api.post(`/api/applications/${application.id}/withdraw`, { reason: reason.trim() });
      message.success(tx('申报已撤回', 'Application withdrawn'));
      setOpen(false);
      await client.invalidateQueries({ queryKey: ['applications'] });
      await client.invalidateQueries({ queryKey: keys.projects });
      await client.invalidateQueries({ queryKey: ['tasks'] });
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <Flex justify="flex-end">
        <Button danger onClick={() => setOpen(true)} data-testid="withdraw">
          {tx('撤回申报', 'Withdraw')}
        </Button>
      </Flex>
      <Modal
        open={open}
        title={tx('确认撤回本次申报？', 'Withdraw this application?')}
        okText={tx('确认撤回', 'Withdraw')}
        cancelText={tx('取消', 'Cancel')}
        confirmLoading={saving}
        okButtonProps={{
          danger: true,
          disabled: reason.trim().length < 2,
          'data-testid': 'withdraw-confirm',
        }}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
      >
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">
            {tx(
              '撤回后，本阶段正在办理的事项将一并终止；已准予许可的事项保持有效。撤回后可重新申报本阶段。',
              'Running items of the stage end with it; approved items stay approved. You may apply again later.',
            )}
          </Typography.Text>
          <Input.TextArea
            rows={3}
            value={reason}
            placeholder={tx('请填写撤回理由', 'Reason for withdrawing')}
            onChange={(e) => setReason(e.target.value)}
            data-testid="withdraw-reason"
          />
          {error !== null && <ErrorAlert error={error} />}
        </Flex>
      </Modal>
    </>
  );
}

/** The answer period of a 补正: due date, working days left, or 逾期 when past it. */
function CorrectionDue({ correction }: { correction: Application['corrections'][number] }) {
  const tx = useTx();
  const days = useWorkingDaysUntil(correction.dueDate);
  if (!correction.dueDate) return null;
  const overdue = correction.overdue || (days !== null && days.overdue > 0);
  return (
    <span data-testid="correction-due" data-overdue={overdue ? 'true' : 'false'}>
      {tx('答复期限', 'Answer by')}：{correction.dueDate}{' '}
      {overdue ? (
        <Tag color="red" data-testid="correction-overdue">
          {days && days.overdue > 0
            ? tx(`逾期 ${days.overdue} 个工作日`, `${days.overdue} working days overdue`)
            : tx('逾期', 'Overdue')}
        </Tag>
      ) : days ? (
        <Tag color={days.remaining <= 3 ? 'orange' : 'blue'} data-testid="correction-remaining">
          {tx(`剩余 ${days.remaining} 个工作日`, `${days.remaining} working days left`)}
        </Tag>
      ) : null}
    </span>
  );
}

function CorrectionAnswer({
  correction,
  application,
  canAct,
}: {
  correction: Application['corrections'][number];
  application: Application;
  canAct: boolean;
}) {
  const tx = useTx();
  const dept = useDepartmentNames();
  const asking = correction.taskId ? application.tasks.find((t) => t.id === correction.taskId) : undefined;
  const { data: guide } = useGuide(application.projectId, application.stage);
  const materialName = (code: string | undefined) =>
    code ? (guide?.materials.find((m) => m.code === code)?.name ?? tx('材料', 'Material')) : undefined;
  const fieldName = (key: string | undefined) =>
    key ? (guide?.form.properties?.[key]?.title ?? tx('表单项', 'Form field')) : undefined;
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [files, setFiles] = useState<Record<string, Uploaded | undefined>>({});
  const [fields, setFields] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      const form = { ...application.form, ...fields };
      await api.post(`/api/corrections/${correction.id}/answer`, {
        form: Object.keys(fields).length > 0 ? form : undefined,
        materials: Object.entries(files)
          .filter((e): e is [string, Uploaded] => !!e[1])
          .map(([materialCode, u]) => ({ materialCode, fileId: u.fileId })),
        note: note || undefined,
      });
      message.success(tx('补正材料已提交', 'Correction answered'));
      await client.invalidateQueries({ queryKey: ['applications'] });
      await client.invalidateQueries({ queryKey: keys.projects });
      await client.invalidateQueries({ queryKey: ['tasks'] });
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card
      size="small"
      type="inner"
      title={
        <span style={{ color: '#d46b08' }}>
          {asking
            ? tx(
                `${dept(asking.departmentCode)}要求补正（一次性告知）`,
                `${dept(asking.departmentCode)} asks for corrections`,
              )
            : tx('补正告知（一次性告知）', 'Corrections requested (all at once)')}{' '}
          · {formatDateTime(correction.requestedAt)}
        </span>
      }
      extra={<CorrectionDue correction={correction} />}
      data-testid="correction-answer"
      data-task-id={correction.taskId ?? ''}
    >
      <List
        size="small"
        dataSource={correction.items}
        renderItem={(item, i) => (
          <List.Item key={i} data-testid="correction-item">
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <span>
                {(item.materialCode || item.field) && (
                  <Tag color="orange">{materialName(item.materialCode) ?? fieldName(item.field)}</Tag>
                )}
                {item.reason}
              </span>
              {canAct && item.materialCode && (
                <MaterialUpload
                  code={item.materialCode}
                  value={files[item.materialCode]}
                  onChange={(v) => setFiles((f) => ({ ...f, [item.materialCode!]: v }))}
                />
              )}
              {canAct && !item.materialCode && item.field && (
                <Input
                  placeholder={tx('更正后的内容', 'Corrected value')}
                  data-testid={`correction-field-${item.field}`}
                  value={fields[item.field] ?? String(application.form[item.field] ?? '')}
                  onChange={(e) => setFields((f) => ({ ...f, [item.field!]: e.target.value }))}
                />
              )}
            </Flex>
          </List.Item>
        )}
      />
      {canAct && (
        <Space.Compact style={{ width: '100%', marginTop: 8 }}>
          <Input
            placeholder={tx('补正说明（可选）', 'Note (optional)')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="correction-note"
          />
          <Button
            type="primary"
            loading={saving}
            onClick={() => void submit()}
            data-testid="correction-submit"
          >
            {tx('提交补正', 'Submit correction')}
          </Button>
        </Space.Compact>
      )}
      {error !== null && <ErrorAlert error={error} />}
    </Card>
  );
}

function DeficiencySupply({
  application,
  deficiency,
}: {
  application: Application;
  deficiency: Application['deficiencies'][number];
}) {
  const tx = useTx();
  const client = useQueryClient();
  const [file, setFile] = useState<Uploaded | undefined>();
  const [error, setError] = useState<unknown>(null);
  const { data: guide } = useGuide(application.projectId, application.stage);
  const supply = async () => {
    if (!file) return;
    setError(null);
    try {
      await api.post(`/api/applications/${application.id}/deficiencies/${deficiency.materialCode}`, {
        fileId: file.fileId,
      });
      await client.invalidateQueries({ queryKey: ['applications'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card size="small" type="inner" title={tx('容缺材料待补交', 'Deferred material to supply')}>
      <Flex gap={12} align="center" wrap data-testid={`deficiency-${deficiency.materialCode}`}>
        <Tag color={deficiency.overdue ? 'red' : 'gold'}>
          {guide?.materials.find((m) => m.code === deficiency.materialCode)?.name ??
            tx('容缺材料', 'Material')}
        </Tag>
        <span>
          {tx('补交期限', 'Due')}：{deficiency.dueDate}{' '}
          {deficiency.overdue && <Tag color="red">{tx('已逾期', 'Overdue')}</Tag>}
        </span>
        <MaterialUpload code={deficiency.materialCode} value={file} onChange={setFile} />
        <Button
          type="primary"
          size="small"
          disabled={!file}
          onClick={() => void supply()}
          data-testid={`deficiency-supply-${deficiency.materialCode}`}
        >
          {tx('补交', 'Supply')}
        </Button>
      </Flex>
      {error !== null && <ErrorAlert error={error} />}
    </Card>
  );
}

function PreconditionSupply({ projectId, applicationId }: { projectId: string; applicationId: string }) {
  const tx = useTx();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [value, setValue] = useState<string>('land_transferred');
  const [documentNumber, setDocumentNumber] = useState('');
  const [error, setError] = useState<unknown>(null);
  const supply = async () => {
    setError(null);
    try {
      const r = await api.post<{ awaitingConfirmation?: string[] }>(
        `/api/projects/${projectId}/preconditions`,
        { precondition: value, documentNumber: documentNumber.trim() },
      );
      const n = r.awaitingConfirmation?.length ?? 0;
      message.success(
        tx(
          `证明已提交，待 ${n} 个审批部门确认后转为正式`,
          `Evidence supplied; ${n} departments will confirm it`,
        ),
      );
      await client.invalidateQueries({ queryKey: keys.application(applicationId) });
      await client.invalidateQueries({ queryKey: keys.projects });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card
      size="small"
      type="inner"
      title={tx('模拟审批：补充前提条件', 'Simulated approval: supply the precondition')}
    >
      <Space>
        <Select
          style={{ width: 280 }}
          value={value}
          onChange={setValue}
          data-testid="precondition-select"
          options={Object.entries(preconditionText).map(([k, [zh, en]]) => ({ value: k, label: tx(zh, en) }))}
        />
        <Input
          style={{ width: 260 }}
          value={documentNumber}
          onChange={(e) => setDocumentNumber(e.target.value)}
          placeholder={tx('证明文件编号（如土地出让合同编号）', 'Evidence number (e.g. land contract)')}
          data-testid="precondition-number"
        />
        <Button
          disabled={documentNumber.trim().length < 2}
          onClick={() => void supply()}
          data-testid="precondition-submit"
        >
          {tx('提交前提条件证明', 'Supply the evidence')}
        </Button>
      </Space>
      {error !== null && <ErrorAlert error={error} />}
    </Card>
  );
}
