/**
 * 阶段申报: one guide, one merged form, one material set (task 58), 告知承诺 per eligible item, submit
 * once with an Idempotency-Key kept for the attempt (a double click or a retry makes no second application).
 * Nothing is asked twice: the project's registered facts are shown, not asked; earlier answers are
 * prefilled; materials on file say where they come from (an upload, or a certificate / 批准文件 this
 * system issued); results the stage's own items produce are listed as not needed.
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
import { useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useDepartmentNames } from '../../api/hooks';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { formatDate } from '../../lib/time';
import {
  keys,
  submitApplication,
  useCsrfToken,
  useGuide,
  useProject,
  type Guide,
  type JsonSchemaProperty,
} from './api';
import { MaterialUpload, type Uploaded } from './MaterialUpload';
import { cleanForm, SchemaFields } from './SchemaForm';
import { preconditionText, useTx } from './strings';

type FactValue = string | number | boolean;

/** A form property as the guide sends it: with its unit and, when the project knows it, its value. */
type GuideProperty = JsonSchemaProperty & { unit?: string; readOnly?: boolean; default?: unknown };

/** A material with where the copy on file comes from (absent from an older server: shown as before). */
type GuideMaterial = Guide['materials'][number] & {
  source?: 'upload' | 'certificate' | 'result' | null;
  onFileSince?: string | null;
  certificate?: { id: string; identifier: string; title: string; simulated: boolean } | null;
  result?: { taskId: string; itemCode: string; documentNumber: string | null; simulated: boolean } | null;
};

/** The guide with what the project already knows (task 58: never ask twice). */
type StageGuide = Omit<Guide, 'materials' | 'form'> & {
  form: { properties?: Record<string, GuideProperty>; required?: string[] };
  materials: GuideMaterial[];
  prefill?: Record<string, FactValue>;
  known?: { key: string; source: 'project' | 'application' }[];
  producedInStage?: { code: string; name: string; producedBy: string[]; usedBy: string[] }[];
  project?: { enterpriseName: string; creditCode: string | null };
};

/** Splits the form: registered facts are shown read-only; the rest is asked, units in the labels. */
function splitForm(guide: StageGuide) {
  const properties = guide.form.properties ?? {};
  const prefill = guide.prefill ?? {};
  const fixed = Object.entries(properties).filter(([k, p]) => p.readOnly && prefill[k] !== undefined);
  const fixedKeys = new Set(fixed.map(([k]) => k));
  const asked = Object.entries(properties)
    .filter(([k]) => !fixedKeys.has(k))
    .map(([k, p]) => [k, p.unit ? { ...p, title: `${p.title ?? k}（${p.unit}）` } : p] as const);
  const initial = Object.fromEntries(
    Object.entries(prefill).filter(([k]) => !fixedKeys.has(k) && k in properties),
  );
  return {
    fixed,
    fixedValues: Object.fromEntries(fixed.map(([k]) => [k, prefill[k]!])),
    askSchema: {
      properties: Object.fromEntries(asked),
      required: (guide.form.required ?? []).filter((k) => !fixedKeys.has(k)),
    },
    initial,
  };
}

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
        guide={guide.data as StageGuide}
        enterpriseName={project.data.enterpriseName}
        enterpriseId={project.data.enterpriseId}
      />
    </>
  );
}

function ApplyForm({
  projectId,
  stage,
  guide,
  enterpriseName,
  enterpriseId,
}: {
  projectId: string;
  stage: number;
  guide: StageGuide;
  enterpriseName: string;
  enterpriseId: string;
}) {
  const tx = useTx();
  const t = useT();
  const { fixed, fixedValues, askSchema, initial } = useMemo(() => splitForm(guide), [guide]);
  const itemName = (code: string) => guide.items.find((i) => i.code === code)?.name ?? code;
  const prefilledFromEarlier = (guide.known ?? []).filter((k) => k.source === 'application').length;
  const dept = useDepartmentNames();
  const navigate = useNavigate();
  const client = useQueryClient();
  const csrf = useCsrfToken();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [uploads, setUploads] = useState<Record<string, Uploaded | undefined>>({});
  // 帮办代办: the agent applies for the project's enterprise, within the consent it gave.
  const onBehalf = useAuth().hasRole('agent');
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
          // The registered facts go with the form as the registry states them.
          form: { ...fixedValues, ...cleanForm(values) },
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
      // A field the server refused (e.g. one contradicting the registration) is marked where it is typed.
      const key = err instanceof ApiError ? err.field?.match(/^body\.form\.(\w+)$/)?.[1] : undefined;
      if (key && key in (askSchema.properties ?? {})) {
        form.setFields([{ name: key, errors: [(err as ApiError).message] }]);
        form.scrollToField(key);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {onBehalf && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="apply-on-behalf"
          message={tx(
            `帮办代办：为 ${enterpriseName} 申报，须已获该企业“阶段申报”委托`,
            `Assisting agent: applying for ${enterpriseName}, under its consent`,
          )}
        />
      )}
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
                <p key={i.code}>{i.commitmentText}</p>
              ))}
          />
        )}
      </Card>

      <Card title={tx('申请表单（一张表单）', 'Application form (one form)')} style={{ marginBottom: 16 }}>
        {fixed.length > 0 && (
          <Descriptions
            size="small"
            bordered
            column={2}
            style={{ marginBottom: 16 }}
            title={t('apply.knownFacts')}
            data-testid="known-facts"
          >
            {fixed.map(([key, p]) => (
              <Descriptions.Item key={key} label={p.title ?? key}>
                <span data-testid={`known-${key}`}>
                  {factText(fixedValues[key]!, p, t('common.yes'), t('common.no'))}
                </span>
              </Descriptions.Item>
            ))}
            {guide.project?.creditCode && (
              <Descriptions.Item label={t('apply.creditCode')}>
                <span data-testid="known-creditCode">{guide.project.creditCode}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
        {prefilledFromEarlier > 0 && (
          <Typography.Paragraph type="secondary" data-testid="prefilled-hint">
            {t('apply.prefilledHint')}
          </Typography.Paragraph>
        )}
        <Form form={form} layout="vertical" data-testid="stage-form" initialValues={initial}>
          <SchemaFields schema={askSchema} />
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
                  <OnFile m={m} />
                ) : (
                  <MaterialUpload
                    code={m.code}
                    value={uploads[m.code]}
                    onChange={(v) => setUploads((u) => ({ ...u, [m.code]: v }))}
                    enterpriseId={onBehalf ? enterpriseId : undefined}
                  />
                ),
            },
          ]}
        />
      </Card>
      {(guide.producedInStage ?? []).length > 0 && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          data-testid="produced-in-stage"
          title={t('apply.producedInStage')}
          description={(guide.producedInStage ?? []).map((p) => (
            <div key={p.code} data-testid={`produced-${p.code}`}>
              {t('apply.producedBy', { name: p.name, items: p.producedBy.map(itemName).join('、') })}
            </div>
          ))}
        />
      )}
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

function factText(value: FactValue, p: GuideProperty, yes: string, no: string): string {
  if (typeof value === 'boolean') return value ? yes : no;
  const text =
    typeof value === 'number' ? value.toLocaleString('zh-CN', { maximumFractionDigits: 2 }) : value;
  return p.unit ? `${text} ${p.unit}` : text;
}

/** Where the material on file comes from: the system's own certificate or 批准文件, or an earlier upload. */
function OnFile({ m }: { m: GuideMaterial }) {
  const t = useT();
  const simulated = m.certificate?.simulated || m.result?.simulated;
  return (
    <span data-testid={`onfile-${m.code}`} data-source={m.source ?? 'upload'}>
      {m.source === 'certificate' ? (
        <>
          <Tag color="green">{t('apply.onFile.certificate')}</Tag>
          <Typography.Text type="secondary">{m.certificate?.identifier}</Typography.Text>
        </>
      ) : m.source === 'result' ? (
        <>
          <Tag color="green">{t('apply.onFile.result')}</Tag>
          {m.result?.documentNumber && (
            <Typography.Text type="secondary">{m.result.documentNumber}</Typography.Text>
          )}
        </>
      ) : (
        <>
          <Tag color="green">{t('apply.onFile.upload')}</Tag>
          {m.onFileSince && (
            <Typography.Text type="secondary">
              {t('apply.onFile.since', { date: formatDate(m.onFileSince) })}
            </Typography.Text>
          )}
        </>
      )}
      {simulated && <Tag color="purple">{t('apply.onFile.simulated')}</Tag>}
    </span>
  );
}
