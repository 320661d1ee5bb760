/**
 * Supervision sits below statistics and approvals (issue 8 item 11: no stats ↔ supervision cycle):
 * statistics and approvals call supervision's clock service, so supervision imports neither statistics
 * nor any approvals file but the pure clock rule. Job wiring that needs both lives in src/jobs/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const here = path.dirname(new URL(import.meta.url).pathname);

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(here, file), 'utf8');
  return [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
}

describe('supervision imports', () => {
  it('imports no statistics module and from approvals only the clock rule', () => {
    const files = fs.readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending = files.flatMap((f) =>
      importsOf(f)
        .filter(
          (spec) =>
            spec.startsWith('../stats/') ||
            (spec.startsWith('../approvals/') && spec !== '../approvals/clock.rules'),
        )
        .map((spec) => `${f} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
