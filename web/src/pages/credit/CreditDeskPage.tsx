/**
 * 信用监管工作台 (department staff, supervisors): listings in procedure and in force with the pending
 * objections and repairs to decide; subject search with grade, records and record entry; 双随机 draws.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useDepartmentNames, useDepartments } from '../../api/hooks';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useTx } from '../projects/strings';
import {
  outcomeText,
  recordKindText,
  type CreditRequest,
  type DrawSummary,
  type DrawView,
  type Listing,
  type SubjectDetail,
} from './api';
import { GradeCard, ListingCard, RecordsTable } from './CreditViews';

export default function CreditDeskPage() {
  const tx = useTx();
  return (
    <Tabs
      items={[
        { key: 'desk', label: tx('名单与异议', 'Listings'), children: <Desk /> },
        { key: 'subjects', label: tx('信用主体', 'Subjects'), children: <Subjects /> },
        { key: 'draws', label: tx('双随机抽查', 'Random inspections'), children: <Draws /> },
      ]}
    />
  );
}

interface DeskData {
  listings: (Listing & { subjectName: string; windowOpen: boolean })[];
  objections: CreditRequest[];
  repairs: CreditRequest[];
}

function Desk() {
  const tx = useTx();
  const { data, error } = useQuery({
    queryKey: ['credit-desk'],
    queryFn: ({ signal }) => api.get<DeskData>('/api/credit/desk', undefined, signal),
  });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  return (
    <Flex vertical gap={12} data-testid="credit-desk">
      {data.listings.length === 0 && <Card>{tx('暂无公示中或在册的名单', 'No listings')}</Card>}
      {data.listings.map((l) => {
        const objection = data.objections.find((o) => o.listingId === l.id);
        const repair = data.repairs.find((o) => o.listingId === l.id);
        return (
          <ListingCard
            key={l.id}
            listing={{ ...l, objections: objection ? [objection] : [], repairs: repair ? [repair] : [] }}
            actions={
              <Space>
                {objection && <Decide kind="objection" request={objection} />}
                {repair && <Decide kind="repair" request={repair} />}
              </Space>
            }
          />
        );
      })}
    </Flex>
  );
}

function Decide({ kind, request }: { kind: 'objection' | 'repair'; request: CreditRequest }) {
  const tx = useTx();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const [decision, setDecision] = useState('');
  const decide = useMutation({
    mutationFn: (outcome: string) =>
      api.post(`/api/credit/${kind === 'objection' ? 'objections' : 'repairs'}/${request.id}/decision`, {
        outcome,
        decision,
      }),
    onSuccess: async () => {
      message.success(tx('已作出决定', 'Decided'));
      await client.invalidateQueries({ queryKey: ['credit-desk'] });
    },
  });
  const [yes, no] = kind === 'objection' ? ['upheld', 'rejected'] : ['approved', 'rejected'];
  return (
    <Space.Compact>
      <Input
        size="small"
        placeholder={tx('决定理由', 'Reason')}
        value={decision}
        onChange={(e) => setDecision(e.target.value)}
        data-testid={`decide-${kind}-text`}
      />
      <Button
        size="small"
        type="primary"
        disabled={!decision.trim()}
        onClick={() => decide.mutate(yes)}
        data-testid={`decide-${kind}-yes`}
      >
        {kind === 'objection' ? tx('异议成立', 'Uphold') : tx('准予修复', 'Approve')}
      </Button>
      <Button
        size="small"
        danger
        disabled={!decision.trim()}
        onClick={() => decide.mutate(no)}
        data-testid={`decide-${kind}-no`}
      >
        {kind === 'objection' ? tx('异议不成立', 'Reject') : tx('不予修复', 'Refuse')}
      </Button>
      {decide.error && <ErrorAlert error={decide.error} />}
    </Space.Compact>
  );
}

interface SubjectRow {
  id: string;
  name: string;
  kind: string;
  creditCode: string | null;
  certificateNo: string | null;
}

function Subjects() {
  const tx = useTx();
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['credit-subjects', q],
    queryFn: ({ signal }) => api.get<{ subjects: SubjectRow[] }>('/api/credit/subjects', { q }, signal),
  });
  return (
    <Flex vertical gap={12}>
      <Input.Search
        placeholder={tx('名称、信用代码或证书编号', 'Name, code or certificate')}
        onSearch={setQ}
        data-testid="credit-subject-search"
      />
      <Table<SubjectRow>
        rowKey="id"
        size="small"
        dataSource={list.data?.subjects ?? []}
        pagination={{ pageSize: 10 }}
        onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: tx('名称', 'Name'), dataIndex: 'name' },
          {
            title: tx('信用代码/证书编号', 'Code'),
            render: (_: unknown, r: SubjectRow) => r.creditCode ?? r.certificateNo,
          },
        ]}
      />
      {selected && <SubjectPanel id={selected} />}
    </Flex>
  );
}

function SubjectPanel({ id }: { id: string }) {
  const tx = useTx();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const { data, error } = useQuery({
    queryKey: ['credit-subject', id],
    queryFn: ({ signal }) => api.get<SubjectDetail>(`/api/credit/subjects/${id}`, undefined, signal),
  });
  const [form] = Form.useForm();
  const enter = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      api.post('/api/credit/records', { ...values, subjectId: id }),
    onSuccess: async () => {
      form.resetFields();
      message.success(tx('已录入', 'Recorded'));
      await client.invalidateQueries({ queryKey: ['credit-subject', id] });
    },
  });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  return (
    <Flex vertical gap={12}>
      <GradeCard detail={data} />
      {data.listings.map((l) => (
        <ListingCard key={l.id} listing={l} />
      ))}
      <RecordsTable detail={data} />
      <Card size="small" title={tx('录入信用记录', 'Enter a record')}>
        {enter.error && <ErrorAlert error={enter.error} />}
        <Form
          form={form}
          layout="inline"
          onFinish={(v) => enter.mutate(v)}
          initialValues={{ severity: 'general', published: true }}
        >
          <Form.Item name="kind" rules={[{ required: true }]}>
            <Select
              data-testid="credit-record-kind"
              style={{ width: 180 }}
              placeholder={tx('类别', 'Kind')}
              options={Object.entries(recordKindText).map(([value, [zh, en]]) => ({
                value,
                label: tx(zh, en),
              }))}
            />
          </Form.Item>
          <Form.Item name="severity">
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'serious', label: tx('严重失信', 'Serious') },
                { value: 'general', label: tx('一般失信', 'General') },
                { value: 'good', label: tx('良好', 'Good') },
              ]}
            />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true }]}>
            <Input placeholder={tx('事由', 'Reason')} data-testid="credit-record-reason" />
          </Form.Item>
          <Form.Item name="basis" rules={[{ required: true }]}>
            <Input placeholder={tx('法律依据', 'Legal basis')} data-testid="credit-record-basis" />
          </Form.Item>
          <Form.Item name="published" valuePropName="checked" label={tx('公示', 'Publish')}>
            <Switch />
          </Form.Item>
          <Button
            htmlType="submit"
            type="primary"
            loading={enter.isPending}
            data-testid="credit-record-submit"
          >
            {tx('录入', 'Enter')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}

const poolKindText: Record<string, [string, string]> = {
  commitment: ['告知承诺审批', 'Approvals under commitment'],
  construction: ['在建项目（已发施工许可、未竣工）', 'Projects under construction'],
  exemption: ['施工图审查告知承诺免审项目', 'Drawing-review exemptions'],
};

function Draws() {
  const tx = useTx();
  const { user } = useAuth();
  const client = useQueryClient();
  const departments = useDepartments();
  const dept = useDepartmentNames();
  const [department, setDepartment] = useState<string | undefined>(user?.departmentCode ?? undefined);
  const [poolKind, setPoolKind] = useState<string | undefined>(undefined);
  const [per, setPer] = useState(2);
  const [open, setOpen] = useState<string | null>(null);
  const draws = useQuery({
    queryKey: ['credit-draws', department],
    queryFn: ({ signal }) =>
      api.get<{ draws: DrawSummary[] }>(
        '/api/public/inspections/draws',
        department ? { departmentCode: department } : undefined,
        signal,
      ),
  });
  const draw = useMutation({
    mutationFn: () =>
      api.post<DrawView>('/api/credit/draws', {
        departmentCode: department,
        poolKind,
        inspectorsPerObject: per,
      }),
    onSuccess: async (d) => {
      setOpen(d.id);
      await client.invalidateQueries({ queryKey: ['credit-draws'] });
    },
  });
  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <Select
          style={{ width: 220 }}
          value={department}
          onChange={setDepartment}
          placeholder={tx('检查部门', 'Department')}
          showSearch
          optionFilterProp="label"
          options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
          data-testid="credit-draw-department"
        />
        <Select
          style={{ width: 280 }}
          value={poolKind}
          onChange={setPoolKind}
          placeholder={tx('抽查对象库', 'Pool')}
          options={Object.entries(poolKindText).map(([value, [zh, en]]) => ({ value, label: tx(zh, en) }))}
          data-testid="credit-draw-pool"
        />
        <Space.Compact>
          <InputNumber min={1} max={5} value={per} onChange={(v) => setPer(v ?? 2)} />
          <Space.Addon>{tx('名检查人员/对象', 'inspectors per object')}</Space.Addon>
        </Space.Compact>
        <Button
          type="primary"
          onClick={() => draw.mutate()}
          loading={draw.isPending}
          disabled={!department || !poolKind}
          data-testid="credit-draw"
        >
          {tx('随机抽取', 'Draw')}
        </Button>
      </Space>
      {draw.error && <ErrorAlert error={draw.error} />}
      <Table<DrawSummary>
        rowKey="id"
        size="small"
        dataSource={draws.data?.draws ?? []}
        data-testid="credit-draws"
        columns={[
          { title: tx('抽取日期', 'Drawn on'), dataIndex: 'drawnOn' },
          {
            title: tx('检查部门', 'Department'),
            dataIndex: 'departmentCode',
            render: (c: string) => dept(c),
          },
          {
            title: tx('对象库', 'Pool'),
            dataIndex: 'poolKind',
            render: (k: string) => tx(...(poolKindText[k] ?? ['—', '—'])),
          },
          { title: tx('抽中', 'Picked'), dataIndex: 'picked' },
          { title: tx('已录入', 'Recorded'), dataIndex: 'recorded' },
          { title: tx('公示期限', 'Publish by'), dataIndex: 'publishBy' },
          {
            title: '',
            render: (_: unknown, d: DrawSummary) => (
              <Space>
                <Button
                  size="small"
                  type="link"
                  onClick={() => setOpen(d.id)}
                  data-testid={`credit-draw-open-${d.id}`}
                >
                  {tx('录入结果', 'Record results')}
                </Button>
                <Link to={`/public/credit/draws/${d.id}`}>{tx('公示页', 'Public page')}</Link>
              </Space>
            ),
          },
        ]}
      />
      {open && <DrawResults id={open} />}
    </Flex>
  );
}

/** One draw's picks: record each result (合格 / 责令整改 / 撤销); a 撤销 asks for its legal basis and a confirmation. */
function DrawResults({ id }: { id: string }) {
  const tx = useTx();
  const { data, error } = useQuery({
    queryKey: ['credit-draw', id],
    queryFn: ({ signal }) => api.get<DrawView>(`/api/public/inspections/draws/${id}`, undefined, signal),
  });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  const label = (objectId: string) => data.pool.find((o) => o.objectId === objectId);
  return (
    <Card
      size="small"
      data-testid="credit-draw-last"
      title={tx(
        `抽查结果录入（${data.drawnOn}，${poolKindText[data.poolKind]?.[0] ?? ''}）`,
        `Results (${data.drawnOn}, ${poolKindText[data.poolKind]?.[1] ?? ''})`,
      )}
      extra={<Link to={`/public/credit/draws/${data.id}`}>{tx('公示页', 'Public page')}</Link>}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {tx(
          `随机种子 ${data.seed}，对象库指纹 ${data.poolHash.slice(0, 16)}…：任何人可据此复核抽取结果。结果须于 ${data.publishBy} 前录入并公示。`,
          `Seed ${data.seed}, pool hash ${data.poolHash.slice(0, 16)}…: anyone can re-run the draw. Publish by ${data.publishBy}.`,
        )}
      </Typography.Paragraph>
      {data.result.length === 0 && (
        <Typography.Text>{tx('对象库为空，未抽中对象', 'Nothing drawn')}</Typography.Text>
      )}
      <Flex vertical gap={12}>
        {data.result.map((r) => (
          <DrawResultRow
            key={r.objectId}
            drawId={data.id}
            pick={r}
            subject={label(r.objectId)?.subjectName ?? ''}
            label={label(r.objectId)?.label ?? ''}
          />
        ))}
      </Flex>
    </Card>
  );
}

function DrawResultRow({
  drawId,
  pick,
  subject,
  label,
}: {
  drawId: string;
  pick: DrawView['result'][number];
  subject: string;
  label: string;
}) {
  const tx = useTx();
  const client = useQueryClient();
  const { modal, message } = AntApp.useApp();
  const [outcome, setOutcome] = useState<string | undefined>(undefined);
  const [findings, setFindings] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post(`/api/credit/draws/${drawId}/results/${pick.objectId}`, {
        outcome,
        findings: findings.trim(),
        ...(outcome === 'revoked' && legalBasis.trim() ? { legalBasis: legalBasis.trim() } : {}),
      }),
    onSuccess: async () => {
      message.success(tx('结果已录入并公示', 'Recorded and published'));
      await client.invalidateQueries({ queryKey: ['credit-draw', drawId] });
      await client.invalidateQueries({ queryKey: ['credit-draws'] });
    },
  });
  const submit = () => {
    if (outcome !== 'revoked') return save.mutate();
    modal.confirm({
      title: tx('确认撤销审批决定？', 'Revoke the approval?'),
      content: tx(
        '撤销后审批决定和证照随即失效，并记入信用记录、通知申请人。撤销有误的，只能经负责人提出、电子监察会签纠错。',
        'The approval and its certificate lapse at once, a credit record is written and the holder told. A mistake is corrected only through a countersigned reopening.',
      ),
      okText: tx('确认撤销', 'Revoke'),
      okButtonProps: { danger: true, 'data-testid': 'credit-result-confirm' } as never,
      cancelText: tx('取消', 'Cancel'),
      onOk: () => save.mutateAsync(),
    });
  };
  const ok =
    !!outcome && findings.trim().length >= 2 && (outcome !== 'revoked' || legalBasis.trim().length >= 2);
  return (
    <Flex vertical gap={6} data-testid={`credit-result-${pick.objectId}`}>
      <Typography.Text strong>
        {subject} · {label}
      </Typography.Text>
      <Typography.Text type="secondary">
        {tx('检查人员', 'Inspectors')}：{pick.inspectorNames.join('、') || '—'}
      </Typography.Text>
      {pick.outcome ? (
        <Typography.Text data-testid="credit-result-recorded">
          {tx(...(outcomeText[pick.outcome] ?? ['—', '—']))}：{pick.findings}（{tx('公示于', 'published')}{' '}
          {pick.publishedOn}）
        </Typography.Text>
      ) : (
        <>
          <Space wrap>
            <Select
              style={{ width: 140 }}
              value={outcome}
              onChange={setOutcome}
              placeholder={tx('检查结论', 'Outcome')}
              options={Object.entries(outcomeText).map(([value, [zh, en]]) => ({ value, label: tx(zh, en) }))}
              data-testid="credit-result-outcome"
            />
            <Input
              style={{ width: 320 }}
              value={findings}
              onChange={(e) => setFindings(e.target.value)}
              placeholder={tx('检查发现', 'Findings')}
              data-testid="credit-result-findings"
            />
            {outcome === 'revoked' && (
              <Input
                style={{ width: 280 }}
                value={legalBasis}
                onChange={(e) => setLegalBasis(e.target.value)}
                placeholder={tx('撤销的法律依据', 'Legal basis of the revocation')}
                data-testid="credit-result-basis"
              />
            )}
            <Button
              type="primary"
              danger={outcome === 'revoked'}
              disabled={!ok}
              loading={save.isPending}
              onClick={submit}
              data-testid="credit-result-save"
            >
              {tx('录入并公示', 'Record and publish')}
            </Button>
          </Space>
          {save.error && <ErrorAlert error={save.error} />}
        </>
      )}
    </Flex>
  );
}
