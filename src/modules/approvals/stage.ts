/**
 * Resolves a project's stage: its template stage (in the template version the project started under),
 * the items that apply to the project, and their current catalog versions.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import * as catalog from '../catalog/catalog.service';
import type { Item } from '../catalog/catalog.schemas';
import * as templates from '../templates/template.service';
import { applicableItems, stageTimeLimit } from '../templates/template.rules';
import type {
  ProjectAttributes,
  TemplateDefinition,
  TemplateItem,
  TemplateStage,
} from '../templates/template.schemas';

type Db = Kysely<DB> | Transaction<DB>;

export interface ResolvedStage {
  definition: TemplateDefinition;
  stage: TemplateStage;
  index: number;
  templateItems: TemplateItem[];
  items: Map<string, Item>;
  timeLimitWorkingDays: number;
}

/** A stage is addressed by its national number; a merged stage (带方案出让 2+3) answers to either. */
export function findStage(
  def: TemplateDefinition,
  n: number,
): { stage: TemplateStage; index: number } | undefined {
  const index = def.stages.findIndex((s) => s.nationalStage === n || s.mergedStages.includes(n));
  return index < 0 ? undefined : { stage: def.stages[index]!, index };
}

/** The template version the project started under. */
export async function projectDefinition(
  db: Db,
  project: { templateCode: string; templateVersion: number },
): Promise<TemplateDefinition> {
  const definition = await templates.findDefinitionVersion(db, project.templateCode, project.templateVersion);
  if (!definition) throw notFound('审批流程 template', `${project.templateCode} v${project.templateVersion}`);
  return definition;
}

export async function resolveStage(
  db: Db,
  project: { templateCode: string; templateVersion: number; attributes: ProjectAttributes },
  n: number,
): Promise<ResolvedStage> {
  const definition = await projectDefinition(db, project);
  const templateItems = applicableItems(stageOrRefuse(definition, n).stage, project.attributes);
  // The stage's items in one statement, not one per item.
  const current = await catalog.findCurrentItems(
    db,
    templateItems.map((t) => t.itemCode),
  );
  return stageFrom(definition, project, n, current);
}

function stageOrRefuse(definition: TemplateDefinition, n: number) {
  const found = findStage(definition, n);
  if (!found) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `该项目的审批流程没有第 ${n} 阶段 (no such stage in this template)`,
      {
        field: 'body.stage',
      },
    );
  }
  return found;
}

/**
 * The stage resolved from a definition and the catalog's current versions already read (`current` may
 * hold more items than the stage's): what resolveStage computes, for reads that load both anyway.
 */
export function stageFrom(
  definition: TemplateDefinition,
  project: { attributes: ProjectAttributes },
  n: number,
  current: ReadonlyMap<string, Item>,
): ResolvedStage {
  const found = stageOrRefuse(definition, n);
  const templateItems = applicableItems(found.stage, project.attributes);
  const items = new Map<string, Item>();
  for (const ti of templateItems) {
    const item = current.get(ti.itemCode);
    if (!item || item.status !== 'active') {
      throw new DomainError(
        'CONFLICT_STATE',
        `事项 ${ti.itemCode} 已取消或合并，请联系管理员更新流程 (item no longer active)`,
      );
    }
    items.set(item.code, item);
  }
  return {
    definition,
    stage: found.stage,
    index: found.index,
    templateItems,
    items,
    timeLimitWorkingDays: stageTimeLimit({ ...found.stage, items: templateItems }, items),
  };
}

/**
 * Working days from acceptance to each item's deadline: its promised days, after the chain of its
 * prerequisites within the stage (parallel items start together at acceptance).
 */
export function itemOffsets(
  templateItems: readonly TemplateItem[],
  items: ReadonlyMap<string, Item>,
): Map<string, number> {
  const offsets = new Map<string, number>();
  const byCode = new Map(templateItems.map((t) => [t.itemCode, t]));
  const visit = (code: string, seen: Set<string>): number => {
    const known = offsets.get(code);
    if (known !== undefined) return known;
    if (seen.has(code)) return 0; // the template validator refuses cycles; stay total anyway
    seen.add(code);
    const ti = byCode.get(code);
    const before = Math.max(
      0,
      ...(ti?.prerequisites ?? []).filter((p) => byCode.has(p)).map((p) => visit(p, seen)),
    );
    const total = before + (items.get(code)?.promisedTimeLimitDays ?? 0);
    offsets.set(code, total);
    return total;
  };
  for (const t of templateItems) visit(t.itemCode, new Set());
  return offsets;
}

/** The stage limited to the items one application covers (a 并行推进 application names one service). */
export function limitToItems(stage: ResolvedStage, itemCodes: readonly string[]): ResolvedStage {
  const keep = new Set(itemCodes);
  return {
    ...stage,
    templateItems: stage.templateItems.filter((t) => keep.has(t.itemCode)),
    items: new Map([...stage.items].filter(([code]) => keep.has(code))),
  };
}
