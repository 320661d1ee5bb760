/**
 * 委托代办 (the enterprise's page): whom it lets act for it, for what (登记项目 / 阶段申报) and until when;
 * a new consent to the same agent replaces the standing one; revoking asks for confirmation.
 */
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Table,
  Typography,
} from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatDateTime, todayInBeijing } from '../../lib/time';
import { useTx } from '../projects/strings';
import { agencyKeys, useConsents, type Agent, type Consent, type ConsentScope } from './api';
import { ConsentStatusTag } from './ConsentStatus';

interface GrantValues {
  agentUserId: string;
  scopes: ConsentScope[];
  validUntil: Dayjs;
  note?: string;
}

export default function ConsentsPage() {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<GrantValues>();
  const [revoking, setRevoking] = useState<Consent | null>(null);
  const [reason, setReason] = useState('');
  const consents = useConsents();
  const agents = useQuery({
    queryKey: agencyKeys.agents,
    queryFn: ({ signal }) => api.get<{ agents: Agent[] }>('/api/agency/agents', undefined, signal),
    select: (d) => d.agents,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: agencyKeys.consents });
  const grant = useMutation({
    mutationFn: (v: GrantValues) =>
      api.post<Consent>('/api/agency/consents', {
        agentUserId: v.agentUserId,
        scopes: v.scopes,
        validUntil: v.validUntil.format('YYYY-MM-DD'),
        note: v.note || undefined,
      }),
    onSuccess: () => {
      void message.success(tx('已委托，代办人员现在可以为本企业办理', 'Consent given'));
      form.resetFields();
      refresh();
    },
    onError: (err) => void message.error(errorMessage(err, t)),
  });
  const revoke = useMutation({
    mutationFn: (v: { id: string; reason: string }) =>
      api.post<Consent>(`/api/agency/consents/${v.id}/revoke`, { reason: v.reason || undefined }),
    onSuccess: () => {
      void message.success(tx('委托已撤销', 'Consent revoked'));
      setRevoking(null);
      setReason('');
      refresh();
    },
    onError: (err) => void message.error(errorMessage(err, t)),
  });
  const today = todayInBeijing();

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={tx('委托代办', 'Agent consent')}
        subTitle={tx(
          '委托帮办代办人员为本企业登记项目或阶段申报；可随时撤销，全程留痕',
          'Let an assisting agent register projects or apply for stages for your enterprise; revocable at any time',
        )}
      />
      <Card title={tx('新的委托', 'New consent')}>
        {agents.error !== null && agents.error !== undefined && <ErrorAlert error={agents.error} />}
        <Form<GrantValues>
          form={form}
          layout="vertical"
          onFinish={(v) => grant.mutate(v)}
          initialValues={{ scopes: ['register_project', 'apply_stage'] }}
          data-testid="consent-form"
        >
          <Form.Item
            name="agentUserId"
            label={tx('受托人（帮办代办人员）', 'Agent')}
            rules={[{ required: true, message: tx('请选择代办人员', 'Choose an agent') }]}
          >
            <Select
              aria-label={tx('受托人', 'Agent')}
              data-testid="consent-agent"
              loading={agents.isLoading}
              options={(agents.data ?? []).map((a) => ({
                value: a.id,
                label: a.departmentName ? `${a.displayName}（${a.departmentName}）` : a.displayName,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={tx('委托事项', 'What the agent may do')}
            rules={[{ required: true, message: tx('至少选择一项', 'Choose at least one') }]}
          >
            <Checkbox.Group
              options={[
                { value: 'register_project', label: tx('登记项目', 'Register projects') },
                { value: 'apply_stage', label: tx('阶段申报（含补正、补交材料、撤回）', 'Apply for stages') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="validUntil"
            label={tx('委托截止日（含当日）', 'Last day (inclusive)')}
            rules={[{ required: true, message: tx('请选择截止日', 'Choose the last day') }]}
          >
            <DatePicker
              data-testid="consent-until"
              disabledDate={(d) => d.format('YYYY-MM-DD') < today}
              presets={[
                { label: tx('三个月', '3 months'), value: dayjs(today).add(3, 'month') },
                { label: tx('一年', '1 year'), value: dayjs(today).add(1, 'year') },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label={tx('说明（如授权委托书编号）', 'Note')}>
            <Input maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={grant.isPending} data-testid="consent-submit">
            {tx('确认委托', 'Give consent')}
          </Button>
        </Form>
      </Card>
      <Card title={tx('委托记录', 'Consents')}>
        {consents.error !== null && consents.error !== undefined && <ErrorAlert error={consents.error} />}
        <Table<Consent>
          rowKey="id"
          loading={consents.isLoading}
          dataSource={consents.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: true }}
          data-testid="consent-table"
          columns={[
            { title: tx('受托人', 'Agent'), dataIndex: 'agentName' },
            { title: tx('委托事项', 'Scope'), render: (_, c) => c.scopeNames.join('、') },
            { title: tx('截止日', 'Until'), render: (_, c) => formatDate(c.validUntil) },
            { title: tx('状态', 'State'), render: (_, c) => <ConsentStatusTag consent={c} /> },
            {
              title: tx('委托人 / 时间', 'Given by'),
              render: (_, c) => `${c.grantedByName} ${formatDateTime(c.grantedAt)}`,
            },
            {
              title: tx('撤销', 'Revoked'),
              render: (_, c) =>
                c.revokedAt
                  ? `${c.revokedByName ?? ''} ${formatDateTime(c.revokedAt)}${
                      c.revokeReason === 'superseded'
                        ? tx('（被新的委托取代）', ' (replaced)')
                        : c.revokeReason
                          ? `（${c.revokeReason}）`
                          : ''
                    }`
                  : '',
            },
            {
              title: tx('操作', 'Action'),
              render: (_, c) =>
                c.status === 'active' ? (
                  <Button
                    danger
                    size="small"
                    onClick={() => setRevoking(c)}
                    data-testid={`consent-revoke-${c.id}`}
                  >
                    {tx('撤销委托', 'Revoke')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={revoking !== null}
        title={tx('撤销委托', 'Revoke consent')}
        okText={tx('确认撤销', 'Revoke')}
        okButtonProps={{ danger: true, loading: revoke.isPending, 'data-testid': 'consent-revoke-confirm' }}
        cancelText={tx('取消', 'Cancel')}
        onOk={() => revoking && revoke.mutate({ id: revoking.id, reason })}
        onCancel={() => setRevoking(null)}
      >
        <Typography.Paragraph>
          {tx(
            `撤销后，${revoking?.agentName ?? ''} 不能再为本企业${revoking?.scopeNames.join('、') ?? ''}；已提交的申报不受影响。`,
            'After revoking, the agent can no longer act for your enterprise; submitted applications stay.',
          )}
        </Typography.Paragraph>
        <Input.TextArea
          aria-label={tx('撤销原因', 'Reason')}
          placeholder={tx('撤销原因（选填）', 'Reason (optional)')}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Flex>
  );
}
