/** The applicant's side of one stage application: 补正 to answer, 容缺 materials to supply, 模拟审批. */
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  List,
  Select,
  Space,
  Tag,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/time';
import { keys, useApplication, type Application } from './api';
import { MaterialUpload, type Uploaded } from './MaterialUpload';
import { preconditionText, useTx } from './strings';
import { ApplicationStatusTag } from './ui';

export function ApplicationPanel({ applicationId, projectId }: { applicationId: string; projectId: string }) {
  const tx = useTx();
  const { data, error } = useApplication(applicationId);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return null;
  const open = data.corrections.filter((c) => !c.answeredAt);
  const deficiencies = data.deficiencies.filter((d) => !d.fulfilledAt);
  const simulated = data.tasks.some((t) => t.simulated);
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
      {open.map((c) => (
        <CorrectionAnswer key={c.id} correction={c} application={data} />
      ))}
      {deficiencies.map((d) => (
        <DeficiencySupply key={d.materialCode} application={data} deficiency={d} />
      ))}
      {data.commitments.length > 0 && (
        <Alert
          type="info"
          title={tx('已签署告知承诺', 'Commitments signed')}
          description={data.commitments.map((c) => (
            <div key={c.itemCode}>
              <Tag>{c.itemCode}</Tag>
              {c.text}
            </div>
          ))}
        />
      )}
      {simulated && <PreconditionSupply projectId={projectId} applicationId={applicationId} />}
    </Flex>
  );
}

function CorrectionAnswer({
  correction,
  application,
}: {
  correction: Application['corrections'][number];
  application: Application;
}) {
  const tx = useTx();
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
          {tx('补正告知（一次性告知）', 'Corrections requested (all at once)')} ·{' '}
          {formatDateTime(correction.requestedAt)}
        </span>
      }
      data-testid="correction-answer"
    >
      <List
        size="small"
        dataSource={correction.items}
        renderItem={(item, i) => (
          <List.Item key={i} data-testid="correction-item">
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <span>
                <Tag color="orange">{item.materialCode ?? item.field}</Tag>
                {item.reason}
              </span>
              {item.materialCode && (
                <MaterialUpload
                  code={item.materialCode}
                  value={files[item.materialCode]}
                  onChange={(v) => setFiles((f) => ({ ...f, [item.materialCode!]: v }))}
                />
              )}
              {!item.materialCode && item.field && (
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
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input
          placeholder={tx('补正说明（可选）', 'Note (optional)')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="correction-note"
        />
        <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="correction-submit">
          {tx('提交补正', 'Submit correction')}
        </Button>
      </Space.Compact>
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
        <Tag color={deficiency.overdue ? 'red' : 'gold'}>{deficiency.materialCode}</Tag>
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
  const [error, setError] = useState<unknown>(null);
  const supply = async () => {
    setError(null);
    try {
      const r = await api.post<{ formalizedTasks: string[] }>(`/api/projects/${projectId}/preconditions`, {
        precondition: value,
      });
      message.success(
        tx(`${r.formalizedTasks.length} 项模拟审批结果已转为正式`, `${r.formalizedTasks.length} made formal`),
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
        <Button onClick={() => void supply()} data-testid="precondition-submit">
          {tx('条件已具备，转为正式', 'Precondition met')}
        </Button>
      </Space>
      {error !== null && <ErrorAlert error={error} />}
    </Card>
  );
}
