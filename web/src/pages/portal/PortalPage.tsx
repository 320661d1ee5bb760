/**
 * 公众门户 (public, no login, phone-friendly): 办事指南, 进度查询 (项目代码 + 查询码), 证照核验 by the
 * printed 证照标识, 咨询辅导 and 常见问题, 批后公开. Everything it shows comes from /api/public/….
 */
import { BankOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Collapse,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { stageStatusText, taskStatusText, useTx } from '../projects/strings';
import type { Consultation, Disclosure, Faq, GuideIndex, Progress, StageGuide } from './api';

const TABS = ['guide', 'progress', 'verify', 'consult', 'disclosure'] as const;
type TabKey = (typeof TABS)[number];

export default function PortalPage() {
  const tx = useTx();
  const { tab } = useParams();
  const navigate = useNavigate();
  const active: TabKey = (TABS as readonly string[]).includes(tab ?? '') ? (tab as TabKey) : 'guide';
  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5' }} data-testid="portal">
      <Flex
        align="center"
        gap={10}
        style={{
          background: 'linear-gradient(90deg, #0f3a7d, #1d5bb8)',
          color: '#fff',
          padding: '12px 16px',
          fontSize: 16,
          fontWeight: 600,
        }}
      >
        <BankOutlined />
        <span>
          {tx('郑州市工程建设项目审批 · 公众服务', 'Zhengzhou construction approvals · public service')}
        </span>
      </Flex>
      <div style={{ maxWidth: 880, margin: '0 auto', padding: '8px 12px 24px' }}>
        <Tabs
          activeKey={active}
          onChange={(k) => navigate(`/portal/${k}`)}
          items={[
            { key: 'guide', label: tx('办事指南', 'Guides'), children: <GuideTab /> },
            { key: 'progress', label: tx('进度查询', 'Progress'), children: <ProgressTab /> },
            { key: 'verify', label: tx('证照核验', 'Verify'), children: <VerifyTab /> },
            { key: 'consult', label: tx('咨询辅导', 'Ask'), children: <ConsultTab /> },
            { key: 'disclosure', label: tx('批后公开', 'Disclosures'), children: <DisclosureTab /> },
            { key: 'credit', label: tx('信用与双随机', 'Credit & inspections'), children: <CreditTab /> },
          ]}
        />
        <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', marginTop: 16 }}>
          <a href="/login">{tx('工作人员与企业登录', 'Staff and enterprise login')}</a>
        </Typography.Text>
      </div>
    </div>
  );
}

function GuideTab() {
  const tx = useTx();
  const [template, setTemplate] = useState<string>();
  const [stage, setStage] = useState<number>();
  const index = useQuery({
    queryKey: ['portal-guides'],
    queryFn: ({ signal }) => api.get<GuideIndex>('/api/public/guides', undefined, signal),
  });
  if (index.error) return <ErrorAlert error={index.error} />;
  if (!index.data) return <Spin />;
  const chosen = index.data.templates.find((t) => t.code === template);
  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <Flex vertical gap={8}>
          <Select
            data-testid="guide-template"
            aria-label={tx('项目类型', 'Project type')}
            placeholder={tx('选择项目类型', 'Project type')}
            value={template}
            onChange={(v) => {
              setTemplate(v);
              setStage(undefined);
            }}
            options={index.data.templates.map((t) => ({
              value: t.code,
              label: `${t.name}（${tx('全流程', 'total')} ${t.totalWorkingDays} ${tx('个工作日', 'working days')}）`,
            }))}
          />
          {chosen && (
            <Select
              data-testid="guide-stage"
              aria-label={tx('阶段', 'Stage')}
              placeholder={tx('选择阶段', 'Stage')}
              value={stage}
              onChange={setStage}
              options={chosen.stages.map((s) => ({
                value: s.nationalStage,
                label: `${s.name}（${s.timeLimitWorkingDays} ${tx('个工作日', 'working days')}）`,
              }))}
            />
          )}
        </Flex>
      </Card>
      {template && stage && <StageGuideCard template={template} stage={stage} />}
    </Flex>
  );
}

function StageGuideCard({ template, stage }: { template: string; stage: number }) {
  const tx = useTx();
  const { data, error } = useQuery({
    queryKey: ['portal-guide', template, stage],
    queryFn: ({ signal }) =>
      api.get<StageGuide>(`/api/public/guides/${template}/stages/${stage}`, undefined, signal),
  });
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <Spin />;
  const fields = Object.values(data.form.properties ?? {});
  return (
    <Card
      size="small"
      title={`${data.template.name} · ${data.stage.name}`}
      data-testid="guide-card"
      extra={<Tag color="blue">{`${data.stage.timeLimitWorkingDays} ${tx('个工作日', 'working days')}`}</Tag>}
    >
      <Typography.Paragraph type="secondary">
        {tx('牵头部门：', 'Lead department: ')}
        {data.stage.leadDepartmentName}
      </Typography.Paragraph>
      <Collapse
        defaultActiveKey={['items', 'materials']}
        items={[
          {
            key: 'items',
            label: `${tx('审批事项', 'Items')}（${data.items.length}）`,
            children: (
              <List
                size="small"
                dataSource={data.items}
                renderItem={(i) => (
                  <List.Item data-testid="guide-item">
                    <Flex vertical style={{ width: '100%' }}>
                      <span>
                        {i.name} {i.conditional && <Tag>{tx('特定情形', 'if applicable')}</Tag>}
                        {i.commitmentAllowed && <Tag color="green">{tx('可告知承诺', 'commitment')}</Tag>}
                      </span>
                      <Typography.Text type="secondary">
                        {i.departmentName} · {tx('承诺时限', 'promised')} {i.promisedTimeLimitDays}{' '}
                        {tx('个工作日', 'working days')}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            ),
          },
          {
            key: 'materials',
            label: `${tx('申请材料（一套）', 'Materials (one set)')}（${data.materials.length}）`,
            children: (
              <List
                size="small"
                dataSource={data.materials}
                renderItem={(m) => (
                  <List.Item data-testid="guide-material">
                    <span>
                      {m.name} {m.required ? <Tag color="red">{tx('必交', 'required')}</Tag> : null}
                      {m.deficiencyAllowed && <Tag color="orange">{tx('可容缺', 'deferrable')}</Tag>}
                    </span>
                  </List.Item>
                )}
              />
            ),
          },
          {
            key: 'form',
            label: `${tx('申请表（一张）', 'Application form (one)')}（${fields.length}）`,
            children: <Typography.Paragraph>{fields.map((f) => f.title).join('、')}</Typography.Paragraph>,
          },
          {
            key: 'flow',
            label: tx('流程图', 'Flowchart'),
            children: (
              <img src={data.flowchartUrl} alt={tx('流程图', 'Flowchart')} style={{ maxWidth: '100%' }} />
            ),
          },
        ]}
      />
    </Card>
  );
}

function ProgressTab() {
  const tx = useTx();
  const [result, setResult] = useState<Progress>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const onFinish = async (v: { projectCode: string; queryCode: string }) => {
    setLoading(true);
    setError(undefined);
    try {
      setResult(await api.post<Progress>('/api/public/progress', v));
    } catch (e) {
      setResult(undefined);
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  const lang = (pair: [string, string] | undefined, fallback: string) =>
    pair ? tx(pair[0], pair[1]) : fallback;
  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <Form layout="vertical" onFinish={onFinish} data-testid="progress-form">
          <Form.Item name="projectCode" label={tx('项目代码', 'Project code')} rules={[{ required: true }]}>
            <Input placeholder="2026-410102-47-03-000001" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="queryCode"
            label={tx('查询码（登记项目时获得）', 'Query code (given at registration)')}
            rules={[{ required: true }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={loading} block>
            {tx('查询', 'Look up')}
          </Button>
        </Form>
      </Card>
      {error !== undefined && <ErrorAlert error={error} />}
      {result && (
        <Card size="small" title={result.name} data-testid="progress-result">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={tx('项目代码', 'Code')}>{result.code}</Descriptions.Item>
            <Descriptions.Item label={tx('建设单位', 'Owner')}>{result.enterpriseName}</Descriptions.Item>
            <Descriptions.Item label={tx('登记日期', 'Registered')}>{result.registeredOn}</Descriptions.Item>
          </Descriptions>
          {result.stages.map((s) => (
            <Card
              key={s.nationalStage}
              size="small"
              type="inner"
              style={{ marginTop: 8 }}
              title={s.name}
              extra={
                <Tag data-testid="progress-stage-status">{lang(stageStatusText[s.status], s.status)}</Tag>
              }
            >
              {s.items.length === 0 ? (
                <Typography.Text type="secondary">{tx('尚无办理事项', 'No items yet')}</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={s.items}
                  renderItem={(i) => (
                    <List.Item>
                      <Flex vertical style={{ width: '100%' }}>
                        <span>
                          {i.itemName} <Tag>{lang(taskStatusText[i.status], i.status)}</Tag>
                        </span>
                        <Typography.Text type="secondary">
                          {i.departmentName} · {tx('办理期限', 'due')} {i.deadline}
                          {i.overdueWorkingDays
                            ? ` · ${tx('已超期', 'overdue')} ${i.overdueWorkingDays}`
                            : ''}
                        </Typography.Text>
                      </Flex>
                    </List.Item>
                  )}
                />
              )}
            </Card>
          ))}
        </Card>
      )}
    </Flex>
  );
}

function VerifyTab() {
  const tx = useTx();
  const navigate = useNavigate();
  return (
    <Card size="small">
      <Typography.Paragraph>
        {tx(
          '请输入证照上印制的证照标识（1.2.156.3005.2.…），或扫描证照二维码。',
          'Enter the identifier printed on the certificate, or scan its QR code.',
        )}
      </Typography.Paragraph>
      <Input.Search
        data-testid="portal-verify"
        aria-label={tx('证照标识', 'Certificate identifier')}
        placeholder="1.2.156.3005.2.…"
        enterButton={tx('核验', 'Verify')}
        onSearch={(v) => v.trim() && navigate(`/verify/${encodeURIComponent(v.trim())}`)}
      />
    </Card>
  );
}

function ConsultTab() {
  const tx = useTx();
  const [asked, setAsked] = useState<Consultation>();
  const [error, setError] = useState<unknown>();
  const [form] = Form.useForm();
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: ({ signal }) =>
      api.get<{ departments: { code: string; name: string }[] }>('/api/departments', undefined, signal),
  });
  const faq = useQuery({
    queryKey: ['portal-faq'],
    queryFn: ({ signal }) => api.get<Faq>('/api/public/faq', undefined, signal),
  });
  const onFinish = async (v: Record<string, string>) => {
    setError(undefined);
    try {
      setAsked(await api.post<Consultation>('/api/public/consultations', v));
      form.resetFields();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Flex vertical gap={12}>
      <Card size="small" title={tx('我要咨询', 'Ask a question')}>
        <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ routedTo: 'window' }}>
          <Form.Item name="routedTo" label={tx('咨询对象', 'To')}>
            <Select
              options={[
                { value: 'window', label: tx('综合服务窗口', 'Service window') },
                ...(departments.data?.departments ?? []).map((d) => ({ value: d.code, label: d.name })),
              ]}
            />
          </Form.Item>
          <Form.Item name="topic" label={tx('主题', 'Topic')} rules={[{ required: true }]}>
            <Input data-testid="consult-topic" maxLength={50} />
          </Form.Item>
          <Form.Item name="question" label={tx('问题', 'Question')} rules={[{ required: true, min: 5 }]}>
            <Input.TextArea data-testid="consult-question" rows={3} maxLength={2000} />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="askerName" rules={[{ required: true }]} style={{ flex: 1 }}>
              <Input data-testid="consult-name" placeholder={tx('姓名', 'Name')} />
            </Form.Item>
            <Form.Item name="askerContact" rules={[{ required: true }]} style={{ flex: 1 }}>
              <Input data-testid="consult-contact" placeholder={tx('手机号或邮箱', 'Mobile or e-mail')} />
            </Form.Item>
          </Space.Compact>
          <Button type="primary" htmlType="submit" block data-testid="consult-submit">
            {tx('提交', 'Submit')}
          </Button>
        </Form>
      </Card>
      {error !== undefined && <ErrorAlert error={error} />}
      {asked && (
        <Alert
          type="success"
          data-testid="consult-ticket"
          title={tx('已提交，请保存查看答复的凭证', 'Submitted: keep this ticket to read the answer')}
          description={
            <span>
              {tx('凭证', 'Ticket')}：<b data-testid="consult-ticket-code">{asked.ticket}</b> ·{' '}
              {tx('答复期限', 'answer by')} {asked.dueOn}
              <br />
              <a href={`/portal/answer/${asked.id}?ticket=${asked.ticket}`}>
                {tx('查看答复', 'Read the answer')}
              </a>
            </span>
          }
        />
      )}
      <Card size="small" title={tx('常见问题', 'FAQ')}>
        {faq.data && faq.data.faq.length === 0 && <Empty />}
        <Collapse
          items={(faq.data?.faq ?? []).map((f) => ({
            key: f.id,
            label: `【${f.topic}】${f.question}`,
            children: <Typography.Paragraph>{f.answer}</Typography.Paragraph>,
          }))}
        />
      </Card>
    </Flex>
  );
}

/** /portal/answer/:id?ticket=…: the asker reads the answer. */
export function AnswerPage() {
  const tx = useTx();
  const { id = '' } = useParams();
  const ticket = new URLSearchParams(window.location.search).get('ticket') ?? '';
  const { data, error } = useQuery({
    queryKey: ['portal-answer', id, ticket],
    queryFn: ({ signal }) => api.get<Consultation>(`/api/public/consultations/${id}`, { ticket }, signal),
  });
  return (
    <div style={{ maxWidth: 880, margin: '0 auto', padding: 12 }}>
      {error && <ErrorAlert error={error} />}
      {!data && !error && <Spin />}
      {data && (
        <Card title={`【${data.topic}】${data.question}`} data-testid="consult-answer">
          {data.answer ? (
            <Typography.Paragraph>{data.answer}</Typography.Paragraph>
          ) : (
            <Typography.Text type="secondary">
              {tx('尚未答复，答复期限', 'Not answered yet; due')} {data.dueOn}
            </Typography.Text>
          )}
        </Card>
      )}
      <a href="/portal/consult">{tx('返回', 'Back')}</a>
    </div>
  );
}

function DisclosureTab() {
  const tx = useTx();
  const [projectCode, setProjectCode] = useState('');
  const { data, error } = useQuery({
    queryKey: ['portal-disclosures', projectCode],
    queryFn: ({ signal }) =>
      api.get<Disclosure>('/api/public/disclosures/certificates', { projectCode }, signal),
  });
  return (
    <Flex vertical gap={12}>
      <Input.Search
        aria-label={tx('按项目代码筛选', 'Filter by project code')}
        placeholder={tx('按项目代码筛选', 'Filter by project code')}
        allowClear
        onSearch={(v) => setProjectCode(v.trim())}
      />
      {error && <ErrorAlert error={error} />}
      <List
        data-testid="disclosures"
        dataSource={data?.certificates ?? []}
        renderItem={(c) => (
          <List.Item>
            <Flex vertical style={{ width: '100%' }}>
              <span>
                {c.title} {c.revoked && <Tag color="red">{tx('已撤销', 'revoked')}</Tag>}
              </span>
              <Typography.Text type="secondary">
                {c.holderName} · {c.projectName}（{c.projectCode}）· {c.issuedOn}
              </Typography.Text>
              <Typography.Text type="secondary" copyable style={{ fontSize: 12 }}>
                {c.identifier}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Flex>
  );
}

/** 信用公示 and 双随机、一公开 results live on the credit module's public pages; the portal links to them. */
function CreditTab() {
  const tx = useTx();
  return (
    <Card>
      <Typography.Paragraph>
        {tx(
          '公开守信红名单、失信黑名单和失信行为，以及“双随机、一公开”抽查的抽取名单与检查结果。',
          'Public credit lists and the results of random inspections.',
        )}
      </Typography.Paragraph>
      <Link to="/public/credit">
        {tx('查看信用公示与双随机抽查结果', 'Open credit lists and inspection results')}
      </Link>
    </Card>
  );
}
