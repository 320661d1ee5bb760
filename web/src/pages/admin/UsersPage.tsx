/**
 * 用户管理 (issue 15): staff and enterprise accounts — create, role, department, district, disable,
 * reset the password, require the second factor. Every change is audited on the server.
 */
import { App, Button, Card, Checkbox, Flex, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ALL_ROLES, type Role } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { useTx } from '../login/strings';
import { adminKeys, useAdminDepartments, useDistrictName, useDistricts, type AdminUser } from './adminApi';

const DEPARTMENT_ROLES: Role[] = ['reviewer', 'senior', 'head', 'coordinator'];

interface UserForm {
  username?: string;
  displayName: string;
  role: Role;
  departmentCode?: string | null;
  districtCode?: string | null;
  password?: string;
  mfaRequired?: boolean;
}

export default function UsersPage() {
  const t = useT();
  const tx = useTx();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [filter, setFilter] = useState<{ q?: string; role?: Role; districtCode?: string }>({});
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [disabling, setDisabling] = useState<AdminUser | null>(null);
  const departments = useAdminDepartments();
  const districts = useDistricts();
  const districtName = useDistrictName();
  const [form] = Form.useForm<UserForm>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const role = Form.useWatch('role', form);

  const list = useQuery({
    queryKey: [...adminKeys.users, filter],
    queryFn: ({ signal }) => api.get<{ users: AdminUser[] }>('/api/admin/users', filter, signal),
  });
  const done = (text: string) => {
    void message.success(text);
    void client.invalidateQueries({ queryKey: adminKeys.users });
    void client.invalidateQueries({ queryKey: adminKeys.departments });
  };
  const onError = (err: unknown) => void message.error(errorMessage(err, t));

  const save = useMutation({
    mutationFn: async (v: UserForm) => {
      const place = {
        departmentCode: v.departmentCode ?? null,
        districtCode: v.districtCode ?? null,
        mfaRequired: !!v.mfaRequired,
      };
      if (editing === 'new') {
        return api.post('/api/admin/users', { ...v, ...place });
      }
      const u = editing as AdminUser;
      return api.put(`/api/admin/users/${u.id}`, {
        displayName: v.displayName,
        role: v.role,
        enterpriseId: u.enterpriseId,
        ...place,
      });
    },
    onSuccess: () => {
      setEditing(null);
      done(tx('已保存', 'Saved'));
    },
    onError,
  });
  const reset = useMutation({
    mutationFn: (v: { password: string }) => api.post(`/api/admin/users/${resetting!.id}/password`, v),
    onSuccess: () => {
      setResetting(null);
      done(tx('密码已重置，用户下次登录须修改', 'Password reset; the user must change it at next login'));
    },
    onError,
  });
  const toggle = useMutation({
    mutationFn: (v: { reason: string }) =>
      api.post(`/api/admin/users/${disabling!.id}/disabled`, { disabled: !disabling!.disabled, ...v }),
    onSuccess: () => {
      setDisabling(null);
      done(tx('已更新账号状态', 'Account status updated'));
    },
    onError,
  });

  const openEdit = (u: AdminUser | 'new') => {
    setEditing(u);
    form.resetFields();
    if (u !== 'new') {
      form.setFieldsValue({
        displayName: u.displayName,
        role: u.role,
        departmentCode: u.departmentCode,
        districtCode: u.districtCode,
        mfaRequired: u.mfaRequired,
      });
    } else {
      form.setFieldsValue({ role: 'reviewer', mfaRequired: false });
    }
  };

  const departmentOptions = (departments.data ?? [])
    .filter((d) => d.active)
    .map((d) => ({
      value: d.code,
      label: `${d.name}${d.districtCode ? '' : tx('（市级）', ' (city)')}`,
    }));
  const districtOptions = (districts.data ?? [])
    .filter((d) => d.active)
    .map((d) => ({ value: d.code, label: d.name }));
  const roleOptions = ALL_ROLES.filter((r) => r !== 'applicant' || editing !== 'new').map((r) => ({
    value: r,
    label: t(`role.${r}`),
  }));

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeader
          title={tx('用户管理', 'Users')}
          subTitle={tx(
            '区县部门的人员只看到本区县的办件；市级人员看到全市。',
            'Staff of a district department see only their district; city staff see the whole city.',
          )}
          extra={
            <Button type="primary" onClick={() => openEdit('new')} data-testid="user-create">
              {tx('新建用户', 'New user')}
            </Button>
          }
        />
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={tx('用户名或姓名', 'User name or name')}
            onSearch={(q) => setFilter((f) => ({ ...f, q: q || undefined }))}
            data-testid="user-search"
            style={{ width: 220 }}
          />
          <Select
            allowClear
            aria-label={tx('按角色筛选', 'Filter by role')}
            placeholder={tx('角色', 'Role')}
            options={ALL_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(role?: Role) => setFilter((f) => ({ ...f, role }))}
            style={{ width: 180 }}
          />
          <Select
            allowClear
            aria-label={tx('按区县筛选', 'Filter by district')}
            placeholder={tx('区县', 'District')}
            options={districtOptions}
            onChange={(districtCode?: string) => setFilter((f) => ({ ...f, districtCode }))}
            style={{ width: 180 }}
          />
        </Space>
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<AdminUser>
            rowKey="id"
            size="small"
            loading={list.isPending}
            dataSource={list.data?.users ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="user-table"
            columns={[
              { title: tx('用户名', 'User name'), dataIndex: 'username' },
              { title: tx('姓名', 'Name'), dataIndex: 'displayName' },
              { title: tx('角色', 'Role'), dataIndex: 'role', render: (r: Role) => t(`role.${r}`) },
              {
                title: tx('部门 / 企业', 'Department / enterprise'),
                key: 'place',
                render: (_, u) => u.departmentName ?? u.enterpriseName ?? '—',
              },
              {
                title: tx('层级', 'Level'),
                dataIndex: 'districtCode',
                render: (c: string | null) => (
                  <Tag color={c ? 'blue' : 'default'}>{districtName(c, tx('市级', 'City'))}</Tag>
                ),
              },
              {
                title: tx('状态', 'Status'),
                key: 'status',
                render: (_, u) => (
                  <Space size={4} wrap>
                    {u.disabled ? (
                      <Tag color="red">{tx('已停用', 'Disabled')}</Tag>
                    ) : (
                      <Tag color="green">{tx('正常', 'Active')}</Tag>
                    )}
                    {u.locked && <Tag color="orange">{tx('已锁定', 'Locked')}</Tag>}
                    {u.passwordTemporary && (
                      <Tag color="gold" data-testid={`user-temporary-${u.username}`}>
                        {tx('临时密码', 'Temporary password')}
                      </Tag>
                    )}
                    {u.mfaRequired && <Tag>{tx('须动态验证码', '2FA required')}</Tag>}
                    {u.totpEnabled && <Tag color="cyan">{tx('已绑定验证器', '2FA on')}</Tag>}
                  </Space>
                ),
              },
              {
                title: tx('操作', 'Actions'),
                key: 'actions',
                render: (_, u) => (
                  <Space size={4} wrap>
                    <Button size="small" onClick={() => openEdit(u)} data-testid={`user-edit-${u.username}`}>
                      {tx('编辑', 'Edit')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => {
                        resetForm.resetFields();
                        setResetting(u);
                      }}
                    >
                      {tx('重置密码', 'Reset password')}
                    </Button>
                    <Button
                      size="small"
                      danger={!u.disabled}
                      onClick={() => {
                        reasonForm.resetFields();
                        setDisabling(u);
                      }}
                      data-testid={`user-toggle-${u.username}`}
                    >
                      {u.disabled ? tx('启用', 'Enable') : tx('停用', 'Disable')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>

      <Modal
        open={editing !== null}
        title={editing === 'new' ? tx('新建用户', 'New user') : tx('编辑用户', 'Edit user')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={tx('保存', 'Save')}
        cancelText={tx('取消', 'Cancel')}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="user-form">
          {editing === 'new' && (
            <Form.Item name="username" label={tx('用户名', 'User name')} rules={[{ required: true }]}>
              <Input data-testid="user-username" autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item name="displayName" label={tx('姓名', 'Name')} rules={[{ required: true }]}>
            <Input data-testid="user-displayname" />
          </Form.Item>
          <Form.Item name="role" label={tx('角色', 'Role')} rules={[{ required: true }]}>
            <Select options={roleOptions} data-testid="user-role" />
          </Form.Item>
          {role !== 'applicant' && (
            <Form.Item
              name="departmentCode"
              label={tx('部门', 'Department')}
              rules={[
                {
                  required: DEPARTMENT_ROLES.includes(role),
                  message: tx('审批人员须属于一个部门', 'Required for this role'),
                },
              ]}
              extra={tx(
                '区县部门的人员自动属于该区县。',
                'Staff of a district department belong to its district.',
              )}
            >
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                options={departmentOptions}
                data-testid="user-department"
              />
            </Form.Item>
          )}
          {role !== 'applicant' && !DEPARTMENT_ROLES.includes(role) && (
            <Form.Item
              name="districtCode"
              label={tx('所属区县（窗口、监察）', 'District (window, supervision)')}
              extra={tx('不选 = 市级，可看全市。', 'None = city level, sees the whole city.')}
            >
              <Select allowClear options={districtOptions} data-testid="user-district" />
            </Form.Item>
          )}
          {editing === 'new' && (
            <Form.Item
              name="password"
              label={tx('初始密码', 'Initial password')}
              rules={[{ required: true }]}
              extra={tx('用户首次登录须修改。', 'The user changes it at the first login.')}
            >
              <Input.Password data-testid="user-password" autoComplete="new-password" />
            </Form.Item>
          )}
          <Form.Item name="mfaRequired" valuePropName="checked">
            <Checkbox data-testid="user-mfa">
              {tx('要求启用动态验证码（第二因素）', 'Require the second factor')}
            </Checkbox>
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={resetting !== null}
        title={tx(`重置密码：${resetting?.username ?? ''}`, `Reset password: ${resetting?.username ?? ''}`)}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
        okText={tx('重置', 'Reset')}
        cancelText={tx('取消', 'Cancel')}
        confirmLoading={reset.isPending}
      >
        <Form form={resetForm} layout="vertical" onFinish={(v) => reset.mutate(v)}>
          <Form.Item
            name="password"
            label={tx('临时密码', 'Temporary password')}
            rules={[{ required: true }]}
            extra={tx(
              '用户的会话全部结束；下次登录须修改密码。',
              'All sessions end; the user must change it at next login.',
            )}
          >
            <Input.Password autoComplete="new-password" data-testid="reset-password" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={disabling !== null}
        title={
          disabling?.disabled
            ? tx(`启用账号：${disabling.username}`, `Enable: ${disabling.username}`)
            : tx(`停用账号：${disabling?.username ?? ''}`, `Disable: ${disabling?.username ?? ''}`)
        }
        onCancel={() => setDisabling(null)}
        onOk={() => reasonForm.submit()}
        okText={tx('确定', 'OK')}
        cancelText={tx('取消', 'Cancel')}
        confirmLoading={toggle.isPending}
      >
        <Form form={reasonForm} layout="vertical" onFinish={(v) => toggle.mutate(v)}>
          <Form.Item
            name="reason"
            label={tx('原因（记入审计日志）', 'Reason (audited)')}
            rules={[{ required: true }]}
          >
            <Input data-testid="disable-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
