/**
 * Credit rules (tasks 60–62). Pure: record severities, the grade (A–D) with its reasons, listing
 * conditions, the joint measures a listing or grade triggers, and masking of personal ids.
 */
import { addDays, compareDates } from '../calendar/calendar.rules';
import type {
  GradeParams,
  ListingCondition,
  MeasureEffect,
  MeasureTrigger,
  RecordKind,
  Severity,
} from './credit.tables';

export type Grade = 'A' | 'B' | 'C' | 'D';

/** The severity a record of this kind has when it comes from the flow. */
export const defaultSeverity: Record<RecordKind, Severity> = {
  commitment_broken: 'serious',
  deficiency_overdue: 'serious',
  approval_revoked: 'serious',
  false_materials: 'serious',
  inspection_failed: 'general',
  department_entry: 'general',
  on_time_completion: 'good',
  award: 'good',
  service_overdue: 'general',
  service_complaint: 'general',
};

export const recordKindNames: Record<RecordKind, string> = {
  commitment_broken: '未履行告知承诺',
  deficiency_overdue: '容缺材料逾期未补交',
  approval_revoked: '审批决定被撤销',
  false_materials: '提供虚假材料',
  inspection_failed: '双随机抽查不合格',
  department_entry: '部门认定的信用记录',
  on_time_completion: '按期履约',
  award: '表彰奖励',
  service_overdue: '中介服务超过承诺时限',
  service_complaint: '中介服务投诉经核实',
};

/** 身份证号 and the like: the first 3 and last 2 characters stay, the rest become *. */
export function maskPersonalId(id: string | null): string | null {
  if (!id) return null;
  if (id.length <= 5) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 5) + id.slice(-2);
}

/** YYYY-MM-DD plus n calendar months (clamped to the month's last day). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface RecordFacts {
  id: string;
  kind: RecordKind;
  severity: Severity;
  validFrom: string;
  expiresOn: string | null;
  repairedOn: string | null;
  /** Withdrawn because the act was corrected (a mistaken revocation): never counts again. */
  withdrawnOn?: string | null;
  /** Records of one act share an incident and count once; null: the record is its own incident. */
  incident?: string | null;
}

/** The incident a record belongs to: its own id unless the flow grouped it with others of the same act. */
export function incidentOf(r: Pick<RecordFacts, 'id' | 'incident'>): string {
  return r.incident ?? r.id;
}

const severityRank: Record<Severity, number> = { serious: 2, general: 1, good: 0 };

/**
 * Bad records grouped by incident, each group represented by its most severe record (then the earliest):
 * one broken commitment and the revocation it causes, or one application's overdue 容缺 materials, are
 * one act and count once toward the grade and the listing rules.
 */
export function badIncidents<R extends RecordFacts>(records: readonly R[]): { head: R; records: R[] }[] {
  const groups = new Map<string, R[]>();
  for (const r of records) {
    if (r.severity === 'good') continue;
    const key = incidentOf(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    // The act heads its incident, not its consequence: a revocation that follows a broken commitment or
    // a failed inspection names that act (at equal severity and date).
    const consequence = (r: R) => Number(r.kind === 'approval_revoked');
    const head = [...rs].sort(
      (a, b) =>
        severityRank[b.severity] - severityRank[a.severity] ||
        compareDates(a.validFrom, b.validFrom) ||
        consequence(a) - consequence(b),
    )[0]!;
    return { head, records: rs };
  });
}

/** A record counts while valid (not expired, repaired or withdrawn) and within the window of `months`. */
export function inWindow(r: RecordFacts, today: string, months: number): boolean {
  if (r.withdrawnOn) return false;
  if (r.repairedOn && compareDates(r.repairedOn, today) <= 0) return false;
  if (r.expiresOn && compareDates(r.expiresOn, today) < 0) return false;
  return compareDates(r.validFrom, addMonths(today, -months)) > 0 && compareDates(r.validFrom, today) <= 0;
}

export interface GradeResult {
  grade: Grade;
  score: number;
  ruleVersion: number;
  reasons: string[];
}

/** The grade of a subject from its records under one version of the grade rule (documented in 0480). */
export function gradeSubject(
  records: readonly RecordFacts[],
  rule: { version: number; params: GradeParams },
  today: string,
  blackListed: boolean,
): GradeResult {
  const p = rule.params;
  const reasons = [`基础分 ${p.base}（评级规则第 ${rule.version} 版）`];
  let score = p.base;
  let bonus = 0;
  const valid = records.filter((r) => inWindow(r, today, p.months));
  for (const r of valid) {
    if (r.severity !== 'good') continue;
    const add = Math.min(p.bonus.good, p.maxBonus - bonus);
    if (add <= 0) continue;
    bonus += add;
    score += add;
    reasons.push(`${r.validFrom} ${recordKindNames[r.kind]}：加 ${add} 分`);
  }
  for (const { head, records: same } of badIncidents(valid)) {
    const severity = head.severity as Exclude<Severity, 'good'>;
    const cut = p.deduct[severity];
    score -= cut;
    const merged = same.length > 1 ? `（同一事件 ${same.length} 条记录合并计一次）` : '';
    reasons.push(
      `${head.validFrom} ${recordKindNames[head.kind]}（${severity === 'serious' ? '严重' : '一般'}）：扣 ${cut} 分${merged}`,
    );
  }
  let grade: Grade =
    score >= p.thresholds.A ? 'A' : score >= p.thresholds.B ? 'B' : score >= p.thresholds.C ? 'C' : 'D';
  if (blackListed && grade !== p.blackListedGrade) {
    grade = p.blackListedGrade;
    reasons.push('列入失信黑名单：评为 D 级');
  }
  reasons.push(
    `得分 ${score}，等级 ${grade}（A≥${p.thresholds.A}，B≥${p.thresholds.B}，C≥${p.thresholds.C}）`,
  );
  return { grade, score, ruleVersion: rule.version, reasons };
}

export interface ConditionOutcome {
  matches: boolean;
  reason: string;
  recordIds: string[];
}

/**
 * Whether a listing condition holds. bad_records: at least minCount valid incidents (records of one act
 * count once, at their most severe) of the severities in the last `months`. clean_grade: the grade now is `grade`, no bad record in `months`, and the subject has
 * been known (its first record) for at least `months`.
 */
export function evaluateCondition(
  condition: ListingCondition,
  facts: { records: readonly RecordFacts[]; grade: Grade; knownSince: string | null },
  today: string,
): ConditionOutcome {
  if (condition.type === 'bad_records') {
    const severities: readonly Severity[] = condition.severities ?? ['serious'];
    const valid = facts.records.filter((r) => inWindow(r, today, condition.months));
    const incidents = badIncidents(valid).filter((g) => severities.includes(g.head.severity));
    const min = condition.minCount ?? 1;
    const count = incidents.length;
    const hits = incidents.flatMap((g) => g.records);
    const merged = hits.length > count ? `，同一事件的 ${hits.length} 条记录按 ${count} 起计` : '';
    return {
      matches: count >= min,
      reason: `${condition.months}个月内有效失信记录 ${count} 起${merged}（规则：${min} 起及以上）`,
      recordIds: hits.map((r) => r.id),
    };
  }
  const bad = facts.records.filter((r) => r.severity !== 'good' && inWindow(r, today, condition.months));
  const since = facts.knownSince;
  const longEnough = !!since && compareDates(since, addMonths(today, -condition.months)) <= 0;
  return {
    matches: facts.grade === condition.grade && bad.length === 0 && longEnough,
    reason: `信用等级 ${facts.grade}；${condition.months}个月内不良记录 ${bad.length} 条；首次记录 ${since ?? '无'}`,
    recordIds: facts.records
      .filter((r) => r.severity === 'good' && inWindow(r, today, condition.months))
      .map((r) => r.id),
  };
}

export interface Measure {
  code: string;
  trigger: MeasureTrigger;
  effect: MeasureEffect;
  value: number | null;
  basis: string;
}

/** The active measures that apply to a subject with these listings and this grade. */
export function applicableMeasures(
  measures: readonly Measure[],
  state: { black: boolean; red: boolean; grade: Grade },
): Measure[] {
  return measures.filter(
    (m) =>
      (m.trigger === 'black' && state.black) ||
      (m.trigger === 'red' && state.red) ||
      m.trigger === `grade_${state.grade}`,
  );
}

/** The last day of a listing of `months` months that starts on `listedOn`. */
export function listingExpiry(listedOn: string, months: number): string {
  return addDays(addMonths(listedOn, months), -1);
}
