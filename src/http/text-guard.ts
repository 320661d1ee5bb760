/**
 * Text that PostgreSQL can store, checked in one place for every route (issue 9): a NUL character or a
 * lone UTF-16 surrogate in any string a request carries — path parameters, query, headers, cookies, JSON
 * body (keys too: forms become jsonb), multipart field values and file names — is a 400
 * VALIDATION_FAILED naming the field (`body.form.x.y`), before any service sees it. PostgreSQL refuses
 * NUL in text and jsonb, and a lone surrogate has no UTF-8 form: without this each became a 500 deep in
 * a statement.
 *
 * JSON nesting deeper than JSON_MAX_DEPTH is refused by the JSON parser itself, with a linear scan of the
 * raw text (strings respected) before JSON.parse, so no recursive step — parse, schema, walk — can
 * overflow the stack.
 *
 * Order: the request line, headers and cookies are checked first (the session cookie is looked up in the
 * database); the body after the session and role checks, so a non-admin gets 403, not 400.
 */
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../shared/errors';
import type { App } from './context';

// With the u flag a proper surrogate pair is one code point outside this class: only NUL and lone
// surrogates match.
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;
// eslint-disable-next-line no-control-regex -- idem
const UNSTORABLE_ALL = /[\u0000\uD800-\uDFFF]/gu;

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** A key as it may appear in a field path: the bad characters themselves are not echoed back. */
const pathKey = (key: string) => key.replace(UNSTORABLE_ALL, '\uFFFD');

/**
 * The path of the first string (or object key) that PostgreSQL cannot store, or null. Iterative, so a
 * deep value (from a parser other than JSON) cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return at;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}.${i}`]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        if (!isStorableText(k)) return `${at}.${pathKey(k)}`;
        stack.push([child, `${at}.${k}`]);
      }
    }
  }
  return null;
}

export function assertStorableText(value: unknown, root: string): void {
  const field = findUnstorableText(value, root);
  if (field) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${field}: 含有无法保存的字符（NUL 或不成对的代理字符） (contains a NUL character or a lone surrogate)`,
      { field },
    );
  }
}

/**
 * The deepest nesting of a JSON text, stopping as soon as it exceeds `max`. Brackets inside strings do
 * not count. Linear in the text, no recursion.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

function checkRequestLine(request: FastifyRequest) {
  assertStorableText(request.params, 'params');
  assertStorableText(request.query, 'query');
  assertStorableText(request.headers, 'headers');
  assertStorableText(request.cookies, 'cookies');
}

type Part = { type: 'file' | 'field'; fieldname: string; filename?: string; value?: unknown };

function checkPart(part: Part) {
  assertStorableText(part.fieldname, 'body');
  if (part.type === 'file') assertStorableText(part.filename ?? '', `body.${part.fieldname}.filename`);
  else assertStorableText(part.value, `body.${part.fieldname}`);
}

/**
 * Multipart bodies are read by the handler (`request.parts()`), after every hook: the iterator is
 * wrapped so each field value and file name is checked as it arrives, before the handler sees it.
 */
function guardMultipart(request: FastifyRequest) {
  if (!request.isMultipart()) return;
  const parts = request.parts.bind(request);
  request.parts = async function* guardedParts(...args: Parameters<typeof parts>) {
    for await (const part of parts(...args)) {
      checkPart(part as Part);
      yield part;
    }
  } as typeof request.parts;
}

/** JSON parser with the depth check (Fastify's own parser after it: proto-poisoning refused). */
export function registerJsonParser(app: App, maxDepth: number) {
  const parse = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, maxDepth)) {
      done(
        new DomainError(
          'VALIDATION_FAILED',
          `body: JSON 嵌套超过 ${maxDepth} 层 (JSON nested deeper than ${maxDepth} levels)`,
          { field: 'body' },
        ),
        undefined,
      );
      return;
    }
    parse(request, text, done);
  });
}

/** First hook of every request: the request line, headers and cookies (before the session lookup). */
export function registerRequestLineGuard(app: App) {
  app.addHook('preValidation', async (request) => {
    checkRequestLine(request);
  });
}

/** After the session and role checks: the body, and multipart parts as the handler reads them. */
export function registerBodyGuard(app: App) {
  app.addHook('preValidation', async (request) => {
    assertStorableText(request.body, 'body');
    guardMultipart(request);
  });
}
