import { Card, Progress, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import type { HTMLAttributes } from 'react';
import { useNavigate } from 'react-router-dom';
import { useProcessTemplates } from '../../api/hooks';
import type { ProcessTemplate } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';

export const TARGET_WORKING_DAYS = 100;

export function TotalDays({ days }: { days: number }) {
  const t = useT();
  const over = days > TARGET_WORKING_DAYS;
  return (
    <Tooltip title={over ? t('templates.overTarget') : t('templates.withinTarget')}>
      <Tag color={over ? 'red' : 'green'} data-testid="template-total">
        {t('common.workingDays', { n: days })}
      </Tag>
    </Tooltip>
  );
}

export default function TemplateListPage() {
  const t = useT();
  const navigate = useNavigate();
  const templates = useProcessTemplates();

  const columns: TableProps<ProcessTemplate>['columns'] = [
    {
      title: t('templates.code'),
      dataIndex: 'code',
      width: 200,
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    {
      title: t('templates.name'),
      dataIndex: 'name',
      render: (n: string) => <Typography.Link>{n}</Typography.Link>,
    },
    { title: t('templates.type'), dataIndex: 'nationalProcessType', width: 200 },
    { title: t('templates.version'), dataIndex: 'version', width: 80, render: (v: number) => `v${v}` },
    { title: t('templates.stages'), width: 80, align: 'right', render: (_v, tpl) => tpl.stages.length },
    {
      title: t('templates.items'),
      width: 80,
      align: 'right',
      render: (_v, tpl) => tpl.stages.reduce((n, s) => n + s.items.length, 0),
    },
    {
      title: t('templates.total'),
      dataIndex: 'totalWorkingDays',
      width: 260,
      sorter: (a, b) => a.totalWorkingDays - b.totalWorkingDays,
      render: (days: number) => (
        <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <TotalDays days={days} />
          <Progress
            percent={Math.min(100, Math.round((days / TARGET_WORKING_DAYS) * 100))}
            size="small"
            showInfo={false}
            status={days > TARGET_WORKING_DAYS ? 'exception' : 'normal'}
            style={{ width: 100, margin: 0 }}
          />
        </div>
      ),
    },
  ];

  return (
    <Card>
      <PageHeader title={t('templates.title')} subTitle={t('home.target')} />
      {templates.isError ? (
        <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />
      ) : (
        <Table<ProcessTemplate>
          rowKey="code"
          loading={templates.isPending}
          dataSource={templates.data ?? []}
          columns={columns}
          pagination={false}
          data-testid="templates-table"
          onRow={(tpl) =>
            ({
              onClick: () => navigate(`/templates/${encodeURIComponent(tpl.code)}`),
              className: 'zz-clickable-row',
              'data-testid': `template-row-${tpl.code}`,
            }) as HTMLAttributes<HTMLElement>
          }
        />
      )}
    </Card>
  );
}
