import { Card, Flex, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useCatalogChanges } from '../../api/hooks';
import type { CatalogChange } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { formatDate } from '../../lib/time';

const KIND_COLORS: Record<CatalogChange['kind'], string> = {
  merge: 'gold',
  cancel: 'red',
  create: 'green',
  amend: 'blue',
};

function ItemLink({ code }: { code: string }) {
  return (
    <Link to={`/catalog/${encodeURIComponent(code)}`}>
      <Typography.Text code>{code}</Typography.Text>
    </Link>
  );
}

export default function CatalogChangesPage() {
  const t = useT();
  const changes = useCatalogChanges();
  return (
    <Card>
      <PageHeader title={t('changes.title')} />
      {changes.isError ? (
        <ErrorAlert error={changes.error} onRetry={() => void changes.refetch()} />
      ) : (
        <Table<CatalogChange>
          rowKey={(c) => String(c.id)}
          loading={changes.isPending}
          dataSource={changes.data ?? []}
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
          data-testid="changes-table"
          columns={[
            {
              title: t('changes.kind'),
              dataIndex: 'kind',
              width: 110,
              filters: (['merge', 'cancel', 'create', 'amend'] as const).map((k) => ({
                text: t(`changeKind.${k}`),
                value: k,
              })),
              onFilter: (value, c) => c.kind === value,
              render: (kind: CatalogChange['kind']) => (
                <Tag color={KIND_COLORS[kind]}>{t(`changeKind.${kind}`)}</Tag>
              ),
            },
            {
              title: t('changes.items'),
              dataIndex: 'itemCodes',
              width: 200,
              render: (codes: string[]) => (
                <Flex vertical gap={2}>
                  {codes.map((c) => (
                    <ItemLink key={c} code={c} />
                  ))}
                </Flex>
              ),
            },
            {
              title: t('changes.result'),
              dataIndex: 'resultItemCode',
              width: 160,
              render: (code: string | null) => (code ? <ItemLink code={code} /> : '—'),
            },
            { title: t('changes.description'), dataIndex: 'description' },
            { title: t('changes.basis'), dataIndex: 'basis', width: 260 },
            {
              title: t('changes.effectiveDate'),
              dataIndex: 'effectiveDate',
              width: 120,
              render: (d: string) => formatDate(d),
              sorter: (a, b) => a.effectiveDate.localeCompare(b.effectiveDate),
            },
          ]}
        />
      )}
    </Card>
  );
}
