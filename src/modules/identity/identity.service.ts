/**
 * Log-in, sessions and log-out. Sessions live in the database (never in process memory) so any number
 * of API processes can serve a user; the cookie holds a random token, the table only its hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import * as repo from './identity.repository';
import type { Actor, Role } from './identity.rules';
import { dummyPasswordHash, verifyPassword } from './password';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentCode: string | null;
  enterpriseName: string | null;
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: SessionUser;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

type AuthConfig = Pick<
  Config,
  'loginMaxFailures' | 'loginLockMinutes' | 'sessionIdleMinutes' | 'sessionAbsoluteHours'
>;

export async function login(
  db: Kysely<DB>,
  config: AuthConfig,
  now: Date,
  input: { username: string; password: string; ip?: string; userAgent?: string },
): Promise<LoginResult> {
  // Verify outside the transaction: argon2 is slow and must not hold a row lock.
  const candidate = await repo.findUserByUsername(db, input.username);
  const passwordOk = await verifyPassword(
    candidate?.passwordHash ?? (await dummyPasswordHash()),
    input.password,
  );

  const outcome = await db.transaction().execute(async (trx) => {
    const user = await repo.lockUserByUsername(trx, input.username);
    if (!user) return { kind: 'invalid' as const };
    const actor: Actor = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role as Role,
      departmentCode: user.departmentCode,
      enterpriseId: user.enterpriseId,
    };
    if (user.disabled) return { kind: 'disabled' as const };
    if (user.lockedUntil && user.lockedUntil > now)
      return { kind: 'locked' as const, until: user.lockedUntil };
    if (!passwordOk) {
      const failures = user.failedLoginCount + 1;
      const lock = failures >= config.loginMaxFailures;
      const lockedUntil = lock ? new Date(now.getTime() + config.loginLockMinutes * 60_000) : null;
      await repo.updateLoginState(trx, user.id, { failedLoginCount: lock ? 0 : failures, lockedUntil });
      await recordEvent(trx, actor, now, {
        action: lock ? 'auth.locked' : 'auth.login_failed',
        objectType: 'user',
        objectId: user.id,
        detail: { failures, ip: input.ip ?? null },
      });
      return lock ? { kind: 'locked' as const, until: lockedUntil! } : { kind: 'invalid' as const };
    }
    await repo.updateLoginState(trx, user.id, { failedLoginCount: 0, lockedUntil: null });
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
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await recordEvent(trx, actor, now, {
      action: 'auth.login',
      objectType: 'user',
      objectId: user.id,
      detail: { ip: input.ip ?? null },
    });
    const enterprise = user.enterpriseId ? await repo.getEnterpriseName(trx, user.enterpriseId) : undefined;
    return {
      kind: 'ok' as const,
      result: {
        token,
        csrfToken,
        expiresAt,
        user: { ...toSessionUser(actor), enterpriseName: enterprise?.name ?? null },
      },
    };
  });

  switch (outcome.kind) {
    case 'ok':
      return outcome.result;
    case 'locked':
      throw new DomainError(
        'AUTH_ACCOUNT_LOCKED',
        `登录失败次数过多，账号已锁定至 ${outcome.until.toISOString()} (account locked after repeated failures)`,
      );
    case 'disabled':
      throw new DomainError('AUTH_ACCOUNT_DISABLED', '账号已停用 (account disabled)');
    default:
      throw new DomainError('AUTH_INVALID_CREDENTIALS', '用户名或密码错误 (wrong user name or password)');
  }
}

function toSessionUser(a: Actor): SessionUser {
  return {
    id: a.userId,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    departmentCode: a.departmentCode,
    enterpriseName: null,
  };
}

export interface ResolvedSession {
  actor: Actor;
  user: SessionUser;
  csrfToken: string;
}

/** Finds the session for a cookie token; null when absent, expired (idle or absolute) or disabled. */
export async function resolveSession(
  db: Kysely<DB>,
  config: AuthConfig,
  now: Date,
  token: string,
): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token);
  const s = await repo.findSession(db, tokenHash);
  if (!s) return null;
  const idleLimit = new Date(s.lastSeenAt.getTime() + config.sessionIdleMinutes * 60_000);
  if (s.disabled || s.expiresAt <= now || idleLimit <= now) {
    await repo.deleteSession(db, tokenHash);
    return null;
  }
  // Refresh the idle timer at most once a minute to keep reads cheap.
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) await repo.touchSession(db, tokenHash, now);
  const actor: Actor = {
    userId: s.userId,
    username: s.username,
    displayName: s.displayName,
    role: s.role as Role,
    departmentCode: s.departmentCode,
    enterpriseId: s.enterpriseId,
  };
  return {
    actor,
    user: { ...toSessionUser(actor), enterpriseName: s.enterpriseName ?? null },
    csrfToken: s.csrfToken,
  };
}

export async function logout(db: Kysely<DB>, now: Date, token: string, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, hashToken(token));
    await recordEvent(trx, actor, now, { action: 'auth.logout', objectType: 'user', objectId: actor.userId });
  });
}

export const listDepartments = repo.listDepartments;
