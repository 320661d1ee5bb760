/**
 * Reference data every installation needs, production included: departments, the approval-item
 * catalog with its recorded merges and cancellations, the nine process templates, and the city's
 * districts (行政区划) a project may be registered under.
 * Idempotent: departments are upserted, the catalog and templates are loaded only into an empty table
 * (after that, administrators change them through versioned edits), districts missing from the list
 * are added (an administrator's edits and retirements stay).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { seedDistricts } from '../modules/blueprint/district.service';
import { seedServiceList } from '../modules/marketplace/service-list.service';
import * as catalogRepo from '../modules/catalog/catalog.repository';
import { catalogChanges, catalogItems } from '../modules/catalog/catalog.data';
import { validateCatalog } from '../modules/catalog/catalog.rules';
import { departments } from '../modules/catalog/departments.data';
import * as templateRepo from '../modules/templates/template.repository';
import { processTemplates } from '../modules/templates/template.data';
import { validateTemplate } from '../modules/templates/template.rules';

export function checkReferenceData(): string[] {
  const problems = validateCatalog(catalogItems, departments)
    .filter((i) => i.severity === 'error' && i.code !== 'BASIS_TOO_LOW')
    .map((i) => `${i.itemCode}: ${i.message}`);
  const items = new Map(catalogItems.map((i) => [i.code, i]));
  for (const t of processTemplates) {
    for (const issue of validateTemplate(t, items)) problems.push(`${t.code}: ${issue.message}`);
  }
  return problems;
}

export async function seedReferenceData(
  db: Kysely<DB>,
): Promise<{ items: number; templates: number; districts: number }> {
  const problems = checkReferenceData();
  if (problems.length > 0) throw new Error(`Reference data is invalid:\n${problems.join('\n')}`);
  return db.transaction().execute(async (trx) => {
    await catalogRepo.upsertDepartments(trx, departments);
    let items = 0;
    let templates = 0;
    if ((await catalogRepo.countItems(trx)) === 0) {
      await catalogRepo.insertItemVersions(trx, catalogItems);
      items = catalogItems.length;
    }
    await catalogRepo.insertChanges(trx, catalogChanges);
    if ((await templateRepo.listCurrentDefinitions(trx)).length === 0) {
      await templateRepo.insertDefinitions(trx, processTemplates);
      templates = processTemplates.length;
    }
    const districts = await seedDistricts(trx, new Date());
    // The 中介服务事项清单 and the retained 公示 / 技术审查 lists (issue 13).
    await seedServiceList(trx, new Date());
    return { items, templates, districts };
  });
}
