import { Alert, Button, Card, Descriptions, Flex, Skeleton, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { flowchartUrl, useDepartmentNames, useProcessTemplate } from '../../api/hooks';
import { useAuth } from '../../auth';
import type { ProcessTemplate, TemplateItem, TemplateStage } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StageTag } from '../../components/tags';
import { isMessageKey, useT } from '../../i18n';
import { describeCondition } from '../../lib/conditions';
import { TotalDays } from './TemplateListPage';

export default function TemplateDetailPage() {
  const { code = '' } = useParams();
  const template = useProcessTemplate(code);
  if (template.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (template.isError) {
    return (
      <Card>
        <PageHeader title={code} back="/templates" />
        <ErrorAlert error={template.error} onRetry={() => void template.refetch()} />
      </Card>
    );
  }
  return <TemplateDetail template={template.data} />;
}

function TemplateDetail({ template }: { template: ProcessTemplate }) {
  const t = useT();
  const departmentName = useDepartmentNames();
  const [flowchartFailed, setFlowchartFailed] = useState(false);
  const { hasRole } = useAuth();
  const itemCount = template.stages.reduce((n, s) => n + s.items.length, 0);

  const ruleLabel = (rule: string) => {
    const key = `rule.${rule}`;
    return isMessageKey(key) ? t(key) : rule;
  };

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          back="/templates"
          title={<span data-testid="template-name">{template.name}</span>}
          subTitle={<Typography.Text code>{template.code}</Typography.Text>}
          extra={
            <Flex gap={8} align="center">
              <TotalDays days={template.totalWorkingDays} />
              {hasRole('admin') && (
                <Link to={`/templates/${encodeURIComponent(template.code)}/edit`}>
                  <Button type="primary" data-testid="template-edit">
                    {t('templates.edit')}
                  </Button>
                </Link>
              )}
            </Flex>
          }
        />
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 4 }}
          items={[
            { key: 'type', label: t('templates.type'), children: template.nationalProcessType },
            { key: 'version', label: t('templates.version'), children: `v${template.version}` },
            { key: 'stages', label: t('templates.stages'), children: template.stages.length },
            { key: 'items', label: t('templates.items'), children: itemCount },
          ]}
        />
      </Card>

      <Card title={t('templates.stageTable')}>
        <Table<TemplateStage>
          rowKey={(s) => `${s.nationalStage}-${s.name}`}
          size="middle"
          pagination={false}
          dataSource={template.stages}
          data-testid="stages-table"
          expandable={{
            defaultExpandAllRows: false,
            expandedRowRender: (stage) => (
              <StageItems
                items={stage.items}
                names={
                  new Map(template.stages.flatMap((st) => st.items.map((i) => [i.itemCode, i.itemName])))
                }
              />
            ),
          }}
          columns={[
            {
              title: t('templates.stageName'),
              dataIndex: 'name',
              render: (name: string, s) => (
                <Flex gap={8} align="center" wrap>
                  <StageTag stage={s.nationalStage} />
                  <span>{name}</span>
                  {s.parallelWithPrevious && <Tag>{t('templates.parallel')}</Tag>}
                </Flex>
              ),
            },
            {
              title: t('templates.lead'),
              dataIndex: 'leadDepartmentCode',
              width: 200,
              render: (c: string) => departmentName(c),
            },
            {
              title: t('templates.merged'),
              dataIndex: 'mergedStages',
              width: 160,
              render: (stages: number[]) =>
                stages.length > 0 ? stages.map((s) => <StageTag key={s} stage={s} />) : '—',
            },
            { title: t('templates.rule'), dataIndex: 'completionRule', width: 170, render: ruleLabel },
            { title: t('templates.items'), width: 80, align: 'right', render: (_v, s) => s.items.length },
            {
              title: t('templates.stageLimit'),
              dataIndex: 'timeLimitWorkingDays',
              width: 130,
              align: 'right',
              render: (d: number) => t('common.workingDays', { n: d }),
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={6} align="right">
                <Typography.Text strong>{t('templates.total')}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                <Typography.Text strong>
                  {t('common.workingDays', { n: template.totalWorkingDays })}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>

      <Card title={t('templates.flowchart')}>
        {flowchartFailed ? (
          <Alert type="error" showIcon title={t('templates.flowchartError')} />
        ) : (
          <div className="zz-flowchart">
            <img
              src={flowchartUrl(template.code)}
              alt={`${template.name} ${t('templates.flowchart')}`}
              onError={() => setFlowchartFailed(true)}
              data-testid="flowchart-image"
            />
          </div>
        )}
      </Card>
    </Flex>
  );
}

/** Since issue 8 the API also says which milestone a 并行推进 item must precede (任务19). */
type OrderedItem = TemplateItem & { requiredBefore?: string | null };

/** Order shown by item name (prerequisites may be in earlier stages, so names come from the whole template). */
function StageItems({ items, names }: { items: TemplateItem[]; names: ReadonlyMap<string, string> }) {
  const nameOf = (code: string) => names.get(code) ?? code;
  const t = useT();
  const departmentName = useDepartmentNames();
  return (
    <Table<TemplateItem>
      rowKey="itemCode"
      size="small"
      pagination={false}
      dataSource={items}
      columns={[
        {
          title: t('templates.itemCode'),
          dataIndex: 'itemCode',
          width: 150,
          render: (c: string) => (
            <Link to={`/catalog/${encodeURIComponent(c)}`}>
              <Typography.Text code>{c}</Typography.Text>
            </Link>
          ),
        },
        {
          title: t('templates.itemName'),
          dataIndex: 'itemName',
          render: (n: string, item) => (
            <Flex gap={6} align="center">
              {n}
              {item.milestone && <Tag color="magenta">{t('templates.milestone')}</Tag>}
              {item.simulatedUntil && (
                <Tooltip title={t(`simulated.${item.simulatedUntil}`)}>
                  <Tag color="cyan">{t('templates.simulated')}</Tag>
                </Tooltip>
              )}
            </Flex>
          ),
        },
        {
          title: t('templates.itemDept'),
          dataIndex: 'departmentCode',
          width: 180,
          render: (c: string) => departmentName(c),
        },
        {
          title: t('templates.itemLimit'),
          dataIndex: 'promisedTimeLimitDays',
          width: 120,
          align: 'right',
          render: (d: number) => t('common.workingDays', { n: d }),
        },
        {
          title: t('templates.condition'),
          dataIndex: 'condition',
          width: 220,
          render: (c: unknown) => describeCondition(c, t),
        },
        {
          title: t('templates.prerequisites'),
          dataIndex: 'prerequisites',
          width: 160,
          render: (p: unknown) =>
            Array.isArray(p) && p.length > 0 ? (p as string[]).map(nameOf).join('、') : '—',
        },
        {
          title: t('templates.requiredBefore'),
          key: 'requiredBefore',
          width: 160,
          render: (_: unknown, item) => {
            const target = (item as OrderedItem).requiredBefore;
            return target ? nameOf(target) : '—';
          },
        },
      ]}
    />
  );
}
