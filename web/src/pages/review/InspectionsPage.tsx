/** 告知承诺事后核查 (task 59): the department's inspections; confirm the commitment or revoke. */
import { App as AntApp, Button, Card, Input, Space, Table, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { keys, useInspections, type Inspection } from '../projects/api';
import { useTx } from '../projects/strings';
import { useItemNames } from './itemNames';

export default function InspectionsPage() {
  const tx = useTx();
  const name = useItemNames();
  const { hasRole } = useAuth();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const { data, isPending, error } = useInspections();
  const [results, setResults] = useState<Record<string, string>>({});
  const [actionError, setActionError] = useState<unknown>(null);
  const record = async (id: string, outcome: 'confirmed' | 'revoked') => {
    setActionError(null);
    try {
      await api.post(`/api/inspections/${id}/result`, { outcome, result: results[id] ?? '' });
      message.success(
        outcome === 'confirmed' ? tx('已确认履诺', 'Confirmed') : tx('已撤销审批决定', 'Revoked'),
      );
      await client.invalidateQueries({ queryKey: keys.inspections });
    } catch (err) {
      setActionError(err);
    }
  };
  const STATUS: Record<string, [string, string, string]> = {
    pending: ['待核查', 'Pending', 'processing'],
    confirmed: ['已履诺', 'Confirmed', 'success'],
    revoked: ['已撤销', 'Revoked', 'error'],
  };
  return (
    <>
      <PageHeader title={tx('告知承诺事后核查', 'Commitment inspections')} />
      {error && <ErrorAlert error={error} />}
      {actionError !== null && <ErrorAlert error={actionError} />}
      <Card>
        <Table<Inspection>
          rowKey="id"
          loading={isPending}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          dataSource={data ?? []}
          data-testid="inspections-table"
          columns={[
            { title: tx('项目代码', 'Project code'), dataIndex: 'projectCode' },
            { title: tx('项目名称', 'Project'), dataIndex: 'projectName' },
            { title: tx('审批事项', 'Item'), dataIndex: 'itemCode', render: (c: string) => name(c) },
            {
              title: tx('核查期限', 'Due'),
              dataIndex: 'dueDate',
              render: (d: string, i) => (
                <>
                  {d} {i.overdue === true && <Tag color="red">{tx('逾期', 'Overdue')}</Tag>}
                </>
              ),
            },
            {
              title: tx('状态', 'Status'),
              dataIndex: 'status',
              render: (s: string) => {
                const [zh, en, color] = STATUS[s] ?? [s, s, 'default'];
                return <Tag color={color}>{tx(zh, en)}</Tag>;
              },
            },
            {
              title: tx('核查结论', 'Result'),
              render: (_: unknown, i) =>
                i.status === 'pending' && hasRole('reviewer', 'senior') ? (
                  <Space.Compact>
                    <Input
                      placeholder={tx('核查情况', 'Findings')}
                      value={results[i.id] ?? ''}
                      onChange={(e) => setResults((r) => ({ ...r, [i.id]: e.target.value }))}
                      data-testid={`inspection-result-${i.id}`}
                    />
                    <Button
                      type="primary"
                      disabled={(results[i.id] ?? '').trim().length < 2}
                      onClick={() => void record(i.id, 'confirmed')}
                    >
                      {tx('确认履诺', 'Confirm')}
                    </Button>
                    <Button
                      danger
                      disabled={(results[i.id] ?? '').trim().length < 2}
                      onClick={() => void record(i.id, 'revoked')}
                    >
                      {tx('撤销决定', 'Revoke')}
                    </Button>
                  </Space.Compact>
                ) : (
                  String(i.result ?? '—')
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
