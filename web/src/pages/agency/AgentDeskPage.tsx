/** 帮办代办工作台: the enterprises that gave this agent consent, for what and until when; where to start. */
import { Button, Card, Flex, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime } from '../../lib/time';
import { useTx } from '../projects/strings';
import { useConsents, type Consent } from './api';
import { ConsentStatusTag } from './ConsentStatus';

export default function AgentDeskPage() {
  const tx = useTx();
  const consents = useConsents();
  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={tx('帮办代办工作台', 'Agent desk')}
        subTitle={tx(
          '只能在企业委托的范围和期限内为其登记项目、阶段申报',
          'You act for an enterprise only within the consent it gave',
        )}
        extra={
          <Link to="/projects/new">
            <Button type="primary" data-testid="agent-register">
              {tx('代企业登记项目', 'Register a project for an enterprise')}
            </Button>
          </Link>
        }
      />
      <Card title={tx('委托我的企业', 'Enterprises that gave consent')}>
        {consents.error !== null && consents.error !== undefined && <ErrorAlert error={consents.error} />}
        <Table<Consent>
          rowKey="id"
          loading={consents.isLoading}
          dataSource={consents.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: true }}
          data-testid="agent-consents"
          locale={{ emptyText: tx('暂无企业委托', 'No consent yet') }}
          columns={[
            { title: tx('建设单位', 'Enterprise'), dataIndex: 'enterpriseName' },
            { title: tx('委托事项', 'Scope'), render: (_, c) => c.scopeNames.join('、') },
            { title: tx('截止日', 'Until'), render: (_, c) => formatDate(c.validUntil) },
            { title: tx('状态', 'State'), render: (_, c) => <ConsentStatusTag consent={c} /> },
            {
              title: tx('委托人 / 时间', 'Given by'),
              render: (_, c) => `${c.grantedByName} ${formatDateTime(c.grantedAt)}`,
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {tx(
            '阶段申报：在“我的项目”中打开企业的项目，按阶段申报；补正、补交材料和撤回同样需要“阶段申报”委托。',
            'To apply for a stage, open the enterprise’s project under My projects.',
          )}
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
}
