/**
 * Pure: a reform scenario applied to a sandbox copy of a template and the catalog (never the live
 * data): changed limits, items moved into parallel, merged items, merged stages. Totals are then the
 * templates' own rule (templateView) on the copy; problems are the templates' validator on the copy.
 */
import type { Item } from '../catalog/catalog.schemas';
import { isMainLineStage } from '../templates/template.rules';
import type { TemplateDefinition, TemplateStage } from '../templates/template.schemas';
import type { ScenarioChanges } from './forecast.schemas';

/** The plan's lines (§一 工作目标): ≤ 100 working days, and the 70 / 60 days the reform goes on to. */
export const TARGET_LINES = [100, 70, 60] as const;

export interface ScenarioProblem {
  field: string;
  message: string;
}

export interface Sandbox {
  def: TemplateDefinition;
  catalog: Map<string, Item>;
  /** itemCode → the item it was merged into. */
  mergedInto: Map<string, string>;
}

export function applyScenario(
  live: TemplateDefinition,
  catalog: ReadonlyMap<string, Item>,
  changes: ScenarioChanges,
): { sandbox: Sandbox; problems: ScenarioProblem[] } {
  const def = structuredClone(live);
  const copy = new Map(catalog);
  const problems: ScenarioProblem[] = [];
  const inTemplate = () => new Set(def.stages.flatMap((s) => s.items.map((ti) => ti.itemCode)));
  const stageOf = (code: string) => def.stages.find((s) => s.items.some((ti) => ti.itemCode === code));
  const mergedInto = new Map<string, string>();

  changes.limits.forEach((l, i) => {
    const item = copy.get(l.itemCode);
    if (!inTemplate().has(l.itemCode) || !item) {
      problems.push({
        field: `body.changes.limits.${i}.itemCode`,
        message: `事项 ${l.itemCode} 不在该流程中`,
      });
    } else if (l.promisedTimeLimitDays > item.legalTimeLimitDays) {
      problems.push({
        field: `body.changes.limits.${i}.promisedTimeLimitDays`,
        message: `事项 ${item.name} 的承诺时限 ${l.promisedTimeLimitDays} 个工作日超过法定时限 ${item.legalTimeLimitDays} 个工作日`,
      });
    } else copy.set(l.itemCode, { ...item, promisedTimeLimitDays: l.promisedTimeLimitDays });
  });

  changes.parallel.forEach((code, i) => {
    const ti = stageOf(code)?.items.find((t) => t.itemCode === code);
    if (!ti) problems.push({ field: `body.changes.parallel.${i}`, message: `事项 ${code} 不在该流程中` });
    else ti.prerequisites = [];
  });

  changes.mergeItems.forEach((m, i) => {
    const field = `body.changes.mergeItems.${i}`;
    const target = stageOf(m.into);
    const into = target?.items.find((t) => t.itemCode === m.into);
    const others = m.items.filter((c) => c !== m.into);
    if (!target || !into) {
      problems.push({ field: `${field}.into`, message: `事项 ${m.into} 不在该流程中` });
      return;
    }
    const strangers = others.filter((c) => !target.items.some((t) => t.itemCode === c));
    if (strangers.length > 0) {
      problems.push({ field: `${field}.items`, message: `合并的事项须在同一阶段: ${strangers.join('、')}` });
      return;
    }
    const merged = new Set(others);
    const limits = [m.into, ...others].map((c) => copy.get(c)?.promisedTimeLimitDays ?? 0);
    const days = m.promisedTimeLimitDays ?? Math.max(...limits);
    const prerequisites = new Set(
      target.items.filter((t) => merged.has(t.itemCode) || t === into).flatMap((t) => t.prerequisites),
    );
    into.milestone = into.milestone || target.items.some((t) => merged.has(t.itemCode) && t.milestone);
    target.items = target.items.filter((t) => !merged.has(t.itemCode));
    into.prerequisites = [...prerequisites].filter((c) => c !== m.into && !merged.has(c));
    for (const s of def.stages) {
      for (const t of s.items) {
        t.prerequisites = [
          ...new Set(
            t.prerequisites.map((c) => (merged.has(c) ? m.into : c)).filter((c) => c !== t.itemCode),
          ),
        ];
        if (t.requiredBefore && merged.has(t.requiredBefore)) t.requiredBefore = m.into;
      }
    }
    const item = copy.get(m.into);
    if (item) copy.set(m.into, { ...item, promisedTimeLimitDays: days });
    for (const c of others) mergedInto.set(c, m.into);
  });

  changes.mergeStages.forEach((group, i) => {
    const field = `body.changes.mergeStages.${i}`;
    const indexes = def.stages
      .map((s, index) => ({ s, index }))
      .filter(
        ({ s }) => isMainLineStage(s) && [s.nationalStage, ...s.mergedStages].some((n) => group.includes(n)),
      );
    const contiguous = indexes.every(({ index }, k) => k === 0 || index === indexes[k - 1]!.index + 1);
    if (indexes.length < 2 || !contiguous) {
      problems.push({ field, message: `阶段 ${group.join('+')} 须为流程中相邻的两个以上主线阶段` });
      return;
    }
    const parts = indexes.map(({ s }) => s);
    const first = parts[0]!;
    const mergedStage: TemplateStage = {
      ...first,
      name: parts.map((s) => s.name).join('+'),
      mergedStages: [...new Set(parts.flatMap((s) => [s.nationalStage, ...s.mergedStages]))].sort(),
      completionRule: 'all_milestones',
      items: parts.flatMap((s) => s.items),
    };
    def.stages.splice(indexes[0]!.index, parts.length, mergedStage);
  });

  return { sandbox: { def, catalog: copy, mergedInto }, problems };
}
