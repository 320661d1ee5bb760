/**
 * 部门管理 (issue 15): the city's departments and each district's departments of a city line (e.g.
 * 中牟县自然资源和规划局 under 市自然资源和规划局); a district item goes to the district's department of its line.
 */
import { App, Button, Card, Flex, Form, Input, Modal, Select, Switch, Table, Tag } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { useTx } from '../login/strings';
import {
  adminKeys,
  useAdminDepartments,
  useDistrictName,
  useDistricts,
  type AdminDepartment,
} from './adminApi';

interface NewDepartment {
  code: string;
  name: string;
  districtCode?: string;
  parentCode?: string;
}

export default function DepartmentsPage() {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useAdminDepartments();
  const districts = useDistricts();
  const districtName = useDistrictName();
  const [creating, setCreating] = useState(false);
  const [districtFilter, setDistrictFilter] = useState<string | undefined>();
  const [form] = Form.useForm<NewDepartment>();
  const onError = (err: unknown) => void message.error(errorMessage(err, t));
  const refresh = () => void client.invalidateQueries({ queryKey: adminKeys.departments });

  const create = useMutation({
    mutationFn: (v: NewDepartment) =>
      api.post('/api/admin/departments', {
        code: v.code,
        name: v.name,
        districtCode: v.districtCode ?? null,
        parentCode: v.districtCode ? (v.parentCode ?? null) : null,
      }),
    onSuccess: () => {
      setCreating(false);
      void message.success(tx('部门已新增', 'Department added'));
      refresh();
    },
    onError,
  });
  const setActive = useMutation({
    mutationFn: (d: AdminDepartment) =>
      api.put(`/api/admin/departments/${d.code}`, {
        name: d.name,
        leadsStages: d.leadsStages,
        active: !d.active,
      }),
    onSuccess: refresh,
    onError,
  });

  const all = list.data ?? [];
  const names = new Map(all.map((d) => [d.code, d.name]));
  const rows = all.filter((d) =>
    districtFilter === undefined ? true : (d.districtCode ?? 'city') === districtFilter,
  );
  const districtOptions = (districts.data ?? [])
    .filter((d) => d.active)
    .map((d) => ({ value: d.code, label: d.name }));
  const lineOptions = all.filter((d) => !d.districtCode).map((d) => ({ value: d.code, label: d.name }));
  const district = Form.useWatch('districtCode', form);

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          title={tx('部门管理', 'Departments')}
          subTitle={tx(
            '区县部门对应一个市级部门（条线），每个区县每条线一个；停用后该区县的区县级事项由市级部门办理。',
            'A district department belongs to one city line, one per district; while inactive the city handles its items.',
          )}
          extra={
            <Button
              type="primary"
              onClick={() => {
                form.resetFields();
                setCreating(true);
              }}
              data-testid="department-create"
            >
              {tx('新增部门', 'New department')}
            </Button>
          }
        />
        <Select
          allowClear
          placeholder={tx('全部层级', 'All levels')}
          style={{ width: 200, marginBottom: 12 }}
          options={[{ value: 'city', label: tx('市级', 'City') }, ...districtOptions]}
          onChange={(v?: string) => setDistrictFilter(v)}
          data-testid="department-filter"
        />
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<AdminDepartment>
            rowKey="code"
            size="small"
            loading={list.isPending}
            dataSource={rows}
            pagination={{ pageSize: 30, hideOnSinglePage: true }}
            data-testid="department-table"
            columns={[
              { title: tx('部门', 'Department'), dataIndex: 'name' },
              { title: tx('代码', 'Code'), dataIndex: 'code' },
              {
                title: tx('层级', 'Level'),
                dataIndex: 'districtCode',
                render: (c: string | null) => (
                  <Tag color={c ? 'blue' : 'default'}>{districtName(c, tx('市级', 'City'))}</Tag>
                ),
              },
              {
                title: tx('条线（市级部门）', 'Line (city department)'),
                dataIndex: 'parentCode',
                render: (c: string | null) => (c ? (names.get(c) ?? c) : '—'),
              },
              {
                title: tx('牵头阶段', 'Leads stages'),
                dataIndex: 'leadsStages',
                render: (s: number[]) => (s.length ? s.join('、') : '—'),
              },
              { title: tx('人员', 'Staff'), dataIndex: 'users', align: 'right' },
              {
                title: tx('启用', 'Active'),
                key: 'active',
                render: (_, d) => (
                  <Switch
                    size="small"
                    checked={d.active}
                    loading={setActive.isPending && setActive.variables?.code === d.code}
                    onChange={() => setActive.mutate(d)}
                  />
                ),
              },
            ]}
          />
        )}
      </Card>
      <Modal
        open={creating}
        title={tx('新增部门', 'New department')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={tx('保存', 'Save')}
        cancelText={tx('取消', 'Cancel')}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item name="districtCode" label={tx('所属区县（不选 = 市级部门）', 'District (none = city)')}>
            <Select allowClear options={districtOptions} data-testid="department-district" />
          </Form.Item>
          {district && (
            <Form.Item
              name="parentCode"
              label={tx('对应的市级部门（条线）', 'City line')}
              rules={[{ required: true }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={lineOptions}
                data-testid="department-parent"
              />
            </Form.Item>
          )}
          <Form.Item name="name" label={tx('部门名称', 'Name')} rules={[{ required: true }]}>
            <Input data-testid="department-name" />
          </Form.Item>
          <Form.Item
            name="code"
            label={tx('部门代码', 'Code')}
            rules={[
              {
                required: true,
                pattern: /^[a-z][a-z0-9]{1,15}$/,
                message: tx('小写字母开头，2–16 位小写字母或数字', 'a-z then a-z/0-9, 2–16'),
              },
            ]}
          >
            <Input data-testid="department-code" />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
