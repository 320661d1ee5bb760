/**
 * Changing one's password, enrolling the second factor (TOTP), and the administrators' view of login
 * throttles. Each use case is one transaction and writes its audit event in it.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import * as repo from './identity.repository';
import type { Actor } from './identity.rules';
import { countLoginFailure, throttled, type AnySession, type AuthConfig } from './identity.service';
import * as throttleRepo from './login-throttle.repository';
import { hashPassword, verifyPassword } from './password';
import {
  accountKey,
  addressKey,
  passwordProblems,
  reuseComparisons,
  reuseProblem,
  secondFactorRequired,
  sessionRestriction,
  type SessionRestriction,
} from './password-policy.rules';
import { newTotpSecret, totpUri, verifyTotp } from './totp';

type SecurityConfig = AuthConfig & Pick<Config, 'passwordMinLength' | 'passwordHistory'>;

/**
 * Changes the actor's own password: the current one must be right (a wrong one counts as a failed
 * login, so a stolen session cannot guess it), the new one must pass the policy and not be one of the
 * last `passwordHistory`. Other sessions of the user end; this one loses a password-change restriction.
 */
export async function changePassword(
  db: Kysely<DB>,
  config: SecurityConfig,
  now: Date,
  session: AnySession,
  input: { currentPassword: string; newPassword: string; ip?: string },
): Promise<{ restriction: SessionRestriction | null }> {
  const actor = session.actor;
  const key = accountKey(actor.username);
  const address = addressKey(input.ip);
  if (await throttleRepo.activeThrottle(db, key, address, now)) throw throttled();
  const user = await repo.findUserByUsername(db, actor.username);
  if (!user || user.id !== actor.userId) throw new DomainError('AUTH_REQUIRED', '请先登录 (login required)');

  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await db.transaction().execute((trx) =>
      countLoginFailure(trx, config, now, {
        key,
        address,
        actor,
        userId: user.id,
        reason: 'password_change',
      }),
    );
    throw new DomainError('AUTH_PASSWORD_WRONG', '当前密码不正确 (the current password is wrong)', {
      field: 'body.currentPassword',
    });
  }

  const problems = passwordProblems(input.newPassword, {
    role: user.role,
    minLength: config.passwordMinLength,
    username: user.username,
  });
  if (problems.length === 0) {
    const { current, earlier } = reuseComparisons(config.passwordHistory);
    const hashes = [
      ...(current ? [user.passwordHash] : []),
      ...(await repo.recentPasswordHashes(db, user.id, earlier)).map((h) => h.passwordHash),
    ];
    for (const h of hashes) {
      if (await verifyPassword(h, input.newPassword)) {
        problems.push(reuseProblem);
        break;
      }
    }
  }
  if (problems.length > 0) {
    throw new DomainError(
      'PASSWORD_POLICY_VIOLATION',
      `新密码不符合要求：${problems.map((p) => p.message).join('；')}`,
      { field: 'body.newPassword', details: problems },
    );
  }

  const newHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    const locked = await repo.lockUserById(trx, user.id);
    if (!locked || locked.passwordHash !== user.passwordHash) {
      throw new DomainError('CONFLICT_STATE', '密码刚被修改，请重试 (the password changed meanwhile)');
    }
    // Keep what the next comparison needs: the hash retired now and the ones before it.
    await repo.replacePassword(trx, locked, newHash, now, Math.max(config.passwordHistory - 1, 0));
    await repo.deleteOtherSessions(trx, user.id, session.tokenHash);
    const restriction =
      session.restriction === 'password_change'
        ? sessionRestriction({
            passwordExpired: false,
            secondFactorRequired:
              user.mfaRequired || secondFactorRequired(user.role, config.mfaRequiredRoles),
            totpActive: !!locked.totpSecret,
          })
        : session.restriction;
    await repo.setSessionRestriction(trx, session.tokenHash, restriction);
    await recordEvent(trx, actor, now, {
      action: 'auth.password_changed',
      objectType: 'user',
      objectId: user.id,
      detail: { ip: input.ip ?? null, wasExpired: session.restriction === 'password_change' },
    });
    return { restriction };
  });
}

/**
 * Starts (or restarts) enrolment: a new secret, shown this once as an otpauth:// URI for the app.
 * An active second factor is not replaced this way — an administrator resets it first.
 */
export async function enrollTotp(db: Kysely<DB>, now: Date, actor: Actor) {
  const secret = newTotpSecret();
  await db.transaction().execute(async (trx) => {
    const user = await repo.lockUserById(trx, actor.userId);
    if (!user) throw notFound('用户 user', actor.userId);
    if (user.totpSecret) {
      throw new DomainError(
        'CONFLICT_STATE',
        '已启用动态验证码，如需更换请联系管理员重置 (already enabled; an administrator can reset it)',
      );
    }
    await repo.setTotpPending(trx, user.id, secret);
    await recordEvent(trx, actor, now, {
      action: 'auth.totp_enrolment_started',
      objectType: 'user',
      objectId: user.id,
    });
  });
  return { secret, uri: totpUri(secret, actor.username) };
}

/** A valid code from the app activates the pending secret and lifts an enrolment restriction. */
export async function confirmTotp(
  db: Kysely<DB>,
  now: Date,
  session: AnySession,
  code: string,
): Promise<{ restriction: SessionRestriction | null }> {
  const actor = session.actor;
  return db.transaction().execute(async (trx) => {
    const user = await repo.lockUserById(trx, actor.userId);
    if (!user) throw notFound('用户 user', actor.userId);
    if (user.totpSecret) throw new DomainError('CONFLICT_STATE', '已启用动态验证码 (already enabled)');
    if (!user.totpPendingSecret) {
      throw new DomainError('CONFLICT_STATE', '请先开始绑定 (start the enrolment first)');
    }
    const step = verifyTotp(user.totpPendingSecret, code, now, null);
    if (step === null) {
      throw new DomainError('AUTH_SECOND_FACTOR_INVALID', '动态验证码错误 (wrong code)', {
        field: 'body.code',
      });
    }
    await repo.activateTotp(trx, user.id, now, step);
    // Whoever held another session before the second factor existed must now present it.
    await repo.deleteOtherSessions(trx, user.id, session.tokenHash);
    const restriction = session.restriction === 'totp_enrolment' ? null : session.restriction;
    await repo.setSessionRestriction(trx, session.tokenHash, restriction);
    await recordEvent(trx, actor, now, {
      action: 'auth.totp_enabled',
      objectType: 'user',
      objectId: user.id,
    });
    return { restriction };
  });
}

/** An administrator removes a user's second factor (lost phone); the user enrols again. */
export async function resetTotp(db: Kysely<DB>, now: Date, admin: Actor, userId: string) {
  await db.transaction().execute(async (trx) => {
    const user = await repo.lockUserById(trx, userId);
    if (!user) throw notFound('用户 user', userId);
    await repo.clearTotp(trx, user.id);
    await recordEvent(trx, admin, now, {
      action: 'auth.totp_reset',
      objectType: 'user',
      objectId: user.id,
    });
  });
}

export async function listThrottles(db: Kysely<DB>, now: Date) {
  return throttleRepo.listActiveThrottles(db, now);
}

/** Ends a throttle early and forgets the failures behind it; audited with the administrator's name. */
export async function clearThrottle(db: Kysely<DB>, now: Date, admin: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const t = await throttleRepo.lockThrottle(trx, id);
    if (!t) throw notFound('登录限制 login throttle', id);
    if (t.clearedAt || t.endsAt <= now) {
      throw new DomainError('CONFLICT_STATE', '该限制已结束 (the throttle has already ended)');
    }
    await throttleRepo.clearThrottle(trx, t, admin.userId, now);
    await recordEvent(trx, admin, now, {
      action: 'auth.throttle_cleared',
      objectType: 'login_throttle',
      objectId: t.id,
      detail: { scope: t.scope, ip: t.address, name: t.accountKey },
    });
    return { ...t, clearedAt: now };
  });
}
