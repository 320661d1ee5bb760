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
