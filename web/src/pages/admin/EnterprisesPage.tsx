/**
 * 企业注册确认 (issue 15): enterprises that registered themselves with their 统一社会信用代码 wait here
 * until the window or an administrator checks the licence and confirms (or rejects with a reason).
 */
import { App, Button, Card, Flex, Form, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { useTx } from '../login/strings';
import { adminKeys, type AdminEnterprise } from './adminApi';

type Status = AdminEnterprise['status'];

export default function EnterprisesPage() {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<Status | 'all'>('pending');
  const [rejecting, setRejecting] = useState<AdminEnterprise | null>(null);
  const [form] = Form.useForm<{ note: string }>();
  const list = useQuery({
    queryKey: [...adminKeys.enterprises, status],
    queryFn: ({ signal }) =>
      api.get<{ enterprises: AdminEnterprise[] }>(
        '/api/admin/enterprises',
        status === 'all' ? {} : { status },
        signal,
      ),
  });
  const review = useMutation({
    mutationFn: (v: { id: string; decision: 'confirm' | 'reject'; note?: string }) =>
      api.post(`/api/admin/enterprises/${v.id}/review`, { decision: v.decision, note: v.note }),
    onSuccess: (_, v) => {
      setRejecting(null);
      void message.success(
        v.decision === 'confirm' ? tx('已确认，企业账号可以登录', 'Confirmed') : tx('已退回', 'Rejected'),
      );
      void client.invalidateQueries({ queryKey: adminKeys.enterprises });
    },
    onError: (err) => void message.error(errorMessage(err, t)),
  });
  const statusTag = (s: Status) =>
    s === 'pending' ? (
      <Tag color="orange">{tx('待确认', 'Pending')}</Tag>
    ) : s === 'confirmed' ? (
      <Tag color="green">{tx('已确认', 'Confirmed')}</Tag>
    ) : (
      <Tag color="red">{tx('已退回', 'Rejected')}</Tag>
    );

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          title={tx('企业注册确认', 'Enterprise registrations')}
          subTitle={tx(
            '核对营业执照与统一社会信用代码后确认；确认前企业账号不能登录。',
            'Check the licence and credit code, then confirm; until then the account cannot log in.',
          )}
        />
        <Segmented
          style={{ marginBottom: 12 }}
          value={status}
          onChange={(v) => setStatus(v as Status | 'all')}
          options={[
            { value: 'pending', label: tx('待确认', 'Pending') },
            { value: 'confirmed', label: tx('已确认', 'Confirmed') },
            { value: 'rejected', label: tx('已退回', 'Rejected') },
            { value: 'all', label: tx('全部', 'All') },
          ]}
          data-testid="enterprise-status"
        />
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<AdminEnterprise>
            rowKey="id"
            size="small"
            loading={list.isPending}
            dataSource={list.data?.enterprises ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: tx('没有企业', 'No enterprises') }}
            data-testid="enterprise-table"
            columns={[
              { title: tx('企业名称', 'Name'), dataIndex: 'name' },
              { title: tx('统一社会信用代码', 'Credit code'), dataIndex: 'creditCode' },
              { title: tx('法定代表人', 'Legal person'), dataIndex: 'legalPerson' },
              { title: tx('联系电话', 'Phone'), dataIndex: 'contactPhone' },
              {
                title: tx('注册时间', 'Registered'),
                dataIndex: 'createdAt',
                render: (v: string) => formatDateTime(v),
              },
              { title: tx('状态', 'Status'), dataIndex: 'status', render: statusTag },
              { title: tx('说明', 'Note'), dataIndex: 'reviewNote', render: (v: string | null) => v ?? '—' },
              {
                title: tx('操作', 'Actions'),
                key: 'actions',
                render: (_, e) => (
                  <Space size={4}>
                    {e.status !== 'confirmed' && (
                      <Button
                        size="small"
                        type="primary"
                        loading={review.isPending && review.variables?.id === e.id}
                        onClick={() => review.mutate({ id: e.id, decision: 'confirm' })}
                        data-testid={`enterprise-confirm-${e.creditCode}`}
                      >
                        {tx('确认', 'Confirm')}
                      </Button>
                    )}
                    {e.status !== 'rejected' && (
                      <Button
                        size="small"
                        danger
                        onClick={() => {
                          form.resetFields();
                          setRejecting(e);
                        }}
                      >
                        {tx('退回', 'Reject')}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Modal
        open={rejecting !== null}
        title={tx(`退回：${rejecting?.name ?? ''}`, `Reject: ${rejecting?.name ?? ''}`)}
        onCancel={() => setRejecting(null)}
        onOk={() => form.submit()}
        okText={tx('退回', 'Reject')}
        cancelText={tx('取消', 'Cancel')}
        confirmLoading={review.isPending}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => review.mutate({ id: rejecting!.id, decision: 'reject', note: v.note })}
        >
          <Form.Item name="note" label={tx('原因（告知企业）', 'Reason')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
