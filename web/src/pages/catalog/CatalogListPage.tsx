import { ExclamationCircleOutlined } from '@ant-design/icons';
import { SearchOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableProps,
} from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useCatalogItems, useDepartmentNames, useDepartments, type CatalogFilters } from '../../api/hooks';
import type { CatalogItem } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { BasisTag, STAGES, StageTag, StatusTag, stageKey } from '../../components/tags';
import { useT } from '../../i18n';

const STATUSES = ['active', 'cancelled', 'merged', 'all'] as const;
type StatusFilter = (typeof STATUSES)[number];

/** Filters live in the URL (?q=&stage=&department=&status=) so a search can be linked and reloaded. */
function useFilters(): [
  CatalogFilters,
  (patch: Partial<Record<keyof CatalogFilters, string | undefined>>) => void,
] {
  const [params, setParams] = useSearchParams();
  const stage = Number(params.get('stage'));
  const status = params.get('status') as StatusFilter | null;
  const filters: CatalogFilters = {
    q: params.get('q') || undefined,
    stage: Number.isInteger(stage) && stage > 0 ? stage : undefined,
    department: params.get('department') || undefined,
    status: status && STATUSES.includes(status) ? status : undefined,
  };
  const update = (patch: Partial<Record<keyof CatalogFilters, string | undefined>>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };
  return [filters, update];
}

/** Search input (data-testid catalog-search) + button (catalog-search-button); Enter also searches. */
function SearchBox({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const t = useT();
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  return (
    <Space.Compact style={{ width: 380 }}>
      <Input
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          if (e.target.value === '' && initial !== '') onSearch('');
        }}
        onPressEnter={() => onSearch(value)}
        placeholder={t('catalog.searchPlaceholder')}
        allowClear
        prefix={<SearchOutlined />}
        data-testid="catalog-search"
      />
      <Button type="primary" onClick={() => onSearch(value)} data-testid="catalog-search-button">
        {t('common.search')}
      </Button>
    </Space.Compact>
  );
}

export default function CatalogListPage() {
  const t = useT();
  const navigate = useNavigate();
  const [filters, update] = useFilters();
  const items = useCatalogItems(filters);
  const departments = useDepartments();
  const departmentName = useDepartmentNames();

  const columns: TableProps<CatalogItem>['columns'] = [
    {
      title: t('catalog.code'),
      dataIndex: 'code',
      width: 150,
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    {
      title: t('catalog.name'),
      dataIndex: 'name',
      minWidth: 220,
      render: (name: string, item) => (
        <Flex gap={6} align="center" wrap>
          <Typography.Link>{name}</Typography.Link>
          {!item.timeLimitConfirmed && (
            <Tooltip title={t('item.timeLimitUnconfirmed')}>
              <Tag color="warning" icon={<ExclamationCircleOutlined />}>
                {t('catalog.unconfirmed')}
              </Tag>
            </Tooltip>
          )}
        </Flex>
      ),
    },
    {
      title: t('catalog.stage'),
      dataIndex: 'stage',
      width: 150,
      render: (stage: number) => <StageTag stage={stage} />,
    },
    {
      title: t('catalog.department'),
      dataIndex: 'departmentCode',
      width: 170,
      render: (code: string) => departmentName(code),
    },
    {
      title: t('catalog.basisLevel'),
      dataIndex: 'legalBasisLevel',
      width: 120,
      render: (level: CatalogItem['legalBasisLevel']) => <BasisTag level={level} />,
    },
    {
      title: t('catalog.legalLimit'),
      dataIndex: 'legalTimeLimitDays',
      width: 90,
      align: 'right',
      sorter: (a, b) => a.legalTimeLimitDays - b.legalTimeLimitDays,
    },
    {
      title: t('catalog.promisedLimit'),
      dataIndex: 'promisedTimeLimitDays',
      width: 90,
      align: 'right',
      sorter: (a, b) => a.promisedTimeLimitDays - b.promisedTimeLimitDays,
    },
    {
      title: t('catalog.commitment'),
      dataIndex: 'commitmentAllowed',
      width: 90,
      align: 'center',
      render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
    },
    {
      title: t('catalog.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: CatalogItem['status']) => <StatusTag status={s} />,
    },
  ];

  return (
    <Card>
      <PageHeader title={t('catalog.title')} />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <SearchBox initial={filters.q ?? ''} onSearch={(q) => update({ q: q.trim() || undefined })} />
        <Select
          allowClear
          placeholder={t('catalog.stage')}
          value={filters.stage}
          onChange={(v?: number) => update({ stage: v === undefined ? undefined : String(v) })}
          options={STAGES.map((s) => ({ value: s, label: `${s} ${t(stageKey(s)!)}` }))}
          style={{ width: 200 }}
          data-testid="catalog-stage-filter"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('catalog.department')}
          value={filters.department}
          onChange={(v?: string) => update({ department: v })}
          options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
          loading={departments.isPending}
          style={{ width: 240 }}
          data-testid="catalog-department-filter"
        />
        <Select
          placeholder={t('catalog.status')}
          value={filters.status ?? 'active'}
          onChange={(v: StatusFilter) => update({ status: v === 'active' ? undefined : v })}
          options={STATUSES.map((s) => ({
            value: s,
            label: s === 'all' ? t('common.all') : t(`itemStatus.${s}`),
          }))}
          style={{ width: 140 }}
          data-testid="catalog-status-filter"
        />
      </Flex>
      {items.isError ? (
        <ErrorAlert error={items.error} onRetry={() => void items.refetch()} />
      ) : (
        <Table<CatalogItem>
          rowKey="code"
          size="middle"
          loading={items.isFetching}
          dataSource={items.data ?? []}
          columns={columns}
          pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (n) => t('common.total', { n }) }}
          onRow={(item) =>
            ({
              onClick: () => navigate(`/catalog/${encodeURIComponent(item.code)}`),
              className: 'zz-clickable-row',
              'data-testid': `catalog-row-${item.code}`,
            }) as HTMLAttributes<HTMLElement>
          }
          scroll={{ x: 1100 }}
          data-testid="catalog-table"
        />
      )}
    </Card>
  );
}
