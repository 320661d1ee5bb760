/**
 * Puts a refused request's field error on the form field it names (the server says `body.name`,
 * `body.stages.1.items.0.itemCode`…), so the person sees which field is wrong, next to it. Returns
 * whether a field took it; otherwise the caller shows the message on its own.
 */
import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';

export function showFieldError(
  form: FormInstance,
  err: unknown,
  known?: (path: (string | number)[]) => boolean,
) {
  if (!(err instanceof ApiError) || !err.field?.startsWith('body.')) return false;
  const path = err.field
    .slice('body.'.length)
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (known && !known(path)) return false;
  form.setFields([{ name: path, errors: [err.message] }]);
  form.scrollToField(path);
  return true;
}
