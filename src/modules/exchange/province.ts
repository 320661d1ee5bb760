/**
 * The 省前置库 (provincial front database): a separate database the SPGL rows are upserted into, keyed by
 * 地方数据主键 (DFSJZJ) with 数据上传状态 (SJSCZT). PROVINCE_DATABASE_URL names a PostgreSQL database; without
 * it an embedded PGlite under DATA_DIR/province stands in (development and the default install).
 */
import path from 'node:path';
import { openDatabase, type AppDatabase } from '../../db/database';
import { BOOKKEEPING_FIELDS, SJSCZT_UPLOADED, type SpglRow } from './exchange.rules';
import { SPGL_TABLES, type FieldType, type SpglTable } from './spgl.tables.data';

export interface ProvinceLink {
  /** Runs one statement in the province database. */
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

const columnType: Record<FieldType, string> = {
  string: 'text',
  date: 'text',
  integer: 'bigint',
  number: 'double precision',
};

const tableName = (t: SpglTable) => t.code.toLowerCase();
const column = (code: string) => code.toLowerCase();

/** The province's tables as the reference names them (idempotent); SCSJ (上传时间) is always the last column. */
export async function ensureProvinceSchema(link: ProvinceLink) {
  for (const t of SPGL_TABLES) {
    const cols = t.fields
      .filter((f) => f.code !== 'LSH' && f.code !== 'DFSJZJ' && f.code !== 'SCSJ')
      .map((f) => `${column(f.code)} ${columnType[f.type]}`);
    await link.query(
      `CREATE TABLE IF NOT EXISTS ${tableName(t)} (lsh bigserial, dfsjzj text PRIMARY KEY, ${cols.join(', ')}, scsj timestamptz)`,
    );
  }
}

/**
 * Upserts rows of one table in one statement: a replay of the same rows changes nothing but SCSJ, and a
 * newer version of a row replaces the older (the province reads SJSCZT = 0 as "to be taken").
 */
export async function upsertRows(link: ProvinceLink, table: SpglTable, rows: readonly SpglRow[], at: Date) {
  if (rows.length === 0) return;
  const fields = table.fields.filter((f) => !BOOKKEEPING_FIELDS.has(f.code)).map((f) => f.code);
  const cols = [...fields.map(column), 'sjsczt', 'scsj'];
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const start = values.length;
    for (const f of fields) values.push(row[f] ?? null);
    values.push(SJSCZT_UPLOADED, at.toISOString());
    return `(${cols.map((_, i) => `$${start + i + 1}`).join(', ')})`;
  });
  const updates = cols.filter((c) => c !== 'dfsjzj').map((c) => `${c} = EXCLUDED.${c}`);
  await link.query(
    `INSERT INTO ${tableName(table)} (${cols.join(', ')}) VALUES ${tuples.join(', ')} ` +
      `ON CONFLICT (dfsjzj) DO UPDATE SET ${updates.join(', ')}`,
    values,
  );
}

/** Every row of a table in the province (for reconciliation). */
export async function provinceRows(link: ProvinceLink, table: SpglTable) {
  const { rows } = await link.query(`SELECT * FROM ${tableName(table)}`);
  return rows;
}

function fromDatabase(db: AppDatabase): ProvinceLink {
  return {
    query: async (text, values) => ({
      rows: (await db.rawQuery(text, values)).rows as Record<string, unknown>[],
    }),
    close: () => db.close(),
  };
}

/** Opens the province database: PostgreSQL by URL, or an embedded PGlite in `dataDir`. */
export async function openProvince(opts: { url?: string; dataDir?: string }): Promise<ProvinceLink> {
  const db = opts.url
    ? await openDatabase({ kind: 'postgres', url: opts.url, poolSize: 2, connectionTimeoutMs: 5_000 })
    : await openDatabase({ kind: 'pglite', ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
  const link = fromDatabase(db);
  return link;
}

let shared: Promise<ProvinceLink> | undefined;

/** The process's province link from configuration (opened once). */
export function provinceFromConfig(config: { provinceDatabaseUrl?: string; dataDir: string }) {
  shared ??= openProvince({
    url: config.provinceDatabaseUrl,
    dataDir: path.join(config.dataDir, 'province'),
  });
  return shared;
}
