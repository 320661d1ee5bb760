/**
 * Session loading and guards. Every /api request gets `request.session` (or null) from the cookie;
 * state-changing requests of a logged-in user must carry the session's X-CSRF-Token.
 * Routes declare `config: { roles }` (checked before validation) and call `requireActor(request, roles)`;
 * department/enterprise scope is checked in services.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../shared/errors';
import type { Actor, Role } from '../modules/identity/identity.rules';
import { resolveSession, type AnySession, type ResolvedSession } from '../modules/identity/identity.service';
import { SESSION_CHANNEL, SessionCache } from '../modules/identity/session-cache';
import type { App, AppContext } from './context';

export const SESSION_COOKIE = 'zz_session';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /**
     * Roles allowed on the route, checked right after the session is loaded and before the request is
     * validated: a user of another role gets 403 whatever the body. Handlers still call requireActor.
     */
    roles?: readonly Role[];
    /**
     * The route may end or change sessions (log-out, disabling, role change, password reset...): after it
     * answers a state-changing request, this process forgets its cached sessions. Other processes hear
     * of it from the database (0550's NOTIFY).
     */
    endsSessions?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerAuth(app: App, ctx: AppContext) {
  app.decorateRequest('session', null);
  app.decorateRequest('sessionToken', null);
  const cache = new SessionCache<AnySession>(
    ctx.config.sessionCacheSeconds * 1000,
    ctx.config.sessionCacheMax,
  );
  // The cache serves entries only while the change channel is open (see session-cache.ts).
  if (ctx.config.sessionCacheSeconds > 0 && ctx.config.sessionCacheMax > 0) {
    const listening = ctx.database.listen(SESSION_CHANNEL, {
      onNotice: (payload) => cache.applyNotice(payload),
      onState: (on) => cache.setListening(on),
    });
    listening.catch((err: Error) => app.log.warn(`session cache off: ${err.message}`));
    app.addHook('onClose', async () => {
      await (await listening.catch(() => null))?.close();
    });
  }
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.routeOptions.config?.endsSessions && !SAFE_METHODS.has(request.method)) cache.clear();
    return payload;
  });
  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await resolveSession(ctx.db, ctx.config, ctx.clock.now(), token, cache);
    if (!session) return;
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, session.csrfToken)) {
        throw new DomainError(
          'CSRF_TOKEN_INVALID',
          '缺少或错误的 X-CSRF-Token (missing or wrong CSRF token)',
          {
            field: 'headers.x-csrf-token',
          },
        );
      }
    }
    request.session = session;
    request.sessionToken = token;
  });
  // Authentication and role before validation (issue 9): a non-admin posting a bad body to an admin
  // route learns only that the route is not theirs.
  app.addHook('preValidation', async (request) => {
    const allowed = request.routeOptions.config?.roles;
    if (allowed) requireActor(request, allowed);
  });
}

/** The logged-in actor, optionally restricted to some roles; throws 401 / 403 domain errors. */
export function requireActor(request: FastifyRequest, roles?: readonly Role[]): Actor {
  const s = request.session;
  if (!s) throw new DomainError('AUTH_REQUIRED', '请先登录 (login required)');
  if (roles && !roles.includes(s.actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', `此操作需要角色 ${roles.join('/')} (role not allowed)`);
  }
  return s.actor;
}
