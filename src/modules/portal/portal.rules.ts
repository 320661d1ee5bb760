/**
 * Public portal rules, pure: the query code (查询码) and consultation tickets, how personal data is masked
 * before the public sees it, and the consultation answer limit.
 */
import { createHash, randomInt } from 'node:crypto';

/** 咨询辅导 (task 56): the window or department answers within this many working days. */
export const CONSULTATION_ANSWER_WORKING_DAYS = 3;

/** Unambiguous characters only (no 0/O, 1/I/L): the code is read off paper and typed on a phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A random code of `length` characters (8 → 31^8 ≈ 8.5e11 possibilities; lookups are rate limited). */
export function newSecretCode(length = 8): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Codes are compared case-insensitively, with spaces and dashes ignored. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export function hashCode(code: string): string {
  return createHash('sha256').update(normaliseCode(code)).digest('hex');
}

/**
 * A person's or small unit's name as the public sees it: the first character kept, the rest starred
 * (张三 → 张*, 欧阳小明 → 欧***). Organisation names (公司, 局, 院, …) are public and stay whole.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (/(公司|集团|局|委|院|中心|厂|所|社|会|站|办|政府|学校|大学|银行)$/.test(name.trim()))
    return name.trim();
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** A phone number or e-mail as the public (and the FAQ) never sees it in full. */
export function maskContact(contact: string): string {
  const c = contact.trim();
  const at = c.indexOf('@');
  if (at > 0) return `${c[0]}***${c.slice(at)}`;
  if (c.length >= 7) return `${c.slice(0, 3)}****${c.slice(-4)}`;
  return '*'.repeat(c.length);
}

/** A consultation is overdue on `today` (Beijing date) once its due day has passed unanswered. */
export function consultationOverdue(c: { status: string; dueOn: string }, today: string): boolean {
  return c.status === 'open' && today > c.dueOn;
}
