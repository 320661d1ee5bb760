/**
 * Pure rules over process templates: conditions, applicable items, computed time limits (任务38: each
 * stage and the whole process have a stated limit) and template validation (target ≤ 100 working days).
 */
import type { Item } from '../catalog/catalog.schemas';
import type {
  Condition,
  ConditionLeaf,
  ConditionScalar,
  ProjectAttributes,
  TemplateDefinition,
  TemplateItem,
  TemplateStage,
  TemplateStageView,
  TemplateView,
} from './template.schemas';

/** The plan's goal (§一 工作目标): whole-process approval within 100 working days. */
export const TARGET_TOTAL_WORKING_DAYS = 100;

/** Stage 5 并行推进 runs alongside the main line and is not added to the total. */
export const PARALLEL_STAGE = 5;

// ---------------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------------

export function evaluateCondition(condition: Condition | null, attrs: ProjectAttributes): boolean {
  if (condition === null) return true;
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, attrs));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, attrs));
  if ('not' in condition) return !evaluateCondition(condition.not, attrs);
  return evaluateLeaf(condition, attrs[condition.attr]);
}

function evaluateLeaf(leaf: ConditionLeaf, actual: ConditionScalar): boolean {
  const { op, value } = leaf;
  if (op === 'in') return Array.isArray(value) && value.includes(actual);
  if (Array.isArray(value)) return false;
  switch (op) {
    case 'eq':
      return actual === value;
    case 'ne':
      return actual !== value;
    default:
      return typeof actual === 'number' && typeof value === 'number' && compareNumbers(op, actual, value);
  }
}

function compareNumbers(op: 'gt' | 'gte' | 'lt' | 'lte', actual: number, value: number): boolean {
  switch (op) {
    case 'gt':
      return actual > value;
    case 'gte':
      return actual >= value;
    case 'lt':
      return actual < value;
    case 'lte':
      return actual <= value;
  }
}

/**
 * The stage's items that apply to a project. A prerequisite that does not apply is dropped, but its own
 * prerequisites are inherited, so A → B → C with B not applicable still orders A before C.
 */
export function applicableItems(stage: TemplateStage, attrs: ProjectAttributes): TemplateItem[] {
  const applicable = stage.items.filter((ti) => evaluateCondition(ti.condition, attrs));
  const applicableCodes = new Set(applicable.map((ti) => ti.itemCode));
  const byCode = new Map(stage.items.map((ti) => [ti.itemCode, ti]));

  const effectivePrerequisites = (ti: TemplateItem): string[] => {
    const result = new Set<string>();
    const seen = new Set<string>();
    const stack = [...ti.prerequisites];
    while (stack.length > 0) {
      const code = stack.pop() as string;
      if (seen.has(code)) continue;
      seen.add(code);
      if (applicableCodes.has(code)) result.add(code);
      else stack.push(...(byCode.get(code)?.prerequisites ?? []));
    }
    return [...result];
  };

  return applicable.map((ti) => ({ ...ti, prerequisites: effectivePrerequisites(ti) }));
}

// ---------------------------------------------------------------------------------------------------
// Order across stages
// ---------------------------------------------------------------------------------------------------

export interface ItemOrderEntry {
  /** Applicable items that must be approved first, in this or an earlier stage. */
  prerequisites: string[];
  /** The applicable item this one must be approved before (任务19), or null. */
  requiredBefore: string | null;
  /** The template stage the item sits in (a merged 2+3 stage reports 2; 并行推进 5). */
  nationalStage: number;
}

/** itemCode → its order constraints, for the items that apply to the project. */
export type ItemOrder = Map<string, ItemOrderEntry>;

/**
 * The order constraints of every item that applies to a project, across all stages. As in
 * applicableItems, a prerequisite that does not apply is dropped but its own prerequisites are
 * inherited (A → B → C with B not applicable still orders A before C). A `requiredBefore` whose target
 * does not apply is null: the milestone it guards is not part of this project (e.g. no 施工许可 for
 * works under 30万元 / 300 m²), so nothing is waited for.
 */
export function itemOrder(def: TemplateDefinition, attributes: ProjectAttributes): ItemOrder {
  const all = new Map<string, { ti: TemplateItem; nationalStage: number }>();
  for (const stage of def.stages) {
    for (const ti of stage.items) all.set(ti.itemCode, { ti, nationalStage: stage.nationalStage });
  }
  const applies = new Set(
    [...all.values()]
      .filter(({ ti }) => evaluateCondition(ti.condition, attributes))
      .map(({ ti }) => ti.itemCode),
  );

  const effectivePrerequisites = (ti: TemplateItem): string[] => {
    const result = new Set<string>();
    const seen = new Set<string>();
    const stack = [...ti.prerequisites];
    while (stack.length > 0) {
      const code = stack.pop() as string;
      if (seen.has(code) || code === ti.itemCode) continue;
      seen.add(code);
      if (applies.has(code)) result.add(code);
      else stack.push(...(all.get(code)?.ti.prerequisites ?? []));
    }
    return [...result].sort();
  };

  const order: ItemOrder = new Map();
  for (const { ti, nationalStage } of all.values()) {
    if (!applies.has(ti.itemCode)) continue;
    // Stored versions published before requiredBefore existed have no such key.
    const target = ti.requiredBefore ?? null;
    order.set(ti.itemCode, {
      prerequisites: effectivePrerequisites(ti),
      requiredBefore: target !== null && applies.has(target) ? target : null,
      nationalStage,
    });
  }
  return order;
}

/**
 * The items that wait for `itemCode`: those listing it as a prerequisite, and the item it must precede.
 * Direct dependents only; a caller ending dependents of a refused item repeats this for each one.
 */
export function dependentsOf(order: ItemOrder, itemCode: string): string[] {
  const dependents = new Set<string>();
  for (const [code, entry] of order) {
    if (entry.prerequisites.includes(itemCode)) dependents.add(code);
  }
  const target = order.get(itemCode)?.requiredBefore;
  if (target) dependents.add(target);
  return [...dependents].sort();
}

/**
 * The items that must be approved before `itemCode` may be: its prerequisites and every item whose
 * `requiredBefore` names it (the inverse of dependentsOf).
 */
export function blockersOf(order: ItemOrder, itemCode: string): string[] {
  const blockers = new Set(order.get(itemCode)?.prerequisites ?? []);
  for (const [code, entry] of order) {
    if (entry.requiredBefore === itemCode) blockers.add(code);
  }
  return [...blockers].sort();
}

// ---------------------------------------------------------------------------------------------------
// Time limits
// ---------------------------------------------------------------------------------------------------

/**
 * The stage's limit in working days: the longest chain of promised days through prerequisites. Items
 * without a path between them run in parallel (并联审批) and are not added. Unknown items count 0 and
 * cycles are cut; validateTemplate reports both.
 */
export function stageTimeLimit(
  stage: Pick<TemplateStage, 'items'>,
  itemsByCode: ReadonlyMap<string, Item>,
): number {
  const inStage = new Map(stage.items.map((ti) => [ti.itemCode, ti]));
  const finish = new Map<string, number>();
  const visiting = new Set<string>();

  const finishDay = (code: string): number => {
    const known = finish.get(code);
    if (known !== undefined) return known;
    const ti = inStage.get(code);
    if (!ti || visiting.has(code)) return 0;
    visiting.add(code);
    const start = Math.max(0, ...ti.prerequisites.map(finishDay));
    visiting.delete(code);
    const days = start + (itemsByCode.get(code)?.promisedTimeLimitDays ?? 0);
    finish.set(code, days);
    return days;
  };

  return Math.max(0, ...stage.items.map((ti) => finishDay(ti.itemCode)));
}

export function isMainLineStage(stage: Pick<TemplateStage, 'nationalStage'>): boolean {
  return stage.nationalStage !== PARALLEL_STAGE;
}

/**
 * The template with computed limits. Without `attrs` every item is shown and the limits are the
 * template's published upper bounds; with `attrs` only the project's applicable items count.
 */
export function templateView(
  def: TemplateDefinition,
  itemsByCode: ReadonlyMap<string, Item>,
  attrs?: ProjectAttributes,
): TemplateView {
  const stages: TemplateStageView[] = def.stages.map((stage) => {
    const items = attrs ? applicableItems(stage, attrs) : stage.items;
    return { ...stage, items, timeLimitWorkingDays: stageTimeLimit({ items }, itemsByCode) };
  });
  // A merged stage (e.g. [2,3] for 带方案出让) is one stage object, so it is counted once.
  const totalWorkingDays = stages.filter(isMainLineStage).reduce((sum, s) => sum + s.timeLimitWorkingDays, 0);
  return { ...def, stages, totalWorkingDays };
}

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

export type TemplateIssueCode =
  | 'UNKNOWN_ITEM'
  | 'INACTIVE_ITEM'
  | 'STAGE_MISMATCH'
  | 'DUPLICATE_ITEM'
  | 'DUPLICATE_STAGE'
  | 'MISSING_STAGE'
  | 'MERGED_STAGES_INVALID'
  | 'UNKNOWN_PREREQUISITE'
  | 'INVALID_REQUIRED_BEFORE'
  | 'PREREQUISITE_CYCLE'
  | 'NO_MILESTONE'
  | 'DESIGN_REVIEW_NOT_ALLOWED'
  | 'MERGED_STAGE_REQUIRED'
  | 'TOTAL_EXCEEDS_TARGET';

export interface TemplateIssue {
  templateCode: string;
  nationalStage: number | null;
  itemCode: string | null;
  code: TemplateIssueCode;
  message: string;
}

/** 国家标准审批流程类型 5: 带方案出让用地的社会投资项目. */
const TRANSFER_WITH_DESIGN_PROCESS_TYPE = '5';

/** Recognised by name so an administrator-created item of the same kind is caught too. */
function isDesignSchemeReview(item: Item | undefined): boolean {
  return item !== undefined && item.stage === 2 && item.name.includes('设计方案审查');
}

function coveredStages(stage: TemplateStage): number[] {
  return stage.mergedStages.length > 0 ? stage.mergedStages : [stage.nationalStage];
}

function mergesBuildingAndConstructionPermits(stage: TemplateStage): boolean {
  const covered = coveredStages(stage);
  return covered.includes(2) && covered.includes(3);
}

export function validateTemplate(
  def: TemplateDefinition,
  itemsByCode: ReadonlyMap<string, Item>,
): TemplateIssue[] {
  const issue = (
    code: TemplateIssueCode,
    message: string,
    nationalStage: number | null = null,
    itemCode: string | null = null,
  ) => ({ templateCode: def.code, nationalStage, itemCode, code, message }) satisfies TemplateIssue;

  const issues: TemplateIssue[] = [
    ...checkStageCoverage(def, issue),
    ...def.stages.flatMap((stage) => checkStage(def, stage, itemsByCode, issue)),
    ...checkCycles(def, issue),
    ...checkDuplicateItems(def, issue),
    ...checkTransferWithDesign(def, itemsByCode, issue),
  ];

  const total = templateView(def, itemsByCode).totalWorkingDays;
  if (total > TARGET_TOTAL_WORKING_DAYS) {
    issues.push(
      issue(
        'TOTAL_EXCEEDS_TARGET',
        `流程 ${def.code} 全流程 ${total} 个工作日, 超过 ${TARGET_TOTAL_WORKING_DAYS} 个工作日的目标`,
      ),
    );
  }
  return issues;
}

type IssueFactory = (
  code: TemplateIssueCode,
  message: string,
  nationalStage?: number | null,
  itemCode?: string | null,
) => TemplateIssue;

/** Stages 1–4 must each be covered exactly once (merged stages count for each stage they cover). */
function checkStageCoverage(def: TemplateDefinition, issue: IssueFactory): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const seen = new Set<number>();
  for (const stage of def.stages) {
    const covered = coveredStages(stage);
    const contiguous = covered.every((n, i) => i === 0 || n === (covered[i - 1] ?? n) + 1);
    if (
      !covered.includes(stage.nationalStage) ||
      !contiguous ||
      (covered.includes(5) && covered.length > 1)
    ) {
      issues.push(
        issue(
          'MERGED_STAGES_INVALID',
          `阶段 ${stage.name} 的合并阶段 [${covered.join(',')}] 须为包含本阶段的连续主线阶段`,
          stage.nationalStage,
        ),
      );
    }
    for (const n of covered) {
      if (seen.has(n)) {
        issues.push(issue('DUPLICATE_STAGE', `国家标准阶段 ${n} 在流程中出现多次`, stage.nationalStage));
      }
      seen.add(n);
    }
  }
  for (const n of [1, 2, 3, 4]) {
    if (!seen.has(n)) issues.push(issue('MISSING_STAGE', `流程缺少国家标准阶段 ${n}`, n));
  }
  return issues;
}

/** Where a stage sits on the main line: its first national stage (并行推进 is 5, after all of them). */
function stageRank(stage: TemplateStage): number {
  return Math.min(...coveredStages(stage));
}

function checkStage(
  def: TemplateDefinition,
  stage: TemplateStage,
  itemsByCode: ReadonlyMap<string, Item>,
  issue: IssueFactory,
): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const covered = coveredStages(stage);
  const stageOfItem = new Map(def.stages.flatMap((s) => s.items.map((ti) => [ti.itemCode, s] as const)));

  for (const ti of stage.items) {
    const item = itemsByCode.get(ti.itemCode);
    if (!item) {
      issues.push(
        issue(
          'UNKNOWN_ITEM',
          `阶段 ${stage.name} 引用了不存在的事项 ${ti.itemCode}`,
          stage.nationalStage,
          ti.itemCode,
        ),
      );
    } else {
      if (item.status !== 'active') {
        issues.push(
          issue(
            'INACTIVE_ITEM',
            `事项 ${ti.itemCode} 已${item.status === 'merged' ? '合并' : '取消'}, 不能用于流程`,
            stage.nationalStage,
            ti.itemCode,
          ),
        );
      }
      if (!covered.includes(item.stage)) {
        issues.push(
          issue(
            'STAGE_MISMATCH',
            `事项 ${ti.itemCode} 属于阶段 ${item.stage}, 不能放在阶段 ${stage.name} (${covered.join('+')})`,
            stage.nationalStage,
            ti.itemCode,
          ),
        );
      }
    }
    // A prerequisite is in this stage or an earlier one; a later stage cannot be waited for, since
    // this stage ends first (a 并行推进 item that must precede a main-line one uses requiredBefore).
    for (const prerequisite of ti.prerequisites) {
      const where = stageOfItem.get(prerequisite);
      if (!where || (where !== stage && stageRank(where) >= stageRank(stage))) {
        issues.push(
          issue(
            'UNKNOWN_PREREQUISITE',
            `事项 ${ti.itemCode} 的前置事项 ${prerequisite} 不在阶段 ${stage.name} 或此前的阶段中`,
            stage.nationalStage,
            ti.itemCode,
          ),
        );
      }
    }
    const target = ti.requiredBefore ?? null;
    if (target !== null) {
      const where = stageOfItem.get(target);
      if (
        !where ||
        target === ti.itemCode ||
        (isMainLineStage(stage) && stageRank(where) < stageRank(stage))
      ) {
        issues.push(
          issue(
            'INVALID_REQUIRED_BEFORE',
            `事项 ${ti.itemCode} 须先于的事项 ${target} 不在流程中, 或位于更早的阶段`,
            stage.nationalStage,
            ti.itemCode,
          ),
        );
      }
    }
  }

  if (!stage.items.some((ti) => ti.milestone)) {
    issues.push(
      issue('NO_MILESTONE', `阶段 ${stage.name} 没有里程碑事项, 无法判断阶段办结`, stage.nationalStage),
    );
  }
  return issues;
}

/** Order cycles across the whole template: prerequisites and requiredBefore together. */
function checkCycles(def: TemplateDefinition, issue: IssueFactory): TemplateIssue[] {
  const stageOf = new Map(
    def.stages.flatMap((s) => s.items.map((ti) => [ti.itemCode, s.nationalStage] as const)),
  );
  return findCycle(def.stages.flatMap((s) => s.items)).map((code) =>
    issue('PREREQUISITE_CYCLE', `事项 ${code} 处于前置关系循环中`, stageOf.get(code) ?? null, code),
  );
}

/**
 * Codes on a cycle of "must be approved first" edges (depth-first search, three colours): an item's
 * prerequisites, and for B.requiredBefore = A the edge A → B.
 */
function findCycle(items: readonly TemplateItem[]): string[] {
  const waitsFor = new Map<string, string[]>(items.map((ti) => [ti.itemCode, [...ti.prerequisites]]));
  for (const ti of items) {
    if (ti.requiredBefore) waitsFor.get(ti.requiredBefore)?.push(ti.itemCode);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const onCycle = new Set<string>();

  const visit = (code: string, path: string[]): void => {
    const s = state.get(code);
    if (s === 'done') return;
    if (s === 'visiting') {
      path.slice(path.indexOf(code)).forEach((c) => onCycle.add(c));
      return;
    }
    state.set(code, 'visiting');
    for (const next of waitsFor.get(code) ?? []) {
      if (waitsFor.has(next)) visit(next, [...path, code]);
    }
    state.set(code, 'done');
  };

  for (const ti of items) visit(ti.itemCode, []);
  return [...onCycle];
}

function checkDuplicateItems(def: TemplateDefinition, issue: IssueFactory): TemplateIssue[] {
  const seen = new Set<string>();
  const issues: TemplateIssue[] = [];
  for (const stage of def.stages) {
    for (const ti of stage.items) {
      if (seen.has(ti.itemCode)) {
        issues.push(
          issue('DUPLICATE_ITEM', `事项 ${ti.itemCode} 在流程中出现多次`, stage.nationalStage, ti.itemCode),
        );
      }
      seen.add(ti.itemCode);
    }
  }
  return issues;
}

/** 任务35: 带方案出让 — no design-scheme review; 工程建设许可 and 施工许可 are one stage. */
function checkTransferWithDesign(
  def: TemplateDefinition,
  itemsByCode: ReadonlyMap<string, Item>,
  issue: IssueFactory,
): TemplateIssue[] {
  const hasMergedStage = def.stages.some(mergesBuildingAndConstructionPermits);
  const isTransferWithDesign =
    def.nationalProcessType === TRANSFER_WITH_DESIGN_PROCESS_TYPE || hasMergedStage;
  if (!isTransferWithDesign) return [];
  const issues: TemplateIssue[] = [];
  if (!hasMergedStage) {
    issues.push(
      issue('MERGED_STAGE_REQUIRED', '带方案出让流程须将工程建设许可和施工许可合并为一个阶段 (任务35)'),
    );
  }
  for (const stage of def.stages) {
    for (const ti of stage.items) {
      if (isDesignSchemeReview(itemsByCode.get(ti.itemCode))) {
        issues.push(
          issue(
            'DESIGN_REVIEW_NOT_ALLOWED',
            `带方案出让流程不再审查设计方案 (任务35), 应删除事项 ${ti.itemCode}`,
            stage.nationalStage,
            ti.itemCode,
          ),
        );
      }
    }
  }
  return issues;
}
