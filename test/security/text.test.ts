/**
 * Issue 9, text PostgreSQL cannot store: every operation of the OpenAPI document gets NUL bytes and lone
 * surrogates in its path parameters, query and a JSON body shaped after its schema, and JSON nested
 * 5,000 deep; none may answer 5xx, and each is a 400 VALIDATION_FAILED naming the field where the check
 * applies (path, query and body for anyone allowed on the route). Headers, cookies and multipart field
 * values and file names are checked too.
 */
import { expect, it } from 'vitest';
import type { Session, TestSystem } from '../app';
import { describeEachSystemWith } from './system';

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  minItems?: number;
};
interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const NUL = 'nul\u0000byte';
const LONE_HIGH = 'lone\ud800high';
const LONE_LOW = '\udc00low';
const BAD_STRINGS = [NUL, LONE_HIGH, LONE_LOW];

/** A body after the schema: every free string is `bad`, everything else a plausible value. */
function sample(schema: Schema | undefined, doc: OpenApi, bad: string, depth = 0): unknown {
  if (!schema || depth > 8) return bad;
  if (schema.$ref)
    return sample(doc.components?.schemas?.[schema.$ref.split('/').pop()!], doc, bad, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const first = alternatives.find((a) => a.type !== 'null') ?? alternatives[0];
    return sample(first, doc, bad, depth + 1);
  }
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((s) => sample(s, doc, bad, depth + 1) as object));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sample(v, doc, bad, depth + 1);
      if (schema.additionalProperties !== false) out.extra = { nested: { value: bad } };
      return out;
    }
    case 'array':
      return [sample(schema.items, doc, bad, depth + 1)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return bad;
  }
}

const containsBad = (v: unknown): boolean =>
  typeof v === 'string'
    ? BAD_STRINGS.includes(v)
    : Array.isArray(v)
      ? v.some(containsBad)
      : v !== null && typeof v === 'object'
        ? Object.values(v).some(containsBad)
        : false;

function fillPath(path: string, value: string) {
  return path.replace(/\{[^}]+\}/g, value);
}

async function operations(system: TestSystem) {
  const doc = (await system.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApi;
  const ops: Array<{ path: string; method: string; op: Operation }> = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) ops.push({ path, method: method.toUpperCase(), op });
  }
  return { doc, ops };
}

// The verification limit is not what is tested here.
describeEachSystemWith(
  'security: storable text on every route',
  { verifyRatePerMinute: 100_000, registrationRatePerMinute: 100_000 },
  (t) => {
    it('answers NUL in path parameters and query of every operation with 400 naming the field', async () => {
      const { system } = t;
      const { ops } = await operations(system);
      const admin = await system.login('admin');
      let checked = 0;
      for (const { path, method, op } of ops) {
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
        const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
        const cases: Array<{ url: string; field: string }> = [];
        if (pathParams.length > 0) cases.push({ url: fillPath(path, 'a%00b'), field: 'params.' });
        const okPath = fillPath(path, '00000000-0000-0000-0000-000000000000');
        for (const q of queryParams)
          cases.push({ url: `${okPath}?${q.name}=x%00y`, field: `query.${q.name}` });
        cases.push({ url: `${okPath}?extra=%00`, field: 'query.extra' });
        for (const c of cases) {
          for (const headers of [{}, admin.headers]) {
            const res = await system.app.inject({ method: method as 'GET', url: c.url, headers });
            expect(res.statusCode, `${method} ${c.url} ${res.body.slice(0, 200)}`).toBe(400);
            const error = res.json().error;
            expect(error.code).toBe('VALIDATION_FAILED');
            expect(String(error.field), `${method} ${c.url}`).toMatch(
              new RegExp(`^${c.field.replace('.', '\\.')}`),
            );
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(100);
    }, 300_000);

    it('answers NUL and lone surrogates in JSON bodies of every operation without a 5xx, 400 for allowed roles', async () => {
      const { system } = t;
      const { doc, ops } = await operations(system);
      const sessions: Array<Session | null> = [
        null,
        await system.login('admin'),
        await system.login('applicant'),
        await system.login('sthj.reviewer'),
      ];
      let refusedAsText = 0;
      let calls = 0;
      for (const { path, method, op } of ops) {
        if (method === 'GET' || method === 'HEAD') continue;
        const url = fillPath(path, '00000000-0000-0000-0000-000000000000');
        const schema = op.requestBody?.content?.['application/json']?.schema;
        for (const bad of BAD_STRINGS) {
          const shaped = sample(schema ?? { type: 'object' }, doc, bad);
          const bodies = [shaped, { name: bad, form: { x: { y: bad } } }].filter(containsBad);
          for (const body of bodies) {
            for (const s of sessions) {
              const res = await system.app.inject({
                method: method as 'POST',
                url,
                headers: { ...(s?.headers ?? {}), 'content-type': 'application/json' },
                payload: JSON.stringify(body),
              });
              calls++;
              expect(res.statusCode, `${method} ${url} ${res.body.slice(0, 300)}`).toBeLessThan(500);
              const error = res.json().error;
              expect(error?.code, `${method} ${url}`).toBeTypeOf('string');
              if (res.statusCode === 400 && error.field?.startsWith('body.')) refusedAsText++;
              // Anyone the route lets in (logged in, right role) meets the text check before anything else.
              if (s && ![401, 403].includes(res.statusCode)) {
                expect(res.statusCode, `${method} ${url} ${res.body.slice(0, 300)}`).toBe(400);
                expect(error.code).toBe('VALIDATION_FAILED');
                expect(String(error.field)).toMatch(/^body\./);
              }
            }
          }
        }
      }
      expect(calls).toBeGreaterThan(100);
      expect(refusedAsText).toBeGreaterThan(50);
    }, 300_000);

    it('refuses JSON nested 5,000 deep on every operation with 400 before any work', async () => {
      const { system } = t;
      const { ops } = await operations(system);
      const admin = await system.login('admin');
      const deep = `{"name":"x","form":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
      // Brackets inside strings do not count.
      const shallow = JSON.stringify({ name: '['.repeat(5000) });
      let n = 0;
      for (const { path, method } of ops) {
        if (method === 'GET' || method === 'HEAD') continue;
        const url = fillPath(path, '00000000-0000-0000-0000-000000000000');
        for (const headers of [{}, admin.headers]) {
          const res = await system.app.inject({
            method: method as 'POST',
            url,
            headers: { ...headers, 'content-type': 'application/json' },
            payload: deep,
          });
          expect(res.statusCode, `${method} ${url} ${res.body.slice(0, 200)}`).toBe(400);
          expect(res.json().error.code).toBe('VALIDATION_FAILED');
          const ok = await system.app.inject({
            method: method as 'POST',
            url,
            headers: { ...headers, 'content-type': 'application/json' },
            payload: shallow,
          });
          expect(ok.statusCode, `${method} ${url}`).toBeLessThan(500);
          if (ok.statusCode === 400) expect(ok.json().error.message).not.toMatch(/嵌套|nested/);
          n++;
        }
      }
      expect(n).toBeGreaterThan(20);
    }, 300_000);

    it('checks headers that reach the database, cookies, and multipart fields and file names', async () => {
      const { system } = t;
      const applicant = await system.login('applicant');
      const login = await system.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'user-agent': `Mozilla ${LONE_HIGH}` },
        payload: { username: 'applicant', password: 'x' },
      });
      expect(login.statusCode).toBe(400);
      expect(login.json().error.field).toBe('headers.user-agent');

      const key = await system.app.inject({
        method: 'POST',
        url: '/api/projects/00000000-0000-0000-0000-000000000000/applications',
        headers: { ...applicant.headers, 'idempotency-key': `key-${NUL}-0123456789` },
        payload: {},
      });
      expect(key.statusCode).toBe(400);
      expect(key.json().error.field).toBe('headers.idempotency-key');

      const cookie = await system.app.inject({
        method: 'GET',
        url: '/api/auth/session',
        headers: { cookie: 'zz_session=abc%00def' },
      });
      expect(cookie.statusCode).toBe(400);
      expect(cookie.json().error.field).toBe('cookies.zz_session');

      const boundary = '----sec9';
      const multipart = (fields: Record<string, string>, filename: string) =>
        Buffer.concat([
          ...Object.entries(fields).map(([k, v]) =>
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
          ),
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
              'Content-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n',
          ),
          Buffer.from(`--${boundary}--\r\n`),
        ]);
      const upload = (payload: Buffer) =>
        system.app.inject({
          method: 'POST',
          url: '/api/materials',
          headers: { ...applicant.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload,
        });
      const field = await upload(multipart({ materialCode: `M${NUL}` }, 'a.pdf'));
      expect(field.statusCode, field.body).toBe(400);
      expect(field.json().error.field).toBe('body.materialCode');
      const name = await upload(multipart({ materialCode: 'M1' }, 'a\u0000b.pdf'));
      expect(name.statusCode, name.body).toBe(400);
      expect(name.json().error.field).toBe('body.file.filename');
    });
  },
);
