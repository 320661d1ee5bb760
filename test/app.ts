/**
 * A whole system on a private database for API tests: Fastify's inject (no network), a movable clock,
 * demo accounts, and a login helper that returns the cookie and CSRF token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { parseConfig, type Config } from '../src/config';
import type { AppDatabase, DatabaseKind } from '../src/db/database';
import { buildApp } from '../src/http/app';
import type { App, AppContext } from '../src/http/context';
import { createCalendarProvider } from '../src/modules/calendar/calendar.service';
import { installSigningKeys, loadSigningKeys } from '../src/modules/certificates/signing-keys';
import { fixedClock } from '../src/shared/clock';
import { DEMO_PASSWORD, seedDemoAccounts } from '../src/seed/demo';
import { databaseKinds, freshDatabase } from './db';

export interface TestSystem {
  app: App;
  ctx: AppContext;
  database: AppDatabase;
  db: AppDatabase['db'];
  kind: DatabaseKind;
  clock: ReturnType<typeof fixedClock>;
  login(username: string, password?: string): Promise<Session>;
}

export interface Session {
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing request of this user. */
  headers: Record<string, string>;
}

export const DEFAULT_NOW = new Date('2026-03-02T09:00:00+08:00');

/** One signing key file per test process (never ./data); each system gets its own checkpoint directory. */
const testKeyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-keys-'));
process.once('exit', () => fs.rmSync(testKeyDir, { recursive: true, force: true }));

export async function createTestSystem(kind: DatabaseKind, overrides: Partial<Config> = {}) {
  const database = await freshDatabase(kind);
  await seedDemoAccounts(database.db);
  const config = {
    ...parseConfig({
      NODE_ENV: 'test',
      SIGNING_KEY_FILE: path.join(testKeyDir, 'signing-keys.json'),
      AUDIT_CHECKPOINT_DIR: fs.mkdtempSync(path.join(testKeyDir, 'checkpoints-')),
    }),
    ...overrides,
  };
  installSigningKeys(loadSigningKeys(config));
  const clock = fixedClock(DEFAULT_NOW);
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    clock,
    calendar: createCalendarProvider(database.db),
    jobs: null,
  };
  const app = await buildApp(ctx);
  const system: TestSystem = {
    app,
    ctx,
    database,
    db: database.db,
    kind,
    clock,
    async login(username, password = DEMO_PASSWORD) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrfToken = res.json().csrfToken as string;
      return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
    },
  };
  return Object.assign(system, {
    async close() {
      await app.close();
      await database.drop();
    },
  });
}

/** Declares the body once per database kind with a running test system in `t.system`. */
export function describeEachSystem(title: string, body: (t: { readonly system: TestSystem }) => void) {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let system: Awaited<ReturnType<typeof createTestSystem>> | undefined;
      beforeAll(async () => {
        system = await createTestSystem(kind);
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
