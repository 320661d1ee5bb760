/**
 * Login page strings, Chinese first: `useTx()` picks tx('中文', 'English') by the current language.
 * Messages never name an unlock time (issue 9): telling when to try again helps only an attacker.
 */
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';

export function useTx(): (zh: string, en: string) => string {
  const { lang } = useI18n();
  return (zh, en) => (lang === 'en' ? en : zh);
}

/** The login flow's own error codes; anything else falls back to the shared error texts. */
export function loginErrorText(err: unknown, tx: (zh: string, en: string) => string): string | null {
  if (!(err instanceof ApiError)) return null;
  switch (err.code) {
    case 'RATE_LIMITED':
      return tx('尝试次数过多，请稍后再试', 'Too many attempts, please try again later');
    case 'AUTH_SECOND_FACTOR_REQUIRED':
      return tx('请输入验证器应用中的 6 位动态验证码', 'Enter the 6-digit code from your authenticator app');
    case 'AUTH_SECOND_FACTOR_INVALID':
      return tx('动态验证码错误或已使用，请输入新的验证码', 'Wrong or already used code, enter a new one');
    case 'AUTH_PASSWORD_WRONG':
      return tx('当前密码不正确', 'The current password is wrong');
    case 'AUTH_SESSION_RESTRICTED':
      return tx('请先完成当前步骤', 'Please finish this step first');
    default:
      return null;
  }
}

/**
 * Why a login through 统一身份认证 was refused (the server's closed set, ?oidc=<reason>): a sentence for
 * each, never the code. null when there is none (or an unknown one: nothing to say).
 */
export function oidcRefusalText(
  reason: string | null,
  tx: (zh: string, en: string) => string,
): string | null {
  switch (reason) {
    case 'state':
      return tx(
        '登录已过期或已使用，请重新点击“统一身份认证登录”',
        'The login expired or was already used: start it again',
      );
    case 'cancelled':
      return tx('已在统一身份认证取消登录', 'The login was cancelled at the identity provider');
    case 'token':
      return tx(
        '统一身份认证返回的身份信息未通过校验，请重新登录',
        'The identity provider’s answer failed its checks: please log in again',
      );
    case 'unavailable':
      return tx(
        '暂时无法连接河南政务服务网统一身份认证，请稍后再试或使用本系统账号登录',
        'The provincial identity provider cannot be reached: try later or use an account of this system',
      );
    case 'no_identifier':
      return tx(
        '统一身份认证未提供统一社会信用代码或工号，无法对应本系统账号',
        'The identity provider sent neither a credit code nor a staff id',
      );
    case 'unknown_staff':
      return tx(
        '未找到与您工号对应的工作人员账号，请联系系统管理员开通',
        'No staff account matches your staff id: ask the administrator to create one',
      );
    case 'unknown_enterprise':
      return tx(
        '本系统尚无该统一社会信用代码的企业，请先注册企业账号',
        'No enterprise with this credit code is registered here: register the enterprise first',
      );
    case 'enterprise_not_confirmed':
      return tx(
        '企业注册尚未通过确认，确认后即可使用统一身份认证登录',
        'The enterprise’s registration is not confirmed yet',
      );
    case 'account_disabled':
      return tx('账号已停用，请联系系统管理员', 'The account is disabled: contact the administrator');
    case 'mismatch':
      return tx(
        '统一身份认证的身份与已关联的本系统账号不一致，请联系系统管理员',
        'Your provincial identity does not match the linked account: contact the administrator',
      );
    case 'second_factor':
      return tx(
        '您的账号要求双因素认证：请在统一身份认证使用短信、证书等第二因素登录，或使用本系统账号加动态验证码登录',
        'Your account needs two factors: log in at the provider with a second factor, or use this system’s login with your code',
      );
    default:
      return null;
  }
}
