/**
 * Log-in, sessions and log-out. Sessions live in the database (never in process memory) so any number
 * of API processes can serve a user; the cookie holds a random token, the table only its hash.
 * Failed logins are counted by address and by (name, address) — never by account alone: nobody can
 * lock a victim out from elsewhere (issue 9). Known and unknown names meet the same answers.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import * as repo from './identity.repository';
import type { Actor, Role } from './identity.rules';
import * as throttleRepo from './login-throttle.repository';
import { dummyPasswordHash, verifyPassword } from './password';
import {
  accountKey,
  addressKey,
  passwordExpired,
  secondFactorRequired,
  sessionRestriction,
  throttlesToStart,
  type SessionRestriction,
} from './password-policy.rules';
import type { SessionCache } from './session-cache';
import { verifyTotp } from './totp';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentCode: string | null;
  enterpriseName: string | null;
  districtCode?: string | null;
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  /** Set when the session may only change the password or enrol the second factor. */
  restriction: SessionRestriction | null;
  user: SessionUser;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export type AuthConfig = Pick<
  Config,
  | 'loginMaxFailures'
  | 'loginLockMinutes'
  | 'loginAddressMaxFailures'
  | 'loginWindowMinutes'
  | 'sessionIdleMinutes'
  | 'sessionAbsoluteHours'
  | 'passwordMaxAgeDays'
  | 'mfaRequiredRoles'
>;

const invalidCredentials = () =>
  new DomainError('AUTH_INVALID_CREDENTIALS', '用户名或密码错误 (wrong user name or password)');

/** No time in it: telling when to strike again helps only the attacker. */
export const throttled = () =>
  new DomainError('RATE_LIMITED', '尝试次数过多，请稍后再试 (too many attempts, try again later)');

export function actorOf(user: {
  id: string;
  username: string;
  displayName: string;
  role: string;
  departmentCode: string | null;
  enterpriseId: string | null;
  districtCode?: string | null;
}): Actor {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role as Role,
    departmentCode: user.departmentCode,
    enterpriseId: user.enterpriseId,
    districtCode: user.districtCode ?? null,
  };
}

/**
 * Counts one failed attempt of `key` from `address` and starts the throttles it earns, each audited.
 * Runs for known and unknown names alike, so both meet the same refusals at the same moment.
 */
export async function countLoginFailure(
  trx: Transaction<DB>,
  config: AuthConfig,
  now: Date,
  f: { key: string; address: string; actor: Actor | null; userId: string | null; reason: string },
): Promise<void> {
  const windowStart = new Date(now.getTime() - config.loginWindowMinutes * 60_000);
  await throttleRepo.lockAddress(trx, f.address);
  await throttleRepo.recordFailure(
    trx,
    { accountKey: f.key, address: f.address, failedAt: now },
    windowStart,
  );
  const counts = await throttleRepo.countFailures(trx, f.key, f.address, windowStart);
  await recordEvent(trx, f.actor, now, {
    action: 'auth.login_failed',
    objectType: f.userId ? 'user' : 'login_name',
    objectId: f.userId ?? f.key,
    reason: f.reason,
    detail: { ip: f.address, failuresFromAddress: counts.address, failuresOfName: counts.pair },
  });
  const scopes = throttlesToStart({
    pairFailures: counts.pair,
    addressFailures: counts.address,
    maxPairFailures: config.loginMaxFailures,
    maxAddressFailures: config.loginAddressMaxFailures,
  });
  for (const scope of scopes) {
    const accountKey = scope === 'address' ? null : f.key;
    // Another process may have started the same throttle a moment ago (we hold the address lock now).
    const existing = await throttleRepo.activeThrottle(trx, f.key, f.address, now);
    if (existing && (existing.scope === scope || existing.scope === 'address')) continue;
    const failures = scope === 'address' ? counts.address : counts.pair;
    const endsAt = new Date(now.getTime() + config.loginLockMinutes * 60_000);
    const row = await throttleRepo.insertThrottle(trx, {
      scope,
      accountKey,
      address: f.address,
      failures,
      startedAt: now,
      endsAt,
    });
    await recordEvent(trx, f.actor, now, {
      action: 'auth.throttled',
      objectType: 'login_throttle',
      objectId: row.id,
      detail: { scope, ip: f.address, name: accountKey, failures, userId: f.userId },
    });
  }
}

export async function login(
  db: Kysely<DB>,
  config: AuthConfig,
  now: Date,
  input: { username: string; password: string; totpCode?: string; ip?: string; userAgent?: string },
): Promise<LoginResult> {
  const key = accountKey(input.username);
  const address = addressKey(input.ip);
  // A throttled name (from this address) or address is refused before any password work: the refusal
  // is cheap, and it is the same whether the name exists or not.
  if (await throttleRepo.activeThrottle(db, key, address, now)) throw throttled();

  // Verify outside the transaction: argon2 is slow and must not hold a lock. Unknown names verify
  // against a dummy hash so the timing is the same too.
  const candidate = await repo.findUserByUsername(db, input.username);
  const passwordOk = await verifyPassword(
    candidate?.passwordHash ?? (await dummyPasswordHash()),
    input.password,
  );
  const user = candidate && passwordOk ? candidate : undefined;
  if (!user) {
    await db.transaction().execute((trx) =>
      countLoginFailure(trx, config, now, {
        key,
        address,
        actor: candidate ? actorOf(candidate) : null,
        userId: candidate?.id ?? null,
        reason: 'password',
      }),
    );
    throw invalidCredentials();
  }
  const actor = actorOf(user);
  // Only someone who knows the password learns that the account is disabled.
  if (user.disabled) throw new DomainError('AUTH_ACCOUNT_DISABLED', '账号已停用 (account disabled)');

  let totpStep: number | null = null;
  if (user.totpSecret) {
    if (!input.totpCode) {
      throw new DomainError('AUTH_SECOND_FACTOR_REQUIRED', '请输入动态验证码 (enter the 6-digit code)', {
        field: 'body.totpCode',
      });
    }
    totpStep = verifyTotp(user.totpSecret, input.totpCode, now, user.totpLastStep);
  }

  const outcome = await db.transaction().execute(async (trx) => {
    if (user.totpSecret && (totpStep === null || !(await repo.spendTotpStep(trx, user.id, totpStep)))) {
      await countLoginFailure(trx, config, now, {
        key,
        address,
        actor,
        userId: user.id,
        reason: 'second_factor',
      });
      return { kind: 'bad_code' as const };
    }
    await throttleRepo.forgetPairFailures(trx, key, address);
    const restriction = sessionRestriction({
      passwordExpired: passwordExpired({
        role: user.role,
        changedAt: user.passwordChangedAt,
        now,
        maxAgeDays: config.passwordMaxAgeDays,
        exempt: user.passwordExpiryExempt,
      }),
      passwordTemporary: user.passwordTemporary,
      secondFactorRequired: user.mfaRequired || secondFactorRequired(user.role, config.mfaRequiredRoles),
      totpActive: !!user.totpSecret,
    });
    const result = await startSession(trx, config, now, user, {
      ip: input.ip,
      userAgent: input.userAgent,
      restriction,
      method: 'password',
      detail: { secondFactor: !!user.totpSecret },
    });
    return { kind: 'ok' as const, result };
  });
  if (outcome.kind === 'bad_code') {
    throw new DomainError(
      'AUTH_SECOND_FACTOR_INVALID',
      '动态验证码错误或已使用 (wrong or already used code)',
      { field: 'body.totpCode' },
    );
  }
  return outcome.result;
}

/** How a person proved who they are: the local password (+ TOTP), or the provincial 统一身份认证. */
export type LoginMethod = 'password' | 'oidc';

/**
 * The one way a session starts, whatever proved the person (local password, the identity provider):
 * the session row (the cookie's token only as its hash), the audited `auth.login` event naming the
 * method, and the answer the login routes give.
 */
export async function startSession(
  trx: Transaction<DB>,
  config: Pick<AuthConfig, 'sessionAbsoluteHours'>,
  now: Date,
  user: Parameters<typeof actorOf>[0],
  opts: {
    ip?: string;
    userAgent?: string;
    restriction: SessionRestriction | null;
    method: LoginMethod;
    detail?: Record<string, unknown>;
  },
): Promise<LoginResult> {
  const actor = actorOf(user);
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + config.sessionAbsoluteHours * 3_600_000);
  await repo.insertSession(trx, {
    tokenHash: hashToken(token),
    userId: user.id,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: opts.ip ?? null,
    // By code points: cutting a surrogate pair in half would leave text PostgreSQL refuses.
    userAgent: opts.userAgent ? Array.from(opts.userAgent).slice(0, 300).join('') : null,
    restriction: opts.restriction,
  });
  await recordEvent(trx, actor, now, {
    action: 'auth.login',
    objectType: 'user',
    objectId: user.id,
    detail: { ip: opts.ip ?? null, restriction: opts.restriction, method: opts.method, ...opts.detail },
  });
  const enterprise = user.enterpriseId ? await repo.getEnterpriseName(trx, user.enterpriseId) : undefined;
  return {
    token,
    csrfToken,
    expiresAt,
    restriction: opts.restriction,
    user: { ...toSessionUser(actor), enterpriseName: enterprise?.name ?? null },
  };
}

function toSessionUser(a: Actor): SessionUser {
  return {
    id: a.userId,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    departmentCode: a.departmentCode,
    districtCode: a.districtCode ?? null,
    enterpriseName: null,
  };
}

export interface ResolvedSession {
  actor: Actor;
  user: SessionUser;
  csrfToken: string;
}

export interface AnySession extends ResolvedSession {
  tokenHash: string;
  restriction: SessionRestriction | null;
}

/** How often a session's idle timer is written back: at most once per this many ms per session. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Finds the session for a cookie token; null when absent, expired (idle or absolute) or disabled.
 * With a cache (the HTTP layer's, see session-cache.ts) a recently resolved session is served without a
 * query while it is still valid by the clock; anything that looks expired is read again from the database.
 */
export async function resolveAnySession(
  db: Kysely<DB>,
  config: Pick<Config, 'sessionIdleMinutes'>,
  now: Date,
  token: string,
  cache?: SessionCache<AnySession>,
): Promise<AnySession | null> {
  const tokenHash = hashToken(token);
  const idleMs = config.sessionIdleMinutes * 60_000;
  const cached = cache?.get(tokenHash);
  if (cached && cached.expiresAt > now && cached.lastSeenAt.getTime() + idleMs > now.getTime()) {
    if (now.getTime() - cached.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await repo.touchSession(db, tokenHash, now);
      cache!.touched(tokenHash, now);
    }
    return cached.value;
  }
  const s = await repo.findSession(db, tokenHash);
  if (!s) {
    cache?.forgetToken(tokenHash);
    return null;
  }
  const idleLimit = new Date(s.lastSeenAt.getTime() + idleMs);
  if (s.disabled || s.expiresAt <= now || idleLimit <= now) {
    await repo.deleteSession(db, tokenHash);
    cache?.forgetToken(tokenHash);
    return null;
  }
  // Refresh the idle timer at most once a minute to keep reads cheap.
  let lastSeenAt = s.lastSeenAt;
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(db, tokenHash, now);
    lastSeenAt = now;
  }
  const actor = actorOf({ ...s, id: s.userId });
  const session: AnySession = {
    actor,
    user: { ...toSessionUser(actor), enterpriseName: s.enterpriseName ?? null },
    csrfToken: s.csrfToken,
    tokenHash,
    restriction: s.restriction,
  };
  cache?.set(tokenHash, {
    value: session,
    userId: s.userId,
    enterpriseId: s.enterpriseId,
    lastSeenAt,
    expiresAt: s.expiresAt,
  });
  return session;
}

/**
 * The session every route sees: a restricted one (expired password, second factor to enrol) is no
 * session at all there — only the identity routes that lift the restriction look it up themselves.
 */
export async function resolveSession(
  db: Kysely<DB>,
  config: Pick<Config, 'sessionIdleMinutes'>,
  now: Date,
  token: string,
  cache?: SessionCache<AnySession>,
): Promise<ResolvedSession | null> {
  const s = await resolveAnySession(db, config, now, token, cache);
  if (!s || s.restriction !== null) return null;
  return { actor: s.actor, user: s.user, csrfToken: s.csrfToken };
}

export async function logout(db: Kysely<DB>, now: Date, token: string, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, hashToken(token));
    await recordEvent(trx, actor, now, { action: 'auth.logout', objectType: 'user', objectId: actor.userId });
  });
}

export const listDepartments = repo.listDepartments;

/** An enterprise's name and credit code, or undefined (read by the credit module). */
export function findEnterprise(db: Kysely<DB> | Transaction<DB>, enterpriseId: string) {
  return repo.getEnterprise(db, enterpriseId);
}

/** id → display name for the given users (unknown ids are absent); the provincial exchange's 办理人. */
export async function displayNamesOf(db: Kysely<DB> | Transaction<DB>, ids: readonly string[]) {
  const users = await usersById(db, [...ids]);
  return new Map([...users].map(([id, u]) => [id, u.displayName]));
}

/** Users' display names, role and whether disabled, by id (read by modules whose records name people). */
export async function usersById(db: Kysely<DB> | Transaction<DB>, ids: string[]) {
  return new Map((await repo.findUserNames(db, [...new Set(ids)])).map((u) => [u.id, u]));
}

/** Ids of a department's staff, of everyone in a role, or of an enterprise's people (whom to notify). */
export function userIdsOf(
  db: Kysely<DB> | Transaction<DB>,
  who: { departmentCode: string } | { role: string } | { enterpriseId: string },
) {
  return repo.findUserIds(db, who);
}

/** A user by login name: id, role and department (e.g. registering a drawing reviewer). */
export async function findUserByUsername(db: Kysely<DB> | Transaction<DB>, username: string) {
  const u = await repo.findUserByUsername(db, username);
  return u && { id: u.id, username: u.username, role: u.role, departmentCode: u.departmentCode };
}

/** code → name of the given departments (unknown codes are absent). */
export async function departmentNamesOf(db: Kysely<DB> | Transaction<DB>, codes: readonly string[]) {
  const wanted = new Set(codes);
  return new Map(
    (await repo.listDepartments(db)).filter((d) => wanted.has(d.code)).map((d) => [d.code, d.name]),
  );
}
