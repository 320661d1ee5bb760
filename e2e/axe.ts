/**
 * axe-core in the browser tests (issue 16 §8): the page gets axe's own source and runs it; serious and
 * critical violations fail the test with what was found and where (WCAG 2.1 A/AA rules).
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeProblem {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now; returns the serious and critical violations. */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  const injected = await page.evaluate('typeof window.axe !== "undefined"');
  // Evaluated through the debugging protocol: the app's CSP (script-src 'self') forbids an inline <script>.
  if (!injected) await page.evaluate(`${axe.source}\n;void 0`);
  const results = (await page.evaluate(`window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  })`)) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  };
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

/** Fails with the list of serious and critical violations, if any. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const problems = await axeProblems(page);
  if (problems.length > 0) {
    throw new Error(
      `axe: ${problems.length} serious/critical violation(s) on ${where}:\n` +
        problems.map((p) => `- ${p.id} (${p.impact}): ${p.help}\n    ${p.targets.join('\n    ')}`).join('\n'),
    );
  }
}
