import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { TemplateDefinition } from './template.schemas';

type Db = Kysely<DB> | Transaction<DB>;

export async function listCurrentDefinitions(db: Db): Promise<TemplateDefinition[]> {
  const rows = await db
    .selectFrom('processTemplateVersion')
    .select('definition')
    .where('effectiveTo', 'is', null)
    .orderBy('code')
    .execute();
  return rows.map((r) => r.definition);
}

export async function findCurrentDefinition(db: Db, code: string): Promise<TemplateDefinition | undefined> {
  const row = await db
    .selectFrom('processTemplateVersion')
    .select('definition')
    .where('code', '=', code)
    .where('effectiveTo', 'is', null)
    .executeTakeFirst();
  return row?.definition;
}

/** A project keeps the template version it started under. */
export async function findDefinitionVersion(db: Db, code: string, version: number) {
  const row = await db
    .selectFrom('processTemplateVersion')
    .select('definition')
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.definition;
}

export function lockCurrentDefinition(trx: Transaction<DB>, code: string) {
  return trx
    .selectFrom('processTemplateVersion')
    .select(['code', 'version', 'effectiveFrom'])
    .where('code', '=', code)
    .where('effectiveTo', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function closeDefinition(trx: Transaction<DB>, code: string, version: number, effectiveTo: string) {
  return trx
    .updateTable('processTemplateVersion')
    .set({ effectiveTo })
    .where('code', '=', code)
    .where('version', '=', version)
    .execute();
}

export async function insertDefinitions(db: Db, defs: TemplateDefinition[], createdBy: string | null = null) {
  if (defs.length === 0) return;
  await db
    .insertInto('processTemplateVersion')
    .values(
      defs.map((d) => ({
        code: d.code,
        version: d.version,
        name: d.name,
        nationalProcessType: d.nationalProcessType,
        definition: JSON.stringify(d),
        effectiveFrom: d.effectiveFrom,
        createdBy,
      })),
    )
    .execute();
}

/** A stored version with its closing date (the provincial exchange's 停用日期). */
export function findVersionRecord(db: Db, code: string, version: number) {
  return db
    .selectFrom('processTemplateVersion')
    .select(['definition', 'effectiveTo'])
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
}
