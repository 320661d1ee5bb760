import { ApiError } from '../api/client';
import { isMessageKey, type Translate } from '../i18n';

/** A user-facing message for any error: a translated one for known codes, else the server's text. */
export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (isMessageKey(key) && error.code !== 'VALIDATION_FAILED') return t(key);
    return error.message || t('common.error');
  }
  if (error instanceof Error) return error.message;
  return t('common.error');
}
