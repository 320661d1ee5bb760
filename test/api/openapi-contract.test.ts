/**
 * One API contract (issue 16 item 9): every operation of /api/openapi.json declares what it answers, and the
 * web client's generated types (web/src/api/schema.gen.ts) are what `npm run gen:api` produces now.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateApiTypes, generatedTypesFile } from '../../src/tools/api-types';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/tools/openapi-document';

describe('the OpenAPI document', () => {
  let document: OpenApiDocument;
  beforeAll(async () => {
    document = await buildOpenApiDocument();
  });

  it('declares a success response schema for every operation', () => {
    const missing: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations++;
        const name = `${method.toUpperCase()} ${path}`;
        const declared = Object.entries(operation.responses ?? {}).some(
          ([status, response]) =>
            // Browser navigations (the provincial login) answer only redirects: a declared 302/303 counts.
            /^(2\d\d|30[23])$/.test(status) &&
            Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
        );
        if (!declared) missing.push(name);
      }
    }
    expect(operations).toBeGreaterThan(150);
    expect(missing).toEqual([]);
  });

  it('describes file downloads as binary content of their media type', () => {
    const pdf = document.paths['/api/certificates/{id}/pdf']?.get?.responses?.['200']?.content;
    expect(Object.keys(pdf ?? {})).toEqual(['application/pdf']);
    expect(pdf?.['application/pdf']?.schema).toMatchObject({ type: 'string', format: 'binary' });
    const csv = document.paths['/api/credit/exports/{id}/file']?.get?.responses?.['200']?.content;
    expect(Object.keys(csv ?? {})).toContain('text/csv');
  });
});

describe('the web client’s generated API types', () => {
  it('are fresh: regenerate with `npm run gen:api` when this fails', async () => {
    const committed = fs.readFileSync(generatedTypesFile, 'utf8');
    const fresh = await generateApiTypes();
    expect(committed === fresh, 'web/src/api/schema.gen.ts is stale: run npm run gen:api').toBe(true);
  });
});
