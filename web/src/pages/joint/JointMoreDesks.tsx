/**
 * The rest of the joint desks (issue 11): 方案联审 (the departments asked answer, the planning department
 * gives the one conclusion), 多评合一 (the concentrated review meeting and each department's conclusion),
 * and each utility's times.
 */
import {
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, todayInBeijing } from '../../lib/time';
import { useTx } from '../projects/strings';
import { jointMoreKeys, type MergedAssessment, type SchemeReview, type UtilityStat } from './api';

const schemeStatus: Record<SchemeReview['status'], [string, string, string]> = {
  consulting: ['征求意见中', 'Asking opinions', 'processing'],
  returned: ['退回修改', 'Returned for revision', 'warning'],
  passed: ['方案联审通过', 'Passed', 'success'],
  withdrawn: ['已撤回', 'Withdrawn', 'default'],
};
const opinionState: Record<SchemeReview['opinions'][number]['state'], [string, string]> = {
  answered: ['已反馈', 'Answered'],
  awaited: ['待反馈', 'Awaited'],
  overdue: ['逾期未反馈（视为无意见）', 'Overdue (no objection)'],
};
const assessmentStatus: Record<MergedAssessment['status'], [string, string, string]> = {
  preparing: ['报告编制中', 'Report in preparation', 'default'],
  in_review: ['集中评审中', 'Under review', 'processing'],
  failed: ['评审不通过，待修改报告', 'Failed, revised report awaited', 'error'],
  passed: ['评审通过', 'Passed', 'success'],
  withdrawn: ['已撤回', 'Withdrawn', 'default'],
};

function useRunner(key: readonly unknown[]) {
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  return async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      void message.success(done);
      await qc.invalidateQueries({ queryKey: key });
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
}

const staffRoles = ['reviewer', 'senior', 'head'];

function SchemeCard({ r }: { r: SchemeReview }) {
  const tx = useTx();
  const { user } = useAuth();
  const run = useRunner(jointMoreKeys.schemes);
  const [text, setText] = useState('');
  const mine = r.opinions.find(
    (o) => o.round === r.round && o.departmentCode === user?.departmentCode && !o.answer,
  );
  const planning = user?.departmentCode === r.planningDepartmentCode;
  const canConclude = planning && (user?.role === 'senior' || user?.role === 'head');
  const answer = (value: 'agree' | 'agree_with_conditions' | 'disagree') =>
    run(
      () =>
        api.post(`/api/joint/scheme-reviews/${r.id}/opinions`, {
          answer: value,
          ...(text.trim() ? { opinion: text.trim() } : {}),
        }),
      tx('意见已反馈', 'Opinion sent'),
    );
  const conclude = (outcome: 'pass' | 'return') =>
    run(
      () =>
        api.post(`/api/joint/scheme-reviews/${r.id}/conclusion`, {
          outcome,
          conclusion:
            text.trim() || (outcome === 'pass' ? '设计方案符合规划条件，同意' : '请按征求意见修改设计方案'),
        }),
      tx('结论已作出', 'Concluded'),
    );
  return (
    <Card
      data-testid={`scheme-${r.projectCode}`}
      title={`${r.projectCode} ${r.projectName}`}
      extra={
        <Tag color={schemeStatus[r.status][2]} data-testid="scheme-status" data-status={r.status}>
          {tx(schemeStatus[r.status][0], schemeStatus[r.status][1])}
        </Tag>
      }
    >
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={tx('征求意见轮次', 'Round')}>{r.round}</Descriptions.Item>
        <Descriptions.Item label={tx('方案联审结论', 'Conclusion')}>{r.conclusion ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey={(o) => `${o.round}-${o.departmentCode}`}
        pagination={false}
        dataSource={[...r.opinions].sort((a, b) => b.round - a.round)}
        columns={[
          { title: tx('轮次', 'Round'), dataIndex: 'round', width: 60 },
          { title: tx('部门', 'Department'), dataIndex: 'departmentName' },
          {
            title: tx('反馈期限', 'Due'),
            render: (_: unknown, o) => `${o.dueDate}（${o.limitDays}${tx('个工作日', ' working days')}）`,
          },
          {
            title: tx('状态', 'State'),
            render: (_: unknown, o) => (
              <span data-testid={`opinion-${o.departmentCode}-${o.round}`} data-state={o.state}>
                {o.answerName ?? tx(opinionState[o.state][0], opinionState[o.state][1])}
              </span>
            ),
          },
          {
            title: tx('意见', 'Opinion'),
            render: (_: unknown, o) =>
              o.opinion ? `${o.opinion}（${o.answeredByName ?? ''} ${formatDateTime(o.answeredAt)}）` : '—',
          },
        ]}
      />
      {(mine || (canConclude && r.status === 'consulting') || (planning && r.status === 'returned')) && (
        <Space wrap style={{ marginTop: 12 }}>
          <Input
            style={{ width: 320 }}
            placeholder={
              mine ? tx('条件或不同意的理由', 'Conditions or reasons') : tx('结论意见', 'Conclusion')
            }
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="scheme-text"
          />
          {mine && r.status === 'consulting' && (
            <>
              <Button type="primary" onClick={() => void answer('agree')} data-testid="scheme-agree">
                {tx('同意', 'Agree')}
              </Button>
              <Button onClick={() => void answer('agree_with_conditions')} data-testid="scheme-conditions">
                {tx('有条件同意', 'Agree with conditions')}
              </Button>
              <Button danger onClick={() => void answer('disagree')} data-testid="scheme-disagree">
                {tx('不同意', 'Disagree')}
              </Button>
            </>
          )}
          {canConclude && r.status === 'consulting' && (
            <>
              <Tooltip title={r.passRefusal ?? undefined}>
                <Button
                  type="primary"
                  disabled={!r.canPass}
                  onClick={() => void conclude('pass')}
                  data-testid="scheme-pass"
                >
                  {tx('方案联审通过', 'Pass')}
                </Button>
              </Tooltip>
              <Button onClick={() => void conclude('return')} data-testid="scheme-return">
                {tx('退回修改', 'Return for revision')}
              </Button>
            </>
          )}
          {planning && r.status === 'returned' && (
            <Button
              onClick={() =>
                void run(
                  () => api.post(`/api/joint/scheme-reviews/${r.id}/next-round`, {}),
                  tx('已重新征求意见', 'Asked again'),
                )
              }
              data-testid="scheme-next-round"
            >
              {tx('修改后重新征求意见', 'Ask again')}
            </Button>
          )}
        </Space>
      )}
      {canConclude && r.status === 'consulting' && r.passRefusal && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {r.passRefusal.replace(/\s*\([^)]*\)$/, '')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

export function SchemeReviewDesk() {
  const tx = useTx();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointMoreKeys.schemes,
    queryFn: ({ signal }) =>
      api.get<{ reviews: SchemeReview[] }>('/api/joint/scheme-reviews', undefined, signal),
    select: (d) => d.reviews,
  });
  return (
    <>
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Typography.Paragraph type="secondary">
        {tx(
          '方案联审（任务17）：设计方案审查转为审批部门内部事项，由审批部门在系统内征求相关部门意见（各部门在规定工作日内反馈同意、有条件同意或不同意及理由），作出一个结论；其他部门不再单独审查设计方案。',
          'Scheme joint review (task 17): the planning department asks the departments concerned and gives one conclusion.',
        )}
      </Typography.Paragraph>
      <Flex vertical gap={16}>
        {isPending && <Card loading />}
        {(data ?? []).map((r) => (
          <SchemeCard key={r.id} r={r} />
        ))}
        {data && data.length === 0 && (
          <Typography.Text type="secondary">{tx('暂无方案联审', 'No scheme reviews')}</Typography.Text>
        )}
      </Flex>
    </>
  );
}

/** Experts one per line: 姓名，专业，职称. */
function parseExperts(text: string) {
  return text
    .split('\n')
    .map((l) => l.split(/[，,、\s]+/).filter(Boolean))
    .filter((p) => p.length > 0)
    .map(([name, specialty, title]) => ({ name: name!, specialty: specialty ?? '—', title: title ?? '—' }));
}

function AssessmentCard({ a }: { a: MergedAssessment }) {
  const tx = useTx();
  const { user } = useAuth();
  const run = useRunner(jointMoreKeys.assessments);
  const [place, setPlace] = useState('');
  const [experts, setExperts] = useState('');
  const [opinion, setOpinion] = useState('');
  const staff = staffRoles.includes(user?.role ?? '');
  const organiser =
    staff &&
    (user?.departmentCode === 'fgw' || a.items.some((i) => i.departmentCode === user?.departmentCode));
  const meetingHeld = a.meetings.some((m) => m.round === a.round);
  const decide = (itemCode: string, outcome: 'pass' | 'fail') =>
    run(
      () =>
        api.post(`/api/joint/merged-assessments/${a.id}/conclusions`, {
          itemCode,
          outcome,
          opinion:
            opinion.trim() ||
            (outcome === 'pass' ? '经集中评审，评估结论可信，同意' : '评估深度不足，请修改'),
        }),
      tx('结论已出具', 'Concluded'),
    );
  return (
    <Card
      data-testid={`assessment-${a.projectCode}`}
      title={`${a.projectCode} ${a.projectName}`}
      extra={
        <Tag color={assessmentStatus[a.status][2]} data-testid="assessment-status" data-status={a.status}>
          {tx(assessmentStatus[a.status][0], assessmentStatus[a.status][1])}
        </Tag>
      }
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={tx('评估机构', 'Organisation')}>{a.organisation.name}</Descriptions.Item>
        <Descriptions.Item label={tx('评估报告', 'Report')}>{a.reportNumber ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={tx('评审意见编号', 'Opinion no.')}>
          {a.opinionNumber ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="itemCode"
        pagination={false}
        dataSource={a.items}
        columns={[
          { title: tx('评估事项', 'Assessment'), dataIndex: 'itemName' },
          {
            title: tx('一次告知内容', 'Notice'),
            render: (_: unknown, i) =>
              a.notice.find((n) => n.itemCode === i.itemCode)?.materials.join('、') ?? '—',
          },
          {
            title: tx('评审结论', 'Conclusion'),
            render: (_: unknown, i) => {
              const c = [...a.conclusions].reverse().find((x) => x.itemCode === i.itemCode);
              if (!c) return tx('待评审', 'Pending');
              return `${c.outcome === 'pass' ? tx('通过', 'Pass') : tx('不通过', 'Fail')}（${tx('第', 'round ')}${c.round}${tx('轮', '')}，${c.decidedByName}）${c.opinion}`;
            },
          },
          {
            title: tx('操作', 'Actions'),
            render: (_: unknown, i) =>
              a.status === 'in_review' &&
              meetingHeld &&
              a.pendingItems.includes(i.itemCode) &&
              staff &&
              user?.departmentCode === i.departmentCode ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    data-testid={`assessment-pass-${i.itemCode}`}
                    onClick={() => void decide(i.itemCode, 'pass')}
                  >
                    {tx('通过', 'Pass')}
                  </Button>
                  <Button size="small" danger onClick={() => void decide(i.itemCode, 'fail')}>
                    {tx('不通过', 'Fail')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {a.meetings.map((m) => (
        <Typography.Paragraph key={m.round} style={{ marginTop: 8 }} data-testid={`meeting-${m.round}`}>
          {tx('集中评审', 'Review meeting')}（{tx('第', 'round ')}
          {m.round}
          {tx('轮', '')}）：{m.heldOn}，{m.place}；{tx('专家', 'experts')}：
          {m.experts.map((e) => `${e.name}（${e.specialty}，${e.title}）`).join('、')}
        </Typography.Paragraph>
      ))}
      {a.status === 'in_review' && !meetingHeld && organiser && (
        <Flex vertical gap={8} style={{ marginTop: 12, maxWidth: 520 }}>
          <Input
            placeholder={tx('评审会议地点', 'Meeting place')}
            value={place}
            onChange={(e) => setPlace(e.target.value)}
            data-testid="meeting-place"
          />
          <Input.TextArea
            rows={3}
            placeholder={tx(
              '评审专家，每行一位：姓名，专业，职称',
              'Experts, one per line: name, specialty, title',
            )}
            value={experts}
            onChange={(e) => setExperts(e.target.value)}
            data-testid="meeting-experts"
          />
          <Button
            type="primary"
            data-testid="meeting-record"
            onClick={() =>
              void run(
                () =>
                  api.post(`/api/joint/merged-assessments/${a.id}/meeting`, {
                    heldOn: todayInBeijing(),
                    place: place.trim() || '市民之家评审室',
                    experts: parseExperts(experts),
                  }),
                tx('评审会议已记录', 'Meeting recorded'),
              )
            }
          >
            {tx('记录集中评审会议', 'Record the meeting')}
          </Button>
        </Flex>
      )}
      {a.status === 'in_review' && meetingHeld && staff && (
        <Input
          style={{ maxWidth: 420, marginTop: 8 }}
          placeholder={tx('评审结论意见', 'Opinion')}
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
        />
      )}
    </Card>
  );
}

export function MergedAssessmentDesk() {
  const tx = useTx();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointMoreKeys.assessments,
    queryFn: ({ signal }) =>
      api.get<{ assessments: MergedAssessment[] }>('/api/joint/merged-assessments', undefined, signal),
    select: (d) => d.assessments,
  });
  return (
    <>
      {error && <ErrorAlert error={error} onRetry={() => void refetch()} />}
      <Typography.Paragraph type="secondary">
        {tx(
          '多评合一（任务50）：一次申请、一次告知、同步编制、集中评审。一个评估机构合并编制一份报告，集中评审会议记录专家和各项评估结论，各项评估由此办结，不再单独审查。',
          'Merged assessments (task 50): one application, one notice, one report, one concentrated review.',
        )}
      </Typography.Paragraph>
      <Flex vertical gap={16}>
        {isPending && <Card loading />}
        {(data ?? []).map((a) => (
          <AssessmentCard key={a.id} a={a} />
        ))}
        {data && data.length === 0 && (
          <Typography.Text type="secondary">{tx('暂无多评合一', 'No merged assessments')}</Typography.Text>
        )}
      </Flex>
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
