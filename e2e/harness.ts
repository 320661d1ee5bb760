/**
 * Browser-test harness: a real server on a free port with a fresh data directory (and a fresh
 * PostgreSQL database when DATABASE_URL is set), Debian's Chromium, and a UI log-in helper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const START_TIMEOUT_MS = 180_000;
export const DEMO_PASSWORD = 'Demo#2026zz';

export interface RunningServer {
  url: string;
  dataDir: string;
  logFile: string;
  stop: () => Promise<void>;
  /** Stops the server and starts it again on the same data with extra environment (e.g. a later CLOCK_NOW). */
  restart: (env: Record<string, string>) => Promise<void>;
  /**
   * Stops the server, runs `tsx src/cli.ts <args>` on the same data (the embedded database admits one
   * process at a time), then starts the server again. Resolves to the command's exit code and output.
   */
  runCli: (args: string[]) => Promise<{ code: number | null; output: string }>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Creates `e2e_<random>` on the server of `baseUrl`; returns its URL and a function that drops it. */
async function createTempDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function tail(file: string, lines = 60): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

async function waitForHealth(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited early (code ${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server did not answer GET /api/health within ${START_TIMEOUT_MS / 1000} s`);
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** Starts `tsx src/cli.ts serve` on a free port with a fresh DATA_DIR (and database), waits for health. */
export async function startServer(opts: { env?: Record<string, string> } = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'zz-e2e-'));
  const logFile = join(dataDir, 'server.log');
  const url = `http://127.0.0.1:${port}`;

  const baseDatabaseUrl = process.env.DATABASE_URL;
  const database = baseDatabaseUrl ? await createTempDatabase(baseDatabaseUrl) : null;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dataDir, 'data'),
    // never production: the demo accounts are created only outside production
    NODE_ENV: 'development',
    // certificate QR codes and verification links point at this server (never at a request's Host)
    PUBLIC_BASE_URL: url,
    ...opts.env,
  };
  if (database) env.DATABASE_URL = database.url;
  else delete env.DATABASE_URL;

  const log = createWriteStream(logFile);
  const spawnServer = (childEnv: NodeJS.ProcessEnv) => {
    const c = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli.ts', 'serve'], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout?.pipe(log, { end: false });
    c.stderr?.pipe(log, { end: false });
    return c;
  };
  let child = spawnServer(env);

  const cleanup = async () => {
    await killChild(child);
    log.end();
    if (database)
      await database.drop().catch((err) => console.error(`could not drop the e2e database: ${err}`));
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, child, Date.now() + START_TIMEOUT_MS);
  } catch (err) {
    await killChild(child);
    await new Promise((r) => setTimeout(r, 100));
    console.error(`--- server log (${logFile}) ---\n${tail(logFile)}\n--- end of server log ---`);
    log.end();
    if (database) await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  let stopped = false;
  return {
    url,
    dataDir,
    logFile,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await cleanup();
    },
    restart: async (extra) => {
      await killChild(child);
      child = spawnServer({ ...env, ...extra });
      await waitForHealth(url, child, Date.now() + START_TIMEOUT_MS);
    },
    runCli: async (args) => {
      await killChild(child);
      const result = await new Promise<{ code: number | null; output: string }>((done, fail) => {
        const c = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli.ts', ...args], {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
        c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
        c.once('error', fail);
        c.once('exit', (code) => done({ code, output }));
      });
      child = spawnServer(env);
      await waitForHealth(url, child, Date.now() + START_TIMEOUT_MS);
      return result;
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Logs in through the login page and waits for the dashboard. */
export async function login(
  page: Page,
  url: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor({ timeout: 30_000 });
}
