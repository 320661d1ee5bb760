/**
 * A local stand-in for 河南政务服务网统一身份认证, for development and tests only (never started by the
 * server): a real OpenID Connect provider (oidc-provider v9) with a Chinese login page, a few demo
 * persons matching the demo seed's enterprises and staff, and consent skipped for its one client.
 * `npm run idp` starts it (scripts/idp.ts); tests start it on a free port (`startLocalIdp`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type KoaContextWithOidc } from 'oidc-provider';
import { creditCodeCheckChar } from '../modules/identity/identity.rules';
import { DEMO_PASSWORD, demoEnterprises } from '../seed/demo';

export interface IdpPerson {
  /** What the person types on the login page. */
  login: string;
  /** The provider's subject identifier. */
  sub: string;
  name: string;
  /** 统一社会信用代码 of the enterprise the person acts for (法人 login). */
  uscc?: string;
  /** 工号 of a staff member. */
  staff_id?: string;
  /** RFC 8176 methods this person's login is reported with. */
  amr: string[];
  acr?: string;
}

const unknownEnterpriseCode = '91410100MA9GK0999' + creditCodeCheckChar('91410100MA9GK0999');

/** The demo persons (password Demo#2026zz, as the demo seed's accounts). */
export const idpPeople: readonly IdpPerson[] = [
  {
    login: 'zhangjianguo',
    sub: 'hn-p-0001',
    name: demoEnterprises[0]!.legalPerson,
    uscc: demoEnterprises[0]!.creditCode,
    amr: ['pwd'],
  },
  {
    login: 'liming',
    sub: 'hn-p-0002',
    name: demoEnterprises[1]!.legalPerson,
    uscc: demoEnterprises[1]!.creditCode,
    amr: ['pwd', 'sms'],
  },
  { login: 'wangmin', sub: 'hn-s-0001', name: '王敏', staff_id: 'window', amr: ['pwd'] },
  { login: 'zhaolei', sub: 'hn-s-0002', name: '赵磊', staff_id: 'supervisor', amr: ['pwd', 'otp'] },
  { login: 'guanliyuan', sub: 'hn-s-0003', name: '系统管理员', staff_id: 'admin', amr: ['pwd', 'otp'] },
  { login: 'chenxin', sub: 'hn-p-0099', name: '陈欣', uscc: unknownEnterpriseCode, amr: ['pwd'] },
  { login: 'liuyang', sub: 'hn-s-0099', name: '刘洋', staff_id: 'no-such-staff', amr: ['pwd'] },
];

export interface IdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface LocalIdp {
  issuer: string;
  /** (Re)registers the one client; until then the provider answers 503. */
  setClient(client: IdpClient): void;
  close(): Promise<void>;
}

/** Starts the provider on host:port (0 = a free port). */
export async function startLocalIdp(
  opts: { host?: string; port?: number; client?: IdpClient; people?: readonly IdpPerson[] } = {},
): Promise<LocalIdp> {
  const people = opts.people ?? idpPeople;
  const host = opts.host ?? '127.0.0.1';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'local-idp' };
  const cookieKeys = [randomBytes(32).toString('base64url')];

  let provider: Provider | null = null;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (!provider || !handle) {
      res.writeHead(503).end('identity provider has no client yet');
      return;
    }
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (match) {
      interaction(provider, people, req, res, match[1]!).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`登录会话无效或已过期 (${err.message})`);
      });
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((done) => server.listen(opts.port ?? 0, host, done));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;

  const setClient = (client: IdpClient) => {
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: client.redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: cookieKeys },
      // amr and acr in the openid scope, so they reach the ID token of the code flow too: the relying
      // party reads the second factor from them.
      claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['name', 'uscc', 'staff_id'] },
      scopes: ['openid', 'profile'],
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
      // One first-party client: consent is implied (the province's provider does the same for its RPs).
      loadExistingGrant: async (ctx: KoaContextWithOidc) => {
        const { oidc } = ctx;
        const clientId = oidc.client!.clientId;
        const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
        if (grantId) return oidc.provider.Grant.find(grantId);
        const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId! });
        grant.addOIDCScope('openid profile');
        await grant.save();
        return grant;
      },
      findAccount: async (_ctx: unknown, id: string) => {
        const p = people.find((x) => x.sub === id);
        if (!p) return undefined;
        return {
          accountId: p.sub,
          claims: async () => ({
            sub: p.sub,
            name: p.name,
            ...(p.uscc ? { uscc: p.uscc } : {}),
            ...(p.staff_id ? { staff_id: p.staff_id } : {}),
          }),
        };
      },
    });
    handle = provider.callback();
  };
  if (opts.client) setClient(opts.client);

  return {
    issuer,
    setClient,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const page = (body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>河南政务服务网 统一身份认证（本地模拟）</title>
<style>body{font-family:sans-serif;background:#f0f4fa;margin:0}main{max-width:380px;margin:60px auto;background:#fff;
padding:24px 28px;border-radius:8px;box-shadow:0 2px 12px #0002}h1{font-size:18px;color:#b4141e}label{display:block;
margin:12px 0 4px}input{width:100%;padding:8px;box-sizing:border-box}button{margin-top:16px;width:100%;padding:10px;
background:#b4141e;color:#fff;border:0;border-radius:4px;font-size:16px}.err{color:#b4141e}small{color:#666}</style>
</head><body><main>${body}</main></body></html>`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(uid: string, error?: string) {
  return page(`<h1>河南政务服务网 统一身份认证</h1><small>本地模拟身份提供方（开发与测试用）</small>
${error ? `<p class="err" data-testid="idp-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">账号</label><input id="login" name="login" autocomplete="username" data-testid="idp-login" required>
<label for="password">密码</label><input id="password" name="password" type="password" data-testid="idp-password" required>
<button type="submit" data-testid="idp-submit">登录</button></form>`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

async function interaction(
  provider: Provider,
  people: readonly IdpPerson[],
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const html = (status: number, body: string) =>
    res
      .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(body);
  if (req.method === 'GET') return html(200, loginForm(uid));
  if (req.method !== 'POST') return html(405, loginForm(uid));
  const form = await readForm(req);
  const person = people.find((p) => p.login === form.get('login')?.trim());
  if (!person || form.get('password') !== DEMO_PASSWORD) {
    return html(200, loginForm(uid, '账号或密码错误'));
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: person.sub, amr: person.amr, ...(person.acr ? { acr: person.acr } : {}) } },
    { mergeWithLastSubmission: false },
  );
}

/**
 * Logs `login` in at the provider without a browser, as a test does: follows the redirects from the
 * authorization URL (keeping the provider's cookies), submits the login form, and returns the URL the
 * provider finally sends the browser to (the relying party's callback with code, state and iss).
 */
export async function loginWithoutBrowser(
  authorizationUrl: string,
  login: string,
  password = DEMO_PASSWORD,
): Promise<URL> {
  const issuerOrigin = new URL(authorizationUrl).origin;
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
    }
  };
  let url = new URL(authorizationUrl);
  let init: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < 12; hop++) {
    if (url.origin !== issuerOrigin) return url;
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
    });
    remember(res);
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const text = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(text)?.[1];
    if (res.status !== 200 || !action || init.method === 'POST') {
      throw new Error(`identity provider answered ${res.status}: ${text.slice(0, 300)}`);
    }
    url = new URL(action, url);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login, password }).toString(),
    };
  }
  throw new Error('too many redirects at the identity provider');
}
