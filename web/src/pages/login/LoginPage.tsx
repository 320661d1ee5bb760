import {
  BankOutlined,
  LockOutlined,
  SafetyOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Divider, Flex, Form, Input, QRCode, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import { useAuth, type LoginAnswer } from '../../auth';
import { useI18n } from '../../i18n';
import { errorMessage } from '../../lib/errors';
import { loginErrorText, oidcRefusalText, useTx } from './strings';

interface LoginForm {
  username: string;
  password: string;
  totpCode?: string;
}

/**
 * The login steps: credentials (plus the 6-digit code once the server asks for it), then — for a
 * restricted session — changing an expired password, or enrolling the second factor its role requires.
 */
type Step = 'credentials' | 'password_change' | 'totp_enrolment';

const SIX_DIGITS = /^\d{6}$/;

export function LoginPage() {
  const { user, login, complete, loading } = useAuth();
  const { t, lang, setLang } = useI18n();
  const tx = useTx();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [needCode, setNeedCode] = useState(false);
  const [step, setStep] = useState<Step>('credentials');
  const [currentPassword, setCurrentPassword] = useState('');
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  // 统一身份认证: the button shows when the server has a provider; a refused login comes back as ?oidc=….
  const [oidcEnabled, setOidcEnabled] = useState(false);
  const oidcRefusal = oidcRefusalText(new URLSearchParams(location.search).get('oidc'), tx);
  useEffect(() => {
    let cancelled = false;
    api
      .get<{ enabled: boolean }>('/api/auth/oidc/config')
      .then((c) => !cancelled && setOidcEnabled(c.enabled))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  const describe = (err: unknown) => loginErrorText(err, tx) ?? errorMessage(err, t);

  /** A restricted answer moves to its step; an unrestricted one is the session. */
  const proceed = (answer: LoginAnswer) => {
    setError(null);
    if (answer.restriction) {
      setStep(answer.restriction);
      return;
    }
    complete(answer);
    navigate(from, { replace: true });
  };

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
      const answer = await login(values.username.trim(), values.password, values.totpCode?.trim());
      setCurrentPassword(values.password);
      proceed(answer);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'AUTH_SECOND_FACTOR_REQUIRED') setNeedCode(true);
      setError(describe(err));
    } finally {
      setSubmitting(false);
    }
  };

  const title =
    step === 'password_change'
      ? tx('修改密码', 'Change password')
      : step === 'totp_enrolment'
        ? tx('绑定动态验证码', 'Set up the second factor')
        : t('login.title');

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
        <Card className="zz-login-card" title={title}>
          {step === 'credentials' && (
            <>
              {oidcRefusal && (
                <Alert
                  type="warning"
                  showIcon
                  title={oidcRefusal}
                  style={{ marginBottom: 16 }}
                  data-testid="oidc-refusal"
                />
              )}
              {oidcEnabled && (
                <>
                  <Button
                    block
                    size="large"
                    icon={<SafetyOutlined />}
                    href="/api/auth/oidc/start"
                    data-testid="oidc-login"
                  >
                    {tx(
                      '河南政务服务网统一身份认证登录',
                      'Log in with Henan Government Services (unified identity)',
                    )}
                  </Button>
                  <Divider plain style={{ fontSize: 12 }}>
                    {tx('或使用本系统账号', 'or with an account of this system')}
                  </Divider>
                </>
              )}
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
                {needCode && (
                  <Form.Item
                    name="totpCode"
                    label={tx('动态验证码', 'Authenticator code')}
                    extra={tx(
                      '打开验证器应用，输入显示的 6 位数字',
                      'Open your authenticator app and enter the 6 digits it shows',
                    )}
                    rules={[
                      {
                        required: true,
                        pattern: SIX_DIGITS,
                        message: tx('请输入 6 位数字', 'Enter 6 digits'),
                      },
                    ]}
                  >
                    <Input
                      prefix={<SafetyOutlined />}
                      inputMode="numeric"
                      autoComplete="one-time-code"
                      maxLength={6}
                      autoFocus
                      data-testid="login-totp"
                    />
                  </Form.Item>
                )}
                {error && (
                  <Alert
                    type="error"
                    showIcon
                    title={error}
                    style={{ marginBottom: 16 }}
                    data-testid="login-error"
                  />
                )}
                <Button
                  type="primary"
                  htmlType="submit"
                  block
                  loading={submitting}
                  data-testid="login-submit"
                >
                  {t('login.submit')}
                </Button>
              </Form>
              <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
                {t('login.demoHint')}
              </Typography.Paragraph>
              <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
                <a href="/portal" data-testid="portal-link">
                  {t('portal.link')}
                </a>
              </Typography.Paragraph>
              <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
                <Link to="/register" data-testid="login-register">
                  {lang === 'en' ? 'New enterprise? Register' : '企业首次使用？注册企业账号'}
                </Link>
              </Typography.Paragraph>
            </>
          )}
          {step === 'password_change' && (
            <PasswordChange currentPassword={currentPassword} onDone={proceed} describe={describe} />
          )}
          {step === 'totp_enrolment' && <TotpEnrolment onDone={proceed} describe={describe} />}
        </Card>
      </div>
      <div className="zz-login-footer">{t('app.footer')}</div>
    </div>
  );
}

interface StepProps {
  onDone: (answer: LoginAnswer) => void;
  describe: (err: unknown) => string;
}

/** The expired password is replaced before anything else; the one just typed is the current one. */
function PasswordChange({ currentPassword, onDone, describe }: StepProps & { currentPassword: string }) {
  const tx = useTx();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const onFinish = async (values: { newPassword: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      onDone(
        await api.post<LoginAnswer>('/api/auth/password', {
          currentPassword,
          newPassword: values.newPassword,
        }),
      );
    } catch (err) {
      setError(describe(err));
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Form<{ newPassword: string; confirm: string }>
      layout="vertical"
      size="large"
      onFinish={onFinish}
      requiredMark={false}
      data-testid="password-change-form"
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title={tx('密码已过期，请设置新密码后继续', 'Your password has expired: set a new one to continue')}
        description={tx(
          '新密码须包含大写字母、小写字母、数字、符号中的至少三类，且不能与最近使用过的密码相同。',
          'Use at least three of upper-case letters, lower-case letters, digits and symbols, and none of your recent passwords.',
        )}
      />
      <Form.Item
        name="newPassword"
        label={tx('新密码', 'New password')}
        rules={[{ required: true, message: tx('请输入新密码', 'Enter a new password') }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="new-password"
          autoFocus
          data-testid="password-new"
        />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={tx('确认新密码', 'Confirm the new password')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: tx('请再次输入新密码', 'Enter the new password again') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(tx('两次输入的密码不一致', 'The passwords differ'))),
          }),
        ]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="new-password"
          data-testid="password-confirm"
        />
      </Form.Item>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 16 }}
          data-testid="password-error"
        />
      )}
      <Button type="primary" htmlType="submit" block loading={submitting} data-testid="password-submit">
        {tx('修改并继续', 'Change and continue')}
      </Button>
    </Form>
  );
}

/** Enrolment: the secret is shown this once (QR code and text), then a code from the app confirms it. */
function TotpEnrolment({ onDone, describe }: StepProps) {
  const tx = useTx();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api
      .post<{ secret: string; uri: string }>('/api/auth/totp/enroll')
      .then((e) => !cancelled && setEnrolment(e))
      .catch((err: unknown) => !cancelled && setError(describe(err)));
    return () => {
      cancelled = true;
    };
    // Once per mount (describe is stable in effect): a second call would replace the secret the user
    // may already have scanned.
  }, []);

  const onFinish = async (values: { code: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      onDone(await api.post<LoginAnswer>('/api/auth/totp/confirm', { code: values.code.trim() }));
    } catch (err) {
      setError(describe(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form<{ code: string }>
      layout="vertical"
      size="large"
      onFinish={onFinish}
      requiredMark={false}
      data-testid="totp-enrol-form"
    >
      <Typography.Paragraph>
        {tx(
          '您的角色要求使用动态验证码登录。请用验证器应用（如 Google Authenticator、Microsoft Authenticator）扫描二维码，或手工输入密钥，然后输入应用显示的 6 位数字。密钥只显示这一次。',
          'Your role requires a second factor. Scan the QR code with an authenticator app (or type the key), then enter the 6 digits it shows. The key is shown this once.',
        )}
      </Typography.Paragraph>
      {enrolment ? (
        <Flex vertical align="center" gap={8} style={{ marginBottom: 16 }}>
          <QRCode value={enrolment.uri} size={176} data-testid="totp-qr" />
          <Typography.Text copyable code data-testid="totp-secret">
            {enrolment.secret}
          </Typography.Text>
        </Flex>
      ) : (
        !error && (
          <Flex justify="center" style={{ marginBottom: 16 }}>
            <Spin />
          </Flex>
        )
      )}
      <Form.Item
        name="code"
        label={tx('动态验证码', 'Authenticator code')}
        rules={[{ required: true, pattern: SIX_DIGITS, message: tx('请输入 6 位数字', 'Enter 6 digits') }]}
      >
        <Input
          prefix={<SafetyOutlined />}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          data-testid="totp-enrol-code"
        />
      </Form.Item>
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="totp-error" />
      )}
      <Button
        type="primary"
        htmlType="submit"
        block
        loading={submitting}
        disabled={!enrolment}
        data-testid="totp-enrol-submit"
      >
        {tx('确认绑定', 'Confirm')}
      </Button>
    </Form>
  );
}
