/**
 * Assembles the HTTP application: Zod validation + OpenAPI, cookies, sessions, every module's routes,
 * the built web app at `/`, and the single error mapper.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { followCalendar } from '../jobs/calendar-followers';
import { registerAuth } from './auth';
import type { App, AppContext } from './context';
import { errorHandler } from './errors';
import { isHttpsPublic } from './public-url';
import { registerRateLimit } from './rate-limit';
import { routeModules } from './routes';
import { registerBodyGuard, registerJsonParser, registerRequestLineGuard } from './text-guard';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export async function buildApp(
  ctx: AppContext,
  opts: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 2 * 1024 * 1024,
    // Long path parameters reach the route and its Zod schema (a clear 400), not the router's bare 414.
    routerOptions: { maxParamLength: 2000 },
    // X-Forwarded-For/-Host/-Proto are believed only from the proxies TRUST_PROXY names (none by default):
    // request.ip (rate limits, audit addresses) is otherwise the socket's address. Links never use the Host.
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  const https = isHttpsPublic(ctx.config);
  await app.register(fastifyCookie, { parseOptions: { secure: https || ctx.config.isProduction } });
  await app.register(fastifyMultipart, {
    limits: { fileSize: ctx.config.uploadMaxBytes, files: 1, fields: 20 },
  });
  await registerBrowserProtections(app, https);
  await registerRateLimit(app, ctx.db);
  // Request hooks, in this order, before any route (the docs' routes included): depth-checked JSON,
  // storable text in the request line and cookies, the session and the route's roles, then the body.
  registerJsonParser(app, ctx.config.jsonMaxDepth);
  registerRequestLineGuard(app);
  registerAuth(app, ctx);
  registerBodyGuard(app);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: '郑州市工程建设项目审批管理系统 API',
        description:
          'Construction-project approval management system. Errors are {error:{code,message,field?}}.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'zz_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Named (recursive) schemas such as Condition become components the operations $ref.
    transformObject: jsonSchemaTransformObject,
  });
  // Swagger UI runs an inline bootstrap script: its own pages get its own CSP (hashes of its scripts),
  // framed by nobody, and not upgrading requests (a plain-http development server would lose its assets).
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replace(/\s*upgrade-insecure-requests;?/, ''),
  });

  // A loaded calendar notice moves running deadlines in every process that serves the API (tests too).
  followCalendar(ctx);
  for (const register of routeModules) register(app, ctx);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (fs.existsSync(path.join(webDist, 'index.html'))) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: webDist, wildcard: true });
  }
  app.setNotFoundHandler((request, reply) => {
    // Only page routes fall back to index.html; a missing asset (a file name) is a plain 404.
    const urlPath = request.url.split('?')[0] ?? '';
    const wantsPage =
      request.method === 'GET' && !urlPath.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(urlPath);
    if (wantsPage && fs.existsSync(path.join(webDist, 'index.html'))) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `${request.method} ${request.url} 不存在 (no such route)` },
    });
  });
  return app;
}

/** TRUST_PROXY as Fastify takes it: a hop count trusts that many proxies in front of the server. */
function trustProxyOption(value: boolean | number | string[]) {
  if (typeof value !== 'number') return value;
  return (_address: string, hop: number) => hop < value;
}

/**
 * @fastify/helmet: a CSP the built web app satisfies, no framing, HSTS when the public address is https.
 * Scripts: only files from this origin — Vite emits no inline script. Styles: 'unsafe-inline', because
 * Ant Design (cssinjs) inserts <style> elements at run time; a nonce would need a per-request index.html,
 * and style injection cannot run code. Images: data:/blob: (icons, canvas) and any https: source (the map's
 * optional XYZ basemap typed in by the user).
 */
async function registerBrowserProtections(app: App, https: boolean) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  // A PDF opened in the browser's viewer (an embedded plug-in) is not a page of the app: only framing is
  // restricted for it, so object-src 'none' cannot blank the viewer.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/pdf')) {
      reply.header('Content-Security-Policy', "frame-ancestors 'none'");
    }
    return payload;
  });
}
