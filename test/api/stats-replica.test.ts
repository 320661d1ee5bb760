/**
 * READ_DATABASE_URL: the statistics overview and its Excel export read from the replica's connection and
 * write nothing there (clocks are refreshed on the primary). A read-only connection
 * (default_transaction_read_only) stands in for a streaming replica. PostgreSQL only.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../src/db/database';
import { createTestSystem } from '../app';
import { withDatabase } from '../global-setup';

describe.runIf(!!process.env.DATABASE_URL)('statistics on a read replica [postgres]', () => {
  let system: Awaited<ReturnType<typeof createTestSystem>>;
  let replica: AppDatabase;

  beforeAll(async () => {
    system = await createTestSystem('postgres');
    const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(system.db);
    const url = new URL(withDatabase(process.env.DATABASE_URL!, rows[0]!.name));
    url.searchParams.set('options', '-c default_transaction_read_only=on');
    replica = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
    system.ctx.readDb = replica.db;
  });

  afterAll(async () => {
    await replica?.close().catch(() => undefined);
    await system?.close();
  });

  it('serves the overview and the export from the replica connection', async () => {
    await expect(sql`CREATE TEMP TABLE x (a int)`.execute(replica.db)).rejects.toThrow(/read-only/);
    const supervisor = await system.login('supervisor');
    const overview = await system.app.inject({
      method: 'GET',
      url: '/api/stats/overview',
      headers: supervisor.headers,
    });
    expect(overview.statusCode, overview.body).toBe(200);
    expect(overview.json()).toHaveProperty('totals');
    const book = await system.app.inject({
      method: 'GET',
      url: '/api/stats/export.xlsx',
      headers: supervisor.headers,
    });
    expect(book.statusCode).toBe(200);
    // The reads really go there: with the replica gone, the overview cannot be served.
    await replica.close();
    const gone = await system.app.inject({
      method: 'GET',
      url: '/api/stats/overview',
      headers: supervisor.headers,
    });
    expect(gone.statusCode).toBe(503);
    system.ctx.readDb = undefined;
  });
});
