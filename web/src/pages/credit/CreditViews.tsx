/** Pieces shared by the credit desk and the enterprise's page: grade with reasons, records, listings. */
import { Card, Descriptions, List, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTx } from '../projects/strings';
import { listingStatusText, recordKindText, severityText, type Listing, type SubjectDetail } from './api';

const gradeColor: Record<string, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };

export function GradeCard({ detail }: { detail: SubjectDetail }) {
  const tx = useTx();
  return (
    <Card
      title={
        <span>
          {detail.subject.name}{' '}
          <Tag color={gradeColor[detail.grade.grade]} data-testid="credit-grade">
            {tx('信用等级', 'Grade')} {detail.grade.grade}
          </Tag>
        </span>
      }
    >
      <Descriptions column={2} size="small">
        <Descriptions.Item label={tx('统一社会信用代码', 'Credit code')}>
          {detail.subject.creditCode ?? '—'}
        </Descriptions.Item>
        {detail.subject.certificateNo && (
          <Descriptions.Item label={tx('执业证书编号', 'Certificate')}>
            {detail.subject.certificateNo}
          </Descriptions.Item>
        )}
        {detail.subject.personalIdMasked && (
          <Descriptions.Item label={tx('身份证号', 'ID number')}>
            {detail.subject.personalIdMasked}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
        {tx('评级理由', 'Reasons')}
      </Typography.Paragraph>
      <List size="small" dataSource={detail.grade.reasons} renderItem={(r) => <List.Item>{r}</List.Item>} />
      {(detail.denyCommitment || detail.denyDeficiency) && (
        <Typography.Paragraph type="danger" data-testid="credit-restriction" style={{ marginTop: 8 }}>
          {detail.denyCommitment ?? detail.denyDeficiency}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

export function RecordsTable({ detail }: { detail: SubjectDetail }) {
  const tx = useTx();
  return (
    <Table
      rowKey="id"
      size="small"
      data-testid="credit-records"
      dataSource={detail.records}
      pagination={{ pageSize: 10 }}
      columns={[
        { title: tx('认定日期', 'Date'), dataIndex: 'validFrom' },
        {
          title: tx('类别', 'Kind'),
          render: (_: unknown, r: SubjectDetail['records'][number]) => {
            const k = recordKindText[r.kind];
            return k ? tx(k[0], k[1]) : r.kind;
          },
        },
        {
          title: tx('程度', 'Severity'),
          render: (_: unknown, r: SubjectDetail['records'][number]) => {
            const s = severityText[r.severity]!;
            return (
              <Tag color={r.severity === 'good' ? 'green' : r.severity === 'serious' ? 'red' : 'orange'}>
                {tx(s[0], s[1])}
              </Tag>
            );
          },
        },
        { title: tx('事由', 'Reason'), dataIndex: 'reason' },
        { title: tx('依据', 'Basis'), dataIndex: 'basis' },
        { title: tx('有效期至', 'Until'), dataIndex: 'expiresOn' },
        {
          title: tx('修复/撤回', 'Repaired / withdrawn'),
          render: (_: unknown, r: SubjectDetail['records'][number]) =>
            r.withdrawnOn ? (
              <span data-testid="credit-record-withdrawn">
                <Tag>{tx('已撤回', 'Withdrawn')}</Tag>
                {r.withdrawnOn} {r.withdrawnReason}
              </span>
            ) : (
              (r.repairedOn ?? '')
            ),
        },
      ]}
    />
  );
}

export function ListingCard({ listing, actions }: { listing: Listing; actions?: ReactNode }) {
  const tx = useTx();
  const s = listingStatusText[listing.status]!;
  return (
    <Card
      size="small"
      data-testid={`listing-${listing.status}`}
      title={
        <span>
          {listing.list === 'black' ? tx('失信黑名单', 'Black list') : tx('守信红名单', 'Red list')}{' '}
          <Tag color={listing.status === 'listed' ? 'red' : 'default'}>{tx(s[0], s[1])}</Tag>
          {listing.subjectName ?? ''}
        </span>
      }
      extra={actions}
    >
      <Descriptions column={2} size="small">
        <Descriptions.Item label={tx('事由', 'Reason')} span={2}>
          {listing.reason}
        </Descriptions.Item>
        <Descriptions.Item label={tx('依据', 'Basis')} span={2}>
          {listing.basis}
        </Descriptions.Item>
        <Descriptions.Item label={tx('告知日期', 'Noticed')}>{listing.noticedOn}</Descriptions.Item>
        <Descriptions.Item label={tx('异议期至', 'Objections until')}>
          {listing.objectionUntil}
        </Descriptions.Item>
        {listing.listedOn && (
          <Descriptions.Item label={tx('列入日期', 'Listed on')}>{listing.listedOn}</Descriptions.Item>
        )}
        {listing.expiresOn && (
          <Descriptions.Item label={tx('有效期至', 'Until')}>{listing.expiresOn}</Descriptions.Item>
        )}
        {listing.endedOn && (
          <Descriptions.Item label={tx('结束', 'Ended')} span={2}>
            {listing.endedOn} {listing.endReason}
          </Descriptions.Item>
        )}
      </Descriptions>
      {[
        ...(listing.objections ?? []).map((o) => ({ ...o, what: tx('异议', 'Objection') })),
        ...(listing.repairs ?? []).map((o) => ({ ...o, what: tx('信用修复', 'Repair') })),
      ].map((r) => (
        <Typography.Paragraph key={r.id} type="secondary" style={{ margin: 0 }}>
          {r.what}（{r.status}）：{r.text}
          {r.decision ? ` → ${r.decision}` : ''}
        </Typography.Paragraph>
      ))}
    </Card>
  );
}
