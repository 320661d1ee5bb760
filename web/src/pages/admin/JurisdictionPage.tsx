/**
 * 事权划分 (issue 15): which level handles each item — city, district, or by total investment — and a
 * preview of where a project of a district and investment would have each item handled.
 */
import { App, Button, Card, Flex, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { useTx } from '../login/strings';
import { adminKeys, useDistricts } from './adminApi';

type Level = 'city' | 'district' | 'investment';

interface ItemLevel {
  itemCode: string;
  itemName: string;
  stage: number;
  departmentCode: string;
  level: Level;
  levelName: string;
  cityFromInvestment: number | null;
  note: string | null;
}

interface Routed {
  itemCode: string;
  itemName: string;
  stage: number;
  level: 'city' | 'district';
  departmentName: string;
  cityStandsIn: boolean;
}

function LevelEditor({ row, onSaved }: { row: ItemLevel; onSaved: () => void }) {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const [level, setLevel] = useState<Level>(row.level);
  const [threshold, setThreshold] = useState<number | null>(row.cityFromInvestment);
  const save = useMutation({
    mutationFn: () =>
      api.put(`/api/admin/jurisdiction/items/${row.itemCode}`, {
        level,
        cityFromInvestment: level === 'investment' ? threshold : null,
        note: row.note,
      }),
    onSuccess: () => {
      void message.success(tx('已保存', 'Saved'));
      onSaved();
    },
    onError: (err) => void message.error(errorMessage(err, t)),
  });
  const changed = level !== row.level || (level === 'investment' && threshold !== row.cityFromInvestment);
  return (
    <Space size={4} wrap>
      <Select<Level>
        size="small"
        value={level}
        style={{ width: 130 }}
        onChange={setLevel}
        options={[
          { value: 'city', label: tx('市级', 'City') },
          { value: 'district', label: tx('区县级', 'District') },
          { value: 'investment', label: tx('按投资规模', 'By investment') },
        ]}
        data-testid={`level-${row.itemCode}`}
      />
      {level === 'investment' && (
        <InputNumber
          size="small"
          min={1}
          value={threshold}
          onChange={(v) => setThreshold(v)}
          addonAfter={tx('万元起市级', '10k CNY → city')}
          style={{ width: 190 }}
        />
      )}
      {changed && (
        <Button
          size="small"
          type="primary"
          loading={save.isPending}
          onClick={() => save.mutate()}
          data-testid={`level-save-${row.itemCode}`}
        >
          {tx('保存', 'Save')}
        </Button>
      )}
    </Space>
  );
}

export default function JurisdictionPage() {
  const tx = useTx();
  const client = useQueryClient();
  const districts = useDistricts();
  const [preview, setPreview] = useState<{ districtCode: string; totalInvestment: number } | null>(null);
  const items = useQuery({
    queryKey: adminKeys.jurisdiction,
    queryFn: ({ signal }) => api.get<{ items: ItemLevel[] }>('/api/jurisdiction/items', undefined, signal),
  });
  const routing = useQuery({
    queryKey: ['jurisdiction', 'routing', preview],
    enabled: preview !== null,
    queryFn: ({ signal }) => api.get<{ items: Routed[] }>('/api/jurisdiction/routing', preview!, signal),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: adminKeys.jurisdiction });
    void client.invalidateQueries({ queryKey: ['jurisdiction', 'routing'] });
  };

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          title={tx('事权划分', 'Item levels')}
          subTitle={tx(
            '区县级事项由项目所在区县的同条线部门办理（该区县没有该部门时由市级办理）；按投资规模的事项在总投资达到起点时由市级办理。',
            'District items go to the district department of the line (the city where there is none); by-investment items go to the city from the threshold up.',
          )}
        />
        {items.isError ? (
          <ErrorAlert error={items.error} onRetry={() => void items.refetch()} />
        ) : (
          <Table<ItemLevel>
            rowKey="itemCode"
            size="small"
            loading={items.isPending}
            dataSource={items.data?.items ?? []}
            pagination={{ pageSize: 15 }}
            data-testid="jurisdiction-table"
            columns={[
              { title: tx('阶段', 'Stage'), dataIndex: 'stage', width: 60 },
              { title: tx('事项', 'Item'), dataIndex: 'itemName' },
              {
                title: tx('办理层级', 'Level'),
                key: 'level',
                render: (_, row) => (
                  <LevelEditor
                    key={`${row.itemCode}-${row.level}-${row.cityFromInvestment}`}
                    row={row}
                    onSaved={refresh}
                  />
                ),
              },
              { title: tx('说明', 'Note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            ]}
          />
        )}
      </Card>
      <Card title={tx('分派预览', 'Routing preview')}>
        <Form
          layout="inline"
          onFinish={(v: { districtCode: string; totalInvestment: number }) => setPreview(v)}
          initialValues={{ totalInvestment: 8000 }}
          style={{ marginBottom: 12 }}
        >
          <Form.Item name="districtCode" label={tx('项目所在区县', 'District')} rules={[{ required: true }]}>
            <Select
              style={{ width: 200 }}
              options={(districts.data ?? [])
                .filter((d) => d.active)
                .map((d) => ({ value: d.code, label: d.name }))}
              data-testid="preview-district"
            />
          </Form.Item>
          <Form.Item
            name="totalInvestment"
            label={tx('总投资（万元）', 'Investment (10k CNY)')}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} style={{ width: 140 }} />
          </Form.Item>
          <Button htmlType="submit" type="primary" data-testid="preview-run">
            {tx('预览', 'Preview')}
          </Button>
        </Form>
        {routing.isError ? (
          <ErrorAlert error={routing.error} onRetry={() => void routing.refetch()} />
        ) : preview ? (
          <Table<Routed>
            rowKey="itemCode"
            size="small"
            loading={routing.isPending}
            dataSource={routing.data?.items ?? []}
            pagination={{ pageSize: 15 }}
            data-testid="preview-table"
            columns={[
              { title: tx('阶段', 'Stage'), dataIndex: 'stage', width: 60 },
              { title: tx('事项', 'Item'), dataIndex: 'itemName' },
              {
                title: tx('层级', 'Level'),
                key: 'level',
                render: (_, r) => (
                  <Space size={4}>
                    <Tag color={r.level === 'district' ? 'blue' : 'default'}>
                      {r.level === 'district' ? tx('区县级', 'District') : tx('市级', 'City')}
                    </Tag>
                    {r.cityStandsIn && (
                      <Tag color="orange">{tx('区县无此部门，市级办理', 'No district office: city')}</Tag>
                    )}
                  </Space>
                ),
              },
              { title: tx('办理部门', 'Department'), dataIndex: 'departmentName' },
            ]}
          />
        ) : (
          <Typography.Text type="secondary">
            {tx(
              '选择区县和总投资后查看各事项的办理部门。',
              'Choose a district and an investment to see each item’s department.',
            )}
          </Typography.Text>
        )}
      </Card>
    </Flex>
  );
}
