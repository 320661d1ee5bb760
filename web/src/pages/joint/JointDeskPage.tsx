/**
 * Joint desks (issue 11): the drawing-review organisation decides its sections (with the count of
 * mandatory-clause violations), the planning department and the departments it asks work the 方案联审,
 * the assessment departments the 多评合一, the six departments sign off on a joint acceptance from the
 * shared reports, and each utility follows its projects from notification to connection (with its times).
 */
import { Button, Card, Descriptions, Input, InputNumber, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/time';
import { useTx } from '../projects/strings';
import {
  jointKeys,
  jointMoreKeys,
  type DrawingReview,
  type JointAcceptance,
  type UtilityCase,
  type UtilityStat,
} from './api';
import { MergedAssessmentDesk } from './MergedAssessmentDesk';
import { SchemeReviewDesk } from './SchemeReviewDesk';
import { DeskFrame, reviewStatus, useJointAction, utilityStatus } from './shared';

function SectionForm({ review, section }: { review: DrawingReview; section: string }) {
  const tx = useTx();
  const [violations, setViolations] = useState(0);
  const [opinion, setOpinion] = useState('');
  const run = useJointAction(jointKeys.reviews);
  const decide = (outcome: 'pass' | 'fail') =>
    run(
      () =>
        api.post(`/api/joint/drawing-reviews/${review.id}/sections`, {
          section,
          outcome,
          violations: outcome === 'pass' ? 0 : violations,
          opinion: opinion || (outcome === 'pass' ? '符合强制性条文和审查要点' : '违反强制性条文'),
        }),
      tx('已提交专业审查结论', 'Section decided'),
    );
  return (
    <Space wrap data-testid={`section-form-${section}`}>
      <InputNumber
        min={0}
        value={violations}
        onChange={(v) => setViolations(v ?? 0)}
        addonBefore={tx('违反强条', 'Violations')}
        data-testid={`violations-${section}`}
      />
      <Input
        style={{ width: 260 }}
        placeholder={tx('审查意见', 'Opinion')}
        value={opinion}
        onChange={(e) => setOpinion(e.target.value)}
      />
      <Button type="primary" onClick={() => void decide('pass')} data-testid={`pass-${section}`}>
        {tx('合格', 'Pass')}
      </Button>
      <Button danger onClick={() => void decide('fail')} data-testid={`fail-${section}`}>
        {tx('不合格', 'Fail')}
      </Button>
    </Space>
  );
}

function DrawingReviewDesk() {
  const tx = useTx();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointKeys.reviews,
    queryFn: ({ signal }) =>
      api.get<{ reviews: DrawingReview[] }>('/api/joint/drawing-reviews', undefined, signal),
    select: (d) => d.reviews,
  });
  return (
    <DeskFrame
      intro={tx(
        '施工图联合审查（任务28–31）：建筑、结构、给排水、电气、暖通及消防、人防、技防各专业由具备资格的审查人员分别审查，统计违反强制性条文数，全部合格后出具一份施工图审查合格书，消防、人防设计审查不再重复审查。',
        'Joint drawing review (tasks 28–31): each section is decided by a qualified reviewer; violations are counted; one certificate follows.',
      )}
      error={error}
      retry={() => void refetch()}
      pending={isPending}
      empty={tx('暂无联合审图', 'No drawing reviews')}
      count={data?.length}
    >
      {(data ?? []).map((r) => (
        <Card
          key={r.id}
          data-testid={`review-${r.projectCode}`}
          title={`${r.projectCode} ${r.projectName}`}
          extra={
            <Tag color={reviewStatus[r.status][2]} data-testid="review-status" data-status={r.status}>
              {tx(reviewStatus[r.status][0], reviewStatus[r.status][1])}
            </Tag>
          }
        >
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={tx('图审机构', 'Organisation')}>
              {r.organisation.name}
              {r.organisation.purchasedService ? tx('（政府购买服务）', ' (purchased service)') : ''}
            </Descriptions.Item>
            <Descriptions.Item label={tx('审查轮次', 'Round')}>{r.round}</Descriptions.Item>
            <Descriptions.Item label={tx('违反强条总数', 'Violations in total')}>
              <span data-testid="violation-total">{r.violationTotal}</span>
            </Descriptions.Item>
            <Descriptions.Item label={tx('与消防联合审查', 'Fire merged')}>
              {r.fireJoint ? tx('是', 'Yes') : tx('否', 'No')}
            </Descriptions.Item>
            <Descriptions.Item label={tx('与人防联合审查', 'Civil air defence merged')}>
              {r.civilAirDefenceJoint ? tx('是', 'Yes') : tx('否', 'No')}
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="section"
            pagination={false}
            dataSource={r.sections}
            columns={[
              { title: tx('专业', 'Section'), dataIndex: 'name' },
              {
                title: tx('结论', 'Result'),
                render: (_: unknown, s) => {
                  const d = [...r.decisions].reverse().find((x) => x.section === s.section);
                  if (!d) return tx('待审查', 'Pending');
                  return `${d.outcome === 'pass' ? tx('合格', 'Pass') : tx('不合格', 'Fail')}（${tx('第', 'round ')}${d.round}${tx('轮', '')}，${tx('违反强条', 'violations')} ${d.violations}，${d.reviewerName}，${formatDateTime(d.decidedAt)}）${d.opinion}`;
                },
              },
              {
                title: tx('审查', 'Decide'),
                render: (_: unknown, s) =>
                  r.status === 'in_review' &&
                  r.pendingSections.includes(s.section) &&
                  r.mySections.includes(s.section) ? (
                    <SectionForm review={r} section={s.section} />
                  ) : null,
              },
            ]}
          />
        </Card>
      ))}
    </DeskFrame>
  );
}

function AcceptanceDesk() {
  const tx = useTx();
  const { user } = useAuth();
  const run = useJointAction(jointKeys.acceptances);
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointKeys.acceptances,
    queryFn: ({ signal }) =>
      api.get<{ acceptances: JointAcceptance[] }>('/api/joint/acceptances', undefined, signal),
    select: (d) => d.acceptances,
  });
  return (
    <DeskFrame
      intro={tx(
        '竣工联合验收（任务36）：规划、质量、土地、消防、人防、档案依据联合测绘成果和检测报告在同一申请上并联签署意见，不再分别现场踏勘；全部通过后出具联合验收意见书和竣工验收备案证明。',
        'Joint acceptance (task 36): six departments sign off on one application from the shared reports, without site visits.',
      )}
      error={error}
      retry={() => void refetch()}
      pending={isPending}
      empty={tx('暂无联合验收', 'No joint acceptances')}
      count={data?.length}
    >
      {(data ?? []).map((a) => (
        <Card
          key={a.id}
          data-testid={`acceptance-${a.projectCode}`}
          title={`${a.projectCode} ${a.projectName}`}
          extra={
            <Tag data-testid="acceptance-status" data-status={a.status}>
              {a.status === 'passed'
                ? tx('验收通过', 'Passed')
                : a.status === 'failed'
                  ? tx('验收不通过', 'Failed')
                  : tx('签署中', 'Signing')}
            </Tag>
          }
        >
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={tx('联合测绘机构', 'Survey')}>
              {a.surveyOrganisation.name}
            </Descriptions.Item>
            <Descriptions.Item label={tx('测绘成果报告', 'Survey report')}>
              {a.surveyReportNumber}
            </Descriptions.Item>
            <Descriptions.Item label={tx('联合验收意见书', 'Opinion')}>
              {a.opinionNumber ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="area"
            pagination={false}
            dataSource={a.signoffs}
            columns={[
              { title: tx('签署方', 'Area'), dataIndex: 'name' },
              {
                title: tx('意见', 'Opinion'),
                render: (_: unknown, s) =>
                  s.outcome
                    ? `${s.outcome === 'pass' ? tx('同意', 'Pass') : tx('不同意', 'Fail')}：${s.opinion}（${s.signerName}）`
                    : tx('待签署', 'Pending'),
              },
              {
                title: tx('签署', 'Sign'),
                render: (_: unknown, s) =>
                  a.status === 'in_review' && !s.outcome && user?.departmentCode === s.departmentCode ? (
                    <Button
                      size="small"
                      type="primary"
                      data-testid={`signoff-${s.area}`}
                      onClick={() =>
                        void run(
                          () =>
                            api.post(`/api/joint/acceptances/${a.id}/signoffs`, {
                              area: s.area,
                              outcome: 'pass',
                              opinion: '依据联合测绘和检测报告，符合要求',
                            }),
                          tx('已签署', 'Signed'),
                        )
                      }
                    >
                      {tx('签署同意', 'Sign off')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Card>
      ))}
    </DeskFrame>
  );
}

function UtilityDesk() {
  const tx = useTx();
  const run = useJointAction(jointKeys.utilities);
  const [note, setNote] = useState('');
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointKeys.utilities,
    queryFn: ({ signal }) => api.get<{ cases: UtilityCase[] }>('/api/joint/utilities', undefined, signal),
    select: (d) => d.cases,
  });
  return (
    <>
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Typography.Paragraph type="secondary">
        {tx(
          '市政公用服务（任务22、57）：工程建设许可办结时自动告知项目信息；施工许可前受理报装；施工阶段跟踪配套工程；竣工验收后接入。',
          'Utilities (tasks 22, 57): told at the construction-permit stage, applied for before the works, connected after acceptance.',
        )}
      </Typography.Paragraph>
      <UtilityStats />
      <Input
        style={{ maxWidth: 360, marginBottom: 12 }}
        placeholder={tx('进展或接入说明', 'Progress or connection note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        data-testid="utility-note"
      />
      <Table<UtilityCase>
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data ?? []}
        data-testid="utility-table"
        onRow={(r) =>
          ({
            'data-testid': `utility-row-${r.projectCode}-${r.utility}`,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: tx('项目', 'Project'), render: (_: unknown, r) => `${r.projectCode} ${r.projectName}` },
          { title: tx('公用服务', 'Utility'), dataIndex: 'utilityName' },
          {
            title: tx('状态', 'Status'),
            render: (_: unknown, r) => (
              <span data-testid="utility-status" data-status={r.status}>
                {tx(utilityStatus[r.status][0], utilityStatus[r.status][1])}
              </span>
            ),
          },
          { title: tx('告知时间', 'Told'), render: (_: unknown, r) => formatDateTime(r.notifiedAt) },
          { title: tx('报装时间', 'Applied'), render: (_: unknown, r) => formatDateTime(r.appliedAt) },
          { title: tx('竣工验收', 'Accepted'), render: (_: unknown, r) => r.acceptedOn ?? '—' },
          {
            title: tx('操作', 'Actions'),
            render: (_: unknown, r) => (
              <Space>
                {(r.status === 'applied' || r.status === 'works') && (
                  <Button
                    size="small"
                    onClick={() =>
                      void run(
                        () =>
                          api.post(`/api/joint/utilities/${r.id}/works`, { note: note || '配套工程施工中' }),
                        tx('已记录', 'Recorded'),
                      )
                    }
                  >
                    {tx('记录进展', 'Record works')}
                  </Button>
                )}
                {(r.status === 'applied' || r.status === 'works') && (
                  <Button
                    size="small"
                    type="primary"
                    data-testid="utility-connect"
                    onClick={() =>
                      void run(
                        () => api.post(`/api/joint/utilities/${r.id}/connect`, { note: note || '已接入' }),
                        tx('已接入', 'Connected'),
                      )
                    }
                  >
                    {tx('接入', 'Connect')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

/** Each utility's times in working days: told → 报装, 报装 → 接入. */
export function UtilityStats() {
  const tx = useTx();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointMoreKeys.utilityStats,
    queryFn: ({ signal }) =>
      api.get<{ utilities: UtilityStat[] }>('/api/joint/utilities/stats', undefined, signal),
    select: (d) => d.utilities,
  });
  const days = (v: number | null) => (v === null ? '—' : `${v} ${tx('个工作日', 'working days')}`);
  return (
    <Card size="small" title={tx('各公用单位办理时间', 'Times per utility')} style={{ marginBottom: 16 }}>
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Table<UtilityStat>
        size="small"
        rowKey="utility"
        pagination={false}
        loading={isPending}
        dataSource={data ?? []}
        data-testid="utility-stats"
        onRow={(r) => ({ 'data-testid': `utility-stat-${r.utility}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: tx('公用服务', 'Utility'), dataIndex: 'name' },
          {
            title: tx('已告知', 'Told'),
            render: (_: unknown, r) => <span data-testid="stat-notified">{r.notified}</span>,
          },
          { title: tx('已报装', 'Applied'), dataIndex: 'applied' },
          { title: tx('已接入', 'Connected'), dataIndex: 'connected' },
          {
            title: tx('告知到报装（平均）', 'Told → applied (avg)'),
            render: (_: unknown, r) => days(r.avgDaysToApply),
          },
          {
            title: tx('报装到接入（平均）', 'Applied → connected (avg)'),
            render: (_: unknown, r) => days(r.avgDaysToConnect),
          },
        ]}
      />
    </Card>
  );
}

export default function JointDeskPage() {
  const tx = useTx();
  const { user } = useAuth();
  const utility = ['water', 'power', 'gas', 'heat', 'drainage', 'telecom'].includes(
    user?.departmentCode ?? '',
  );
  const drawing = user?.departmentCode === 'stsc';
  const items = [
    { key: 'drawing', label: tx('图审机构工作台', 'Drawing review'), children: <DrawingReviewDesk /> },
    { key: 'scheme', label: tx('方案联审', 'Scheme review'), children: <SchemeReviewDesk /> },
    { key: 'assessment', label: tx('多评合一', 'Merged assessments'), children: <MergedAssessmentDesk /> },
    { key: 'acceptance', label: tx('联合验收工作台', 'Joint acceptance'), children: <AcceptanceDesk /> },
    { key: 'utilities', label: tx('市政公用工作台', 'Utilities'), children: <UtilityDesk /> },
  ];
  const visible = utility
    ? items.filter((i) => i.key === 'utilities')
    : drawing
      ? items.filter((i) => i.key === 'drawing')
      : items;
  return (
    <>
      <PageHeader title={tx('联合办理', 'Joint procedures')} />
      <Tabs items={visible} data-testid="joint-tabs" destroyOnHidden />
    </>
  );
}
