/**
 * 中介服务超市 for the logged-in: the owner posts needs, draws or compares sealed quotes, records the
 * contract, accepts the report and rates; the intermediary quotes and delivers; 政务办 lists intermediaries
 * and decides complaints. Each sees only its part; the service clock is shown with every engagement.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
  Table,
  Tag,
  Typography,
} from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MaterialUpload, type Uploaded } from '../projects/MaterialUpload';
import { useTx } from '../projects/strings';
import {
  complaintStatusNames,
  satisfaction,
  yuan,
  type Complaint,
  type Engagement,
  type Intermediary,
  type Need,
  type Service,
} from './api';

const clockColor = { normal: 'green', warning: 'orange', overdue: 'red' } as const;

export default function MarketplacePage() {
  const { user } = useAuth();
  const role = user?.role;
  const staff = role === 'window' || role === 'head' || role === 'supervisor' || role === 'admin';
  return (
    <Flex vertical gap={16}>
      {staff && <StaffDesk />}
      {staff && <ComplaintsDesk />}
      {(role === 'applicant' || role === 'agent') && <PostNeed />}
      <Needs />
      <Engagements />
    </Flex>
  );
}

function useDone() {
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  return (text: string) => {
    void message.success(text);
    void client.invalidateQueries({ queryKey: ['market'] });
  };
}

function StaffDesk() {
  const tx = useTx();
  const done = useDone();
  const q = useQuery({
    queryKey: ['market', 'intermediaries'],
    queryFn: ({ signal }) =>
      api.get<{ intermediaries: Intermediary[] }>('/api/marketplace/intermediaries', undefined, signal),
  });
  const services = useServiceNames();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const review = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'list' | 'reject' }) =>
      api.post(`/api/marketplace/intermediaries/${id}/review`, {
        decision,
        note: notes[id]?.trim() || (decision === 'list' ? '审核通过，准予入库' : ''),
      }),
    onSuccess: (_, v) => done(v.decision === 'list' ? tx('已入库', 'Listed') : tx('已退回', 'Rejected')),
  });
  return (
    <Card title={tx('中介机构入驻审核', 'Intermediary review')}>
      {q.error && <ErrorAlert error={q.error} />}
      {review.error && <ErrorAlert error={review.error} />}
      <Table
        rowKey="id"
        size="small"
        data-testid="market-intermediaries"
        dataSource={q.data?.intermediaries ?? []}
        columns={[
          { title: tx('机构名称', 'Name'), dataIndex: 'name' },
          { title: tx('统一社会信用代码', 'Credit code'), dataIndex: 'creditCode' },
          { title: tx('状态', 'Status'), dataIndex: 'statusName' },
          {
            title: tx('服务', 'Services'),
            render: (_: unknown, r: Intermediary) =>
              r.offers
                .map(
                  (o) =>
                    `${services.get(o.serviceCode) ?? o.serviceCode} ${yuan(o.feeYuan)}，${o.committedDays} ${tx('个工作日', 'working days')}`,
                )
                .join('；'),
          },
          {
            title: tx('资质', 'Qualifications'),
            render: (_: unknown, r: Intermediary) =>
              r.qualifications
                .map((q) => `${q.name}（${q.grade}，${tx('有效期至', 'valid until')} ${q.expiresOn}）`)
                .join('；'),
          },
          {
            title: '',
            render: (_: unknown, r: Intermediary) =>
              r.status === 'pending' ? (
                <Space direction="vertical" size={4}>
                  <Input
                    size="small"
                    placeholder={tx('审核意见（退回时必填）', 'Note (required to reject)')}
                    value={notes[r.id] ?? ''}
                    onChange={(e) => setNotes({ ...notes, [r.id]: e.target.value })}
                    data-testid={`review-note-${r.name}`}
                  />
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      data-testid={`review-list-${r.name}`}
                      onClick={() => review.mutate({ id: r.id, decision: 'list' })}
                    >
                      {tx('审核入库', 'List')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      onClick={() => review.mutate({ id: r.id, decision: 'reject' })}
                    >
                      {tx('退回', 'Reject')}
                    </Button>
                  </Space>
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

/** Service code → name (the list), so a person reads names, not codes. */
function useServiceNames() {
  const q = useQuery({
    queryKey: ['market', 'services', 'all'],
    queryFn: ({ signal }) => api.get<{ services: Service[] }>('/api/marketplace/services', undefined, signal),
  });
  return new Map((q.data?.services ?? []).map((s) => [s.code, s.name]));
}

/** 政务办's complaints desk: each complaint with its service and intermediary; upheld writes a credit record. */
function ComplaintsDesk() {
  const tx = useTx();
  const done = useDone();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const complaints = useQuery({
    queryKey: ['market', 'complaints'],
    queryFn: ({ signal }) =>
      api.get<{ complaints: Complaint[] }>('/api/marketplace/complaints', undefined, signal),
  });
  const engagements = useQuery({
    queryKey: ['market', 'engagements'],
    queryFn: ({ signal }) =>
      api.get<{ engagements: Engagement[] }>('/api/marketplace/engagements', undefined, signal),
  });
  const byId = new Map((engagements.data?.engagements ?? []).map((e) => [e.id, e]));
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'upheld' | 'dismissed' }) =>
      api.post<{ creditRecordWritten: boolean }>(`/api/marketplace/complaints/${id}/decision`, {
        decision,
        note: notes[id] ?? '',
      }),
    onSuccess: (r) =>
      done(
        r.creditRecordWritten
          ? tx('已认定属实，已记入信用记录', 'Upheld; credit record written')
          : tx('已处理', 'Decided'),
      ),
  });
  return (
    <Card title={tx('投诉处理', 'Complaints desk')}>
      {complaints.error && <ErrorAlert error={complaints.error} />}
      {decide.error && <ErrorAlert error={decide.error} />}
      <Table
        rowKey="id"
        size="small"
        data-testid="market-complaints"
        dataSource={complaints.data?.complaints ?? []}
        columns={[
          {
            title: tx('中介服务', 'Service'),
            render: (_: unknown, c: Complaint) => {
              const e = byId.get(c.engagementId);
              return e ? `${e.serviceName} · ${e.intermediaryName}（${e.projectName}）` : '';
            },
          },
          { title: tx('投诉事由', 'Reason'), dataIndex: 'reason' },
          {
            title: tx('投诉时间', 'Filed'),
            render: (_: unknown, c: Complaint) =>
              new Date(c.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
          },
          {
            title: tx('状态', 'Status'),
            render: (_: unknown, c: Complaint) => (
              <Tag color={c.status === 'upheld' ? 'red' : c.status === 'dismissed' ? 'default' : 'orange'}>
                {tx(complaintStatusNames[c.status].zh, complaintStatusNames[c.status].en)}
              </Tag>
            ),
          },
          {
            title: tx('处理', 'Decision'),
            render: (_: unknown, c: Complaint) =>
              c.status === 'filed' ? (
                <Space direction="vertical" size={4}>
                  <Input
                    size="small"
                    placeholder={tx('核查意见（必填）', 'Finding (required)')}
                    value={notes[c.id] ?? ''}
                    onChange={(e) => setNotes({ ...notes, [c.id]: e.target.value })}
                    data-testid="complaint-note"
                  />
                  <Space>
                    <Button
                      size="small"
                      danger
                      data-testid="complaint-uphold"
                      onClick={() => decide.mutate({ id: c.id, decision: 'upheld' })}
                    >
                      {tx('属实（记入信用）', 'Uphold (credit record)')}
                    </Button>
                    <Button size="small" onClick={() => decide.mutate({ id: c.id, decision: 'dismissed' })}>
                      {tx('不属实', 'Dismiss')}
                    </Button>
                  </Space>
                </Space>
              ) : (
                c.decisionNote
              ),
          },
        ]}
      />
    </Card>
  );
}

/** The intermediary's sealed quote: unseen by anyone until the opening time. */
function QuoteForm({ need }: { need: Need }) {
  const tx = useTx();
  const done = useDone();
  const submit = useMutation({
    mutationFn: (v: { amountYuan: number; committedDays: number; note?: string }) =>
      api.post(`/api/marketplace/needs/${need.id}/quotes`, v),
    onSuccess: () => done(tx('报价已密封提交', 'Sealed quote submitted')),
  });
  return (
    <>
      {submit.error && <ErrorAlert error={submit.error} />}
      <Form layout="inline" onFinish={(v) => submit.mutate(v)} data-testid="quote-form">
        <Form.Item name="amountYuan" label={tx('报价（元）', 'Quote (yuan)')} rules={[{ required: true }]}>
          <InputNumber min={1} data-testid="quote-amount" />
        </Form.Item>
        <Form.Item
          name="committedDays"
          label={tx('承诺时限（工作日）', 'Committed working days')}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={365} data-testid="quote-days" />
        </Form.Item>
        <Form.Item name="note" label={tx('说明', 'Note')}>
          <Input data-testid="quote-note" />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={submit.isPending} data-testid="quote-submit">
          {tx('密封提交报价', 'Submit sealed quote')}
        </Button>
      </Form>
    </>
  );
}

/** The intermediary delivers its report: the file goes to materials, then the report is submitted. */
function DeliverForm({ engagement }: { engagement: Engagement }) {
  const tx = useTx();
  const done = useDone();
  const [file, setFile] = useState<Uploaded | undefined>();
  const deliver = useMutation({
    mutationFn: (v: { reportNo: string; summary?: string }) =>
      api.post(`/api/marketplace/engagements/${engagement.id}/report`, {
        fileId: file!.fileId,
        reportNo: v.reportNo,
        summary: v.summary ?? '',
      }),
    onSuccess: () => done(tx('成果已提交，待建设单位验收', 'Report delivered; awaiting acceptance')),
  });
  return (
    <Flex vertical gap={8} data-testid="deliver-form">
      {deliver.error && <ErrorAlert error={deliver.error} />}
      <MaterialUpload
        code={engagement.materialCode ?? 'M_INTERMEDIARY_REPORT'}
        value={file}
        onChange={setFile}
      />
      <Form layout="inline" onFinish={(v) => deliver.mutate(v)}>
        <Form.Item name="reportNo" label={tx('成果文件编号', 'Report number')} rules={[{ required: true }]}>
          <Input data-testid="deliver-report-no" />
        </Form.Item>
        <Form.Item name="summary" label={tx('成果摘要', 'Summary')}>
          <Input data-testid="deliver-summary" style={{ width: 280 }} />
        </Form.Item>
        <Button
          htmlType="submit"
          type="primary"
          disabled={!file}
          loading={deliver.isPending}
          data-testid="deliver-submit"
        >
          {tx('提交成果', 'Deliver')}
        </Button>
      </Form>
    </Flex>
  );
}

/** The owner's complaint about a service (政务办 decides it). */
function ComplainForm({ engagement }: { engagement: Engagement }) {
  const tx = useTx();
  const done = useDone();
  const [form] = Form.useForm();
  const complain = useMutation({
    mutationFn: (v: { reason: string }) =>
      api.post(`/api/marketplace/engagements/${engagement.id}/complaints`, v),
    onSuccess: () => {
      form.resetFields();
      done(tx('投诉已提交，政务办将核查处理', 'Complaint filed'));
    },
  });
  return (
    <>
      {complain.error && <ErrorAlert error={complain.error} />}
      <Form form={form} layout="inline" onFinish={(v) => complain.mutate(v)}>
        <Form.Item
          name="reason"
          rules={[{ required: true, message: tx('请填写投诉事由', 'Reason required') }]}
        >
          <Input
            placeholder={tx('投诉事由', 'Reason')}
            data-testid="complain-reason"
            style={{ width: 260 }}
          />
        </Form.Item>
        <Button htmlType="submit" danger data-testid="complain-submit">
          {tx('投诉', 'Complain')}
        </Button>
      </Form>
    </>
  );
}

function PostNeed() {
  const tx = useTx();
  const done = useDone();
  const [form] = Form.useForm();
  const projects = useQuery({
    queryKey: ['market', 'projects'],
    queryFn: ({ signal }) =>
      api.get<{ projects: { id: string; name: string; code: string }[] }>('/api/projects', undefined, signal),
  });
  const services = useQuery({
    queryKey: ['market', 'services'],
    queryFn: ({ signal }) =>
      api.get<{ services: Service[] }>('/api/marketplace/services', { list: 'intermediary' }, signal),
  });
  const post = useMutation({
    mutationFn: (v: Record<string, unknown>) => api.post('/api/marketplace/needs', v),
    onSuccess: () => {
      form.resetFields();
      done(tx('需求已发布', 'Need posted'));
    },
  });
  return (
    <Card title={tx('发布中介服务需求', 'Post a need')}>
      {post.error && <ErrorAlert error={post.error} />}
      <Form form={form} layout="vertical" onFinish={(v) => post.mutate(v)} data-testid="need-form">
        <Form.Item name="projectId" label={tx('项目', 'Project')} rules={[{ required: true }]}>
          <Select
            data-testid="need-project"
            options={(projects.data?.projects ?? []).map((p) => ({
              value: p.id,
              label: `${p.name}（${p.code}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="serviceCode" label={tx('中介服务事项', 'Service')} rules={[{ required: true }]}>
          <Select
            data-testid="need-service"
            options={(services.data?.services ?? []).map((s) => ({
              value: s.code,
              label: `${s.name}（${tx('时限', 'limit')} ${s.timeLimitDays} ${tx('个工作日', 'wd')}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="description" label={tx('需求说明', 'Description')} rules={[{ required: true }]}>
          <Input data-testid="need-description" />
        </Form.Item>
        <Space>
          <Form.Item name="budgetYuan" label={tx('预算（元）', 'Budget (yuan)')} rules={[{ required: true }]}>
            <InputNumber min={1} data-testid="need-budget" />
          </Form.Item>
          <Form.Item
            name="dueOn"
            label={tx('要求完成日期', 'Due on')}
            rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
          >
            <Input placeholder="2026-12-31" data-testid="need-due" />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit" loading={post.isPending} data-testid="need-submit">
          {tx('发布', 'Post')}
        </Button>
      </Form>
    </Card>
  );
}

function Needs() {
  const tx = useTx();
  const done = useDone();
  const { user } = useAuth();
  const owner = user?.role === 'applicant' || user?.role === 'agent';
  const intermediary = user?.role === 'intermediary';
  const q = useQuery({
    queryKey: ['market', 'needs'],
    queryFn: ({ signal }) => api.get<{ needs: Need[] }>('/api/marketplace/needs', undefined, signal),
  });
  const act = useMutation({
    mutationFn: ({ url, body }: { url: string; body: unknown }) => api.post(url, body),
    onSuccess: () => done(tx('已办理', 'Done')),
  });
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Card title={tx('中介服务需求', 'Needs')}>
      {q.error && <ErrorAlert error={q.error} />}
      {act.error && <ErrorAlert error={act.error} />}
      <Flex vertical gap={12} data-testid="market-needs">
        {(q.data?.needs ?? []).map((n) => (
          <Card
            key={n.id}
            size="small"
            title={`${n.serviceName} · ${n.description}`}
            extra={<Tag>{n.statusName}</Tag>}
          >
            <div>
              {tx('预算', 'Budget')} {yuan(n.budgetYuan)} · {tx('要求完成', 'Due')} {n.dueOn}
            </div>
            {n.draw && (
              <Typography.Paragraph data-testid="draw-record">
                {tx('随机抽取', 'Draw')}：{n.draw.algorithm} · {tx('种子', 'seed')} {n.draw.seed} ·{' '}
                {tx('备选', 'pool')} {n.draw.pool.map((p) => p.name).join('、')}
              </Typography.Paragraph>
            )}
            {n.selected && (
              <div data-testid="need-selected">
                {tx('选定', 'Selected')}：{n.selected.name}（{yuan(n.selected.feeYuan)}）
              </div>
            )}
            {n.excluded.map((e) => (
              <Typography.Text key={e.intermediaryId} type="danger" style={{ display: 'block' }}>
                {tx('未纳入', 'Excluded')}：{e.name}——{e.reason}
              </Typography.Text>
            ))}
            {intermediary &&
              n.status === 'quoting' &&
              !n.quotesOpened &&
              (n.myQuoteSubmitted ? (
                <Tag color="blue" data-testid="quote-sealed">
                  {tx('本机构报价已密封提交', 'Our sealed quote is in')}
                </Tag>
              ) : (
                <QuoteForm need={n} />
              ))}
            {n.method === 'quote' && (
              <div>
                {tx('密封报价', 'Sealed quotes')}：{n.quoteCount} {tx('份', '')}
                {n.quotesOpened
                  ? ` · ${n.quotes.map((x) => `${x.name} ${yuan(x.amountYuan)}`).join('；')}`
                  : ` · ${tx('开标时间', 'opens at')} ${n.quoteOpensAt ?? ''}`}
              </div>
            )}
            <Space style={{ marginTop: 8 }} wrap>
              {owner && n.status === 'open' && (
                <Button
                  data-testid="need-draw"
                  onClick={() =>
                    act.mutate({ url: `/api/marketplace/needs/${n.id}/selection`, body: { method: 'draw' } })
                  }
                >
                  {tx('随机抽取', 'Random draw')}
                </Button>
              )}
              {owner && n.status === 'selected' && (
                <Button
                  type="primary"
                  data-testid="need-contract"
                  onClick={() =>
                    act.mutate({
                      url: `/api/marketplace/needs/${n.id}/contract`,
                      body: {
                        contractNo: `HT-${n.id.slice(0, 8)}`,
                        amountYuan: n.selected!.feeYuan,
                        signedOn: today,
                      },
                    })
                  }
                >
                  {tx('登记合同', 'Record contract')}
                </Button>
              )}
              {owner && (n.status === 'open' || n.status === 'selected') && (
                <Button
                  danger
                  onClick={() =>
                    act.mutate({
                      url: `/api/marketplace/needs/${n.id}/action`,
                      body: { action: 'cancel', reason: '建设单位撤销' },
                    })
                  }
                >
                  {tx('撤销', 'Cancel')}
                </Button>
              )}
            </Space>
          </Card>
        ))}
      </Flex>
    </Card>
  );
}

function Engagements() {
  const tx = useTx();
  const done = useDone();
  const { user } = useAuth();
  const owner = user?.role === 'applicant' || user?.role === 'agent';
  const intermediary = user?.role === 'intermediary';
  const q = useQuery({
    queryKey: ['market', 'engagements'],
    queryFn: ({ signal }) =>
      api.get<{ engagements: Engagement[] }>('/api/marketplace/engagements', undefined, signal),
  });
  const act = useMutation({
    mutationFn: ({ url, body }: { url: string; body: unknown }) => api.post(url, body),
    onSuccess: () => done(tx('已办理', 'Done')),
  });
  return (
    <Card title={tx('中介服务（计时监管）', 'Services under supervision')}>
      {q.error && <ErrorAlert error={q.error} />}
      {act.error && <ErrorAlert error={act.error} />}
      <Flex vertical gap={12} data-testid="market-engagements">
        {(q.data?.engagements ?? []).map((e) => (
          <Card
            key={e.id}
            size="small"
            title={`${e.serviceName} · ${e.intermediaryName}`}
            extra={<Tag>{e.statusName}</Tag>}
          >
            <div>
              {e.projectName} · {tx('合同', 'Contract')} {e.contractNo} · {yuan(e.amountYuan)}
            </div>
            <div>
              {tx('承诺', 'Commitment')} {e.committedDays} {tx('个工作日，应于', 'working days, due')}{' '}
              {e.deadline}{' '}
              <Tag color={clockColor[e.clock.state]} data-testid="engagement-clock">
                {e.clock.state === 'overdue'
                  ? `${tx('逾期', 'Overdue')} ${e.clock.overdueWorkingDays} ${tx('个工作日', 'wd')}`
                  : e.clock.state === 'warning'
                    ? `${tx('预警', 'Warning')}：${tx('剩余', 'left')} ${e.clock.remainingWorkingDays}`
                    : `${tx('正常', 'On time')}：${tx('剩余', 'left')} ${e.clock.remainingWorkingDays}`}
              </Tag>
            </div>
            {e.report && (
              <div>
                {tx('成果', 'Report')} {e.report.reportNo}（{e.report.deliveredOn}）
              </div>
            )}
            {e.rating && (
              <div>
                {tx('评价', 'Rating')}：{e.rating.name}
              </div>
            )}
            {intermediary && e.status === 'in_service' && <DeliverForm engagement={e} />}
            {owner && <ComplainForm engagement={e} />}
            <Space style={{ marginTop: 8 }} wrap>
              {owner && e.status === 'delivered' && (
                <>
                  <Button
                    type="primary"
                    data-testid="engagement-accept"
                    onClick={() =>
                      act.mutate({
                        url: `/api/marketplace/engagements/${e.id}/report-decision`,
                        body: { decision: 'accept' },
                      })
                    }
                  >
                    {tx('验收成果（作为项目申报材料）', 'Accept (becomes project material)')}
                  </Button>
                  <Button
                    onClick={() =>
                      act.mutate({
                        url: `/api/marketplace/engagements/${e.id}/report-decision`,
                        body: { decision: 'return', reason: '成果不符合合同约定，请修改' },
                      })
                    }
                  >
                    {tx('退回修改', 'Return')}
                  </Button>
                </>
              )}
              {owner && (e.status === 'accepted' || e.status === 'terminated') && (
                <Select
                  placeholder={tx('服务评价', 'Rate')}
                  style={{ width: 160 }}
                  data-testid="engagement-rate"
                  options={satisfaction.map((s) => ({ value: s.code, label: tx(s.zh, s.en) }))}
                  onChange={(code: number) =>
                    act.mutate({
                      url: `/api/marketplace/engagements/${e.id}/rating`,
                      body: { satisfactionCode: code },
                    })
                  }
                />
              )}
              {owner && e.status === 'in_service' && (
                <Button
                  danger
                  onClick={() =>
                    act.mutate({
                      url: `/api/marketplace/engagements/${e.id}/termination`,
                      body: { reason: '建设单位终止合同' },
                    })
                  }
                >
                  {tx('终止合同', 'Terminate')}
                </Button>
              )}
            </Space>
          </Card>
        ))}
      </Flex>
    </Card>
  );
}
