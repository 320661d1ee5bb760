/**
 * Password policy, expiry, the second-factor requirement and login throttling: pure decisions
 * (MLPS 2.0 level 3 身份鉴别 / 登录失败处理, GB/T 22239 §8.1.4.1 a–b; OWASP ASVS V2.1, V2.2, V2.8).
 * The services bring the facts (counts, dates, hashes verified); these functions say what follows.
 */
import type { Role } from './identity.rules';

/** Applicants (enterprise users) are not staff; everyone else works inside the administration. */
export function isStaff(role: Role | string): boolean {
  return role !== 'applicant';
}

export interface PasswordProblem {
  rule: 'length' | 'classes' | 'username' | 'reuse';
  message: string;
}

/** Applicants keep the plain minimum; staff get the configured length and three character classes. */
const APPLICANT_MIN_LENGTH = 8;

/**
 * Why a new password is refused (empty when it passes). Staff: at least `minLength` characters and 3 of
 * upper / lower / digit / symbol; nobody may use a password that contains their own user name.
 */
export function passwordProblems(
  password: string,
  opts: { role: Role | string; minLength: number; username?: string },
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const staff = isStaff(opts.role);
  const minLength = staff ? opts.minLength : Math.min(APPLICANT_MIN_LENGTH, opts.minLength);
  // Count code points, not UTF-16 units: a Chinese character or an emoji is one character to a person.
  if ([...password].length < minLength) {
    problems.push({ rule: 'length', message: `至少 ${minLength} 个字符 (at least ${minLength} characters)` });
  }
  if (staff && characterClasses(password) < 3) {
    problems.push({
      rule: 'classes',
      message: '至少包含大写字母、小写字母、数字、符号中的三类 (at least 3 of upper, lower, digit, symbol)',
    });
  }
  const name = opts.username?.trim().toLowerCase();
  if (name && name.length >= 3 && password.toLowerCase().includes(name)) {
    problems.push({ rule: 'username', message: '密码不能包含用户名 (must not contain the user name)' });
  }
  return problems;
}

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
}

export const reuseProblem: PasswordProblem = {
  rule: 'reuse',
  message: '不能与最近使用过的密码相同 (must differ from the recent passwords)',
};

/**
 * How many stored hashes a new password is compared with: the current one plus `history - 1` earlier
 * ones, so "not one of the last 5" means the current password and the four before it.
 */
export function reuseComparisons(history: number): { current: boolean; earlier: number } {
  return { current: history > 0, earlier: Math.max(history - 1, 0) };
}

/** A staff password older than `maxAgeDays` (0 = never) must be changed before anything else. */
export function passwordExpired(opts: {
  role: Role | string;
  changedAt: Date;
  now: Date;
  maxAgeDays: number;
  exempt: boolean;
}): boolean {
  if (!isStaff(opts.role) || opts.exempt || opts.maxAgeDays <= 0) return false;
  return opts.now.getTime() - opts.changedAt.getTime() >= opts.maxAgeDays * 86_400_000;
}

export function secondFactorRequired(role: Role | string, mfaRequiredRoles: readonly string[]): boolean {
  return mfaRequiredRoles.includes(role);
}

export type SessionRestriction = 'password_change' | 'totp_enrolment';

/**
 * What a freshly authenticated session may do: everything, or only change the password (expired, or
 * temporary: set by an administrator, for any role and whatever the expiry policy), or only enrol the
 * second factor (its role requires one and the user has none). Password first: the enrolment that
 * follows is then protected by a password nobody else has seen.
 */
export function sessionRestriction(opts: {
  passwordExpired: boolean;
  passwordTemporary?: boolean;
  secondFactorRequired: boolean;
  totpActive: boolean;
}): SessionRestriction | null {
  if (opts.passwordTemporary || opts.passwordExpired) return 'password_change';
  if (opts.secondFactorRequired && !opts.totpActive) return 'totp_enrolment';
  return null;
}

/** The key failures are counted under: the name as typed, existing or not (so both behave alike). */
export function accountKey(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}

/**
 * The address failures are counted under. IPv4 (also IPv4-mapped IPv6) as it is; IPv6 by its /64
 * prefix — one customer line usually holds a whole /64, so counting single IPv6 addresses would let an
 * attacker take a fresh address for every few attempts.
 */
export function addressKey(ip: string | undefined): string {
  const raw = (ip ?? '').trim().replace(/%.*$/, '').toLowerCase();
  if (raw === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(raw);
  if (mapped) return mapped[1]!;
  if (!raw.includes(':')) return raw.slice(0, 64);
  const [head = '', tail] = raw.split('::', 2);
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(8 - left.length - right.length, 0)).fill('0'), ...right];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return raw.slice(0, 64);
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export type ThrottleScope = 'address' | 'account_address';

/**
 * After a failure has been counted: which throttles start now. A name from one address is throttled
 * for that address only — never the account everywhere, so an attacker cannot keep its owner out; an
 * address failing across many names is throttled for every name.
 */
export function throttlesToStart(opts: {
  pairFailures: number;
  addressFailures: number;
  maxPairFailures: number;
  maxAddressFailures: number;
}): ThrottleScope[] {
  const scopes: ThrottleScope[] = [];
  if (opts.pairFailures >= opts.maxPairFailures) scopes.push('account_address');
  if (opts.addressFailures >= opts.maxAddressFailures) scopes.push('address');
  return scopes;
}
