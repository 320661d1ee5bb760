/**
 * 企业注册 (public, issue 15): an enterprise registers itself with its 统一社会信用代码 and its first
 * account; the window or an administrator confirms it before the account can log in.
 */
import { BankOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Result } from 'antd';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { useT } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { useTx } from '../login/strings';

interface Registration {
  name: string;
  creditCode: string;
  legalPerson: string;
  contactPhone: string;
  username: string;
  displayName: string;
  password: string;
}

export default function RegisterPage() {
  const t = useT();
  const tx = useTx();
  const [form] = Form.useForm<Registration>();
  const submit = useMutation({
    mutationFn: (v: Registration) => api.post<{ message: string }>('/api/enterprise-registrations', v),
    onError: (err) => {
      if (err instanceof ApiError && err.field?.startsWith('body.')) {
        form.setFields([{ name: err.field.slice(5) as keyof Registration, errors: [err.message] }]);
      }
    },
  });
  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex
        align="center"
        gap={12}
        style={{
          background: 'linear-gradient(90deg, #0f3a7d, #1d5bb8)',
          color: '#fff',
          padding: '14px 32px',
          fontSize: 18,
          fontWeight: 600,
        }}
      >
        <BankOutlined />
        <span>
          {tx(
            '郑州市工程建设项目审批管理系统 · 企业注册',
            'Zhengzhou approval system · enterprise registration',
          )}
        </span>
      </Flex>
      <Card style={{ maxWidth: 560, margin: '24px auto' }}>
        {submit.isSuccess ? (
          <Result
            status="success"
            title={tx('注册已提交', 'Registration submitted')}
            subTitle={tx(
              '窗口或管理员核对营业执照后确认，确认后即可用所填用户名登录。',
              'Once the window or an administrator has checked your licence, you can log in with your user name.',
            )}
            extra={<Link to="/login">{tx('返回登录', 'Back to login')}</Link>}
            data-testid="register-done"
          />
        ) : (
          <Form form={form} layout="vertical" onFinish={(v) => submit.mutate(v)} data-testid="register-form">
            {submit.isError && !(submit.error instanceof ApiError && submit.error.field) && (
              <Alert
                type="error"
                showIcon
                message={errorMessage(submit.error, t)}
                style={{ marginBottom: 16 }}
              />
            )}
            <Form.Item name="name" label={tx('企业名称', 'Enterprise name')} rules={[{ required: true }]}>
              <Input data-testid="register-name" />
            </Form.Item>
            <Form.Item
              name="creditCode"
              label={tx('统一社会信用代码', 'Unified social credit code')}
              rules={[{ required: true, len: 18, message: tx('18 位', '18 characters') }]}
            >
              <Input data-testid="register-credit-code" maxLength={18} />
            </Form.Item>
            <Form.Item
              name="legalPerson"
              label={tx('法定代表人', 'Legal representative')}
              rules={[{ required: true }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="contactPhone" label={tx('联系电话', 'Phone')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="displayName" label={tx('经办人姓名', 'Your name')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="username" label={tx('登录用户名', 'User name')} rules={[{ required: true }]}>
              <Input autoComplete="username" />
            </Form.Item>
            <Form.Item name="password" label={tx('密码', 'Password')} rules={[{ required: true, min: 8 }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Flex justify="space-between" align="center">
              <Link to="/login">{tx('已有账号，去登录', 'Have an account? Log in')}</Link>
              <Button
                type="primary"
                htmlType="submit"
                loading={submit.isPending}
                data-testid="register-submit"
              >
                {tx('提交注册', 'Register')}
              </Button>
            </Flex>
          </Form>
        )}
      </Card>
    </div>
  );
}
