/**
 * 省级对接 (admin): upload state per SPGL table, rows held back by a validation rule or dead after
 * retries (with the rule and reason), notification batches, reconciliation reports; run now, reconcile,
 * retry dead letters.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/time';
import { useTx } from '../projects/strings';

interface Overview {
  tables: {
    tableCode: string;
    tableName: string;
    pending: number;
    uploaded: number;
    invalid: number;
    dead: number;
  }[];
  outboxPending: number;
  batches: {
    id: string;
    createdAt: string;
    rowCount: number;
    notifyState: string;
    notifyAttempts: number;
    lastError: string | null;
  }[];
  reconciliations: {
    id: string;
    runAt: string;
    differences: number;
    error: string | null;
    tables: {
      tableCode: string;
      tableName: string;
      localCount: number;
      provinceCount: number;
      missing: string[];
      extra: string[];
      different: string[];
    }[];
  }[];
}

interface ProblemRow {
  tableCode: string;
  dfsjzj: string;
  attempts: number;
  lastError: string | null;
  problems: { rule: string; field: string; message: string }[];
  changedAt: string;
}

export default function ExchangePage() {
  const tx = useTx();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const overview = useQuery({
    queryKey: ['exchange'],
    queryFn: ({ signal }) => api.get<Overview>('/api/admin/exchange', undefined, signal),
  });
  const [state, setState] = useState<'invalid' | 'dead'>('invalid');
  const rows = useQuery({
    queryKey: ['exchange-rows', state],
    queryFn: ({ signal }) => api.get<{ rows: ProblemRow[] }>('/api/admin/exchange/rows', { state }, signal),
  });
  const act = async (path: string, body?: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(path, body ?? {});
      await client.invalidateQueries({ queryKey: ['exchange'] });
      await client.invalidateQueries({ queryKey: ['exchange-rows'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (overview.error) return <ErrorAlert error={overview.error} />;
  const data = overview.data;
  const last = data?.reconciliations[0];
  return (
    <Flex vertical gap={16} data-testid="exchange-page">
      <Typography.Title level={4}>
        {tx('省级工程建设项目审批管理系统对接', 'Provincial exchange')}
      </Typography.Title>
      <Space wrap>
        <Button type="primary" loading={busy} onClick={() => act('/api/admin/exchange/run')}>
          {tx('立即上传', 'Upload now')}
        </Button>
        <Button loading={busy} onClick={() => act('/api/admin/exchange/reconcile')}>
          {tx('立即对账', 'Reconcile now')}
        </Button>
        <Button loading={busy} onClick={() => act('/api/admin/exchange/retry')}>
          {tx('死信全部重试', 'Retry all dead letters')}
        </Button>
        <Typography.Text type="secondary">
          {tx('待处理变更', 'Changes waiting')}：{data?.outboxPending ?? '…'}
        </Typography.Text>
      </Space>
      {error !== undefined && <ErrorAlert error={error} />}
      {last && (
        <Alert
          type={last.error ? 'error' : last.differences === 0 ? 'success' : 'warning'}
          title={`${tx('最近对账', 'Last reconciliation')} ${formatDateTime(last.runAt)}：${
            last.error ??
            (last.differences === 0
              ? tx('一致', 'no differences')
              : `${last.differences} ${tx('处不一致', 'differences')}`)
          }`}
        />
      )}
      <Card size="small" title={tx('各表上传状态', 'Tables')}>
        <Table
          size="small"
          rowKey="tableCode"
          pagination={false}
          loading={!data}
          dataSource={data?.tables ?? []}
          scroll={{ x: true }}
          columns={[
            { title: tx('交换表', 'Table'), render: (_, r) => `${r.tableName}（${r.tableCode}）` },
            { title: tx('待上传', 'Pending'), dataIndex: 'pending' },
            { title: tx('已上传', 'Uploaded'), dataIndex: 'uploaded' },
            {
              title: tx('校验未通过', 'Invalid'),
              dataIndex: 'invalid',
              render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
            },
            {
              title: tx('死信', 'Dead'),
              dataIndex: 'dead',
              render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0),
            },
          ]}
        />
      </Card>
      <Card size="small">
        <Tabs
          activeKey={state}
          onChange={(k) => setState(k as 'invalid' | 'dead')}
          items={[
            { key: 'invalid', label: tx('校验未通过', 'Held back by a rule') },
            { key: 'dead', label: tx('上传死信', 'Dead letters') },
          ]}
        />
        <Table
          size="small"
          rowKey={(r) => `${r.tableCode}:${r.dfsjzj}`}
          loading={rows.isPending}
          dataSource={rows.data?.rows ?? []}
          scroll={{ x: true }}
          columns={[
            { title: tx('交换表', 'Table'), dataIndex: 'tableCode' },
            { title: tx('地方数据主键', 'Local key'), dataIndex: 'dfsjzj' },
            {
              title: tx('原因', 'Reason'),
              render: (_, r) =>
                r.problems.length
                  ? r.problems.map((p) => `[${p.rule}] ${p.message}`).join('；')
                  : (r.lastError ?? ''),
            },
            { title: tx('尝试次数', 'Attempts'), dataIndex: 'attempts' },
            {
              title: tx('变更时间', 'Changed'),
              dataIndex: 'changedAt',
              render: (v: string) => formatDateTime(v),
            },
            {
              title: '',
              render: (_, r) =>
                state === 'dead' ? (
                  <Button
                    size="small"
                    onClick={() =>
                      act('/api/admin/exchange/retry', { tableCode: r.tableCode, dfsjzj: r.dfsjzj })
                    }
                  >
                    {tx('重试', 'Retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card size="small" title={tx('上传批次与通知', 'Batches and notifications')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={data?.batches ?? []}
          scroll={{ x: true }}
          columns={[
            {
              title: tx('上传时间', 'Uploaded'),
              dataIndex: 'createdAt',
              render: (v: string) => formatDateTime(v),
            },
            { title: tx('行数', 'Rows'), dataIndex: 'rowCount' },
            {
              title: tx('通知', 'Notification'),
              dataIndex: 'notifyState',
              render: (s: string) =>
                ({
                  delivered: tx('已送达', 'delivered'),
                  pending: tx('待重试', 'retrying'),
                  dead: tx('失败', 'failed'),
                  skipped: tx('未配置', 'not configured'),
                })[s] ?? s,
            },
            { title: tx('尝试', 'Attempts'), dataIndex: 'notifyAttempts' },
            { title: tx('错误', 'Error'), dataIndex: 'lastError' },
          ]}
        />
      </Card>
    </Flex>
  );
}
