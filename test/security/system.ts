/**
 * Security tests: a test system per database kind with configuration overrides (trusted proxies, a
 * public address, small rate limits), plus the PDF text extraction the certificate tests use.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Config } from '../../src/config';
import { createTestSystem, type TestSystem } from '../app';
import { databaseKinds } from '../db';

export function describeEachSystemWith(
  title: string,
  overrides: Partial<Config>,
  body: (t: { readonly system: TestSystem }) => void,
) {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let system: Awaited<ReturnType<typeof createTestSystem>> | undefined;
      beforeAll(async () => {
        system = await createTestSystem(kind, overrides);
      });
      afterAll(async () => {
        await system?.close();
      });
      body({
        get system() {
          if (!system) throw new Error('system not ready');
          return system;
        },
      });
    });
  }
}

export const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;

/** Text extracted by poppler's pdftotext (assertions on it are skipped where it is absent). */
export function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sec-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'c.pdf'), pdf);
    return spawnSync('pdftotext', ['-enc', 'UTF-8', 'c.pdf', '-'], { cwd: dir, encoding: 'utf8' }).stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
