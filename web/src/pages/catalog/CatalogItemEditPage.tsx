/**
 * 编辑审批事项 (issue 15): the administrator edits an item's fields, materials and form fields, previews
 * the draft (POST /api/admin/catalog/items/:code/preview: the validator's findings and each process
 * template's whole-process total with the draft in place; nothing saved), then publishes it as a new
 * version (PUT /api/admin/catalog/items/:code). Merges and cancellations stay on the changes page.
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
  InputNumber,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { useCatalogItem, useDepartments } from '../../api/hooks';
import type { ApiResponse, CatalogItem } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { STAGES, stageKey } from '../../components/tags';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { todayInBeijing } from '../../lib/time';
import { showFieldError } from '../admin/formErrors';
import { useTx } from '../login/strings';

type Preview = ApiResponse<'/api/admin/catalog/items/{code}/preview', 'post'>;

const BASIS_LEVELS = [
  'law',
  'regulation',
  'state_council_decision',
  'department_rule',
  'normative_document',
] as const;

export default function CatalogItemEditPage() {
  const { code = '' } = useParams();
  const detail = useCatalogItem(code);
  const tx = useTx();
  if (detail.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (detail.isError) {
    return (
      <Card>
        <PageHeader title={tx('编辑事项', 'Edit item')} back="/catalog" />
        <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
      </Card>
    );
  }
  return <ItemEditor item={detail.data.item} />;
}

/** Clears turn into null (the API's "none"), and an empty unit is left out. */
function toBody(v: CatalogItem): CatalogItem {
  return {
    ...v,
    certificateType: v.certificateType ?? null,
    regionalAssessment: v.regionalAssessment ?? null,
    effectiveTo: null,
    formFields: (v.formFields ?? []).map((f) => {
      const { unit, ...rest } = f;
      return unit ? { ...rest, unit } : rest;
    }),
    materials: v.materials ?? [],
  };
}

function ItemEditor({ item }: { item: CatalogItem }) {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const departments = useDepartments();
  const [form] = Form.useForm<CatalogItem>();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [, setChanged] = useState(0);

  const draft = () => toBody(form.getFieldsValue(true) as CatalogItem);
  const upToDate = preview !== null && previewed === JSON.stringify(draft());
  const publishable = upToDate && preview.publication === null && !preview.issues.some((i) => i.blocking);
  const onError = (err: unknown) => {
    if (!showFieldError(form, err)) void message.error(errorMessage(err, t));
  };
  const runPreview = useMutation({
    mutationFn: (d: CatalogItem) => api.post<Preview>(`/api/admin/catalog/items/${item.code}/preview`, d),
    onSuccess: (p, d) => {
      setPreview(p);
      setPreviewed(JSON.stringify(d));
    },
    onError,
  });
  const publish = useMutation({
    mutationFn: (d: CatalogItem) => api.put<CatalogItem>(`/api/admin/catalog/items/${item.code}`, d),
    onSuccess: async (published) => {
      void message.success(tx(`已发布 v${published.version}`, `Published v${published.version}`));
      await client.invalidateQueries({ queryKey: ['catalog'] });
      await client.invalidateQueries({ queryKey: ['templates'] });
      navigate(`/catalog/${encodeURIComponent(item.code)}`);
    },
    onError,
  });

  const required = (label: string) => [{ required: true, message: tx(`请填写${label}`, `Enter ${label}`) }];

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          back={`/catalog/${encodeURIComponent(item.code)}`}
          title={tx(`编辑事项：${item.name}`, `Edit item: ${item.name}`)}
          subTitle={tx(
            `基于现行版本 v${item.version}；发布后成为 v${item.version + 1}`,
            `Based on v${item.version}; publishing makes v${item.version + 1}`,
          )}
        />
        <Form<CatalogItem>
          form={form}
          layout="vertical"
          initialValues={{ ...item, effectiveFrom: todayInBeijing() }}
          onValuesChange={() => setChanged((n) => n + 1)}
          data-testid="item-form"
        >
          <Flex gap={16} wrap>
            <Form.Item
              name="name"
              label={tx('事项名称', 'Name')}
              rules={required('事项名称')}
              style={{ minWidth: 360 }}
            >
              <Input maxLength={200} data-testid="item-edit-name" />
            </Form.Item>
            <Form.Item name="stage" label={t('catalog.stage')} style={{ minWidth: 200 }}>
              <Select options={STAGES.map((s) => ({ value: s, label: `${s} ${t(stageKey(s)!)}` }))} />
            </Form.Item>
            <Form.Item name="departmentCode" label={t('catalog.department')} style={{ minWidth: 240 }}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
              />
            </Form.Item>
          </Flex>
          <Flex gap={16} wrap>
            <Form.Item name="legalBasisLevel" label={t('catalog.basisLevel')} style={{ minWidth: 200 }}>
              <Select options={BASIS_LEVELS.map((l) => ({ value: l, label: t(`basis.${l}`) }))} />
            </Form.Item>
            <Form.Item
              name="legalBasis"
              label={t('item.legalBasis')}
              rules={required('设定依据')}
              style={{ flex: 1, minWidth: 360 }}
            >
              <Input.TextArea autoSize maxLength={500} />
            </Form.Item>
          </Flex>
          <Flex gap={16} wrap>
            <Form.Item
              name="legalTimeLimitDays"
              label={tx('法定时限（工作日）', 'Legal limit (working days)')}
              rules={required('法定时限')}
            >
              <InputNumber min={1} precision={0} data-testid="item-edit-legal" />
            </Form.Item>
            <Form.Item
              name="promisedTimeLimitDays"
              label={tx('承诺时限（工作日）', 'Promised limit (working days)')}
              extra={tx('不得超过法定时限', 'At most the legal limit')}
              rules={required('承诺时限')}
            >
              <InputNumber min={1} precision={0} data-testid="item-edit-promised" />
            </Form.Item>
            <Form.Item
              name="timeLimitConfirmed"
              label={tx('时限已核实', 'Limits confirmed')}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
            <Form.Item
              name="commitmentAllowed"
              label={tx('可实行告知承诺', 'Commitment allowed')}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
            <Form.Item
              name="effectiveFrom"
              label={tx('生效日期', 'Effective from')}
              rules={required('生效日期')}
            >
              <Input type="date" />
            </Form.Item>
          </Flex>
          <Flex gap={16} wrap>
            <Form.Item
              name="resultDocumentType"
              label={t('item.resultDocument')}
              rules={required('审批结果')}
              style={{ minWidth: 240 }}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="certificateType" label={t('item.certificateType')} style={{ minWidth: 240 }}>
              <Select
                allowClear
                placeholder={t('common.none')}
                options={[
                  { value: 'land_use_planning_permit', label: '建设用地规划许可证' },
                  { value: 'construction_planning_permit', label: '建设工程规划许可证' },
                  { value: 'construction_permit', label: '建筑工程施工许可证' },
                  { value: 'completion_filing', label: '竣工验收备案' },
                  { value: 'land_approval', label: '建设用地批准书' },
                  { value: 'site_selection', label: '建设项目用地预审与选址意见书' },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="regionalAssessment"
              label={t('item.regionalAssessment')}
              style={{ minWidth: 240 }}
            >
              <Select
                allowClear
                placeholder={t('common.none')}
                options={[
                  { value: 'environmental_impact', label: '环境影响评价' },
                  { value: 'seismic_safety', label: '地震安全性评价' },
                  { value: 'mineral_overlay', label: '压覆重要矿产资源评估' },
                  { value: 'energy_saving', label: '节能评价' },
                  { value: 'geological_hazard', label: '地质灾害危险性评估' },
                  { value: 'water_resources', label: '水资源论证' },
                  { value: 'cultural_relics', label: '文物勘探' },
                ]}
              />
            </Form.Item>
          </Flex>

          <Typography.Title level={5}>{t('item.materials')}</Typography.Title>
          <Form.List name="materials">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="start" wrap>
                    <Form.Item
                      name={[f.name, 'code']}
                      label={t('item.materialCode')}
                      rules={[
                        { required: true, message: tx('请填写材料编码', 'Enter the code') },
                        {
                          pattern: /^M_[A-Z0-9_]+$/,
                          message: tx('材料编码格式为 M_ 加大写字母、数字或下划线', 'M_ and capitals'),
                        },
                      ]}
                      style={{ width: 220 }}
                    >
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'name']}
                      label={t('item.materialName')}
                      rules={required('材料名称')}
                      style={{ width: 360 }}
                    >
                      <Input maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} label={t('item.required')} valuePropName="checked">
                      <Checkbox />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'deficiencyAllowed']}
                      label={t('item.deficiencyAllowed')}
                      valuePropName="checked"
                    >
                      <Checkbox />
                    </Form.Item>
                    <Form.Item label=" ">
                      <Button
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label={tx('删除材料', 'Remove')}
                      />
                    </Form.Item>
                  </Flex>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ code: '', name: '', required: true, deficiencyAllowed: false })}
                  style={{ marginBottom: 16 }}
                >
                  {tx('添加材料', 'Add material')}
                </Button>
              </>
            )}
          </Form.List>

          <Typography.Title level={5}>{t('item.formFields')}</Typography.Title>
          <Form.List name="formFields">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="start" wrap>
                    <Form.Item
                      name={[f.name, 'key']}
                      label={tx('字段键（英文）', 'Key')}
                      rules={[
                        { required: true, message: tx('请填写字段键', 'Enter the key') },
                        {
                          pattern: /^[a-z][a-zA-Z0-9]*$/,
                          message: tx('字段键须为小写字母开头的英文（camelCase）', 'camelCase'),
                        },
                      ]}
                      style={{ width: 200 }}
                    >
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'label']}
                      label={t('item.fieldLabel')}
                      rules={required('字段名称')}
                      style={{ width: 240 }}
                    >
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'type']} label={t('item.fieldType')} style={{ width: 140 }}>
                      <Select
                        options={[
                          { value: 'string', label: tx('文字', 'Text') },
                          { value: 'number', label: tx('数字', 'Number') },
                          { value: 'date', label: tx('日期', 'Date') },
                          { value: 'boolean', label: tx('是/否', 'Yes/no') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']} label={tx('单位', 'Unit')} style={{ width: 120 }}>
                      <Input maxLength={20} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} label={t('item.required')} valuePropName="checked">
                      <Checkbox />
                    </Form.Item>
                    <Form.Item label=" ">
                      <Button
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label={tx('删除字段', 'Remove')}
                      />
                    </Form.Item>
                  </Flex>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ key: '', label: '', type: 'string', required: false })}
                >
                  {tx('添加字段', 'Add field')}
                </Button>
              </>
            )}
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
              data-testid="item-preview"
            >
              {tx('预览', 'Preview')}
            </Button>
            <Button
              type="primary"
              disabled={!publishable}
              loading={publish.isPending}
              onClick={() => publish.mutate(draft())}
              data-testid="item-publish"
            >
              {tx('发布新版本', 'Publish')}
            </Button>
          </Space>
        }
      >
        {!preview ? (
          <Typography.Text type="secondary">
            {tx(
              '修改后先预览：校验草稿，并计算使用该事项的各审批流程的全流程时限。',
              'Preview first: the draft is checked and each process using it is recomputed.',
            )}
          </Typography.Text>
        ) : (
          <Flex vertical gap={12} data-testid="item-preview-result">
            {!upToDate && (
              <Alert
                type="info"
                showIcon
                title={tx('草稿在预览后又有修改，请重新预览', 'Changed since the preview; preview again')}
              />
            )}
            {preview.publication && <Alert type="error" showIcon title={preview.publication.message} />}
            {preview.issues.map((i, n) => (
              <Alert
                key={`${i.code}-${n}`}
                type={i.blocking ? 'error' : 'warning'}
                showIcon
                title={
                  i.blocking ? i.message : `${i.message}${tx('（提示，不阻止发布）', ' (warning only)')}`
                }
              />
            ))}
            <Table
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={preview.templates}
              data-testid="item-preview-templates"
              columns={[
                { title: tx('审批流程', 'Process'), dataIndex: 'name' },
                {
                  title: tx('现行全流程时限', 'Current total'),
                  dataIndex: 'totalWorkingDays',
                  align: 'right',
                  render: (n: number) => t('common.workingDays', { n }),
                },
                {
                  title: tx('按草稿计算', 'With the draft'),
                  dataIndex: 'draftTotalWorkingDays',
                  align: 'right',
                  render: (n: number) => (
                    <Tag color={n > preview.targetDays ? 'red' : 'green'}>
                      {t('common.workingDays', { n })}
                    </Tag>
                  ),
                },
              ]}
            />
            {preview.templates.some((r) => r.draftTotalWorkingDays > preview.targetDays) && (
              <Alert
                type="warning"
                showIcon
                title={tx(
                  `有审批流程将超过 ${preview.targetDays} 个工作日的目标：该流程下次发布时将被拒绝，请先调整流程`,
                  `A process would exceed ${preview.targetDays} working days`,
                )}
              />
            )}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
