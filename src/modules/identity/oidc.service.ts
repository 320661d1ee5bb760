/**
 * 统一身份认证 (issue 14 item 4): log-in through the provincial identity provider by OpenID Connect
 * (authorization code + PKCE + state + nonce). `startOidcLogin` keeps the state, verifier and nonce in
 * the database (10 minutes, once) and answers the provider's URL; `finishOidcLogin` takes the state back,
 * has the code exchanged and the ID token checked (oidc.client.ts), finds the local account
 * (oidc.rules decideAccount), and starts the same session a local login starts (startSession).
 * Every refusal is audited (`auth.login_refused`, method oidc) and answered by a reason of a closed set.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { OidcConfig } from '../../config';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { startSession, type AuthConfig, type LoginResult } from './identity.service';
import * as client from './oidc.client';
import * as repo from './oidc.repository';
import {
  claimText,
  creditCodeClaim,
  decideAccount,
  providerShowsTwoFactors,
  type OidcRefusal,
} from './oidc.rules';
import { hashPassword } from './password';
import { secondFactorRequired } from './password-policy.rules';

/** Minutes a started login may take at the provider before its state is refused. */
export const STATE_MINUTES = 10;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function requireOidc(config: OidcConfig | null): OidcConfig {
  if (!config) {
    throw new DomainError('NOT_FOUND', '未启用统一身份认证登录 (provincial login is not configured)');
  }
  return config;
}

export type StartResult =
  { kind: 'redirect'; url: string; browserToken: string } | { kind: 'refused'; reason: OidcRefusal };

export async function startOidcLogin(
  db: Kysely<DB>,
  config: OidcConfig,
  now: Date,
  input: { ip?: string },
): Promise<StartResult> {
  let request: client.AuthorizationRequest;
  try {
    request = await client.authorizationRequest(config);
  } catch (err) {
    await db
      .transaction()
      .execute((trx) =>
        refusalEvent(trx, now, { reason: 'unavailable', issuer: config.issuerUrl, ip: input.ip, err }),
      );
    return { kind: 'refused', reason: 'unavailable' };
  }
  const browserToken = randomBytes(32).toString('base64url');
  await db.transaction().execute(async (trx) => {
    await repo.deleteExpiredStates(trx, now);
    await repo.insertLoginState(trx, {
      stateHash: sha256(request.state),
      browserHash: sha256(browserToken),
      codeVerifier: request.codeVerifier,
      nonce: request.nonce,
      createdAt: now,
      expiresAt: new Date(now.getTime() + STATE_MINUTES * 60_000),
    });
  });
  return { kind: 'redirect', url: request.url, browserToken };
}

export type FinishResult = { kind: 'session'; login: LoginResult } | { kind: 'refused'; reason: OidcRefusal };

export async function finishOidcLogin(
  db: Kysely<DB>,
  config: AuthConfig & { oidc: OidcConfig },
  now: Date,
  input: {
    /** The raw query string the provider sent back (state, code, iss — or error). */
    query: string;
    browserToken: string | undefined;
    ip?: string;
    userAgent?: string;
  },
): Promise<FinishResult> {
  const oidc = config.oidc;
  const params = new URLSearchParams(input.query);
  const state = params.get('state');
  const refuse = async (
    reason: OidcRefusal,
    extra: { subject?: string; issuer?: string; err?: unknown } = {},
  ) => {
    await db
      .transaction()
      .execute((trx) =>
        refusalEvent(trx, now, { reason, issuer: extra.issuer ?? oidc.issuerUrl, ip: input.ip, ...extra }),
      );
    return { kind: 'refused' as const, reason };
  };

  // The state is taken (deleted) first, whatever follows: it is good once, even for a failed attempt.
  const saved = state ? await repo.takeLoginState(db, sha256(state)) : undefined;
  if (!saved || saved.expiresAt <= now) return refuse('state');
  if (!input.browserToken || sha256(input.browserToken) !== saved.browserHash) return refuse('state');
  if (params.has('error')) return refuse('cancelled', { err: params.get('error') });

  let verified: client.VerifiedLogin;
  try {
    verified = await client.exchangeCode(oidc, input.query, {
      state: state!,
      nonce: saved.nonce,
      codeVerifier: saved.codeVerifier,
    });
  } catch (err) {
    return refuse(unreachable(err) ? 'unavailable' : 'token', { err });
  }
  const { issuer, subject } = verified;

  try {
    return await db.transaction().execute((trx) => mapAndStart(trx, config, now, verified, input));
  } catch (err) {
    if (err instanceof DomainError && err.code === 'CONFLICT_DUPLICATE')
      return refuse('mismatch', { issuer, subject });
    throw err;
  }
}

async function mapAndStart(
  trx: Transaction<DB>,
  config: AuthConfig & { oidc: OidcConfig },
  now: Date,
  { issuer, subject, claims }: client.VerifiedLogin,
  input: { ip?: string; userAgent?: string },
): Promise<FinishResult> {
  const oidc = config.oidc;
  const staffId = claimText(claims, oidc.staffIdClaim);
  const creditCode = creditCodeClaim(claims, oidc.creditCodeClaim);
  const linked = (await repo.findLinkedAccount(trx, issuer, subject)) ?? null;
  const staffAccount = !linked && staffId ? ((await repo.findAccountByUsername(trx, staffId)) ?? null) : null;
  const enterprise =
    !linked && !staffId && creditCode
      ? ((await repo.findEnterpriseByCreditCode(trx, creditCode)) ?? null)
      : null;
  const decision = decideAccount({
    linked,
    staffId,
    staffAccount,
    creditCode,
    enterprise,
    staffAccountLinkedElsewhere: staffAccount ? await repo.userHasLink(trx, staffAccount.id, issuer) : false,
  });
  if (decision.kind === 'refuse') {
    await refusalEvent(trx, now, { reason: decision.reason, issuer, subject, ip: input.ip });
    return { kind: 'refused', reason: decision.reason };
  }

  // One rule for the second factor: whoever a local login would ask for a TOTP code (TOTP enrolled,
  // required for the user or its role) must come with two factors proven by the provider. Checked
  // before anything is written.
  const needsTwo =
    decision.kind === 'create_applicant'
      ? secondFactorRequired('applicant', config.mfaRequiredRoles)
      : !!decision.account.totpSecret ||
        decision.account.mfaRequired ||
        secondFactorRequired(decision.account.role, config.mfaRequiredRoles);
  const twoShown = providerShowsTwoFactors(claims, oidc.mfaAcrValues);
  if (needsTwo && !twoShown) {
    await refusalEvent(trx, now, { reason: 'second_factor', issuer, subject, ip: input.ip });
    return { kind: 'refused', reason: 'second_factor' };
  }

  let account = decision.kind === 'existing' ? decision.account : null;
  if (decision.kind === 'create_applicant') {
    const enterpriseName = enterprise!.name;
    const name = claimText(claims, 'name');
    const created = await repo.insertApplicant(trx, {
      username: `gov_${sha256(`${issuer}|${subject}`).slice(0, 16)}`,
      displayName: name ? `${name}（${enterpriseName}）` : `${enterpriseName} 经办人`,
      enterpriseId: decision.enterpriseId,
      // Nobody knows this password: the account is used through the identity provider (an
      // administrator may still reset it for a local login).
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
      at: now,
    });
    if (!created) throw new DomainError('CONFLICT_DUPLICATE', '该账号已关联统一身份认证 (already linked)');
    account = await repo.findAccountById(trx, created.id);
    await recordEvent(trx, null, now, {
      action: 'user.created_by_identity_provider',
      objectType: 'user',
      objectId: created.id,
      detail: { issuer, subject, enterpriseId: decision.enterpriseId, role: 'applicant' },
    });
  }
  if (decision.kind === 'create_applicant' || decision.link) {
    if (!(await repo.insertLink(trx, { userId: account!.id, issuer, subject, at: now }))) {
      // A first login of the same person, or another subject for this account, won the race: the
      // transaction is undone and the person is asked to try again.
      throw new DomainError('CONFLICT_DUPLICATE', '该账号已关联统一身份认证 (already linked)');
    }
  } else {
    await repo.touchLink(trx, issuer, subject, now);
  }
  const login = await startSession(trx, config, now, account!, {
    ip: input.ip,
    userAgent: input.userAgent,
    // The provider proved the person; the local password's expiry or temporariness is not theirs.
    restriction: null,
    method: 'oidc',
    detail: {
      issuer,
      subject,
      amr: Array.isArray(claims.amr) ? claims.amr : null,
      acr: typeof claims.acr === 'string' ? claims.acr : null,
      secondFactor: twoShown,
    },
  });
  return { kind: 'session', login };
}

/** A network failure or timeout talking to the provider, as opposed to an answer that failed a check. */
function unreachable(err: unknown): boolean {
  const name = err instanceof Error ? err.name : '';
  return (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    (err instanceof TypeError && /fetch/i.test(err.message))
  );
}

/** openid-client's errors carry a code and, down their causes, the message naming the failed check. */
function describeError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 3; depth++) {
    if (e instanceof Error) {
      const code = (e as Error & { code?: unknown }).code;
      parts.push(`${e.name}: ${e.message}${typeof code === 'string' ? ` (${code})` : ''}`);
      e = e.cause;
    } else if (typeof e === 'object') {
      const claim = (e as { claim?: unknown }).claim;
      if (typeof claim === 'string') parts.push(`claim ${claim}`);
      break;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join('; ');
}

async function refusalEvent(
  trx: Transaction<DB>,
  now: Date,
  f: { reason: OidcRefusal; issuer: string; subject?: string; ip?: string; err?: unknown },
) {
  const error = f.err === undefined ? null : describeError(f.err);
  await recordEvent(trx, null, now, {
    action: 'auth.login_refused',
    objectType: f.subject ? 'identity_subject' : 'identity_provider',
    objectId: f.subject ? `${f.issuer}#${f.subject}` : f.issuer,
    reason: f.reason,
    detail: { method: 'oidc', ip: f.ip ?? null, error: error?.slice(0, 500) ?? null },
  });
}
