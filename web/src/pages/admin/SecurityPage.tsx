/**
 * 登录安全: the login throttles in force (by address, or by a user name from one address), each
 * clearable by an administrator (audited on the server). Chinese first, English available.
 */
import { App, Button, Card, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { useTx } from '../login/strings';

interface Throttle {
  id: string;
  scope: 'address' | 'account_address';
  accountName: string | null;
  address: string;
  failures: number;
  startedAt: string;
  endsAt: string;
}

const throttlesKey = ['admin', 'login-throttles'] as const;

export default function SecurityPage() {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: throttlesKey,
    queryFn: ({ signal }) =>
      api.get<{ throttles: Throttle[] }>('/api/admin/login-throttles', undefined, signal),
    refetchInterval: 30_000,
  });
  const clear = useMutation({
    mutationFn: (id: string) => api.post(`/api/admin/login-throttles/${id}/clear`),
    onSuccess: () => {
      void message.success(tx('已解除', 'Cleared'));
      void client.invalidateQueries({ queryKey: throttlesKey });
    },
    onError: (err) => void message.error(errorMessage(err, t)),
  });

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          title={tx('登录安全', 'Login security')}
          subTitle={tx(
            '登录失败按“客户端地址”和“用户名+地址”分别计数；受限的只是失败来源，账号本人从其他地址仍可登录。',
            'Failures are counted per client address and per user name from an address: only the failing source is held back, the account owner can still log in from elsewhere.',
          )}
        />
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<Throttle>
            rowKey="id"
            loading={list.isPending}
            dataSource={list.data?.throttles ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: tx('当前没有登录限制', 'No login throttles in force') }}
            data-testid="throttle-table"
            columns={[
              {
                title: tx('范围', 'Scope'),
                dataIndex: 'scope',
                render: (scope: Throttle['scope']) =>
                  scope === 'address' ? (
                    <Tag color="red">{tx('整个地址', 'Whole address')}</Tag>
                  ) : (
                    <Tag color="orange">{tx('用户名 + 地址', 'User name + address')}</Tag>
                  ),
              },
              {
                title: tx('用户名（按输入）', 'User name (as typed)'),
                dataIndex: 'accountName',
                render: (name: string | null) =>
                  name ?? <Typography.Text type="secondary">{tx('全部', 'All')}</Typography.Text>,
              },
              { title: tx('客户端地址', 'Client address'), dataIndex: 'address' },
              { title: tx('失败次数', 'Failures'), dataIndex: 'failures', align: 'right' },
              {
                title: tx('开始时间', 'Started'),
                dataIndex: 'startedAt',
                render: (v: string) => formatDateTime(v),
              },
              {
                title: tx('自动结束', 'Ends by itself'),
                dataIndex: 'endsAt',
                render: (v: string) => formatDateTime(v),
              },
              {
                title: tx('操作', 'Action'),
                key: 'action',
                render: (_, row) => (
                  <Popconfirm
                    title={tx('解除这项登录限制？', 'Clear this login throttle?')}
                    description={tx(
                      '相关失败计数将清零，操作会记入审计日志。',
                      'Its failure count starts again from zero; the action is audited.',
                    )}
                    onConfirm={() => clear.mutate(row.id)}
                  >
                    <Button size="small" loading={clear.isPending && clear.variables === row.id}>
                      {tx('解除', 'Clear')}
                    </Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        )}
      </Card>
    </Flex>
  );
}
