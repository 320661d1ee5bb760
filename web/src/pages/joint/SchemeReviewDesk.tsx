/**
 * 方案联审 (task 17): the planning department opens it on its running 设计方案审查 task and names the
 * departments it asks (each with a working-day limit); the departments asked answer; the planning
 * department's 复核 or head gives the one conclusion (or returns the scheme for the next round).
 */
import {
  Button,
  Card,
  Descriptions,
  Flex,
  InputNumber,
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
import { formatDateTime } from '../../lib/time';
import { useInbox } from '../projects/api';
import { useTx } from '../projects/strings';
import { jointMoreKeys, useJointReference, type SchemeReview } from './api';
import { DeskFrame, opinionState, schemeStatus, useJointAction, useStateName } from './shared';

/** The planning department's form: its running 设计方案审查 task, the departments asked and their limits. */
function OpenSchemeReview({ taken }: { taken: ReadonlySet<string> }) {
  const tx = useTx();
  const run = useJointAction(jointMoreKeys.schemes);
  const reference = useJointReference();
  const item = reference.data?.schemeReviewItem ?? '';
  const defaultDays = reference.data?.defaultOpinionDays ?? 1;
  const inbox = useInbox({ q: item, state: 'running', pageSize: 200 });
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: ({ signal }) =>
      api.get<{ departments: { code: string; name: string; kind: string }[] }>(
        '/api/departments',
        undefined,
        signal,
      ),
    select: (d) => d.departments,
  });
  const { user } = useAuth();
  const [taskId, setTaskId] = useState<string>();
  const [asked, setAsked] = useState<string[]>([]);
  const [days, setDays] = useState<Record<string, number>>({});
  const tasks = (inbox.data?.tasks ?? []).filter(
    (t) => item !== '' && t.itemCode === item && !taken.has(t.id),
  );
  const open = async () => {
    const ok = await run(
      () =>
        api.post('/api/joint/scheme-reviews', {
          taskId,
          departments: asked.map((code) => ({ departmentCode: code, limitDays: days[code] ?? defaultDays })),
        }),
      tx('已向各部门征求意见', 'Opinions asked'),
    );
    if (ok) {
      setTaskId(undefined);
      setAsked([]);
    }
  };
  return (
    <Card size="small" title={tx('组织方案联审', 'Open a scheme review')} data-testid="scheme-open">
      <Flex vertical gap={8} style={{ maxWidth: 640 }}>
        <Select
          placeholder={tx('选择本部门在办的设计方案审查办件', 'Choose a running design-scheme review task')}
          value={taskId}
          onChange={setTaskId}
          loading={inbox.isPending}
          data-testid="scheme-open-task"
          showSearch
          optionFilterProp="label"
          options={tasks.map((t) => ({
            value: t.id,
            label: `${t.projectCode} ${t.projectName}（${t.itemName}）`,
          }))}
          notFoundContent={tx('暂无可组织方案联审的办件', 'No task to open one on')}
        />
        <Select
          mode="multiple"
          placeholder={tx('选择征求意见的部门', 'Choose the departments to ask')}
          value={asked}
          onChange={setAsked}
          loading={departments.isPending}
          data-testid="scheme-open-departments"
          optionFilterProp="label"
          options={(departments.data ?? [])
            .filter((d) => d.code !== user?.departmentCode)
            .map((d) => ({ value: d.code, label: d.name }))}
        />
        {asked.map((code) => (
          <InputNumber
            key={code}
            min={1}
            max={30}
            value={days[code] ?? defaultDays}
            onChange={(v) => setDays({ ...days, [code]: v ?? defaultDays })}
            addonBefore={departments.data?.find((d) => d.code === code)?.name ?? code}
            addonAfter={tx('个工作日内反馈', 'working days')}
          />
        ))}
        <Button
          type="primary"
          disabled={!taskId || asked.length === 0}
          onClick={() => void open()}
          data-testid="scheme-open-submit"
        >
          {tx('征求意见', 'Ask for opinions')}
        </Button>
      </Flex>
    </Card>
  );
}

export function SchemeCard({ r }: { r: SchemeReview }) {
  const tx = useTx();
  const stateName = useStateName();
  const { user } = useAuth();
  const run = useJointAction(jointMoreKeys.schemes);
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
          {stateName(schemeStatus, r.status)}
        </Tag>
      }
    >
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={tx('征求意见轮次', 'Round')}>{r.round}</Descriptions.Item>
        <Descriptions.Item label={tx('方案联审结论', 'Conclusion')}>
          <span data-testid="scheme-conclusion">{r.conclusion ?? '—'}</span>
        </Descriptions.Item>
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

/** The staff desk: the reviews a department organises or is asked in; the planning department opens them. */
export function SchemeReviewDesk() {
  const tx = useTx();
  const { user } = useAuth();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: jointMoreKeys.schemes,
    queryFn: ({ signal }) =>
      api.get<{ reviews: SchemeReview[] }>('/api/joint/scheme-reviews', undefined, signal),
    select: (d) => d.reviews,
  });
  const canOpen = user?.role === 'reviewer' || user?.role === 'senior';
  const taken = new Set((data ?? []).filter((r) => r.status !== 'withdrawn').map((r) => r.taskId));
  return (
    <DeskFrame
      intro={tx(
        '方案联审（任务17）：设计方案审查转为审批部门内部事项，由审批部门在系统内征求相关部门意见（各部门在规定工作日内反馈同意、有条件同意或不同意及理由），作出一个结论；其他部门不再单独审查设计方案。',
        'Scheme joint review (task 17): the planning department asks the departments concerned and gives one conclusion.',
      )}
      error={error}
      retry={() => void refetch()}
      pending={isPending}
      empty={tx('暂无方案联审', 'No scheme reviews')}
      count={data?.length}
      before={canOpen ? <OpenSchemeReview taken={taken} /> : null}
    >
      {(data ?? []).map((r) => (
        <SchemeCard key={r.id} r={r} />
      ))}
    </DeskFrame>
  );
}
