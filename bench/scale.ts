/**
 * Decisions per second with 1 and 2 API processes on one PostgreSQL (issue 10 item 6), beside the
 * lock-free database ceiling of bench/approval.ts (the same rows as raw SQL, one transaction per decision),
 * in one run. Each API is a real `tsx src/cli.ts serve` (WEB_CONCURRENCY=1, then WEB_CONCURRENCY=2:
 * node:cluster, one port; sessions, limits and the sealer's lock in the database), started on the scratch
 * database in turn, so both counts see the same data.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/scale.ts
 *   BENCH_DECISIONS=1000 (per phase)  BENCH_CONCURRENCY=16  BENCH_PROCESSES=1,2
 *
 * On a 2-core machine the processes, the HTTP client and PostgreSQL share the same cores: the figures show
 * what a second process buys there, not on a production host. Prints figures; asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {
  createBenchDatabase,
  fmt,
  fmtBacklog,
  httpDecisions,
  loginHeaders,
  rate,
  rawDecisions,
  withBacklog,
  type LoadResult,
} from './approval';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('DATABASE_URL (a PostgreSQL server) is required');
  process.exit(2);
}
const N = Number(process.env.BENCH_DECISIONS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const COUNTS = (process.env.BENCH_PROCESSES ?? '1,2').split(',').map(Number);
const PORT_BASE = 39_000 + (process.pid % 500) * 4;

/** Starts `tsx src/cli.ts serve` with `processes` API processes; resolves once each one listens. */
function serve(url: string, dataDir: string, processes: number, port: number) {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'serve'], {
    cwd: root,
    detached: true, // its own process group: stopped with its cluster workers at the end
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      WEB_CONCURRENCY: String(processes),
    },
  });
  let output = '';
  return new Promise<ChildProcess>((resolve, reject) => {
    let listening = 0;
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      listening += (d.toString().match(/listening on/g) ?? []).length;
      if (listening >= processes) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  const t = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

const bench = await createBenchDatabase(baseUrl);
try {
  const rawIds = await bench.cloneTasks(N);
  const apiIds = new Map<number, string[]>();
  for (const n of COUNTS) apiIds.set(n, await bench.cloneTasks(N));
  await bench.settleClocks();
  const server = (await bench.client.query('SHOW server_version')).rows[0].server_version;
  console.log(
    `PostgreSQL ${server}; ${N} decisions per phase at concurrency ${CONCURRENCY}; ` +
      `${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at start`,
  );
  let raw: Awaited<ReturnType<typeof withBacklog<LoadResult>>> | undefined;
  const results: [number, LoadResult][] = [];
  for (const [i, n] of COUNTS.entries()) {
    const port = PORT_BASE + i;
    const child = await serve(bench.url, bench.dataDir, n, port);
    try {
      // The ceiling while the first server idles, so its sealer seals those events too.
      raw ??= await withBacklog(bench, () => rawDecisions(bench.url, bench.reviewer.id, rawIds, CONCURRENCY));
      const headers = await loginHeaders(port, bench.reviewer.username);
      const api = await withBacklog(bench, () => httpDecisions(port, headers, apiIds.get(n)!, CONCURRENCY));
      results.push([n, api.result]);
      console.log(fmt(`API, ${n} process${n > 1 ? 'es' : ''}`, api.result));
      console.log(`   ${fmtBacklog(api.backlog)}`);
    } finally {
      await stop(child);
    }
  }
  if (!raw) throw new Error('BENCH_PROCESSES is empty');
  console.log(fmt('raw SQL, no global lock (ceiling)', raw.result));
  console.log(`   ${fmtBacklog(raw.backlog)}`);
  for (const [n, r] of results)
    console.log(
      `${n} process${n > 1 ? 'es' : ''}: ${rate(r).toFixed(0)} decisions/s = ` +
        `${((rate(r) / rate(raw!.result)) * 100).toFixed(1)}% of the ceiling` +
        (results[0] && n !== results[0][0]
          ? `, ${(rate(r) / rate(results[0][1])).toFixed(2)}× ${results[0][0]} process`
          : ''),
    );
} finally {
  await bench.drop();
}
