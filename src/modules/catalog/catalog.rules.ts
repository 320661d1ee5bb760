/**
 * Pure rules over the approval-item catalog: validation (任务1/2), filtering, and version lookup.
 */
import type { CatalogChange, Department, Item, ItemStatus } from './catalog.schemas';

export type CatalogIssueCode =
  | 'BASIS_TOO_LOW'
  | 'PROMISED_EXCEEDS_LEGAL'
  | 'UNKNOWN_DEPARTMENT'
  | 'DUPLICATE_CODE'
  | 'UNCONFIRMED_TIME_LIMIT'
  | 'MATERIAL_CONFLICT'
  | 'CHANGE_UNKNOWN_ITEM'
  | 'CHANGE_STATUS_MISMATCH'
  | 'RETIRED_WITHOUT_CHANGE'
  | 'UNLISTED_INTERMEDIARY_SERVICE';

export interface CatalogIssue {
  itemCode: string;
  severity: 'error' | 'warning';
  code: CatalogIssueCode;
  message: string;
}

/** Basis levels that, alone, do not justify an approval item (任务1: 部门规章原则上取消, 规范性文件一律取消). */
const INSUFFICIENT_BASIS_LEVELS = new Set<Item['legalBasisLevel']>(['department_rule', 'normative_document']);

const BASIS_LEVEL_NAMES: Record<Item['legalBasisLevel'], string> = {
  law: '法律',
  regulation: '法规',
  state_council_decision: '国务院决定',
  department_rule: '部门规章',
  normative_document: '规范性文件',
};

type DepartmentRef = Pick<Department, 'code'> & Partial<Pick<Department, 'kind'>>;

/** An entry of the published 中介服务事项清单 as the catalog validator needs it (marketplace module). */
export interface ListedServiceRef {
  code: string;
  list: 'intermediary' | 'publicity' | 'technical_review';
  active: boolean;
  itemCodes: readonly string[];
}

/**
 * Checks items against each other and the departments. Pass the current versions (one per code) or a
 * full history: codes may repeat only with non-overlapping effective periods.
 */
export function validateCatalog(
  items: readonly Item[],
  departments: readonly DepartmentRef[],
  services?: readonly ListedServiceRef[],
): CatalogIssue[] {
  const departmentsByCode = new Map(departments.map((d) => [d.code, d]));
  return [
    ...items.flatMap((item) => checkItem(item, departmentsByCode)),
    ...findDuplicateCodes(items),
    ...findMaterialConflicts(items),
    ...(services ? findUnlistedServices(items, services) : []),
  ];
}

/**
 * 任务12: an item may require only intermediary services on the published list, and the list says which
 * items need each service. A material produced by a service not listed (or listed without this item) is
 * an error.
 */
export function findUnlistedServices(
  items: readonly Item[],
  services: readonly ListedServiceRef[],
): CatalogIssue[] {
  const listed = new Map(
    services.filter((s) => s.active && s.list === 'intermediary').map((s) => [s.code, s]),
  );
  const issues: CatalogIssue[] = [];
  for (const item of items) {
    if (item.status !== 'active') continue;
    for (const material of item.materials) {
      const code = material.intermediaryService;
      if (!code) continue;
      const service = listed.get(code);
      if (!service || !service.itemCodes.includes(item.code)) {
        issues.push({
          itemCode: item.code,
          severity: 'error',
          code: 'UNLISTED_INTERMEDIARY_SERVICE',
          message: service
            ? `事项 ${item.code} 的材料「${material.name}」要求中介服务 ${code}，但清单中该服务未列明本事项（任务12）`
            : `事项 ${item.code} 的材料「${material.name}」要求的中介服务 ${code} 不在中介服务事项清单内，不得作为办理条件（任务12）`,
        });
      }
    }
  }
  return issues;
}

function checkItem(item: Item, departmentsByCode: Map<string, DepartmentRef>): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const department = departmentsByCode.get(item.departmentCode);
  if (!department) {
    issues.push({
      itemCode: item.code,
      severity: 'error',
      code: 'UNKNOWN_DEPARTMENT',
      message: `事项 ${item.code} 的实施部门 ${item.departmentCode} 不存在`,
    });
  }
  if (item.promisedTimeLimitDays > item.legalTimeLimitDays) {
    issues.push({
      itemCode: item.code,
      severity: 'error',
      code: 'PROMISED_EXCEEDS_LEGAL',
      message: `事项 ${item.code} 承诺时限 ${item.promisedTimeLimitDays} 个工作日超过法定时限 ${item.legalTimeLimitDays} 个工作日`,
    });
  }
  if (item.status !== 'active') return issues;
  // 市政公用服务 are services, not administrative approvals: task 1 is about approvals.
  const isApproval = department?.kind !== 'utility';
  if (isApproval && INSUFFICIENT_BASIS_LEVELS.has(item.legalBasisLevel)) {
    issues.push({
      itemCode: item.code,
      severity: 'error',
      code: 'BASIS_TOO_LOW',
      message: `事项 ${item.code}「${item.name}」仅依据${BASIS_LEVEL_NAMES[item.legalBasisLevel]}设立, 按任务1应予取消或提供法律法规依据`,
    });
  }
  if (!item.timeLimitConfirmed) {
    issues.push({
      itemCode: item.code,
      severity: 'warning',
      code: 'UNCONFIRMED_TIME_LIMIT',
      message: `事项 ${item.code} 的办理时限为系统默认值 (法定 ${item.legalTimeLimitDays} / 承诺 ${item.promisedTimeLimitDays} 个工作日), 须由实施部门确认`,
    });
  }
  return issues;
}

function periodsOverlap(a: Item, b: Item): boolean {
  // effectiveTo is exclusive: a version closed on day D and its successor starting on D do not overlap.
  const aEndsBeforeB = a.effectiveTo !== null && a.effectiveTo <= b.effectiveFrom;
  const bEndsBeforeA = b.effectiveTo !== null && b.effectiveTo <= a.effectiveFrom;
  return !aEndsBeforeB && !bEndsBeforeA;
}

function findDuplicateCodes(items: readonly Item[]): CatalogIssue[] {
  const byCode = groupBy(items, (i) => i.code);
  const issues: CatalogIssue[] = [];
  for (const [code, versions] of byCode) {
    const clash = versions.some((a, i) =>
      versions.slice(i + 1).some((b) => a.version === b.version || periodsOverlap(a, b)),
    );
    if (clash) {
      issues.push({
        itemCode: code,
        severity: 'error',
        code: 'DUPLICATE_CODE',
        message: `事项代码 ${code} 重复 (同一版本号或有效期重叠的 ${versions.length} 条记录)`,
      });
    }
  }
  return issues;
}

/** The same material code must mean the same document everywhere, or a stage cannot de-duplicate (任务58). */
function findMaterialConflicts(items: readonly Item[]): CatalogIssue[] {
  const firstName = new Map<string, { name: string; itemCode: string }>();
  const issues: CatalogIssue[] = [];
  for (const item of items) {
    for (const material of item.materials) {
      const first = firstName.get(material.code);
      if (!first) {
        firstName.set(material.code, { name: material.name, itemCode: item.code });
      } else if (first.name !== material.name) {
        issues.push({
          itemCode: item.code,
          severity: 'error',
          code: 'MATERIAL_CONFLICT',
          message: `材料代码 ${material.code} 在事项 ${item.code} 中名为「${material.name}」, 在事项 ${first.itemCode} 中名为「${first.name}」`,
        });
      }
    }
  }
  return issues;
}

/**
 * Checks recorded merges / cancellations against the items: every affected item exists with the matching
 * status, a merge target exists and is active, and no item is merged or cancelled without a record (任务3–6).
 */
export function validateCatalogChanges(
  changes: readonly CatalogChange[],
  items: readonly Item[],
): CatalogIssue[] {
  const current = new Map(items.map((i) => [i.code, i]));
  const issues: CatalogIssue[] = [];
  const recorded = new Set<string>();
  for (const change of changes) {
    const expected: ItemStatus | null =
      change.kind === 'merge' ? 'merged' : change.kind === 'cancel' ? 'cancelled' : null;
    for (const code of change.itemCodes) {
      recorded.add(code);
      const affected = current.get(code);
      if (!affected) {
        issues.push(changeIssue(code, 'CHANGE_UNKNOWN_ITEM', `变更 ${change.id} 涉及的事项 ${code} 不存在`));
      } else if (expected && affected.status !== expected) {
        issues.push(
          changeIssue(
            code,
            'CHANGE_STATUS_MISMATCH',
            `变更 ${change.id} 要求事项 ${code} 为 ${expected}, 实际为 ${affected.status}`,
          ),
        );
      }
    }
    if (change.resultItemCode !== null) {
      const result = current.get(change.resultItemCode);
      if (!result) {
        issues.push(
          changeIssue(
            change.resultItemCode,
            'CHANGE_UNKNOWN_ITEM',
            `变更 ${change.id} 的结果事项 ${change.resultItemCode} 不存在`,
          ),
        );
      } else if (result.status !== 'active') {
        issues.push(
          changeIssue(
            change.resultItemCode,
            'CHANGE_STATUS_MISMATCH',
            `变更 ${change.id} 的结果事项 ${change.resultItemCode} 不是实施中状态 (${result.status})`,
          ),
        );
      }
    }
  }
  for (const item of items) {
    if (item.status !== 'active' && !recorded.has(item.code)) {
      issues.push(
        changeIssue(
          item.code,
          'RETIRED_WITHOUT_CHANGE',
          `事项 ${item.code} 状态为 ${item.status}, 但没有记录变更依据`,
        ),
      );
    }
  }
  return issues;
}

function changeIssue(itemCode: string, code: CatalogIssueCode, message: string): CatalogIssue {
  return { itemCode, severity: 'error', code, message };
}

export interface ItemFilter {
  stage?: number;
  departmentCode?: string;
  q?: string;
  status?: ItemStatus | 'all';
}

/** The in-memory twin of the repository's SQL filter: status defaults to active; q matches code or name. */
export function filterItems(items: readonly Item[], filter: ItemFilter = {}): Item[] {
  const status = filter.status ?? 'active';
  const q = filter.q?.trim().toLowerCase() ?? '';
  return items
    .filter((i) => status === 'all' || i.status === status)
    .filter((i) => filter.stage === undefined || i.stage === filter.stage)
    .filter((i) => filter.departmentCode === undefined || i.departmentCode === filter.departmentCode)
    .filter((i) => q === '' || i.code.toLowerCase().includes(q) || i.name.toLowerCase().includes(q))
    .sort((a, b) => a.stage - b.stage || a.code.localeCompare(b.code));
}

/**
 * The version of `code` in effect on `date` (YYYY-MM-DD): effectiveFrom ≤ date < effectiveTo. On a
 * changeover day the new version wins. Returns the version whatever its status (a merged item is still
 * "the version in effect"); callers check `status`.
 */
export function activeItemAt(versions: readonly Item[], code: string, date: string): Item | undefined {
  return versions
    .filter(
      (v) => v.code === code && v.effectiveFrom <= date && (v.effectiveTo === null || date < v.effectiveTo),
    )
    .reduce<Item | undefined>(
      (best, v) => (best === undefined || v.version > best.version ? v : best),
      undefined,
    );
}

/** Index for the template rules and the flowchart. */
export function indexItems(items: readonly Item[]): Map<string, Item> {
  return new Map(items.map((i) => [i.code, i]));
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------------
// Publishing a version (items and templates alike)
// ---------------------------------------------------------------------------------------------------

export interface PublicationProblem {
  code: 'CONFLICT_STATE' | 'RULE_VIOLATION';
  field: 'body.version' | 'body.effectiveFrom';
  message: string;
}

/**
 * Whether a new version may be published from what the administrator sent. `version` is the version
 * the edit was based on (the current one; 1 for something new): another administrator's publication
 * in between makes it stale (409), so no edit silently overwrites another. `effectiveFrom` is the day
 * the new version takes effect, as the notice says: after the current version's start (versions never
 * overlap) and not after today — a version counts from the day it is published at the latest, since
 * "current" is the version without an end date (a future-dated version would apply at once).
 */
export function publicationProblem(
  current: { version: number; effectiveFrom: string } | undefined,
  sent: { version: number; effectiveFrom: string },
  today: string,
): PublicationProblem | null {
  const basedOn = current?.version ?? 1;
  if (sent.version !== basedOn) {
    return {
      code: 'CONFLICT_STATE',
      field: 'body.version',
      message: current
        ? `现行版本为 v${current.version}，所提交的修改基于 v${sent.version}，请刷新后重新修改 (stale version)`
        : `新建时版本号应为 1，不能为 ${sent.version} (a new one starts at version 1)`,
    };
  }
  if (current && sent.effectiveFrom <= current.effectiveFrom) {
    return {
      code: 'RULE_VIOLATION',
      field: 'body.effectiveFrom',
      message: `生效日期 ${sent.effectiveFrom} 须晚于现行版本 v${current.version} 的生效日期 ${current.effectiveFrom} (versions may not overlap)`,
    };
  }
  if (sent.effectiveFrom > today) {
    return {
      code: 'RULE_VIOLATION',
      field: 'body.effectiveFrom',
      message: `生效日期 ${sent.effectiveFrom} 晚于今天 ${today}：请在生效当日发布 (publish on the day the version takes effect)`,
    };
  }
  return null;
}
