/** SQL of the documents module: the yearly 文号 serials and the issued documents. */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { AdministrativeDocumentTable } from './document.tables';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The next serial of (issuer, series, year): one upsert, so concurrent issuers queue on the row and
 * every number is used once (the first document of a year starts the series at 1).
 */
export async function nextSerial(trx: Transaction<DB>, issuerCode: string, series: string, year: number) {
  const row = await sql<{ lastValue: number }>`
    INSERT INTO document_serial (issuer_code, series, year, last_value)
    VALUES (${issuerCode}, ${series}, ${year}, 1)
    ON CONFLICT (issuer_code, series, year)
    DO UPDATE SET last_value = document_serial.last_value + 1
    RETURNING last_value`.execute(trx);
  return Number(row.rows[0]!.lastValue);
}

export function findDepartment(db: Db, code: string) {
  return db.selectFrom('department').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
}

export async function departmentNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('department')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Material code → name, as the catalog's items list them (one name per code). */
export async function materialNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<{ code: string; name: string }>`
    SELECT DISTINCT m->>'code' AS code, m->>'name' AS name
    FROM item_version, jsonb_array_elements(materials) m
    WHERE m->>'code' = ANY(${[...new Set(codes)]}::text[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.code, r.name]));
}

export async function insertDocument(trx: Transaction<DB>, row: Insertable<AdministrativeDocumentTable>) {
  await trx.insertInto('administrativeDocument').values(row).execute();
}

const listed = [
  'administrativeDocument.id',
  'administrativeDocument.kind',
  'administrativeDocument.number',
  'administrativeDocument.issuerCode',
  'department.name as issuerName',
  'administrativeDocument.projectId',
  'administrativeDocument.applicationId',
  'administrativeDocument.taskId',
  'administrativeDocument.title',
  'administrativeDocument.issuedAt',
] as const;

export function listForProject(db: Db, projectId: string) {
  return db
    .selectFrom('administrativeDocument')
    .innerJoin('department', 'department.code', 'administrativeDocument.issuerCode')
    .select(listed)
    .where('administrativeDocument.projectId', '=', projectId)
    .orderBy('administrativeDocument.seq', 'asc')
    .execute();
}

export function findDocument(db: Db, id: string) {
  return db
    .selectFrom('administrativeDocument')
    .innerJoin('department', 'department.code', 'administrativeDocument.issuerCode')
    .select([
      ...listed,
      'administrativeDocument.content',
      'administrativeDocument.signature',
      'administrativeDocument.signerKeyId',
    ])
    .where('administrativeDocument.id', '=', id)
    .executeTakeFirst();
}
