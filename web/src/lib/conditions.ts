/**
 * Item conditions of a process template are JSON expression trees
 * ({attr, op, value} | {all} | {any} | {not}); this renders them as one readable line.
 */
import { isMessageKey, type Translate } from '../i18n';

type Scalar = string | number | boolean;

function label(t: Translate, key: string, fallback: string): string {
  return isMessageKey(key) ? t(key) : fallback;
}

function scalar(t: Translate, value: Scalar): string {
  if (typeof value === 'boolean') return t(value ? 'cond.true' : 'cond.false');
  if (typeof value === 'number') return String(value);
  return label(t, `cond.value.${value}`, value);
}

export function describeCondition(condition: unknown, t: Translate): string {
  if (condition === null || condition === undefined || condition === '') return t('cond.always');
  if (typeof condition === 'string') return condition;
  if (typeof condition !== 'object') return String(condition);
  const c = condition as Record<string, unknown>;
  const nested = (list: unknown, joiner: string) =>
    Array.isArray(list)
      ? list
          .map((part) => {
            const text = describeCondition(part, t);
            const p = part as Record<string, unknown> | null;
            return p && typeof p === 'object' && ('all' in p || 'any' in p) ? `（${text}）` : text;
          })
          .join(joiner)
      : '';
  if ('all' in c) return nested(c.all, t('cond.and'));
  if ('any' in c) return nested(c.any, t('cond.or'));
  if ('not' in c) return `${t('cond.not')}（${describeCondition(c.not, t)}）`;
  if (typeof c.attr === 'string' && typeof c.op === 'string') {
    const attr = label(t, `cond.attr.${c.attr}`, c.attr);
    const op = label(t, `cond.op.${c.op}`, c.op);
    const value = Array.isArray(c.value)
      ? `［${(c.value as Scalar[]).map((v) => scalar(t, v)).join('、')}］`
      : scalar(t, c.value as Scalar);
    if (c.op === 'eq' && typeof c.value === 'boolean') return c.value ? attr : `${t('cond.not')}${attr}`;
    return `${attr} ${op} ${value}`;
  }
  return JSON.stringify(condition);
}
