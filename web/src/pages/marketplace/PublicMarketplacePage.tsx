/**
 * 中介服务超市公开 (no login, phone width): the lists with basis, standard, time limit and fee; listed
 * intermediaries with their services, fees, commitments and ratings; and the black list.
 */
import { ShopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, List, Spin, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useTx } from '../projects/strings';
import { yuan, type PublicMarketplace } from './api';

export default function PublicMarketplacePage() {
  const tx = useTx();
  const q = useQuery({
    queryKey: ['public-marketplace'],
    queryFn: ({ signal }) => api.get<PublicMarketplace>('/api/public/marketplace', undefined, signal),
  });
  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex
        align="center"
        gap={12}
        style={{
          background: 'linear-gradient(90deg, #0f3a7d, #1d5bb8)',
          color: '#fff',
          padding: '14px 16px',
          fontSize: 18,
          fontWeight: 600,
        }}
      >
        <ShopOutlined />
        <span style={{ flex: 1 }}>
          {tx('郑州市网上中介服务超市', 'Zhengzhou online intermediary marketplace')}
        </span>
        <Link
          to="/public/marketplace/register"
          style={{ color: '#fff', fontSize: 14 }}
          data-testid="intermediary-register-link"
        >
          {tx('中介机构入驻', 'Register an intermediary')}
        </Link>
      </Flex>
      <div style={{ maxWidth: 960, margin: '16px auto', padding: '0 12px' }}>
        {q.error ? <ErrorAlert error={q.error} /> : !q.data ? <Spin /> : <Body data={q.data} />}
      </div>
    </div>
  );
}

function Body({ data }: { data: PublicMarketplace }) {
  const tx = useTx();
  return (
    <Tabs
      items={[
        {
          key: 'intermediaries',
          label: `${tx('中介机构', 'Intermediaries')} (${data.intermediaries.length})`,
          children: (
            <Flex vertical gap={12} data-testid="public-intermediaries">
              {data.intermediaries.length === 0 && <Empty />}
              {data.intermediaries.map((i) => (
                <Card
                  key={i.id}
                  size="small"
                  title={i.name}
                  extra={
                    <Tag>
                      {tx('信用等级', 'Grade')} {i.creditGrade}
                    </Tag>
                  }
                >
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    {tx('统一社会信用代码', 'Credit code')}：{i.creditCode} · {tx('电话', 'Phone')}：
                    {i.contactPhone}
                  </Typography.Paragraph>
                  <Typography.Paragraph style={{ marginBottom: 8 }}>
                    {tx('资质', 'Qualifications')}：
                    {i.qualifications
                      .map((q) => `${q.name}（${q.grade}，${tx('有效期至', 'until')} ${q.expiresOn}）`)
                      .join('；')}
                  </Typography.Paragraph>
                  <List
                    size="small"
                    dataSource={i.services}
                    renderItem={(s) => (
                      <List.Item>
                        <Flex vertical>
                          <strong>{s.serviceName}</strong>
                          <span>
                            {tx('收费', 'Fee')} {yuan(s.feeYuan)} · {tx('承诺', 'Commitment')}{' '}
                            {s.committedDays} {tx('个工作日', 'working days')}
                          </span>
                          <Typography.Text type="secondary">{s.commitment}</Typography.Text>
                        </Flex>
                      </List.Item>
                    )}
                  />
                  <Typography.Text data-testid="public-rating">
                    {tx('服务评价', 'Ratings')}：{i.rating.ratings} {tx('次', '')}
                    {i.rating.satisfiedPercent !== null &&
                      ` · ${tx('满意率', 'satisfied')} ${i.rating.satisfiedPercent}%`}
                    {i.rating.counts
                      .filter((c) => c.count > 0)
                      .map((c) => ` · ${c.name} ${c.count}`)
                      .join('')}
                  </Typography.Text>
                </Card>
              ))}
            </Flex>
          ),
        },
        {
          key: 'services',
          label: tx('服务事项清单', 'Service lists'),
          children: (
            <Flex vertical gap={12}>
              {data.services.map((s) => (
                <Card key={s.code} size="small" title={s.name} extra={<Tag>{s.listName}</Tag>}>
                  <div>
                    {tx('设立依据', 'Basis')}：{s.basis}
                  </div>
                  <div>
                    {tx('服务标准', 'Standard')}：{s.standard}
                  </div>
                  <div>
                    {tx('时限', 'Time limit')}：{s.timeLimitDays} {tx('个工作日', 'working days')}
                  </div>
                  <div>
                    {tx('收费标准', 'Fees')}：{s.feeStandard}
                    {!s.chargesApplicant && (
                      <Tag color="green" style={{ marginLeft: 8 }}>
                        {tx('不向申请人收费', 'Free to applicants')}
                      </Tag>
                    )}
                  </div>
                </Card>
              ))}
            </Flex>
          ),
        },
        {
          key: 'black',
          label: `${tx('黑名单', 'Black list')} (${data.blackList.length})`,
          children: (
            <Flex vertical gap={12} data-testid="public-market-black-list">
              {data.blackList.length === 0 && <Empty description={tx('暂无列入黑名单的中介机构', 'None')} />}
              {data.blackList.map((b) => (
                <Card key={b.intermediaryId} size="small" title={b.name}>
                  <div>
                    {tx('统一社会信用代码', 'Credit code')}：{b.creditCode}
                  </div>
                  <div>
                    {tx('列入日期', 'Listed on')}：{b.listedOn}
                  </div>
                  <div>
                    {tx('事由', 'Reason')}：{b.reason}
                  </div>
                </Card>
              ))}
            </Flex>
          ),
        },
      ]}
    />
  );
}
