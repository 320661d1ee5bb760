/**
 * F-10 backup and restore drill (reliability-security.md; PostgreSQL only): pg_dump → restore into a new
 * database → the audit chain verifies against its signed checkpoints (database and files outside it),
 * every certificate signature verifies, and the restored system keeps sealing. Prints the times.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { recordEvent } from '../../src/modules/audit/audit.service';
import { sealAll } from '../../src/modules/audit/audit.test-helpers';
import { sealAndVerify } from '../../src/modules/audit/audit.wiring';
import { createTaskFixture, issueFor } from '../../src/modules/certificates/certificate.fixtures';
import { signatureMessage } from '../../src/modules/certificates/certificate.rules';
import { verificationKey } from '../../src/modules/certificates/signing-keys';
import { sm2Verify } from '../../src/modules/certificates/sm2';
import { createTestSystem } from '../app';
import { withDatabase } from '../global-setup';

const url = process.env.DATABASE_URL;
const NOW = new Date('2026-03-02T09:30:00+08:00');

describe.skipIf(!url)('F-10 backup and restore drill [postgres]', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'f10-'));
  const restoredName = `zz_f10_${process.pid}_${Date.now().toString(36)}`;
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('pg_dump → pg_restore into a new database: the audit chain and every certificate signature verify', async () => {
    const system = await createTestSystem('postgres');
    cleanups.push(() => system.close());
    const db = system.db;
    const certificates = [];
    for (let i = 0; i < 5; i++) certificates.push(await issueFor(db, await createTaskFixture(db), NOW));
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 200; i++) {
        await recordEvent(trx, null, NOW, {
          action: 'drill.event',
          objectType: 'drill',
          objectId: String(i),
        });
      }
    });
    await sealAll(system.ctx, { forceCheckpoint: true });
    const before = await sealAndVerify(system.ctx);
    expect(before).toMatchObject({ valid: true, unsealed: 0, unanchored: 0 });

    const source = (await sql<{ name: string }>`SELECT current_database() AS name`.execute(db)).rows[0]!.name;
    const dump = path.join(tmp, 'backup.dump');
    const t0 = performance.now();
    execFileSync('pg_dump', ['--format=custom', '--file', dump, '--dbname', withDatabase(url!, source)]);
    const dumpMs = performance.now() - t0;

    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${restoredName}`);
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
      await c.end();
    });
    await admin.end();
    const t1 = performance.now();
    execFileSync('pg_restore', ['--exit-on-error', '--dbname', withDatabase(url!, restoredName), dump]);
    const restoreMs = performance.now() - t1;

    const restored = await openDatabase({
      kind: 'postgres',
      url: withDatabase(url!, restoredName),
      poolSize: 4,
    });
    cleanups.push(() => restored.close());
    // The restored system: same key file and the checkpoint files kept outside the database.
    const ctx = { ...system.ctx, database: restored, db: restored.db };
    const t2 = performance.now();
    const after = await sealAndVerify(ctx);
    const rows = await restored.db
      .selectFrom('certificate')
      .select(['id', 'content', 'signature', 'signerKeyId'])
      .execute();
    let verified = 0;
    for (const r of rows) {
      const key = await verificationKey(restored.db, r.signerKeyId);
      if (key && sm2Verify(signatureMessage(r.content), r.signature, key.publicKey)) verified++;
    }
    const verifyMs = performance.now() - t2;
    expect(after).toMatchObject({
      valid: true,
      events: before.events,
      checkpoints: before.checkpoints,
      unanchored: 0,
      problems: [],
    });
    expect(rows.length).toBeGreaterThanOrEqual(certificates.length);
    expect(verified).toBe(rows.length);

    // The restored database keeps sealing where the chain left off.
    await restored.db
      .transaction()
      .execute((trx) =>
        recordEvent(trx, null, NOW, { action: 'drill.after_restore', objectType: 'drill', objectId: 'x' }),
      );
    await sealAll(ctx, { forceCheckpoint: true });
    expect(await sealAndVerify(ctx)).toMatchObject({ valid: true, events: before.events + 1, unsealed: 0 });

    console.log(
      `F-10 backup/restore drill: ${before.events} audit events, ${rows.length} certificates; ` +
        `pg_dump ${dumpMs.toFixed(0)} ms (${(fs.statSync(dump).size / 1024).toFixed(0)} KiB), ` +
        `pg_restore ${restoreMs.toFixed(0)} ms, verify chain + signatures ${verifyMs.toFixed(0)} ms`,
    );
  });
});
