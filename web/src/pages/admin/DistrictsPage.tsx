/**
 * 区县和功能区 (issue 15): the county-level divisions and functional zones a project is registered
 * under. The administrator adds one, renames it, orders the list and retires one (projects already
 * registered keep it); every change is audited on the server (POST / PUT /api/districts).
 */
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { useTx } from '../login/strings';
import { useDistricts, type District } from './adminApi';
import { showFieldError } from './formErrors';

interface DistrictForm {
  code: string;
  name: string;
  kind: District['kind'];
  sortOrder: number;
  active: boolean;
}

export default function DistrictsPage() {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const { hasRole } = useAuth();
  const isAdmin = hasRole('admin');
  const client = useQueryClient();
  const list = useDistricts();
  const [editing, setEditing] = useState<District | 'new' | null>(null);
  const [form] = Form.useForm<DistrictForm>();

  const kindLabel = (k: District['kind']) =>
    k === 'county' ? tx('县级行政区', 'County-level division') : tx('功能区', 'Functional zone');

  const save = useMutation({
    mutationFn: (v: DistrictForm) => {
      const body = { name: v.name, kind: v.kind, sortOrder: v.sortOrder, active: v.active };
      return editing === 'new'
        ? api.post('/api/districts', { ...body, code: v.code })
        : api.put(`/api/districts/${(editing as District).code}`, body);
    },
    onSuccess: () => {
      setEditing(null);
      void message.success(tx('已保存', 'Saved'));
      void client.invalidateQueries({ queryKey: ['districts'] });
    },
    onError: (err) => {
      if (!showFieldError(form, err)) void message.error(errorMessage(err, t));
    },
  });

  const open = (d: District | 'new') => {
    setEditing(d);
    form.resetFields();
    form.setFieldsValue(
      d === 'new'
        ? { kind: 'functional_zone', active: true, sortOrder: ((list.data?.length ?? 0) + 1) * 10 }
        : { code: d.code, name: d.name, kind: d.kind, sortOrder: d.sortOrder, active: d.active },
    );
  };

  return (
    <Card>
      <PageHeader
        title={tx('区县和功能区', 'Districts and functional zones')}
        subTitle={tx(
          '项目按所在区县登记；区县事项由该区县的同条线部门办理。停用后不能再用于新登记的项目。',
          'Projects are registered under a district; its items go to its departments. A retired one is not offered to new projects.',
        )}
        extra={
          isAdmin && (
            <Button type="primary" onClick={() => open('new')} data-testid="district-create">
              {tx('新增', 'Add')}
            </Button>
          )
        }
      />
      {list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<District>
          rowKey="code"
          size="small"
          loading={list.isPending}
          dataSource={list.data ?? []}
          pagination={false}
          data-testid="district-table"
          columns={[
            { title: tx('行政区划代码', 'Code'), dataIndex: 'code', width: 130 },
            { title: tx('名称', 'Name'), dataIndex: 'name' },
            { title: tx('类型', 'Kind'), dataIndex: 'kind', render: kindLabel },
            { title: tx('排序', 'Order'), dataIndex: 'sortOrder', width: 80, align: 'right' },
            {
              title: tx('行政区界', 'Boundary'),
              dataIndex: 'boundaryLoaded',
              render: (v: boolean) =>
                v ? (
                  <Tag color="green">{tx('已载入', 'Loaded')}</Tag>
                ) : (
                  <Tag>{tx('未载入', 'Not loaded')}</Tag>
                ),
            },
            {
              title: tx('状态', 'Status'),
              dataIndex: 'active',
              render: (v: boolean) =>
                v ? (
                  <Tag color="green">{tx('启用', 'Active')}</Tag>
                ) : (
                  <Tag color="red">{tx('已停用', 'Retired')}</Tag>
                ),
            },
            {
              title: tx('更新时间', 'Updated'),
              dataIndex: 'updatedAt',
              render: (v: string) => formatDateTime(v),
            },
            ...(isAdmin
              ? [
                  {
                    title: tx('操作', 'Actions'),
                    key: 'actions',
                    render: (_: unknown, d: District) => (
                      <Button size="small" onClick={() => open(d)} data-testid={`district-edit-${d.code}`}>
                        {tx('编辑', 'Edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? tx('新增区县或功能区', 'Add a district') : tx('编辑区县', 'Edit district')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={tx('保存', 'Save')}
        cancelText={tx('取消', 'Cancel')}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="district-form">
          <Form.Item
            name="code"
            label={tx('行政区划代码（6 位）', 'Division code (6 digits)')}
            rules={[
              { required: true, message: tx('请填写行政区划代码', 'Enter the code') },
              { pattern: /^\d{6}$/, message: tx('行政区划代码须为 6 位数字', 'Six digits') },
            ]}
          >
            <Input disabled={editing !== 'new'} data-testid="district-code" />
          </Form.Item>
          <Form.Item
            name="name"
            label={tx('名称', 'Name')}
            rules={[{ required: true, whitespace: true, message: tx('请填写名称', 'Enter the name') }]}
          >
            <Input maxLength={50} data-testid="district-name" />
          </Form.Item>
          <Form.Item name="kind" label={tx('类型', 'Kind')} rules={[{ required: true }]}>
            <Select
              options={[
                { value: 'county', label: kindLabel('county') },
                { value: 'functional_zone', label: kindLabel('functional_zone') },
              ]}
              data-testid="district-kind"
            />
          </Form.Item>
          <Form.Item name="sortOrder" label={tx('排序（小的在前）', 'Order (smaller first)')}>
            <InputNumber min={0} max={9999} precision={0} />
          </Form.Item>
          <Form.Item name="active" label={tx('启用', 'Active')} valuePropName="checked">
            <Switch data-testid="district-active" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
