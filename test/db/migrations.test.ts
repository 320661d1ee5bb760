import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrate, migrationFiles } from '../../src/db/migrate';
import { describeEachDatabase } from '../db';

describeEachDatabase('migrations', (t) => {
  it('applies every migration file once, with PostGIS, and re-running applies nothing', async () => {
    const applied = await t.database.db
      .selectFrom('schemaMigration')
      .select('name')
      .orderBy('name')
      .execute();
    expect(applied.map((r) => `${r.name}.sql`)).toEqual(migrationFiles());
    expect(await migrate(t.database)).toEqual([]);
    const postgis = await sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(t.database.db);
    expect(postgis.rows[0]!.v).toMatch(/^3\./);
  });

  it('enforces the schema rules in the database too', async () => {
    // Promised time limit above the legal one is refused by a CHECK, whatever the code does.
    const item = await t.database.db.selectFrom('itemVersion').selectAll().limit(1).executeTakeFirstOrThrow();
    await expect(
      t.database.db
        .insertInto('itemVersion')
        .values({
          ...item,
          version: 99,
          promisedTimeLimitDays: item.legalTimeLimitDays + 1,
          materials: JSON.stringify(item.materials),
          formFields: JSON.stringify(item.formFields),
          createdAt: undefined,
        })
        .execute(),
    ).rejects.toThrow(/item_version_promised_within_legal/);
  });
});
