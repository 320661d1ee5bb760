/** 办理文书: the documents the window and the departments issued on a project, each printable as PDF. */
import { Card, Table, Tag } from 'antd';
import { formatDateTime } from '../../lib/time';
import { useDocuments, type IssuedDocument } from './api';
import { useTx } from './strings';

const documentKindColor: Record<IssuedDocument['kind'], string> = {
  acceptance: 'blue',
  correction: 'orange',
  refusal: 'red',
  denial: 'red',
  extension: 'gold',
  completion: 'green',
  receipt: 'cyan',
};

/** 行政文书: what the window and the departments issued on this project, oldest first, each printable. */
export function Documents({ projectId }: { projectId: string }) {
  const tx = useTx();
  const { data, isPending } = useDocuments(projectId);
  return (
    <Card title={tx('办理文书', 'Documents')} style={{ marginTop: 16 }}>
      <Table<IssuedDocument>
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data ?? []}
        pagination={false}
        data-testid="documents-table"
        columns={[
          {
            title: tx('文书', 'Document'),
            dataIndex: 'title',
            render: (title: string, d) => <Tag color={documentKindColor[d.kind]}>{title}</Tag>,
          },
          { title: tx('文号', 'Number'), dataIndex: 'number' },
          { title: tx('出具机关', 'Issued by'), dataIndex: 'issuerName' },
          { title: tx('出具时间', 'Issued'), dataIndex: 'issuedAt', render: formatDateTime },
          {
            title: tx('操作', 'Actions'),
            render: (_: unknown, d) => (
              <a
                href={`/api/documents/${d.id}/pdf`}
                target="_blank"
                rel="noreferrer"
                data-testid={`document-pdf-${d.kind}`}
              >
                {tx('查看/打印', 'View / print')}
              </a>
            ),
          },
        ]}
      />
    </Card>
  );
}
