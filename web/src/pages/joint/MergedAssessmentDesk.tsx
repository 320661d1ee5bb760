/**
 * 多评合一 (task 50): the applicant opens one on its running assessment tasks with one commissioned
 * assessment organisation and submits the one merged report (a revised one after a failed review); the
 * lead (市发展改革委) or a department concerned records the concentrated review meeting with its experts;
 * each department gives its assessment's conclusion from it. A covered task that ends on its own is shown
 * struck through with why.
 */
import {
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { todayInBeijing } from '../../lib/time';
import type { Project } from '../projects/api';
import { useTx } from '../projects/strings';
import { jointMoreKeys, useJointReference, type MergedAssessment, type Organisation } from './api';
import {
  assessmentStatus,
  DeskFrame,
  parseExperts,
  staffRoles,
  useJointAction,
  useStateName,
} from './shared';

/** The one merged report (同步编制), or the revised one after a failed review. */
function ReportForm({ a }: { a: MergedAssessment }) {
  const tx = useTx();
  const run = useJointAction(jointMoreKeys.assessments);
  const [reportNumber, setReportNumber] = useState('');
  const [summary, setSummary] = useState('');
  return (
    <Flex vertical gap={8} style={{ marginTop: 12, maxWidth: 520 }} data-testid="report-form">
      <Typography.Text strong>
        {a.status === 'failed'
          ? tx('提交修改后的评估报告', 'Submit the revised report')
          : tx('提交合并编制的评估报告', 'Submit the merged report')}
      </Typography.Text>
      <Input
        placeholder={tx('评估报告编号', 'Report number')}
        value={reportNumber}
        onChange={(e) => setReportNumber(e.target.value)}
        data-testid="report-number"
      />
      <Input.TextArea
        rows={3}
        placeholder={tx('报告摘要：各项评估的主要结论', 'Summary: the main findings of each assessment')}
        value={summary}
        onChange={(e) => setSummary(e.target.value)}
        data-testid="report-summary"
      />
      <Button
        type="primary"
        disabled={!reportNumber.trim() || !summary.trim()}
        data-testid="report-submit"
        onClick={() =>
          void run(
            () => api.post(`/api/joint/merged-assessments/${a.id}/report`, { reportNumber, summary }),
            tx('评估报告已提交，待集中评审', 'Report submitted'),
          )
        }
      >
        {tx('提交报告', 'Submit the report')}
      </Button>
    </Flex>
  );
}

/** The applicant's form: the project's running assessment tasks (two or more) and the organisation. */
export function OpenMergedAssessment({
  project,
  covered,
}: {
  project: Project;
  covered: ReadonlySet<string>;
}) {
  const tx = useTx();
  const run = useJointAction(jointMoreKeys.assessments);
  const orgs = useQuery({
    queryKey: [...jointMoreKeys.organisations, 'assessment'],
    queryFn: ({ signal }) =>
      api.get<{ organisations: Organisation[] }>('/api/joint/organisations', { kind: 'assessment' }, signal),
    select: (d) => d.organisations,
  });
  const mergeable = useJointReference().data?.mergeableAssessments ?? [];
  const [taskIds, setTaskIds] = useState<string[]>([]);
  const [organisationId, setOrganisationId] = useState<string>();
  const tasks = project.stages
    .flatMap((s) => s.tasks)
    .filter(
      (t) =>
        mergeable.includes(t.itemCode) &&
        (t.status === 'in_review' || t.status === 'paused') &&
        !covered.has(t.id),
    );
  return (
    <Card
      size="small"
      title={tx('申请多评合一', 'Apply for a merged assessment')}
      data-testid="assessment-open"
    >
      <Flex vertical gap={8} style={{ maxWidth: 640 }}>
        <Select
          mode="multiple"
          placeholder={tx(
            '选择合并编制的评估评价事项（至少两项）',
            'Choose the assessments to merge (two or more)',
          )}
          value={taskIds}
          onChange={setTaskIds}
          data-testid="assessment-open-tasks"
          optionFilterProp="label"
          options={tasks.map((t) => ({ value: t.id, label: t.itemName }))}
          notFoundContent={tx('没有在办的评估评价事项', 'No running assessment')}
        />
        <Select
          placeholder={tx('选择受委托的评估机构', 'Choose the assessment organisation')}
          value={organisationId}
          onChange={setOrganisationId}
          loading={orgs.isPending}
          data-testid="assessment-open-org"
          showSearch
          optionFilterProp="label"
          options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
        />
        <Button
          type="primary"
          disabled={taskIds.length < 2 || !organisationId}
          data-testid="assessment-open-submit"
          onClick={() =>
            void run(
              async () => {
                await api.post('/api/joint/merged-assessments', {
                  projectId: project.id,
                  taskIds,
                  organisationId,
                });
                setTaskIds([]);
              },
              tx('已申请多评合一，请按一次告知内容编制报告', 'Applied: prepare the report as noticed'),
            )
          }
        >
          {tx('申请多评合一', 'Apply')}
        </Button>
      </Flex>
    </Card>
  );
}

export function AssessmentCard({ a }: { a: MergedAssessment }) {
  const tx = useTx();
  const stateName = useStateName();
  const { user } = useAuth();
  const run = useJointAction(jointMoreKeys.assessments);
  const [place, setPlace] = useState('');
  const [experts, setExperts] = useState('');
  const [opinion, setOpinion] = useState('');
  const staff = staffRoles.includes(user?.role ?? '');
  const owner = user?.role === 'applicant' || user?.role === 'agent';
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
          {stateName(assessmentStatus, a.status)}
        </Tag>
      }
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={tx('评估机构', 'Organisation')}>{a.organisation.name}</Descriptions.Item>
        <Descriptions.Item label={tx('评估报告', 'Report')}>{a.reportNumber ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={tx('评审意见编号', 'Opinion no.')}>
          <span data-testid="assessment-opinion">{a.opinionNumber ?? '—'}</span>
        </Descriptions.Item>
        {a.closedReason && (
          <Descriptions.Item label={tx('结束原因', 'Why it ended')} span={3}>
            <span data-testid="assessment-closed">{a.closedReason}</span>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table
        size="small"
        rowKey="itemCode"
        pagination={false}
        dataSource={a.items}
        columns={[
          {
            title: tx('评估事项', 'Assessment'),
            render: (_: unknown, i) =>
              i.ended ? (
                <Tooltip title={i.endedReason}>
                  <Typography.Text delete>{i.itemName}</Typography.Text>{' '}
                  <Tag>{tx('办件已结束', 'Task ended')}</Tag>
                </Tooltip>
              ) : (
                i.itemName
              ),
          },
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
      {owner && (a.status === 'preparing' || a.status === 'failed') && <ReportForm a={a} />}
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

/** The staff desk: the lead sees every one, a department the ones covering its items. */
export function MergedAssessmentDesk() {
  const tx = useTx();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointMoreKeys.assessments,
    queryFn: ({ signal }) =>
      api.get<{ assessments: MergedAssessment[] }>('/api/joint/merged-assessments', undefined, signal),
    select: (d) => d.assessments,
  });
  return (
    <DeskFrame
      intro={tx(
        '多评合一（任务50）：一次申请、一次告知、同步编制、集中评审。一个评估机构合并编制一份报告，集中评审会议记录专家和各项评估结论，各项评估由此办结，不再单独审查。',
        'Merged assessments (task 50): one application, one notice, one report, one concentrated review.',
      )}
      error={error}
      retry={() => void refetch()}
      pending={isPending}
      empty={tx('暂无多评合一', 'No merged assessments')}
      count={data?.length}
    >
      {(data ?? []).map((a) => (
        <AssessmentCard key={a.id} a={a} />
      ))}
    </DeskFrame>
  );
}
