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
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useTx } from '../projects/strings';
import {
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
            <Input placeholder={tx('事由', 'Reason')} />
          </Form.Item>
          <Form.Item name="basis" rules={[{ required: true }]}>
            <Input placeholder={tx('法律依据', 'Legal basis')} />
          </Form.Item>
          <Form.Item name="published" valuePropName="checked" label={tx('公示', 'Publish')}>
            <Switch />
          </Form.Item>
          <Button htmlType="submit" type="primary" loading={enter.isPending}>
            {tx('录入', 'Enter')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}

function Draws() {
  const tx = useTx();
  const { user } = useAuth();
  const client = useQueryClient();
  const [department, setDepartment] = useState(user?.departmentCode ?? '');
  const [per, setPer] = useState(2);
  const [last, setLast] = useState<DrawView | null>(null);
  const draws = useQuery({
    queryKey: ['credit-draws', department],
    queryFn: ({ signal }) =>
      api.get<{ draws: DrawSummary[] }>(
        '/api/public/inspections/draws',
        { departmentCode: department },
        signal,
      ),
  });
  const draw = useMutation({
    mutationFn: () =>
      api.post<DrawView>('/api/credit/draws', { departmentCode: department, inspectorsPerObject: per }),
    onSuccess: async (d) => {
      setLast(d);
      await client.invalidateQueries({ queryKey: ['credit-draws'] });
    },
  });
  return (
    <Flex vertical gap={12}>
      <Space>
        <Input
          style={{ width: 140 }}
          value={department}
          onChange={(e) => setDepartment(e.target.value)}
          placeholder={tx('部门代码', 'Department')}
        />
        <InputNumber
          min={1}
          max={5}
          value={per}
          onChange={(v) => setPer(v ?? 2)}
          addonAfter={tx('人/对象', 'per object')}
        />
        <Button
          type="primary"
          onClick={() => draw.mutate()}
          loading={draw.isPending}
          disabled={!department}
          data-testid="credit-draw"
        >
          {tx('随机抽取', 'Draw')}
        </Button>
      </Space>
      {draw.error && <ErrorAlert error={draw.error} />}
      {last && (
        <Card size="small" data-testid="credit-draw-last">
          {tx('种子', 'Seed')} {last.seed} · {tx('抽中', 'Picked')} {last.result.length} ·{' '}
          <Link to={`/public/credit/draws/${last.id}`}>{tx('公示页', 'Public page')}</Link>
        </Card>
      )}
      <Table
        rowKey="id"
        size="small"
        dataSource={draws.data?.draws ?? []}
        columns={[
          { title: tx('抽取日期', 'Drawn on'), dataIndex: 'drawnOn' },
          { title: tx('种子', 'Seed'), dataIndex: 'seed' },
          { title: tx('抽中', 'Picked'), dataIndex: 'picked' },
          { title: tx('已录入', 'Recorded'), dataIndex: 'recorded' },
          { title: tx('公示期限', 'Publish by'), dataIndex: 'publishBy' },
          {
            title: '',
            render: (_: unknown, d: DrawSummary) => (
              <Link to={`/public/credit/draws/${d.id}`}>{tx('查看', 'View')}</Link>
            ),
          },
        ]}
      />
    </Flex>
  );
}
