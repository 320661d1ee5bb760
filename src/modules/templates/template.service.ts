/**
 * Process templates (审批流程, 任务 35/38): the current versions with their computed stage limits and
 * whole-process total, flowcharts, and versioned administrator edits that must stay within 100 days.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { publicationProblem } from '../catalog/catalog.rules';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { listItems, previewItemVersion } from '../catalog/catalog.service';
import type { Item } from '../catalog/catalog.schemas';
import { listDepartments } from '../identity/identity.service';
import type { Actor } from '../identity/identity.rules';
import { renderFlowchartSvg } from './template.flowchart';
import * as repo from './template.repository';
import { templateKind, templateQuestions } from './template.questions';
import { TARGET_TOTAL_WORKING_DAYS, templateView, validateTemplate } from './template.rules';
import type { TemplateDefinition } from './template.schemas';

async function itemsByCode(db: Kysely<DB>): Promise<Map<string, Item>> {
  const items = await listItems(db, { status: 'all' });
  return new Map(items.map((i) => [i.code, i]));
}

/** The API shape: stages with computed limits and items enriched with name, department and days. */
function present(def: TemplateDefinition, items: Map<string, Item>) {
  const view = templateView(def, items);
  return {
    code: view.code,
    name: view.name,
    version: view.version,
    nationalProcessType: view.nationalProcessType,
    effectiveFrom: view.effectiveFrom,
    totalWorkingDays: view.totalWorkingDays,
    allowedAttributes: templateKind(def),
    questions: templateQuestions(def),
    stages: view.stages.map((s) => ({
      nationalStage: s.nationalStage,
      name: s.name,
      leadDepartmentCode: s.leadDepartmentCode,
      mergedStages: s.mergedStages,
      completionRule: s.completionRule,
      parallelWithPrevious: s.parallelWithPrevious,
      timeLimitWorkingDays: s.timeLimitWorkingDays,
      items: s.items.map((ti) => {
        const item = items.get(ti.itemCode);
        return {
          itemCode: ti.itemCode,
          itemName: item?.name ?? ti.itemCode,
          departmentCode: item?.departmentCode ?? '',
          promisedTimeLimitDays: item?.promisedTimeLimitDays ?? 0,
          milestone: ti.milestone,
          condition: ti.condition,
          prerequisites: ti.prerequisites,
          simulatedUntil: ti.simulatedUntil,
          // Stored versions published before the field existed have no key.
          requiredBefore: ti.requiredBefore ?? null,
        };
      }),
    })),
  };
}

export type TemplatePresentation = ReturnType<typeof present>;

export async function listTemplates(db: Kysely<DB>) {
  const [defs, items] = await Promise.all([repo.listCurrentDefinitions(db), itemsByCode(db)]);
  return defs.map((d) => present(d, items));
}

export async function getTemplate(db: Kysely<DB>, code: string) {
  const def = await repo.findCurrentDefinition(db, code);
  if (!def) throw notFound('审批流程 template', code);
  return present(def, await itemsByCode(db));
}

export async function flowchartSvg(db: Kysely<DB>, code: string): Promise<string> {
  const def = await repo.findCurrentDefinition(db, code);
  if (!def) throw notFound('审批流程 template', code);
  const [items, departments] = await Promise.all([itemsByCode(db), listDepartments(db)]);
  return renderFlowchartSvg(templateView(def, items), items, new Map(departments.map((d) => [d.code, d])));
}

/**
 * Publishes a new version from the version it was edited from, effective on the date sent
 * (publicationProblem: stale version 409, dates 422); refused when the validator finds any problem
 * (e.g. total over 100 days).
 */
export async function publishTemplateVersion(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  def: TemplateDefinition,
) {
  const items = await itemsByCode(db);
  const issues = validateTemplate(def, items);
  if (issues.length > 0) {
    throw new DomainError('CATALOG_INVALID', issues.map((i) => i.message).join('; '), { details: issues });
  }
  const today = beijingDate(now);
  return db.transaction().execute(async (trx) => {
    const current = await repo.lockCurrentDefinition(trx, def.code);
    const problem = publicationProblem(current, def, today);
    if (problem) throw new DomainError(problem.code, problem.message, { field: problem.field });
    const next: TemplateDefinition = { ...def, version: (current?.version ?? 0) + 1 };
    if (current) await repo.closeDefinition(trx, def.code, current.version, def.effectiveFrom);
    await repo.insertDefinitions(trx, [next], actor.userId);
    await recordEvent(trx, actor, now, {
      action: current ? 'template.amended' : 'template.created',
      objectType: 'process_template',
      objectId: def.code,
      fromState: current ? `v${current.version}` : null,
      toState: `v${next.version}`,
    });
    return present(next, items);
  });
}

/**
 * 发布前预览 (issue 15): an unsaved draft through the same rules as publishing — the computed stage
 * limits and whole-process total (templateView), the validator's problems (validateTemplate), and
 * whether the version it was edited from is still current (publicationProblem). Nothing is written.
 */
export async function previewTemplateVersion(db: Kysely<DB>, now: Date, def: TemplateDefinition) {
  const [items, current] = await Promise.all([itemsByCode(db), repo.findCurrentDefinition(db, def.code)]);
  const view = present(def, items);
  const problem = publicationProblem(current, def, beijingDate(now));
  return {
    totalWorkingDays: view.totalWorkingDays,
    targetDays: TARGET_TOTAL_WORKING_DAYS,
    currentTotalWorkingDays: current ? templateView(current, items).totalWorkingDays : null,
    stages: view.stages.map((s) => ({
      nationalStage: s.nationalStage,
      name: s.name,
      timeLimitWorkingDays: s.timeLimitWorkingDays,
      items: s.items.map((i) => ({
        itemCode: i.itemCode,
        itemName: i.itemName,
        promisedTimeLimitDays: i.promisedTimeLimitDays,
      })),
    })),
    issues: validateTemplate(def, items).map((i) => ({
      code: i.code,
      message: i.message,
      nationalStage: i.nationalStage,
      itemCode: i.itemCode,
    })),
    publication: problem ? { code: problem.code, field: problem.field, message: problem.message } : null,
  };
}

/**
 * 事项修改预览 (issue 15): the catalog's findings on a draft item version, and each current template
 * that uses the item with its whole-process total now and with the draft in place (same templateView).
 */
export async function previewItemImpact(db: Kysely<DB>, now: Date, draft: Item) {
  const [catalog, defs, items] = await Promise.all([
    previewItemVersion(db, now, draft),
    repo.listCurrentDefinitions(db),
    itemsByCode(db),
  ]);
  const withDraft = new Map(items).set(draft.code, draft);
  const templates = defs
    .filter((d) => d.stages.some((s) => s.items.some((i) => i.itemCode === draft.code)))
    .map((d) => ({
      code: d.code,
      name: d.name,
      totalWorkingDays: templateView(d, items).totalWorkingDays,
      draftTotalWorkingDays: templateView(d, withDraft).totalWorkingDays,
    }));
  return {
    issues: catalog.issues,
    publication: catalog.publication,
    targetDays: TARGET_TOTAL_WORKING_DAYS,
    templates,
  };
}

/** For other modules: a template version as stored, and the current one (never their own SQL). */
export const findDefinitionVersion = repo.findDefinitionVersion;
export const findCurrentDefinition = repo.findCurrentDefinition;
export const findVersionRecord = repo.findVersionRecord;
