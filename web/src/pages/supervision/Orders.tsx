/**
 * 督办 orders as a table: supervisors and coordinators see those they supervise; a department's staff
 * (mine) see their department's, the ones escalated to the head first, and answer them (once: the
 * answer cannot be changed, so it is confirmed before it is sent).
 */
import { Button, Form, Input, Popconfirm, Space, Table, Tag, message } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/time';
import { useTx } from '../projects/strings';
import { useOrders, useSupervisionMutation, type Order } from './api';

function AnswerOrder({ order }: { order: Order }) {
  const tx = useTx();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ response: string }>();
  const answer = useSupervisionMutation<{ response: string }>(
    () => `/api/supervision/orders/${order.id}/response`,
    (v) => v,
  );
  if (!open) {
    return (
      <Button size="small" onClick={() => setOpen(true)} data-testid={`answer-${order.id}`}>
        {tx('答复', 'Answer')}
      </Button>
    );
  }
  const send = async () => {
    const v = await form.validateFields();
    answer.mutate(v, {
      onSuccess: () => {
        void message.success(tx('已答复督办', 'Order answered'));
        setOpen(false);
      },
    });
  };
  return (
    <Form form={form} layout="inline">
      {answer.error && <ErrorAlert error={answer.error} />}
      <Form.Item
        name="response"
        label={tx('答复内容', 'Response')}
        rules={[
          { required: true, min: 2, message: tx('请填写答复（至少 2 个字）', 'At least 2 characters') },
        ]}
      >
        <Input style={{ width: 240 }} data-testid={`answer-text-${order.id}`} />
      </Form.Item>
      <Space>
        <Popconfirm
          title={tx('答复提交后不能修改，确认提交？', 'An answer cannot be changed. Send it?')}
          okText={tx('确认提交', 'Send')}
          cancelText={tx('取消', 'Cancel')}
          onConfirm={send}
        >
          <Button
            type="primary"
            size="small"
            loading={answer.isPending}
            data-testid={`answer-send-${order.id}`}
          >
            {tx('提交', 'Submit')}
          </Button>
        </Popconfirm>
        <Button size="small" onClick={() => setOpen(false)}>
          {tx('取消', 'Cancel')}
        </Button>
      </Space>
    </Form>
  );
}

export function Orders({ mine = false }: { mine?: boolean }) {
  const tx = useTx();
  const { data, isLoading } = useOrders(true, mine);
  const rows = mine
    ? [...(data ?? [])].sort((a, b) => Number(b.status === 'escalated') - Number(a.status === 'escalated'))
    : (data ?? []);
  const statusText: Record<Order['status'], string> = {
    open: tx('待答复', 'Open'),
    answered: tx('已答复', 'Answered'),
    escalated: tx('逾期未答复，已升级至部门负责人', 'Escalated to the head'),
  };
  return (
    <Table<Order>
      rowKey="id"
      size="small"
      loading={isLoading}
      dataSource={rows}
      scroll={{ x: true }}
      data-testid={mine ? 'escalated-orders' : 'orders-table'}
      columns={[
        {
          title: tx('项目', 'Project'),
          dataIndex: 'projectName',
          render: (name: string, r) => <Link to={`/projects/${r.projectId}`}>{name}</Link>,
        },
        {
          title: tx('事项', 'Item'),
          dataIndex: 'itemName',
          render: (name: string, r) => <Link to={`/review/tasks/${r.taskId}`}>{name}</Link>,
        },
        { title: tx('部门', 'Department'), dataIndex: 'departmentName' },
        { title: tx('督办意见', 'Message'), dataIndex: 'message' },
        { title: tx('发出时间', 'Issued'), dataIndex: 'issuedAt', render: (v: string) => formatDateTime(v) },
        { title: tx('答复期限', 'Due'), dataIndex: 'dueDate' },
        {
          title: tx('状态', 'Status'),
          dataIndex: 'status',
          render: (s: Order['status']) => (
            <Tag color={s === 'escalated' ? 'red' : s === 'answered' ? 'green' : 'blue'}>{statusText[s]}</Tag>
          ),
        },
        { title: tx('答复', 'Response'), dataIndex: 'response', render: (v: string | null) => v ?? '—' },
        ...(mine
          ? [
              {
                title: tx('操作', 'Action'),
                render: (_: unknown, r: Order) => r.response === null && <AnswerOrder order={r} />,
              },
            ]
          : []),
      ]}
    />
  );
}
