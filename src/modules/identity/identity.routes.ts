import { requireActor, SESSION_COOKIE } from '../../http/auth';
import type { App, AppContext } from '../../http/context';
import { DepartmentsResponse, LoginRequest, SessionResponse } from './identity.schemas';
import * as service from './identity.service';

export function identityRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: '登录 log in',
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
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.isProduction,
        // A browser-session cookie: expiry is enforced on the server (idle and absolute limits), by the
        // system clock — which CLOCK_NOW may set far from the browser's own date.
      });
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: '退出 log out' } },
    async (request, reply) => {
      const actor = requireActor(request);
      await service.logout(ctx.db, ctx.clock.now(), request.sessionToken!, actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.header('Clear-Site-Data', '"cookies"');
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], summary: '当前会话 current session', response: { 200: SessionResponse } } },
    async (request) => {
      requireActor(request);
      return { user: request.session!.user, csrfToken: request.session!.csrfToken };
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
