/**
 * F-11: a bounded load run. Virtual users mix reads (~70 %), submissions (~25 %: a project registered
 * and its first stage applied for with uploaded materials, then accepted at the window) and approvals
 * (~5 %: the next step of an accepted task decided) for F11_SECONDS (default 20) per database. It prints
 * p95 per kind, the error rate and RSS at start and end, and asserts correctness only: no 5xx, no
 * unexpected refusal, and every answered write is in the database afterwards. Timing is reported,
 * never asserted (a shared CI machine).
 */
import { expect, it } from 'vitest';
import { describeEachSystem, type Session } from '../app';
import { acceptedStage, call, newProject, stepUser, type TaskRow } from '../lifecycle-helpers';

const SECONDS = Number(process.env.F11_SECONDS ?? 20);
const USERS = Number(process.env.F11_USERS ?? 6);

type Kind = 'read' | 'submission' | 'approval';

const p95 = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
};
const mb = (n: number) => Math.round(n / 2 ** 20);

describeEachSystem('F-11 bounded load', (t) => {
  it(`mixed reads, submissions and approvals for ${SECONDS} s: no 5xx, nothing lost`, async () => {
    const { system } = t;
    const sessions = new Map<string, Session>();
    const as = async (username: string) => {
      if (!sessions.has(username)) sessions.set(username, await system.login(username));
      return sessions.get(username)!;
    };
    const applicant = await as('applicant');
    const window = await as('window');
    const { templates } = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json();
    const templateCode = templates[1].code as string;

    const latencies: Record<Kind, number[]> = { read: [], submission: [], approval: [] };
    const failures: string[] = [];
    let requests = 0;
    let refusedByOrder = 0;
    const projects: string[] = [];
    const applications: string[] = [];
    const queue: { task: TaskRow; step: 'initial' | 'final' }[] = [];
    const decided: string[] = [];
    let offset = 400;

    /** Times one request (or a helper's few) and records anything but success. */
    async function timed<T>(kind: Kind, what: string, fn: () => Promise<T>): Promise<T | undefined> {
      const started = performance.now();
      try {
        const value = await fn();
        latencies[kind].push(performance.now() - started);
        return value;
      } catch (err) {
        failures.push(`${kind} ${what}: ${(err as Error).message.slice(0, 300)}`);
        return undefined;
      } finally {
        requests++;
      }
    }
    const expectOk = (what: string, status: number, body: unknown) => {
      if (status >= 300) throw new Error(`${what} → ${status} ${JSON.stringify(body).slice(0, 200)}`);
    };

    const reads = [
      () => call(system, applicant, 'GET', '/api/projects'),
      () => call(system, null, 'GET', '/api/process-templates'),
      () =>
        projects.length
          ? call(system, applicant, 'GET', `/api/projects/${projects[requests % projects.length]}`)
          : call(system, null, 'GET', '/api/health'),
      () =>
        applications.length
          ? call(system, window, 'GET', `/api/applications/${applications[requests % applications.length]}`)
          : call(system, window, 'GET', '/api/projects'),
    ];

    async function read(i: number) {
      await timed('read', 'read', async () => {
        const r = await reads[i % reads.length]!();
        expectOk('read', r.status, r.body);
      });
    }

    async function submit() {
      await timed('submission', 'register+submit+accept', async () => {
        const project = await newProject(system, applicant, templateCode, offset++);
        projects.push(project.id);
        const { applicationId, tasks } = await acceptedStage(system, applicant, window, project, {
          stage: 1,
        });
        applications.push(applicationId);
        for (const task of tasks.filter((x) => x.status === 'in_review')) {
          queue.push({ task, step: task.currentStep ?? task.steps[0]! });
        }
      });
    }

    async function approve() {
      const next = queue.shift();
      if (!next) return read(0);
      await timed('approval', 'decision', async () => {
        const who = await as(stepUser(next.task.departmentCode, next.step));
        const r = await call(system, who, 'POST', `/api/tasks/${next.task.id}/decisions`, {
          step: next.step,
          outcome: 'approve',
          opinion: '符合要求，同意',
        });
        if (r.status === 409 && r.body?.error?.code === 'PREREQUISITE_NOT_MET') {
          // The order rule: this item waits for another; try it again later.
          refusedByOrder++;
          queue.push(next);
          return;
        }
        expectOk('decision', r.status, r.body);
        decided.push(`${next.task.id}/${next.step}`);
        const i = next.task.steps.indexOf(next.step);
        if (i + 1 < next.task.steps.length) queue.push({ task: next.task, step: next.task.steps[i + 1]! });
      });
    }

    global.gc?.();
    const rssStart = process.memoryUsage().rss;
    const heapStart = process.memoryUsage().heapUsed;
    const deadline = Date.now() + SECONDS * 1000;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: USERS }, async (_, user) => {
        for (let i = user; Date.now() < deadline; i++) {
          const roll = (i * 37 + user * 11) % 100;
          if (roll < 70) await read(i);
          else if (roll < 95) await submit();
          else await approve();
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    // Drain some of the approvals the submissions made possible, so the approval figures mean something.
    for (let i = 0; i < 20 && queue.length > 0; i++) await approve();
    global.gc?.();
    const rssEnd = process.memoryUsage().rss;
    const heapEnd = process.memoryUsage().heapUsed;

    const operations = latencies.read.length + latencies.submission.length + latencies.approval.length;
    const errorRate = failures.length / Math.max(1, operations + failures.length);
    console.log(
      [
        `F-11 [${system.kind}] ${USERS} users, ${seconds.toFixed(1)} s, ${operations} operations (${(operations / seconds).toFixed(1)}/s)`,
        `  reads ${latencies.read.length}: p95 ${p95(latencies.read).toFixed(0)} ms`,
        `  submissions ${latencies.submission.length} (register + uploads + apply + accept): p95 ${p95(latencies.submission).toFixed(0)} ms`,
        `  approvals ${latencies.approval.length}: p95 ${p95(latencies.approval).toFixed(0)} ms (${refusedByOrder} waited for a prerequisite)`,
        `  errors ${failures.length} (rate ${(errorRate * 100).toFixed(2)} %)`,
        `  RSS ${mb(rssStart)} → ${mb(rssEnd)} MB, heap ${mb(heapStart)} → ${mb(heapEnd)} MB`,
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(latencies.read.length).toBeGreaterThan(0);
    expect(latencies.submission.length).toBeGreaterThan(0);

    // Every answered write is there.
    const projectRows = await system.db
      .selectFrom('project')
      .select('id')
      .where('id', 'in', projects)
      .execute();
    expect(projectRows.length).toBe(projects.length);
    if (decided.length > 0) {
      const taskIds = [...new Set(decided.map((d) => d.split('/')[0]!))];
      const decisions = await system.db
        .selectFrom('taskDecision')
        .select(['taskId', 'step'])
        .where('taskId', 'in', taskIds)
        .execute();
      const stored = new Set(decisions.map((d) => `${d.taskId}/${d.step}`));
      for (const d of decided) expect(stored.has(d), d).toBe(true);
    }
  }, 180_000);
});
