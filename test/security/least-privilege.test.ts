/**
 * Least privilege in the database: the running server's own connection is zz_app, which may append to the
 * audit record but never change it, and cannot regain the owner's rights by RESET ROLE / SET ROLE.
 * The whole start-up (startSystem) is used, as `npm start` runs it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { seedDemoAccounts } from '../../src/seed/demo';
import { startSystem, type System } from '../../src/server';
import { freshDatabase } from '../db';
import { withDatabase } from '../global-setup';

const kinds = process.env.DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

for (const kind of kinds) {
  describe(`least privilege [${kind}]`, () => {
    let system: System;
    let dataDir: string;
    let dbName: string | undefined;
    let lite: Awaited<ReturnType<typeof freshDatabase>> | undefined;

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-lp-'));
      const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', DATA_DIR: dataDir };
      if (kind === 'postgres') {
        const url = process.env.DATABASE_URL!;
        dbName = `zz_lp_${randomBytes(5).toString('hex')}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${inject('postgresTemplate')}`);
        await admin.end();
        env.DATABASE_URL = withDatabase(url, dbName);
      }
      const config = parseConfig(env);
      // Accounts exist, so the start-up skips the demo projects (slow, and not what this test is about).
      if (kind === 'postgres') {
        const owner = await openDatabase({
          kind: 'postgres',
          url: config.migrationDatabaseUrl!,
          poolSize: 1,
        });
        await seedDemoAccounts(owner.db);
        await owner.close();
        system = await startSystem(config);
      } else {
        lite = await freshDatabase('pglite');
        await seedDemoAccounts(lite.db);
        system = await startSystem(config, { database: lite });
      }
    }, 120_000);

    afterAll(async () => {
      await system?.close();
      await lite?.drop();
      if (dbName) {
        const admin = new pg.Client({ connectionString: process.env.DATABASE_URL! });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('acts as zz_app and may append to the audit record but not change it', async () => {
      const db = system.ctx.db;
      const who = await sql<{ currentUser: string }>`SELECT current_user AS current_user`.execute(db);
      expect(who.rows[0]!.currentUser).toBe('zz_app');
      await expect(sql`DELETE FROM audit_event`.execute(db)).rejects.toThrow(/permission denied/);
      await expect(sql`UPDATE audit_event SET action = 'x'`.execute(db)).rejects.toThrow(/permission denied/);
    });

    it('cannot regain the owner by RESET ROLE, SET ROLE or SESSION AUTHORIZATION', async () => {
      const db = system.ctx.db;
      for (const statement of ['RESET ROLE', 'SET ROLE postgres', 'SET SESSION AUTHORIZATION postgres']) {
        const regained = await db
          .connection()
          .execute(async (conn) => {
            await sql.raw(statement).execute(conn);
            await sql`DELETE FROM audit_event`.execute(conn);
            return true;
          })
          .catch(() => false);
        expect(regained, statement).toBe(false);
      }
      const who = await sql<{ currentUser: string }>`SELECT current_user AS current_user`.execute(db);
      expect(who.rows[0]!.currentUser).toBe('zz_app');
    });

    it.runIf(kind === 'postgres')('logs in as a role that is neither superuser nor the owner', async () => {
      const { rows } = await sql<{ sessionUser: string; superuser: boolean; ownerMember: boolean }>`
        SELECT session_user AS session_user, r.rolsuper AS superuser,
               pg_has_role(session_user, c.relowner, 'MEMBER') AS owner_member
          FROM pg_roles r, pg_class c
         WHERE r.rolname = session_user AND c.oid = 'public.project'::regclass`.execute(system.ctx.db);
      expect(rows[0]).toEqual({ sessionUser: 'zz_app', superuser: false, ownerMember: false });
    });

    it('still serves: a login and a read work as zz_app', async () => {
      const res = await system.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'applicant', password: (await import('../../src/seed/demo')).DEMO_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
    });
  });
}
