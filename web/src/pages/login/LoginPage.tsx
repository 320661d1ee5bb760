import { BankOutlined, LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { errorMessage } from '../../lib/errors';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { user, login, loading } = useAuth();
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (user) return <Navigate to={from} replace />;
  if (loading) {
    return (
      <div className="zz-login">
        <Flex flex={1} align="center" justify="center">
          <Spin size="large" />
        </Flex>
      </div>
    );
  }

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(from, { replace: true });
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="zz-login">
      <div className="zz-login-top">
        <Flex align="center" gap={12}>
          <span className="zz-emblem">
            <BankOutlined />
          </span>
          <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600, letterSpacing: 2 }}>
            {t('app.title')}
          </Typography.Text>
        </Flex>
        <Button
          ghost
          icon={<TranslationOutlined />}
          onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
          data-testid="lang-switch"
        >
          {t('header.switchLanguage')}
        </Button>
      </div>
      <div className="zz-login-main">
        <div className="zz-login-slogan">
          <h1>{t('app.shortTitle')}</h1>
          <p>{t('login.subtitle')}</p>
          <p>{t('home.target')}</p>
        </div>
        <Card className="zz-login-card" title={t('login.title')}>
          <Form<LoginForm>
            layout="vertical"
            size="large"
            onFinish={onFinish}
            requiredMark={false}
            data-testid="login-form"
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            {error && (
              <Alert
                type="error"
                showIcon
                title={error}
                style={{ marginBottom: 16 }}
                data-testid="login-error"
              />
            )}
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            {t('login.demoHint')}
          </Typography.Paragraph>
        </Card>
      </div>
      <div className="zz-login-footer">{t('app.footer')}</div>
    </div>
  );
}
