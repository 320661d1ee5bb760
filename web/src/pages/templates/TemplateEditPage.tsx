/**
 * 编辑审批流程 (issue 15): the administrator edits a template's stages and items, previews the computed
 * stage limits and whole-process total with the server's own rules (POST …/preview: nothing saved),
 * and publishes the previewed draft as a new version (PUT /api/admin/process-templates/:code).
 * Publishing is offered only for the draft last previewed, and only when the preview found no problem.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { queryKeys, useCatalogItems, useDepartments, useProcessTemplate } from '../../api/hooks';
import type { ApiResponse, ProcessTemplate } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StageTag } from '../../components/tags';
import { useT } from '../../i18n';
import { describeCondition } from '../../lib/conditions';
import { errorMessage } from '../../lib/errors';
import { todayInBeijing } from '../../lib/time';
import { showFieldError } from '../admin/formErrors';
import { useTx } from '../login/strings';
import { TotalDays } from './TemplateListPage';

type Preview = ApiResponse<'/api/admin/process-templates/{code}/preview', 'post'>;

interface DraftItem {
  itemCode: string;
  milestone: boolean;
  condition: unknown;
  prerequisites: string[];
  simulatedUntil: string | null;
  requiredBefore: string | null;
}

interface DraftStage {
  nationalStage: number;
  name: string;
  leadDepartmentCode: string;
  mergedStages: number[];
  completionRule: 'all_milestones' | 'any_milestone';
  parallelWithPrevious: boolean;
  items: DraftItem[];
}

interface Draft {
  code: string;
  name: string;
  nationalProcessType: string;
  version: number;
  effectiveFrom: string;
  allowedAttributes: ProcessTemplate['allowedAttributes'];
  stages: DraftStage[];
}

/** The definition behind the published presentation: without names, departments and computed limits. */
function draftOf(p: ProcessTemplate): Draft {
  return {
    code: p.code,
    name: p.name,
    nationalProcessType: p.nationalProcessType,
    version: p.version,
    effectiveFrom: todayInBeijing(),
    allowedAttributes: p.allowedAttributes,
    stages: p.stages.map((s) => ({
      nationalStage: s.nationalStage,
      name: s.name,
      leadDepartmentCode: s.leadDepartmentCode,
      mergedStages: s.mergedStages,
      completionRule: s.completionRule as DraftStage['completionRule'],
      parallelWithPrevious: s.parallelWithPrevious,
      items: s.items.map((i) => ({
        itemCode: i.itemCode,
        milestone: i.milestone,
        condition: i.condition ?? null,
        prerequisites: i.prerequisites,
        simulatedUntil: i.simulatedUntil,
        requiredBefore: i.requiredBefore,
      })),
    })),
  };
}

const newItem: DraftItem = {
  itemCode: '',
  milestone: false,
  condition: null,
  prerequisites: [],
  simulatedUntil: null,
  requiredBefore: null,
};

export default function TemplateEditPage() {
  const { code = '' } = useParams();
  const template = useProcessTemplate(code);
  const tx = useTx();
  if (template.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (template.isError) {
    return (
      <Card>
        <PageHeader title={tx('编辑审批流程', 'Edit process')} back="/templates" />
        <ErrorAlert error={template.error} onRetry={() => void template.refetch()} />
      </Card>
    );
  }
  return <TemplateEditor template={template.data} />;
}

function TemplateEditor({ template }: { template: ProcessTemplate }) {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Draft>();
  const initial = useMemo(() => draftOf(template), [template]);
  const catalog = useCatalogItems({ status: 'active' });
  const departments = useDepartments();
  const [preview, setPreview] = useState<Preview | null>(null);
  /** The draft the preview is of (JSON): publishing needs the form to be unchanged since. */
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);

  const itemName = useMemo(() => {
    const names = new Map((catalog.data ?? []).map((i) => [i.code, i.name]));
    for (const s of template.stages) for (const i of s.items) names.set(i.itemCode, i.itemName);
    return (c: string) => names.get(c) ?? c;
  }, [catalog.data, template]);

  const draft = (): Draft => form.getFieldsValue(true) as Draft;
  const current = JSON.stringify(draft());
  void changed;
  const upToDate = preview !== null && previewed === current;
  const publishable = upToDate && preview.issues.length === 0 && preview.publication === null;

  const onError = (err: unknown) => {
    if (!showFieldError(form, err)) void message.error(errorMessage(err, t));
  };
  const runPreview = useMutation({
    mutationFn: (d: Draft) => api.post<Preview>(`/api/admin/process-templates/${template.code}/preview`, d),
    onSuccess: (p, d) => {
      setPreview(p);
      setPreviewed(JSON.stringify(d));
    },
    onError,
  });
  const publish = useMutation({
    mutationFn: (d: Draft) => api.put<ProcessTemplate>(`/api/admin/process-templates/${template.code}`, d),
    onSuccess: async (published) => {
      void message.success(tx(`已发布 v${published.version}`, `Published v${published.version}`));
      await client.invalidateQueries({ queryKey: queryKeys.templates });
      navigate(`/templates/${encodeURIComponent(template.code)}`);
    },
    onError,
  });

  const allCodes = (Form.useWatch('stages', form) ?? initial.stages).flatMap((s) =>
    (s?.items ?? []).map((i) => i?.itemCode).filter(Boolean),
  );
  const codeOptions = allCodes.map((c) => ({ value: c, label: itemName(c) }));

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          back={`/templates/${encodeURIComponent(template.code)}`}
          title={tx(`编辑审批流程：${template.name}`, `Edit process: ${template.name}`)}
          subTitle={tx(
            `基于现行版本 v${template.version}；发布后成为 v${template.version + 1}`,
            `Based on v${template.version}; publishing makes v${template.version + 1}`,
          )}
          extra={<TotalDays days={template.totalWorkingDays} />}
        />
        <Form<Draft>
          form={form}
          layout="vertical"
          initialValues={initial}
          onValuesChange={() => setChanged((n) => n + 1)}
          data-testid="template-form"
        >
          <Flex gap={16} wrap>
            <Form.Item
              name="name"
              label={tx('流程名称', 'Process name')}
              rules={[{ required: true, whitespace: true, message: tx('请填写流程名称', 'Enter the name') }]}
              style={{ minWidth: 360 }}
            >
              <Input maxLength={100} data-testid="template-edit-name" />
            </Form.Item>
            <Form.Item
              name="effectiveFrom"
              label={tx('生效日期', 'Effective from')}
              extra={tx(
                '须在生效当日发布，且晚于现行版本的生效日期',
                'Publish on that day; after the current version',
              )}
              rules={[{ required: true, message: tx('请选择生效日期', 'Choose the date') }]}
            >
              <Input type="date" data-testid="template-edit-effective" />
            </Form.Item>
          </Flex>
          <Form.List name="stages">
            {(stageFields) =>
              stageFields.map((stageField) => {
                const stage = initial.stages[stageField.name] ?? draft().stages[stageField.name];
                const covered =
                  stage && stage.mergedStages.length > 0 ? stage.mergedStages : [stage?.nationalStage];
                const stageItems = (catalog.data ?? []).filter((i) => covered.includes(i.stage));
                return (
                  <Card
                    key={stageField.key}
                    size="small"
                    style={{ marginBottom: 16 }}
                    title={
                      <Space>
                        {covered.map((n) => (
                          <StageTag key={n} stage={n ?? 0} />
                        ))}
                        {stage?.name}
                      </Space>
                    }
                    data-testid={`stage-card-${stage?.nationalStage}`}
                  >
                    <Flex gap={16} wrap>
                      <Form.Item
                        name={[stageField.name, 'name']}
                        label={tx('阶段名称', 'Stage name')}
                        rules={[
                          {
                            required: true,
                            whitespace: true,
                            message: tx('请填写阶段名称', 'Enter the name'),
                          },
                        ]}
                        style={{ minWidth: 240 }}
                      >
                        <Input maxLength={50} />
                      </Form.Item>
                      <Form.Item
                        name={[stageField.name, 'leadDepartmentCode']}
                        label={tx('牵头部门', 'Lead department')}
                        rules={[{ required: true, message: tx('请选择牵头部门', 'Choose the department') }]}
                        style={{ minWidth: 240 }}
                      >
                        <Select
                          showSearch={{ optionFilterProp: 'label' }}
                          options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[stageField.name, 'completionRule']}
                        label={tx('阶段办结规则', 'Completion rule')}
                        style={{ minWidth: 220 }}
                      >
                        <Select
                          options={[
                            { value: 'all_milestones', label: t('rule.all_milestones') },
                            { value: 'any_milestone', label: t('rule.any_milestone') },
                          ]}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[stageField.name, 'parallelWithPrevious']}
                        label={tx('可与上一阶段并行', 'May start before the previous stage ends')}
                        valuePropName="checked"
                      >
                        <Switch />
                      </Form.Item>
                    </Flex>
                    <Form.List name={[stageField.name, 'items']}>
                      {(itemFields, { add, remove }) => (
                        <>
                          {itemFields.map((itemField) => (
                            <Flex
                              key={itemField.key}
                              gap={8}
                              align="start"
                              wrap
                              data-testid={`stage-${stage?.nationalStage}-item-${itemField.name}`}
                            >
                              <Form.Item
                                name={[itemField.name, 'itemCode']}
                                label={tx('事项', 'Item')}
                                rules={[{ required: true, message: tx('请选择事项', 'Choose an item') }]}
                                style={{ width: 320 }}
                              >
                                <Select
                                  showSearch={{ optionFilterProp: 'label' }}
                                  options={stageItems.map((i) => ({
                                    value: i.code,
                                    label: `${i.name}（${i.promisedTimeLimitDays}${tx('个工作日', ' working days')}）`,
                                  }))}
                                  data-testid="item-select"
                                />
                              </Form.Item>
                              <Form.Item
                                name={[itemField.name, 'milestone']}
                                label={tx('里程碑', 'Milestone')}
                                valuePropName="checked"
                              >
                                <Checkbox data-testid="item-milestone" />
                              </Form.Item>
                              <Form.Item
                                name={[itemField.name, 'prerequisites']}
                                label={tx('前置事项（须先办结）', 'Prerequisites')}
                                style={{ width: 320 }}
                              >
                                <Select
                                  mode="multiple"
                                  allowClear
                                  options={codeOptions}
                                  data-testid="item-prerequisites"
                                />
                              </Form.Item>
                              <Form.Item
                                name={[itemField.name, 'requiredBefore']}
                                label={tx('须先于（任务19）', 'Required before')}
                                style={{ width: 220 }}
                              >
                                <Select allowClear options={codeOptions} />
                              </Form.Item>
                              <Form.Item label={tx('适用条件', 'Applies when')} style={{ width: 200 }}>
                                <Typography.Text type="secondary">
                                  {describeCondition(
                                    draft().stages?.[stageField.name]?.items?.[itemField.name]?.condition ??
                                      null,
                                    t,
                                  )}
                                </Typography.Text>
                              </Form.Item>
                              <Form.Item label=" ">
                                <Button
                                  icon={<DeleteOutlined />}
                                  onClick={() => remove(itemField.name)}
                                  aria-label={tx('删除事项', 'Remove item')}
                                />
                              </Form.Item>
                            </Flex>
                          ))}
                          <Button icon={<PlusOutlined />} onClick={() => add({ ...newItem })}>
                            {tx('添加事项', 'Add item')}
                          </Button>
                        </>
                      )}
                    </Form.List>
                  </Card>
                );
              })
            }
          </Form.List>
        </Form>
      </Card>

      <Card
        title={tx('发布前预览', 'Preview before publishing')}
        extra={
          <Space>
            <Button
              onClick={() =>
                void form
                  .validateFields()
                  .then(() => runPreview.mutate(draft()))
                  .catch(() => undefined)
              }
              loading={runPreview.isPending}
              data-testid="template-preview"
            >
              {tx('预览时限', 'Preview')}
            </Button>
            <Button
              type="primary"
              disabled={!publishable}
              loading={publish.isPending}
              onClick={() => publish.mutate(draft())}
              data-testid="template-publish"
            >
              {tx('发布新版本', 'Publish')}
            </Button>
          </Space>
        }
      >
        {!preview ? (
          <Typography.Text type="secondary">
            {tx(
              '修改后先预览：系统按发布时相同的规则计算各阶段时限和全流程时限并校验，预览无问题后才能发布。',
              'Preview first: the same rules as publishing compute the limits and check the draft.',
            )}
          </Typography.Text>
        ) : (
          <Flex vertical gap={12} data-testid="template-preview-result">
            {!upToDate && (
              <Alert
                type="info"
                showIcon
                title={tx(
                  '草稿在预览后又有修改，请重新预览',
                  'The draft changed since the preview; preview again',
                )}
              />
            )}
            <Space size={24} wrap>
              <span>
                {tx('草稿全流程时限：', 'Draft total: ')}
                <span data-testid="preview-total">
                  <TotalDays days={preview.totalWorkingDays} />
                </span>
              </span>
              {preview.currentTotalWorkingDays !== null && (
                <span>
                  {tx('现行版本：', 'Current version: ')}
                  {t('common.workingDays', { n: preview.currentTotalWorkingDays })}
                </span>
              )}
              <span>
                {tx(`目标：${preview.targetDays} 个工作日`, `Target: ${preview.targetDays} working days`)}
              </span>
            </Space>
            <Table
              rowKey={(s) => `${s.nationalStage}-${s.name}`}
              size="small"
              pagination={false}
              dataSource={preview.stages}
              data-testid="preview-stages"
              columns={[
                {
                  title: tx('阶段', 'Stage'),
                  render: (_, s) => (
                    <Space>
                      <StageTag stage={s.nationalStage} />
                      {s.name}
                    </Space>
                  ),
                },
                { title: tx('事项数', 'Items'), render: (_, s) => s.items.length, align: 'right' },
                {
                  title: tx('阶段时限', 'Stage limit'),
                  dataIndex: 'timeLimitWorkingDays',
                  align: 'right',
                  render: (n: number) => t('common.workingDays', { n }),
                },
              ]}
            />
            {preview.publication && (
              <Alert
                type="error"
                showIcon
                title={preview.publication.message}
                data-testid="preview-publication"
              />
            )}
            {preview.issues.length === 0 && preview.publication === null ? (
              <Alert
                type="success"
                showIcon
                title={tx('校验通过，可以发布', 'No problems found')}
                data-testid="preview-ok"
              />
            ) : (
              preview.issues.map((issue, i) => (
                <Alert
                  key={`${issue.code}-${i}`}
                  type="error"
                  showIcon
                  data-testid="preview-issue"
                  title={
                    <span>
                      {issue.nationalStage !== null && <StageTag stage={issue.nationalStage} />}
                      {issue.itemCode && (
                        <Typography.Text strong>{itemName(issue.itemCode)}：</Typography.Text>
                      )}
                      {issue.message}
                    </span>
                  }
                />
              ))
            )}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
