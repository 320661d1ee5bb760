import { z } from 'zod';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireActor, SESSION_COOKIE } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { DomainError } from '../../shared/errors';
import {
  ChangePasswordRequest,
  DepartmentsResponse,
  LoginRequest,
  SessionResponse,
  ThrottleClearedResponse,
  ThrottleListQuery,
  ThrottleListResponse,
  ThrottleParams,
  TotpConfirmRequest,
  TotpEnrollResponse,
  UserParams,
} from './identity.schemas';
import * as service from './identity.service';
import { addressKey, type SessionRestriction } from './password-policy.rules';
import * as security from './security.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The session for the few routes a restricted session may use (change password, enrol TOTP). Every
 * other route never sees a restricted session (resolveSession answers null), so it gets 401 there;
 * here it is looked up directly, with the same CSRF check the session hook applies.
 */
async function sessionAllowing(
  ctx: AppContext,
  request: FastifyRequest,
  allowed: readonly SessionRestriction[],
): Promise<service.AnySession> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) throw new DomainError('AUTH_REQUIRED', '请先登录 (login required)');
  const s = await service.resolveAnySession(ctx.db, ctx.config, ctx.clock.now(), token);
  if (!s) throw new DomainError('AUTH_REQUIRED', '请先登录 (login required)');
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || !sameToken(header, s.csrfToken)) {
      throw new DomainError('CSRF_TOKEN_INVALID', '缺少或错误的 X-CSRF-Token (missing or wrong CSRF token)', {
        field: 'headers.x-csrf-token',
      });
    }
  }
  if (s.restriction !== null && !allowed.includes(s.restriction)) {
    throw new DomainError(
      'AUTH_SESSION_RESTRICTED',
      s.restriction === 'password_change'
        ? '请先修改密码：临时密码或密码已过期 (change your temporary or expired password first)'
        : '请先绑定动态验证码 (enrol the second factor first)',
    );
  }
  return s;
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.isProduction || /^https:/.test(ctx.config.publicBaseUrl ?? ''),
    // A browser-session cookie: expiry is enforced on the server (idle and absolute limits), by the
    // system clock — which CLOCK_NOW may set far from the browser's own date.
  });
}

export function identityRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: '登录 log in',
        description:
          '失败按“客户端地址”和“用户名+地址”计数（不按账号全局锁定）；超限 429 RATE_LIMITED，不提示解除时间。' +
          '已启用动态验证码的账号需同时提交 totpCode，缺少时 401 AUTH_SECOND_FACTOR_REQUIRED。' +
          ' Failures are counted per address and per (name, address); a restricted session (restriction) ' +
          'may only change its password or enrol the second factor.',
        body: LoginRequest,
        response: { 200: SessionResponse },
      },
    },
    async (request, reply) => {
      const result = await service.login(ctx.db, ctx.config, ctx.clock.now(), {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(ctx, reply, result.token);
      return { user: result.user, csrfToken: result.csrfToken, restriction: result.restriction };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { endsSessions: true },
      schema: {
        tags: ['auth'],
        summary: '退出 log out',
        response: { 204: z.null().describe('已退出，无内容 (logged out; no body)') },
      },
    },
    async (request, reply) => {
      const s = await sessionAllowing(ctx, request, ['password_change', 'totp_enrolment']);
      await service.logout(ctx.db, ctx.clock.now(), request.cookies[SESSION_COOKIE]!, s.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.header('Clear-Site-Data', '"cookies"');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], summary: '当前会话 current session', response: { 200: SessionResponse } } },
    async (request) => {
      requireActor(request);
      return { user: request.session!.user, csrfToken: request.session!.csrfToken, restriction: null };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { endsSessions: true },
      schema: {
        tags: ['auth'],
        summary: '修改本人密码 change own password',
        description:
          '工作人员：至少 PASSWORD_MIN_LENGTH 个字符、四类字符中至少三类、不得与最近 PASSWORD_HISTORY 个密码相同。' +
          ' Staff: minimum length, 3 of 4 character classes, none of the recent passwords; ' +
          'other sessions of the user end.',
        body: ChangePasswordRequest,
        response: { 200: SessionResponse },
      },
    },
    async (request) => {
      const s = await sessionAllowing(ctx, request, ['password_change']);
      const { restriction } = await security.changePassword(ctx.db, ctx.config, ctx.clock.now(), s, {
        ...request.body,
        ip: request.ip,
      });
      return { user: s.user, csrfToken: s.csrfToken, restriction };
    },
  );

  app.post(
    '/api/auth/totp/enroll',
    {
      schema: {
        tags: ['auth'],
        summary: '开始绑定动态验证码 start TOTP enrolment',
        description: '密钥只返回这一次 (the secret is returned this once); confirm with a code to activate.',
        response: { 200: TotpEnrollResponse },
      },
    },
    async (request) => {
      const s = await sessionAllowing(ctx, request, ['totp_enrolment']);
      return security.enrollTotp(ctx.db, ctx.clock.now(), s.actor);
    },
  );

  app.post(
    '/api/auth/totp/confirm',
    {
      config: { endsSessions: true },
      schema: {
        tags: ['auth'],
        summary: '确认绑定动态验证码 confirm TOTP enrolment',
        body: TotpConfirmRequest,
        response: { 200: SessionResponse },
      },
    },
    async (request) => {
      const s = await sessionAllowing(ctx, request, ['totp_enrolment']);
      const { restriction } = await security.confirmTotp(ctx.db, ctx.clock.now(), s, request.body.code);
      return { user: s.user, csrfToken: s.csrfToken, restriction };
    },
  );

  app.get(
    '/api/admin/login-throttles',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '生效中的登录限制 active login throttles',
        querystring: ThrottleListQuery,
        response: { 200: ThrottleListResponse },
      },
    },
    async (request) => {
      requireActor(request, ['admin']);
      const rows = await security.listThrottles(ctx.db, ctx.clock.now());
      // Throttles are kept under the address key (an IPv6 address by its /64).
      const address = request.query.address ? addressKey(request.query.address) : undefined;
      return {
        throttles: rows
          .filter((r) => !address || r.address === address)
          .map(({ accountKey, ...r }) => ({ ...r, accountName: accountKey })),
      };
    },
  );

  app.post(
    '/api/admin/login-throttles/:id/clear',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: '解除登录限制 clear a login throttle',
        params: ThrottleParams,
        response: { 200: ThrottleClearedResponse },
      },
    },
    async (request) => {
      const admin = requireActor(request, ['admin']);
      const { accountKey, clearedAt, ...t } = await security.clearThrottle(
        ctx.db,
        ctx.clock.now(),
        admin,
        request.params.id,
      );
      return { throttle: { ...t, accountName: accountKey, clearedAt } };
    },
  );

  app.post(
    '/api/admin/users/:id/totp/reset',
    {
      config: { roles: ['admin'], endsSessions: true },
      schema: {
        tags: ['admin'],
        summary: '重置用户的动态验证码 reset a user’s second factor (lost device)',
        params: UserParams,
        response: { 204: z.null().describe('已重置，无内容 (reset; no body)') },
      },
    },
    async (request, reply) => {
      const admin = requireActor(request, ['admin']);
      await security.resetTotp(ctx.db, ctx.clock.now(), admin, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/departments',
    {
      schema: { tags: ['identity'], summary: '部门列表 departments', response: { 200: DepartmentsResponse } },
    },
    async () => ({ departments: await service.listDepartments(ctx.db) }),
  );
}
