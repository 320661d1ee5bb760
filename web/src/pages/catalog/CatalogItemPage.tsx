import { CheckCircleOutlined, ExclamationCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Flex, Skeleton, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useCatalogItem, useDepartmentNames } from '../../api/hooks';
import type { CatalogItemDetail, ItemFormField, ItemMaterial } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { BasisTag, StageTag, StatusTag } from '../../components/tags';
import { useT } from '../../i18n';
import { formatDate } from '../../lib/time';

export default function CatalogItemPage() {
  const { code = '' } = useParams();
  const detail = useCatalogItem(code);

  if (detail.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (detail.isError) {
    return (
      <Card>
        <PageHeader title={code} back="/catalog" />
        <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
      </Card>
    );
  }
  return <ItemDetail detail={detail.data} />;
}

function ItemDetail({ detail }: { detail: CatalogItemDetail }) {
  const t = useT();
  const departmentName = useDepartmentNames();
  const { item, versions, issues } = detail;
  const { hasRole } = useAuth();

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          back="/catalog"
          title={<span data-testid="item-name">{item.name}</span>}
          subTitle={<Typography.Text code>{item.code}</Typography.Text>}
          extra={
            <Flex gap={6}>
              <StatusTag status={item.status} />
              {!item.timeLimitConfirmed && (
                <Tag color="warning" icon={<WarningOutlined />} data-testid="time-limit-unconfirmed">
                  {t('catalog.unconfirmed')}
                </Tag>
              )}
              {hasRole('admin') && item.status === 'active' && (
                <Link to={`/catalog/${encodeURIComponent(item.code)}/edit`}>
                  <Button type="primary" size="small" data-testid="item-edit">
                    {t('templates.edit')}
                  </Button>
                </Link>
              )}
            </Flex>
          }
        />
        {!item.timeLimitConfirmed && (
          <Alert
            type="warning"
            showIcon
            title={t('item.timeLimitUnconfirmed')}
            style={{ marginBottom: 16 }}
          />
        )}
        <Descriptions
          bordered
          size="middle"
          column={{ xs: 1, md: 2 }}
          title={t('item.basic')}
          items={[
            { key: 'stage', label: t('catalog.stage'), children: <StageTag stage={item.stage} /> },
            { key: 'dept', label: t('catalog.department'), children: departmentName(item.departmentCode) },
            {
              key: 'level',
              label: t('catalog.basisLevel'),
              children: <BasisTag level={item.legalBasisLevel} />,
            },
            {
              key: 'limits',
              label: t('item.timeLimits'),
              children: (
                <span data-testid="item-time-limits">
                  {t('item.legalVsPromised', {
                    legal: item.legalTimeLimitDays,
                    promised: item.promisedTimeLimitDays,
                  })}
                </span>
              ),
            },
            { key: 'basis', label: t('item.legalBasis'), span: 2, children: item.legalBasis },
            {
              key: 'commitment',
              label: t('catalog.commitment'),
              children: item.commitmentAllowed ? (
                <Tag color="green" icon={<CheckCircleOutlined />}>
                  {t('item.commitmentAllowed')}
                </Tag>
              ) : (
                <Tag>{t('item.commitmentNotAllowed')}</Tag>
              ),
            },
            { key: 'result', label: t('item.resultDocument'), children: item.resultDocumentType },
            {
              key: 'cert',
              label: t('item.certificateType'),
              children: item.certificateType ?? t('common.none'),
            },
            {
              key: 'regional',
              label: t('item.regionalAssessment'),
              children: item.regionalAssessment ?? t('common.none'),
            },
            { key: 'version', label: t('item.version'), children: `v${item.version}` },
            {
              key: 'effective',
              label: t('item.effective'),
              children: item.effectiveTo
                ? t('item.effectiveFromTo', {
                    from: formatDate(item.effectiveFrom),
                    to: formatDate(item.effectiveTo),
                  })
                : t('item.effectiveOpen', { from: formatDate(item.effectiveFrom) }),
            },
          ]}
        />
      </Card>

      <Card title={t('item.materials')}>
        <Table<ItemMaterial>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={item.materials}
          data-testid="materials-table"
          columns={[
            { title: '#', width: 50, render: (_v, _r, i) => i + 1 },
            { title: t('item.materialCode'), dataIndex: 'code', width: 160 },
            { title: t('item.materialName'), dataIndex: 'name' },
            {
              title: t('item.required'),
              dataIndex: 'required',
              width: 110,
              render: (v: boolean) =>
                v ? <Tag color="red">{t('item.requiredYes')}</Tag> : <Tag>{t('item.requiredNo')}</Tag>,
            },
            {
              title: t('item.deficiency'),
              dataIndex: 'deficiencyAllowed',
              width: 130,
              render: (v: boolean) => (v ? <Tag color="blue">{t('item.deficiencyAllowed')}</Tag> : '—'),
            },
          ]}
        />
      </Card>

      <Card title={t('item.issues')}>
        {issues.length === 0 ? (
          <Typography.Text type="success" data-testid="item-no-issues">
            <CheckCircleOutlined /> {t('item.noIssues')}
          </Typography.Text>
        ) : (
          <Flex vertical gap={8} data-testid="item-issues">
            {issues.map((issue, i) => (
              <Alert
                key={`${issue.code}-${i}`}
                type={issue.severity === 'error' ? 'error' : 'warning'}
                showIcon
                icon={<ExclamationCircleOutlined />}
                title={
                  <span>
                    <Typography.Text code>{issue.code}</Typography.Text> {issue.message}
                  </span>
                }
              />
            ))}
          </Flex>
        )}
      </Card>

      {item.formFields.length > 0 && (
        <Card title={t('item.formFields')}>
          <Table<ItemFormField>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={item.formFields}
            columns={[
              {
                title: 'key',
                dataIndex: 'key',
                width: 200,
                render: (k: string) => <Typography.Text code>{k}</Typography.Text>,
              },
              {
                title: t('item.fieldLabel'),
                dataIndex: 'label',
                render: (l: string, f) => (f.unit ? `${l}（${f.unit}）` : l),
              },
              { title: t('item.fieldType'), dataIndex: 'type', width: 120 },
              {
                title: t('item.required'),
                dataIndex: 'required',
                width: 100,
                render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
              },
            ]}
          />
        </Card>
      )}

      <Card title={t('item.versions')}>
        {versions.length === 0 ? (
          <Empty />
        ) : (
          <Table
            rowKey="version"
            size="small"
            pagination={false}
            dataSource={versions}
            columns={[
              { title: t('item.version'), dataIndex: 'version', width: 100, render: (v: number) => `v${v}` },
              {
                title: t('item.effective'),
                dataIndex: 'effectiveFrom',
                render: (v: string) => formatDate(v),
              },
              {
                title: '',
                dataIndex: 'effectiveTo',
                render: (v: string | null) => (v ? formatDate(v) : '—'),
              },
              {
                title: t('catalog.status'),
                dataIndex: 'status',
                width: 100,
                render: (s: CatalogItemDetail['item']['status']) => <StatusTag status={s} />,
              },
            ]}
          />
        )}
      </Card>
    </Flex>
  );
}
