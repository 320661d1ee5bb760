/**
 * 信用信息公示 (public, no login; task 61): the black list, the red list and published dishonest acts, each
 * with basis and dates; and 双随机一公开 draws with seed, pool hash and results (task 59).
 */
import { BankOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useTx } from '../projects/strings';
import { outcomeText, type DrawSummary, type DrawView, type PublicCredit } from './api';

export default function PublicCreditPage() {
  const { id } = useParams();
  const tx = useTx();
  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex
        align="center"
        gap={12}
        style={{
          background: 'linear-gradient(90deg, #0f3a7d, #1d5bb8)',
          color: '#fff',
          padding: '14px 32px',
          fontSize: 18,
          fontWeight: 600,
        }}
      >
        <BankOutlined />
        <span>
          {tx('郑州市工程建设项目 · 信用信息公示', 'Zhengzhou construction projects · credit information')}
        </span>
      </Flex>
      <Flex vertical gap={16} style={{ maxWidth: 1100, margin: '24px auto', padding: '0 16px' }}>
        {id ? <DrawCard id={id} /> : <Lists />}
      </Flex>
    </div>
  );
}

function Lists() {
  const tx = useTx();
  const credit = useQuery({
    queryKey: ['public-credit'],
    queryFn: ({ signal }) => api.get<PublicCredit>('/api/public/credit', undefined, signal),
  });
  const draws = useQuery({
    queryKey: ['public-draws'],
    queryFn: ({ signal }) =>
      api.get<{ draws: DrawSummary[] }>('/api/public/inspections/draws', undefined, signal),
  });
  if (credit.error) return <ErrorAlert error={credit.error} />;
  if (!credit.data) return <Spin />;
  const listColumns = [
    { title: tx('主体名称', 'Name'), dataIndex: 'subjectName' },
    {
      title: tx('统一社会信用代码/证书编号', 'Credit code / certificate'),
      render: (_: unknown, r: PublicCredit['blackList'][number]) => r.creditCode ?? r.certificateNo ?? '',
    },
    { title: tx('认定事由', 'Reason'), dataIndex: 'reason' },
    { title: tx('认定依据', 'Basis'), dataIndex: 'basis' },
    { title: tx('列入日期', 'Listed on'), dataIndex: 'listedOn' },
    { title: tx('有效期至', 'Until'), dataIndex: 'expiresOn' },
  ];
  return (
    <Card>
      <Typography.Text type="secondary">
        {tx('公示日期', 'As of')}：{credit.data.asOf}
      </Typography.Text>
      <Tabs
        items={[
          {
            key: 'black',
            label: `${tx('失信黑名单', 'Black list')} (${credit.data.blackList.length})`,
            children: (
              <Table
                rowKey="id"
                size="small"
                data-testid="public-black-list"
                dataSource={credit.data.blackList}
                columns={listColumns}
                pagination={false}
              />
            ),
          },
          {
            key: 'red',
            label: `${tx('守信红名单', 'Red list')} (${credit.data.redList.length})`,
            children: (
              <Table
                rowKey="id"
                size="small"
                dataSource={credit.data.redList}
                columns={listColumns}
                pagination={false}
              />
            ),
          },
          {
            key: 'acts',
            label: `${tx('失信行为', 'Dishonest acts')} (${credit.data.dishonestActs.length})`,
            children: (
              <Table
                rowKey="id"
                size="small"
                data-testid="public-acts"
                dataSource={credit.data.dishonestActs}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: tx('主体名称', 'Name'), dataIndex: 'subjectName' },
                  { title: tx('类别', 'Kind'), dataIndex: 'kindName' },
                  { title: tx('事由', 'Reason'), dataIndex: 'reason' },
                  { title: tx('依据', 'Basis'), dataIndex: 'basis' },
                  { title: tx('认定日期', 'Date'), dataIndex: 'validFrom' },
                  { title: tx('有效期至', 'Until'), dataIndex: 'expiresOn' },
                ]}
              />
            ),
          },
          {
            key: 'draws',
            label: tx('双随机抽查公示', 'Random inspections'),
            children: (
              <Table
                rowKey="id"
                size="small"
                data-testid="public-draws"
                dataSource={draws.data?.draws ?? []}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: tx('抽取日期', 'Drawn on'), dataIndex: 'drawnOn' },
                  { title: tx('部门', 'Department'), dataIndex: 'departmentCode' },
                  { title: tx('抽中对象', 'Picked'), dataIndex: 'picked' },
                  { title: tx('已公示结果', 'Published'), dataIndex: 'recorded' },
                  { title: tx('不合格', 'Failed'), dataIndex: 'failed' },
                  {
                    title: tx('详情', 'Detail'),
                    render: (_: unknown, d: DrawSummary) => (
                      <Link to={`/public/credit/draws/${d.id}`}>{tx('查看', 'View')}</Link>
                    ),
                  },
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

function DrawCard({ id }: { id: string }) {
  const tx = useTx();
  const { data, error } = useQuery({
    queryKey: ['public-draw', id],
    queryFn: ({ signal }) =>
      api.get<DrawView>(`/api/public/inspections/draws/${encodeURIComponent(id)}`, undefined, signal),
  });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  const labels = new Map(data.pool.map((o) => [o.objectId, o]));
  return (
    <Card
      title={tx('双随机抽查公示', 'Random inspection draw')}
      extra={<Link to="/public/credit">{tx('返回', 'Back')}</Link>}
    >
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={tx('抽取日期', 'Drawn on')}>{data.drawnOn}</Descriptions.Item>
        <Descriptions.Item label={tx('随机种子', 'Seed')}>
          <Typography.Text code data-testid="draw-seed">
            {data.seed}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={tx('对象库哈希（SHA-256）', 'Pool hash (SHA-256)')}>
          <Typography.Text code>{data.poolHash}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={tx('算法', 'Algorithm')}>{data.algorithm}</Descriptions.Item>
        <Descriptions.Item label={tx('复算结果', 'Re-run')}>
          {data.reproducible ? (
            <Tag color="green" data-testid="draw-reproducible">
              {tx('复算一致', 'Reproduced')}
            </Tag>
          ) : (
            <Tag color="red">{tx('复算不一致', 'Mismatch')}</Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={tx('结果公示期限', 'Publish by')}>{data.publishBy}</Descriptions.Item>
      </Descriptions>
      <Table
        style={{ marginTop: 16 }}
        rowKey="objectId"
        size="small"
        data-testid="draw-result"
        dataSource={data.result}
        pagination={false}
        columns={[
          {
            title: tx('抽查对象', 'Object'),
            render: (_: unknown, r: DrawView['result'][number]) =>
              labels.get(r.objectId)?.label ?? r.objectId,
          },
          {
            title: tx('主体', 'Subject'),
            render: (_: unknown, r: DrawView['result'][number]) => labels.get(r.objectId)?.subjectName ?? '',
          },
          {
            title: tx('检查人员', 'Inspectors'),
            render: (_: unknown, r: DrawView['result'][number]) => r.inspectorNames.join('、'),
          },
          {
            title: tx('检查结果', 'Outcome'),
            render: (_: unknown, r: DrawView['result'][number]) => {
              const o = r.outcome ? outcomeText[r.outcome] : undefined;
              return o ? tx(o[0], o[1]) : tx('待录入', 'Pending');
            },
          },
          { title: tx('检查情况', 'Findings'), dataIndex: 'findings' },
          { title: tx('公示日期', 'Published'), dataIndex: 'publishedOn' },
        ]}
      />
    </Card>
  );
}
