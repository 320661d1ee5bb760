/**
 * 统一身份认证 (issue 14 item 4): which local account a person coming from the provincial identity provider
 * is, and whether that login counts as two factors. Pure: the service brings the facts it looked up.
 */
import { isValidCreditCode, type Role } from './identity.rules';

/**
 * Why a login through the identity provider was refused. Closed set: the web's login page shows a
 * sentence for each (never the code itself).
 */
export const oidcRefusals = [
  /** The state is unknown, used already, expired, or was started in another browser. */
  'state',
  /** The person cancelled at the provider, or the provider answered with an error. */
  'cancelled',
  /** The code exchange or the ID token failed its checks (signature, nonce, issuer, audience, PKCE). */
  'token',
  /** The provider cannot be reached or its metadata is unusable. */
  'unavailable',
  /** No 工号 and no 统一社会信用代码 in the claims. */
  'no_identifier',
  /** A 工号 that names no staff account here (staff accounts are never created by a login). */
  'unknown_staff',
  /** A 统一社会信用代码 of no enterprise registered here. */
  'unknown_enterprise',
  /** The enterprise registered itself and waits for confirmation, or was refused. */
  'enterprise_not_confirmed',
  /** The account linked to this person, or the one the claims name, is disabled. */
  'account_disabled',
  /** The claims contradict the account linked to this person (another enterprise, another staff id). */
  'mismatch',
  /** The account needs two factors and the provider's amr/acr does not show them. */
  'second_factor',
] as const;
export type OidcRefusal = (typeof oidcRefusals)[number];

/** RFC 8176 method references by kind: two kinds make two factors. */
const FACTOR_KIND: Record<string, 'knowledge' | 'possession' | 'inherence'> = {
  pwd: 'knowledge',
  pin: 'knowledge',
  kba: 'knowledge',
  otp: 'possession',
  sms: 'possession',
  tel: 'possession',
  hwk: 'possession',
  swk: 'possession',
  sc: 'possession',
  pop: 'possession',
  fpt: 'inherence',
  face: 'inherence',
  iris: 'inherence',
  retina: 'inherence',
  vbm: 'inherence',
};

/**
 * Whether the provider says the person used two factors: `amr` holds "mfa", or methods of two kinds
 * (e.g. pwd + sms, a certificate on a smart card + pin), or `acr` is one the operator listed as
 * multi-factor (OIDC_MFA_ACR_VALUES — acr values are the provider's own vocabulary).
 */
export function providerShowsTwoFactors(
  claims: { amr?: unknown; acr?: unknown },
  mfaAcrValues: readonly string[],
): boolean {
  if (typeof claims.acr === 'string' && mfaAcrValues.includes(claims.acr)) return true;
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
  if (amr.includes('mfa')) return true;
  return new Set(amr.map((m) => FACTOR_KIND[m]).filter(Boolean)).size >= 2;
}

/** Roles that are government staff: mapped by 工号, never created by a login. */
export function isGovernmentStaff(role: Role | string): boolean {
  return role !== 'applicant' && role !== 'intermediary';
}

/** A claim as trimmed text, or null (numbers are accepted: some providers send 工号 as a number). */
export function claimText(claims: Record<string, unknown>, name: string): string | null {
  const v = claims[name];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' || t.length > 200 ? null : t;
}

/** The 统一社会信用代码 claim, upper-cased, or null when absent or not a valid GB 32100 code. */
export function creditCodeClaim(claims: Record<string, unknown>, name: string): string | null {
  const v = claimText(claims, name)?.toUpperCase() ?? null;
  return v && isValidCreditCode(v) ? v : null;
}

export interface AccountFacts<A extends LocalAccount = LocalAccount> {
  /** The account already linked to (issuer, subject), if any. */
  linked: A | null;
  staffId: string | null;
  /** The account whose user name is the 工号 claim, if any. */
  staffAccount: A | null;
  creditCode: string | null;
  /** The enterprise with that 统一社会信用代码, if any. */
  enterprise: { id: string; status: 'pending' | 'confirmed' | 'rejected' } | null;
  /** The account linked to staffAccount at this issuer under another subject, if any. */
  staffAccountLinkedElsewhere: boolean;
}

export interface LocalAccount {
  id: string;
  role: Role | string;
  enterpriseId: string | null;
  enterpriseCreditCode: string | null;
  username: string;
  disabled: boolean;
}

export type AccountDecision<A extends LocalAccount = LocalAccount> =
  | { kind: 'existing'; account: A; link: boolean }
  | { kind: 'create_applicant'; enterpriseId: string }
  | { kind: 'refuse'; reason: OidcRefusal };

/**
 * The local account for a person. A subject linked before keeps its account (the claims must not
 * contradict it). Otherwise a 工号 names an existing staff account, which gets linked — staff are never
 * created here. Otherwise a 统一社会信用代码 names an enterprise: only a confirmed one (the window or an
 * administrator checked it) gets a new applicant account for this person; a pending or refused
 * self-registration, or an unknown code, is refused.
 */
export function decideAccount<A extends LocalAccount>(f: AccountFacts<A>): AccountDecision<A> {
  if (f.linked) {
    if (f.linked.disabled) return { kind: 'refuse', reason: 'account_disabled' };
    if (
      f.staffId &&
      isGovernmentStaff(f.linked.role) &&
      f.linked.username.toLowerCase() !== f.staffId.toLowerCase()
    )
      return { kind: 'refuse', reason: 'mismatch' };
    if (f.creditCode && !isGovernmentStaff(f.linked.role) && f.linked.enterpriseCreditCode !== f.creditCode)
      return { kind: 'refuse', reason: 'mismatch' };
    return { kind: 'existing', account: f.linked, link: false };
  }
  if (f.staffId) {
    if (!f.staffAccount || !isGovernmentStaff(f.staffAccount.role))
      return { kind: 'refuse', reason: 'unknown_staff' };
    if (f.staffAccount.disabled) return { kind: 'refuse', reason: 'account_disabled' };
    if (f.staffAccountLinkedElsewhere) return { kind: 'refuse', reason: 'mismatch' };
    return { kind: 'existing', account: f.staffAccount, link: true };
  }
  if (f.creditCode) {
    if (!f.enterprise) return { kind: 'refuse', reason: 'unknown_enterprise' };
    if (f.enterprise.status !== 'confirmed') return { kind: 'refuse', reason: 'enterprise_not_confirmed' };
    return { kind: 'create_applicant', enterpriseId: f.enterprise.id };
  }
  return { kind: 'refuse', reason: 'no_identifier' };
}
