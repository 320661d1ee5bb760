/**
 * 统一身份认证 routes. start and callback are browser navigations, not API calls: they answer redirects —
 * to the provider, to the desk with a session, or back to the login page with `?oidc=<reason>`, which
 * the page turns into a sentence.
 */
import type { FastifyReply } from 'fastify';
import type { App, AppContext } from '../../http/context';
import { setSessionCookie } from './identity.routes';
import type { OidcRefusal } from './oidc.rules';
import { OidcCallbackQuery, OidcConfigResponse, redirectResponse } from './oidc.schemas';
import * as service from './oidc.service';

/** Binds a started login to the browser that started it; sent back only to the oidc routes. */
export const OIDC_BROWSER_COOKIE = 'zz_oidc';
const COOKIE_PATH = '/api/auth/oidc';

export function oidcRoutes(app: App, ctx: AppContext) {
  const secure = ctx.config.isProduction || /^https:/.test(ctx.config.publicBaseUrl ?? '');
  const refused = (reply: FastifyReply, reason: OidcRefusal) =>
    reply.redirect(`/login?oidc=${encodeURIComponent(reason)}`, 302);

  app.get(
    '/api/auth/oidc/config',
    {
      schema: {
        tags: ['auth'],
        summary: '统一身份认证是否启用 is the provincial login offered',
        response: { 200: OidcConfigResponse },
      },
    },
    async () => ({ enabled: ctx.config.oidc !== null }),
  );

  app.get(
    '/api/auth/oidc/start',
    {
      schema: {
        tags: ['auth'],
        summary: '开始统一身份认证登录 start the provincial login (browser navigation)',
        description:
          '重定向到河南政务服务网统一身份认证（授权码 + PKCE + state + nonce，10 分钟内有效、仅用一次）；' +
          '无法连接时重定向到 /login?oidc=unavailable。未启用时 404。' +
          ' Redirects the browser to the identity provider; state, PKCE verifier and nonce stay on the server.',
        response: { 302: redirectResponse },
      },
    },
    async (request, reply) => {
      const oidc = service.requireOidc(ctx.config.oidc);
      const result = await service.startOidcLogin(ctx.db, oidc, ctx.clock.now(), { ip: request.ip });
      if (result.kind === 'refused') return refused(reply, result.reason);
      reply.setCookie(OIDC_BROWSER_COOKIE, result.browserToken, {
        path: COOKIE_PATH,
        httpOnly: true,
        // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation.
        sameSite: 'lax',
        secure,
        maxAge: service.STATE_MINUTES * 60,
      });
      return reply.redirect(result.url, 302);
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      schema: {
        tags: ['auth'],
        summary: '统一身份认证回调 the provider sends the browser back here',
        description:
          '校验 state（一次性、同一浏览器）、以授权码换取并校验 ID Token（签名、iss、aud、nonce、PKCE），' +
          '按工号或统一社会信用代码对应本地账号后建立会话并重定向到 /；被拒绝时重定向到 /login?oidc=<原因>。' +
          ' On success a session cookie is set as by a local login.',
        querystring: OidcCallbackQuery,
        response: { 302: redirectResponse },
      },
    },
    async (request, reply) => {
      const oidc = service.requireOidc(ctx.config.oidc);
      reply.clearCookie(OIDC_BROWSER_COOKIE, { path: COOKIE_PATH });
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const result = await service.finishOidcLogin(ctx.db, { ...ctx.config, oidc }, ctx.clock.now(), {
        query: rawQuery,
        browserToken: request.cookies[OIDC_BROWSER_COOKIE],
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      if (result.kind === 'refused') return refused(reply, result.reason);
      setSessionCookie(ctx, reply, result.login.token);
      return reply.redirect('/', 302);
    },
  );
}
