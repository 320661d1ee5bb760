/**
 * 阶段申报: one guide, one merged form, one material set (task 58), 告知承诺 per eligible item, submit
 * once with an Idempotency-Key kept for the attempt (a double click or a retry makes no second application).
 */
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useDepartmentNames } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { keys, submitApplication, useCsrfToken, useGuide, useProject, type Guide } from './api';
import { MaterialUpload, type Uploaded } from './MaterialUpload';
import { cleanForm, SchemaFields } from './SchemaForm';
import { commitmentText, preconditionText, useTx } from './strings';

export default function StageApplyPage() {
  const { id = '', n = '1' } = useParams();
  const stage = Number(n);
  const tx = useTx();
  const guide = useGuide(id, stage);
  const project = useProject(id);
  if (guide.error) return <ErrorAlert error={guide.error} onRetry={() => void guide.refetch()} />;
  if (!guide.data || !project.data) return <Spin />;
  return (
    <>
      <PageHeader
        title={tx(`第${stage}阶段申报：${guide.data.stage.name}`, `Stage ${stage}: ${guide.data.stage.name}`)}
        subTitle={`${project.data.code} ${project.data.name}`}
        back={`/projects/${id}`}
      />
      <ApplyForm
        projectId={id}
        stage={stage}
        guide={guide.data}
        enterpriseName={project.data.enterpriseName}
      />
    </>
  );
}

function ApplyForm({
  projectId,
  stage,
  guide,
  enterpriseName,
}: {
  projectId: string;
  stage: number;
  guide: Guide;
  enterpriseName: string;
}) {
  const tx = useTx();
  const dept = useDepartmentNames();
  const navigate = useNavigate();
  const client = useQueryClient();
  const csrf = useCsrfToken();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [uploads, setUploads] = useState<Record<string, Uploaded | undefined>>({});
  const [commitments, setCommitments] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  // One key per submission attempt: a retry after a lost answer replays the same application.
  const attemptKey = useRef<string>(crypto.randomUUID());

  const onSubmit = async () => {
    setError(null);
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const absent = guide.materials.filter((m) => m.required && !m.onFile && !uploads[m.code]);
    setMissing(absent.map((m) => m.code));
    if (absent.length > 0 && absent.some((m) => !m.deficiencyAllowed)) return;
    setSaving(true);
    try {
      const result = await submitApplication(
        projectId,
        {
          stage,
          form: cleanForm(values),
          materials: Object.entries(uploads)
            .filter((e): e is [string, Uploaded] => !!e[1])
            .map(([materialCode, u]) => ({ materialCode, fileId: u.fileId })),
          commitments,
        },
        attemptKey.current,
        csrf(),
      );
      message.success(tx('申报已提交，等待综合窗口受理', 'Submitted; waiting for the window'));
      await client.invalidateQueries({ queryKey: keys.projects });
      navigate(`/projects/${projectId}?application=${result.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Card title={tx('办事指南', 'Guide')} style={{ marginBottom: 16 }} data-testid="guide">
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={tx('牵头部门', 'Lead department')}>
            {dept(guide.stage.leadDepartmentCode)}
          </Descriptions.Item>
          <Descriptions.Item label={tx('阶段时限', 'Time limit')}>
            {tx(
              `${guide.stage.timeLimitWorkingDays} 个工作日`,
              `${guide.stage.timeLimitWorkingDays} working days`,
            )}
          </Descriptions.Item>
          <Descriptions.Item label={tx('预计办结', 'Expected completion')}>
            <span data-testid="guide-expected">{guide.expectedCompletion}</span>
          </Descriptions.Item>
        </Descriptions>
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={guide.items}
          data-testid="guide-items"
          columns={[
            { title: tx('审批事项', 'Item'), dataIndex: 'name' },
            { title: tx('办理部门', 'Department'), dataIndex: 'departmentCode', render: dept },
            {
              title: tx('承诺时限', 'Promised'),
              dataIndex: 'promisedTimeLimitDays',
              render: (d: number) => tx(`${d} 个工作日`, `${d} working days`),
            },
            { title: tx('结果文件', 'Result'), dataIndex: 'resultDocumentType' },
            {
              title: tx('办理方式', 'Mode'),
              render: (_: unknown, item) => (
                <>
                  {item.simulatedUntil && (
                    <Tag color="purple">
                      {tx('模拟审批', 'Simulated')}：
                      {tx(
                        ...(preconditionText[item.simulatedUntil] ?? [
                          item.simulatedUntil,
                          item.simulatedUntil,
                        ]),
                      )}
                    </Tag>
                  )}
                  {item.commitmentAllowed ? (
                    <Checkbox
                      data-testid={`commit-${item.code}`}
                      checked={commitments.includes(item.code)}
                      onChange={(e) =>
                        setCommitments((c) =>
                          e.target.checked ? [...c, item.code] : c.filter((x) => x !== item.code),
                        )
                      }
                    >
                      {tx('告知承诺制办理', 'Sign a commitment')}
                    </Checkbox>
                  ) : (
                    <Typography.Text type="secondary">{tx('一般程序', 'Regular')}</Typography.Text>
                  )}
                </>
              ),
            },
          ]}
        />
        {commitments.length > 0 && (
          <Alert
            type="warning"
            style={{ marginTop: 12 }}
            title={tx('告知承诺书', 'Commitment')}
            data-testid="commitment-text"
            description={guide.items
              .filter((i) => commitments.includes(i.code))
              .map((i) => (
                <p key={i.code}>{commitmentText(i.name, enterpriseName)}</p>
              ))}
          />
        )}
      </Card>

      <Card title={tx('申请表单（一张表单）', 'Application form (one form)')} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" data-testid="stage-form">
          <SchemaFields schema={guide.form} />
        </Form>
      </Card>

      <Card title={tx('申报材料（一套材料）', 'Materials (one set)')} style={{ marginBottom: 16 }}>
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={guide.materials}
          data-testid="materials-table"
          onRow={(m) => ({ 'data-testid': `material-row-${m.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: tx('材料名称', 'Material'), dataIndex: 'name' },
            {
              title: tx('要求', 'Requirement'),
              render: (_: unknown, m) => (
                <>
                  {m.required ? (
                    <Tag color="red">{tx('必交', 'Required')}</Tag>
                  ) : (
                    <Tag>{tx('选交', 'Optional')}</Tag>
                  )}
                  {m.deficiencyAllowed && <Tag color="gold">{tx('可容缺', 'May be deferred')}</Tag>}
                  {missing.includes(m.code) && (
                    <Typography.Text type="danger">{tx('尚未上传', 'Not uploaded')}</Typography.Text>
                  )}
                </>
              ),
            },
            {
              title: tx('文件', 'File'),
              render: (_: unknown, m) =>
                m.onFile && !uploads[m.code] ? (
                  <Tag color="green" data-testid={`onfile-${m.code}`}>
                    {tx('已在档', 'On file')}
                  </Tag>
                ) : (
                  <MaterialUpload
                    code={m.code}
                    value={uploads[m.code]}
                    onChange={(v) => setUploads((u) => ({ ...u, [m.code]: v }))}
                  />
                ),
            },
          ]}
        />
      </Card>
      {error !== null && <ErrorAlert error={error} />}
      <Button
        type="primary"
        size="large"
        loading={saving}
        onClick={() => void onSubmit()}
        data-testid="apply-submit"
      >
        {tx('提交申报', 'Submit')}
      </Button>
    </>
  );
}
