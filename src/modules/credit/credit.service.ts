/**
 * Credit subjects and records (task 60–62): records written by the approval flow and entered by a
 * department, each subject's grade and listings, the joint measures that bite (CreditStanding), and the
 * listing procedure's automatic steps (notice on a rule match, listing after the objection window,
 * expiry). Every change is audited in its transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates, type WorkingCalendar } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import { findEnterprise } from '../identity/identity.service';
import type { Actor } from '../identity/identity.rules';
import * as repo from './credit.repository';
import {
  applicableMeasures,
  defaultSeverity,
  evaluateCondition,
  gradeSubject,
  listingExpiry,
  maskPersonalId,
  type Grade,
  type GradeResult,
  type Measure,
} from './credit.rules';
import type { CreditSubjectTable, RecordKind, Severity, SubjectKind } from './credit.tables';
import type { Selectable } from 'kysely';

export interface CreditDeps {
  clock: Clock;
  calendar: CalendarProvider;
}

type Db = Kysely<DB> | Transaction<DB>;

export const CREDIT_STAFF = ['reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'admin'] as const;
/** Who sees an enterprise's standing at their desk: the staff and the window (一窗受理). */
export const STANDING_READERS = [...CREDIT_STAFF, 'window'] as const;
/** Who decides objections and repairs and edits the rules. */
export const CREDIT_DECIDERS = ['head', 'supervisor', 'admin'] as const;

function isStaff(actor: Actor) {
  return (CREDIT_STAFF as readonly string[]).includes(actor.role);
}

// ---- subjects

/** The enterprise's credit subject, created on first use. */
export async function ensureEnterpriseSubject(trx: Db, enterpriseId: string, now: Date) {
  const found = await repo.findSubjectByEnterprise(trx, enterpriseId);
  if (found) return found;
  const enterprise = await findEnterprise(trx, enterpriseId);
  if (!enterprise) throw notFound('企业 enterprise', enterpriseId);
  await repo.insertSubject(trx, {
    kind: 'enterprise',
    name: enterprise.name,
    creditCode: enterprise.creditCode,
    enterpriseId,
    createdAt: now,
  });
  return (await repo.findSubjectByEnterprise(trx, enterpriseId))!;
}

export function subjectView(s: Selectable<CreditSubjectTable>) {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    creditCode: s.creditCode,
    enterpriseId: s.enterpriseId,
    certificateNo: s.certificateNo,
    personalIdMasked: maskPersonalId(s.personalId),
    profession: s.profession,
    employerSubjectId: s.employerSubjectId,
  };
}

export async function createSubject(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  input: {
    kind: Exclude<SubjectKind, 'enterprise'>;
    name: string;
    creditCode?: string;
    certificateNo?: string;
    personalId?: string;
    profession?: string;
    employerSubjectId?: string;
  },
) {
  requireStaff(actor);
  if (input.kind === 'practitioner' && !input.certificateNo) {
    throw new DomainError('VALIDATION_FAILED', '执业人员须填写注册证书编号 (certificateNo required)', {
      field: 'body.certificateNo',
    });
  }
  if (input.kind !== 'practitioner' && !input.creditCode) {
    throw new DomainError('VALIDATION_FAILED', '机构须填写统一社会信用代码 (creditCode required)', {
      field: 'body.creditCode',
    });
  }
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    if (input.employerSubjectId && !(await repo.findSubject(trx, input.employerSubjectId))) {
      throw notFound('执业单位 employer', input.employerSubjectId);
    }
    const row = await repo.insertSubject(trx, {
      kind: input.kind,
      name: input.name,
      creditCode: input.creditCode ?? null,
      certificateNo: input.certificateNo ?? null,
      personalId: input.personalId ?? null,
      profession: input.profession ?? null,
      employerSubjectId: input.employerSubjectId ?? null,
      createdAt: now,
    });
    if (!row) {
      throw new DomainError('CONFLICT_DUPLICATE', '该信用主体已存在（代码或证书编号重复）', {
        field: input.kind === 'practitioner' ? 'body.certificateNo' : 'body.creditCode',
      });
    }
    await recordEvent(trx, actor, now, {
      action: 'credit.subject_created',
      objectType: 'credit_subject',
      objectId: row.id,
      detail: { kind: row.kind, name: row.name },
    });
    return subjectView(row);
  });
}

export async function searchSubjects(db: Kysely<DB>, actor: Actor, filter: { q?: string; kind?: string }) {
  requireStaff(actor);
  return (await repo.listSubjects(db, filter)).map(subjectView);
}

function requireStaff(actor: Actor) {
  if (!isStaff(actor)) throw new DomainError('FORBIDDEN_ROLE', '仅监管部门人员可办理 (staff only)');
}

// ---- standing: grade, listings, measures

export interface CreditStanding {
  subjectId: string | null;
  grade: GradeResult;
  black: { id: string; listedOn: string; reason: string; expiresOn: string | null } | null;
  red: { id: string; listedOn: string; reason: string; expiresOn: string | null } | null;
  measures: Measure[];
  /** Why 告知承诺 is refused (null: allowed by credit). */
  denyCommitment: string | null;
  /** Why 容缺 is refused (null: allowed by credit). */
  denyDeficiency: string | null;
  flagged: boolean;
  priority: boolean;
}

async function standingOfSubject(db: Db, subjectId: string | null, today: string): Promise<CreditStanding> {
  const [rule, measureRows, records, listings] = await Promise.all([
    repo.currentGradeRule(db),
    repo.listMeasures(db, true),
    subjectId ? repo.listRecords(db, subjectId) : Promise.resolve([]),
    subjectId ? repo.openListings(db, subjectId) : Promise.resolve([]),
  ]);
  const listed = (list: 'black' | 'red') => {
    const l = listings.find((x) => x.list === list && x.status === 'listed');
    return l ? { id: l.id, listedOn: l.listedOn!, reason: l.reason, expiresOn: l.expiresOn } : null;
  };
  const black = listed('black');
  const red = listed('red');
  const grade = gradeSubject(records, rule, today, !!black);
  const measures = applicableMeasures(
    measureRows.map((m) => ({ ...m, value: m.value === null ? null : Number(m.value) })),
    { black: !!black, red: !!red, grade: grade.grade },
  );
  const why = (effect: 'deny_commitment' | 'deny_deficiency', what: string) => {
    const m = measures.find((x) => x.effect === effect);
    if (!m) return null;
    const cause =
      m.trigger === 'black' && black
        ? `已列入失信黑名单（名单编号 ${black.id}，${black.listedOn} 起：${black.reason}）`
        : `信用等级为 ${grade.grade}`;
    return `${cause}，不适用${what}（依据：${m.basis}）`;
  };
  return {
    subjectId,
    grade,
    black,
    red,
    measures,
    denyCommitment: why('deny_commitment', '告知承诺制'),
    denyDeficiency: why('deny_deficiency', '容缺受理'),
    flagged: measures.some((m) => m.effect === 'flag_window'),
    priority: measures.some((m) => m.effect === 'priority'),
  };
}

/** What credit means for an enterprise today: read by the approval flow (submit, accept, window). */
export async function creditStanding(db: Db, enterpriseId: string, today: string): Promise<CreditStanding> {
  const subject = await repo.findSubjectByEnterprise(db, enterpriseId);
  return standingOfSubject(db, subject?.id ?? null, today);
}

/** What credit means for any subject today (the marketplace reads an intermediary's black listing). */
export function subjectStanding(db: Db, subjectId: string | null, today: string): Promise<CreditStanding> {
  return standingOfSubject(db, subjectId, today);
}

/** The standing of an organisation by kind and 统一社会信用代码 (a clean one when it has no subject yet). */
export async function organisationStanding(
  db: Db,
  kind: Exclude<SubjectKind, 'enterprise' | 'practitioner'>,
  creditCode: string,
  today: string,
): Promise<CreditStanding> {
  const subject = await repo.findSubjectByCode(db, kind, creditCode);
  return standingOfSubject(db, subject?.id ?? null, today);
}

/**
 * The credit subject of an organisation other than an applicant enterprise (an intermediary…), found by
 * its kind and 统一社会信用代码, created on first use.
 */
export async function ensureOrganisationSubject(
  trx: Db,
  input: { kind: Exclude<SubjectKind, 'enterprise' | 'practitioner'>; name: string; creditCode: string },
  now: Date,
) {
  const find = () => repo.findSubjectByCode(trx, input.kind, input.creditCode);
  const found = await find();
  if (found) return found;
  await repo.insertSubject(trx, { ...input, createdAt: now });
  return (await find())!;
}

/** What a desk shows about an enterprise's credit: the benefits and punishments that bite, each with its reason. */
export interface StandingSummary {
  enterpriseId: string;
  subjectId: string | null;
  grade: Grade;
  black: boolean;
  red: boolean;
  /** 绿色通道: red-listed or grade A (守信激励) — an inbox sorts these first. */
  priority: boolean;
  /** 窗口重点关注: black-listed (失信惩戒). */
  flagged: boolean;
  /** Each measure that applies, in words (basis included); the first is the grade's result. */
  reasons: string[];
}

function summarise(enterpriseId: string, s: CreditStanding): StandingSummary {
  const reasons = [s.grade.reasons[s.grade.reasons.length - 1] ?? `信用等级 ${s.grade.grade}`];
  if (s.red) reasons.push(`已列入守信红名单（${s.red.listedOn} 起：${s.red.reason}）`);
  if (s.black) reasons.push(`已列入失信黑名单（${s.black.listedOn} 起：${s.black.reason}）`);
  for (const m of s.measures) {
    if (m.effect === 'priority') reasons.push(`绿色通道，优先办理（依据：${m.basis}）`);
    if (m.effect === 'flag_window') reasons.push(`窗口重点关注（依据：${m.basis}）`);
  }
  if (s.denyCommitment) reasons.push(s.denyCommitment);
  if (s.denyDeficiency) reasons.push(s.denyDeficiency);
  return {
    enterpriseId,
    subjectId: s.subjectId,
    grade: s.grade.grade,
    black: !!s.black,
    red: !!s.red,
    priority: s.priority,
    flagged: s.flagged,
    reasons,
  };
}

/**
 * Standings of many enterprises at once, for desks and inboxes (GET /api/tasks can sort `priority` first
 * and show `reasons`). An enterprise without a subject has the grade of an empty record.
 */
export async function standingsFor(
  db: Db,
  enterpriseIds: readonly string[],
  today: string,
): Promise<Map<string, StandingSummary>> {
  const ids = [...new Set(enterpriseIds)];
  const subjects = new Map((await repo.subjectsByEnterprises(db, ids)).map((s) => [s.enterpriseId!, s.id]));
  const out = new Map<string, StandingSummary>();
  for (const id of ids)
    out.set(id, summarise(id, await standingOfSubject(db, subjects.get(id) ?? null, today)));
  return out;
}

/** GET /api/credit/standing?enterprise=: one enterprise's standing for the window's and reviewers' pages. */
export async function enterpriseStanding(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  enterpriseId: string,
) {
  if (!(STANDING_READERS as readonly string[]).includes(actor.role))
    throw new DomainError('FORBIDDEN_ROLE', '仅窗口与部门人员可查看企业信用状况 (staff only)');
  if (!(await findEnterprise(db, enterpriseId))) throw notFound('企业 enterprise', enterpriseId);
  return (await standingsFor(db, [enterpriseId], beijingDate(deps.clock.now()))).get(enterpriseId)!;
}

/**
 * The inspection ratio the measures set for each grade and for the red list (双随机, risk-based). With no
 * active red-list ratio, a red-listed subject is drawn at its grade's ratio.
 */
export async function inspectionRatios(db: Db): Promise<Record<Grade, number> & { red?: number }> {
  const ratios: Record<Grade, number> & { red?: number } = { A: 0, B: 0, C: 0, D: 0 };
  for (const m of await repo.listMeasures(db, true)) {
    if (m.effect !== 'inspection_ratio') continue;
    if (m.trigger === 'red') ratios.red = Number(m.value ?? 0);
    else if (m.trigger.startsWith('grade_')) ratios[m.trigger.slice(6) as Grade] = Number(m.value ?? 0);
  }
  return ratios;
}

/** Grades (and red listing) of many subjects at once (draw pools). */
export async function gradesOf(db: Db, subjectIds: string[], today: string) {
  const out = new Map<string, Grade>();
  for (const id of new Set(subjectIds)) out.set(id, (await standingOfSubject(db, id, today)).grade.grade);
  return out;
}

/** Grade and red listing of many subjects at once (the draw pool marks red-listed objects). */
export async function poolStandings(db: Db, subjectIds: string[], today: string) {
  const out = new Map<string, { grade: Grade; red: boolean }>();
  for (const id of new Set(subjectIds)) {
    const s = await standingOfSubject(db, id, today);
    out.set(id, { grade: s.grade.grade, red: !!s.red });
  }
  return out;
}

function recordView(r: Awaited<ReturnType<typeof repo.listRecords>>[number]) {
  return {
    id: r.id,
    subjectId: r.subjectId,
    kind: r.kind,
    severity: r.severity,
    reason: r.reason,
    basis: r.basis,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    departmentCode: r.departmentCode,
    evidenceFileId: r.evidenceFileId,
    validFrom: r.validFrom,
    expiresOn: r.expiresOn,
    published: r.published,
    repairedOn: r.repairedOn,
    createdAt: r.createdAt.toISOString(),
    incident: r.incident,
    withdrawnOn: r.withdrawnOn,
    withdrawnReason: r.withdrawnReason,
  };
}

/** The subject for staff: masked ids, grade with reasons, listings with objections and repairs, records. */
export async function getSubject(db: Kysely<DB>, deps: CreditDeps, actor: Actor, subjectId: string) {
  const subject = await repo.findSubject(db, subjectId);
  if (!subject) throw notFound('信用主体 subject', subjectId);
  const own = actor.role === 'applicant' && actor.enterpriseId && subject.enterpriseId === actor.enterpriseId;
  if (!isStaff(actor) && !own) throw new DomainError('FORBIDDEN_ROLE', '仅监管部门人员或主体本人可查看');
  const today = beijingDate(deps.clock.now());
  const [standing, records, listings] = await Promise.all([
    standingOfSubject(db, subject.id, today),
    repo.listRecords(db, subject.id),
    repo.subjectListings(db, subject.id),
  ]);
  const ids = listings.map((l) => l.id);
  const [objections, repairs] = await Promise.all([repo.objectionsOf(db, ids), repo.repairsOf(db, ids)]);
  return {
    subject: subjectView(subject),
    grade: standing.grade,
    measures: standing.measures,
    denyCommitment: standing.denyCommitment,
    denyDeficiency: standing.denyDeficiency,
    priority: standing.priority,
    flagged: standing.flagged,
    listings: listings.map((l) => ({
      ...listingView(l),
      objections: objections.filter((o) => o.listingId === l.id).map(requestView),
      repairs: repairs.filter((r) => r.listingId === l.id).map(requestView),
    })),
    records: records.map(recordView),
  };
}

/** The applicant's own enterprise subject (created on first look). */
export async function mySubject(db: Kysely<DB>, deps: CreditDeps, actor: Actor) {
  if (actor.role !== 'applicant' || !actor.enterpriseId) {
    throw new DomainError('FORBIDDEN_ROLE', '仅企业用户可查看本企业信用 (applicants only)');
  }
  const enterpriseId = actor.enterpriseId;
  const subject = await db
    .transaction()
    .execute((trx) => ensureEnterpriseSubject(trx, enterpriseId, deps.clock.now()));
  return getSubject(db, deps, actor, subject.id);
}

export function listingView(l: Awaited<ReturnType<typeof repo.subjectListings>>[number]) {
  return {
    id: l.id,
    subjectId: l.subjectId,
    list: l.list,
    status: l.status,
    reason: l.reason,
    basis: l.basis,
    recordIds: l.recordIds,
    noticedOn: l.noticedOn,
    objectionUntil: l.objectionUntil,
    listedOn: l.listedOn,
    expiresOn: l.expiresOn,
    endedOn: l.endedOn,
    endReason: l.endReason,
  };
}

export function requestView(r: {
  id: string;
  listingId: string;
  status: string;
  decision: string | null;
  submittedAt: Date;
  decidedAt: Date | null;
  reason?: string;
  measures?: string;
}) {
  return {
    id: r.id,
    listingId: r.listingId,
    status: r.status,
    text: r.reason ?? r.measures ?? '',
    decision: r.decision,
    submittedAt: r.submittedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  };
}

// ---- records

export interface FlowRecordInput {
  enterpriseId: string;
  kind: RecordKind;
  reason: string;
  sourceType: string;
  sourceId: string;
  basis?: string;
  departmentCode?: string | null;
  severity?: Severity;
  /** Records of one act share an incident and count once (e.g. `deficiency:<applicationId>`). */
  incident?: string;
}

const FLOW_BASIS: Partial<Record<RecordKind, string>> = {
  commitment_broken: '《郑州市工程建设项目审批制度改革实施方案》任务37、60：未履行告知承诺的，记入信用记录',
  deficiency_overdue:
    '《郑州市工程建设项目审批制度改革实施方案》任务36、60：容缺材料逾期未补交的，记入信用记录',
  inspection_failed: '《郑州市工程建设项目审批制度改革实施方案》任务59：双随机抽查不合格的，记入信用记录',
  approval_revoked:
    '《中华人民共和国行政许可法》第六十九条；《郑州市工程建设项目审批制度改革实施方案》任务59：审批决定被依法撤销的，记入信用记录',
  false_materials: '《郑州市工程建设项目审批制度改革实施方案》任务60、61：提供虚假材料的，记入信用记录',
};

/** Record validity: 3 years for bad records, 2 for good ones (from the day of the act). */
const VALIDITY_MONTHS: Record<Severity, number> = { serious: 36, general: 36, good: 24 };

async function writeRecord(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  actor: Actor | null,
  now: Date,
  subjectId: string,
  row: {
    enterpriseId: string | null;
    kind: RecordKind;
    severity: Severity;
    reason: string;
    basis: string;
    sourceType: string | null;
    sourceId: string | null;
    departmentCode: string | null;
    evidenceFileId?: string | null;
    validFrom: string;
    expiresOn?: string | null;
    published: boolean;
    incident?: string | null;
  },
) {
  const inserted = await repo.insertRecord(trx, {
    subjectId,
    enterpriseId: row.enterpriseId,
    kind: row.kind,
    severity: row.severity,
    reason: row.reason,
    basis: row.basis,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    departmentCode: row.departmentCode,
    evidenceFileId: row.evidenceFileId ?? null,
    enteredBy: actor?.userId ?? null,
    createdAt: now,
    validFrom: row.validFrom,
    expiresOn: row.expiresOn ?? listingExpiry(row.validFrom, VALIDITY_MONTHS[row.severity]),
    published: row.published,
    incident: row.incident ?? null,
  });
  if (!inserted) return null;
  await recordEvent(trx, actor, now, {
    action: 'credit.record_created',
    objectType: 'credit_record',
    objectId: inserted.id,
    reason: row.reason,
    detail: {
      subjectId,
      kind: row.kind,
      severity: row.severity,
      sourceType: row.sourceType,
      sourceId: row.sourceId,
      incident: row.incident ?? null,
    },
  });
  await evaluateSubject(trx, calendar, subjectId, now);
  return inserted;
}

/**
 * A record from the approval flow (broken commitment, overdue 容缺, failed inspection…), written once per
 * source event inside the caller's transaction; a listing rule it completes opens the notice at once.
 * Returns whether a record was written.
 */
export async function recordFromFlow(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  input: FlowRecordInput,
  now: Date,
  actor: Actor | null = null,
): Promise<boolean> {
  const subject = await ensureEnterpriseSubject(trx, input.enterpriseId, now);
  const severity = input.severity ?? defaultSeverity[input.kind];
  const written = await writeRecord(trx, calendar, actor, now, subject.id, {
    enterpriseId: input.enterpriseId,
    kind: input.kind,
    severity,
    reason: input.reason,
    basis: input.basis ?? FLOW_BASIS[input.kind] ?? '',
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    departmentCode: input.departmentCode ?? null,
    validFrom: beijingDate(now),
    published: severity !== 'good',
    incident: input.incident ?? null,
  });
  return !!written;
}

/**
 * A record about any subject from another module's flow (an overdue intermediary service, an upheld
 * complaint), written once per source event inside the caller's transaction. Returns whether one was written.
 */
export async function recordForSubject(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  input: Omit<FlowRecordInput, 'enterpriseId'> & { subjectId: string; basis: string },
  now: Date,
  actor: Actor | null = null,
): Promise<boolean> {
  const severity = input.severity ?? defaultSeverity[input.kind];
  const written = await writeRecord(trx, calendar, actor, now, input.subjectId, {
    enterpriseId: null,
    kind: input.kind,
    severity,
    reason: input.reason,
    basis: input.basis,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    departmentCode: input.departmentCode ?? null,
    validFrom: beijingDate(now),
    published: severity !== 'good',
  });
  return !!written;
}

/** Who a record from the flow is about when it is not an enterprise of the system. */
export type FlowSubject =
  | {
      kind: 'practitioner';
      name: string;
      certificateNo: string;
      profession?: string;
      employerCreditCode?: string;
    }
  | { kind: 'intermediary' | 'design_org' | 'review_org'; name: string; creditCode: string };

const FLOW_BASIS_PEOPLE: Partial<Record<RecordKind, string>> = {
  commitment_broken:
    '《郑州市工程建设项目审批制度改革实施方案》任务30、61：设计单位及其项目负责人终身负责承诺不实的，记入单位和从业人员信用记录',
  false_materials:
    '《郑州市工程建设项目审批制度改革实施方案》任务61：全面公开企业和从业人员违法违规、不履行承诺的失信行为',
  approval_revoked:
    '《中华人民共和国行政许可法》第六十九条；《郑州市工程建设项目审批制度改革实施方案》任务59、60',
};

/** The subject of a practitioner (by certificate number) or an organisation (by code), created on first use. */
export async function ensureFlowSubject(trx: Db, subject: FlowSubject, now: Date) {
  const found = await repo.findSubjectByIdentity(trx, subject);
  if (found) return found;
  let employerSubjectId: string | null = null;
  if (subject.kind === 'practitioner' && subject.employerCreditCode) {
    const employer = await repo.findSubjectByIdentity(trx, {
      kind: 'design_org',
      creditCode: subject.employerCreditCode,
    });
    employerSubjectId = employer?.id ?? null;
  }
  await repo.insertSubject(trx, {
    kind: subject.kind,
    name: subject.name,
    creditCode: subject.kind === 'practitioner' ? null : subject.creditCode,
    certificateNo: subject.kind === 'practitioner' ? subject.certificateNo : null,
    profession: subject.kind === 'practitioner' ? (subject.profession ?? null) : null,
    employerSubjectId,
    createdAt: now,
  });
  return (await repo.findSubjectByIdentity(trx, subject))!;
}

/**
 * A record from the flow about a practitioner or an organisation (the chief designer of a broken design
 * commitment, a registered professional whose materials were found false…), once per source event, in
 * the caller's transaction; the listing rules apply to that subject as to an enterprise.
 */
export async function recordAboutSubject(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  input: Omit<FlowRecordInput, 'enterpriseId'> & { subject: FlowSubject },
  now: Date,
  actor: Actor | null = null,
): Promise<{ subjectId: string; written: boolean }> {
  const subject = await ensureFlowSubject(trx, input.subject, now);
  const severity = input.severity ?? defaultSeverity[input.kind];
  const written = await writeRecord(trx, calendar, actor, now, subject.id, {
    enterpriseId: subject.enterpriseId,
    kind: input.kind,
    severity,
    reason: input.reason,
    basis: input.basis ?? FLOW_BASIS_PEOPLE[input.kind] ?? FLOW_BASIS[input.kind] ?? '',
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    departmentCode: input.departmentCode ?? null,
    validFrom: beijingDate(now),
    published: severity !== 'good',
    incident: input.incident ?? null,
  });
  return { subjectId: subject.id, written: !!written };
}

/**
 * Withdraws the record a flow event wrote, in the caller's transaction: the act it records was corrected
 * (纠错 of a mistaken revocation). The record stays, marked withdrawn with the reason; it no longer counts
 * toward the grade or the listing rules and is no longer published. A notice or listing that rested on it
 * and no longer meets its rule ends (notice cancelled, listing removed). Returns the withdrawn record's id
 * (null when the event wrote none or it is already withdrawn).
 */
export async function withdrawFlowRecord(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  source: { kind: RecordKind; sourceType: string; sourceId: string },
  reason: string,
  now: Date,
  actor: Actor | null,
): Promise<string | null> {
  const record = await repo.lockRecordBySource(trx, source);
  if (!record || record.withdrawnOn) return null;
  const today = beijingDate(now);
  await repo.markRecordWithdrawn(trx, record.id, today, reason);
  await recordEvent(trx, actor, now, {
    action: 'credit.record_withdrawn',
    objectType: 'credit_record',
    objectId: record.id,
    reason,
    detail: {
      subjectId: record.subjectId,
      kind: record.kind,
      sourceType: source.sourceType,
      sourceId: source.sourceId,
    },
  });
  const [records, open, gradeRule] = await Promise.all([
    repo.listRecords(trx, record.subjectId),
    repo.openListings(trx, record.subjectId),
    repo.currentGradeRule(trx),
  ]);
  for (const listing of open) {
    if (!listing.recordIds.includes(record.id) || !listing.ruleId) continue;
    const rule = await repo.findListingRule(trx, listing.ruleId);
    if (!rule) continue;
    const black = open.some((l) => l.list === 'black' && l.status === 'listed' && l.id !== listing.id);
    const grade = gradeSubject(records, gradeRule, today, black).grade;
    const knownSince = records.length ? records.map((r) => r.validFrom).sort()[0]! : null;
    if (evaluateCondition(rule.condition, { records, grade, knownSince }, today).matches) continue;
    const locked = (await repo.lockListing(trx, listing.id))!;
    await endListing(
      trx,
      locked,
      locked.status === 'listed' ? 'removed' : 'cancelled',
      `据以列入的信用记录已撤回：${reason}`,
      now,
      actor,
    );
  }
  await evaluateSubject(trx, calendar, record.subjectId, now);
  return record.id;
}

/** A record entered by a department with evidence and legal basis (POST /api/credit/records). */
export async function enterRecord(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  input: {
    subjectId: string;
    kind: RecordKind;
    severity: Severity;
    reason: string;
    basis: string;
    evidenceFileId?: string;
    validFrom?: string;
    expiresOn?: string;
    published: boolean;
  },
) {
  requireStaff(actor);
  if (!actor.departmentCode && actor.role !== 'admin' && actor.role !== 'supervisor') {
    throw new DomainError('FORBIDDEN_ROLE', '须以部门身份录入信用记录');
  }
  if ((input.kind === 'on_time_completion' || input.kind === 'award') !== (input.severity === 'good')) {
    throw new DomainError(
      'VALIDATION_FAILED',
      '良好记录的类别与等级不一致 (good kinds carry severity good)',
      {
        field: 'body.severity',
      },
    );
  }
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const validFrom = input.validFrom ?? today;
    if (compareDates(validFrom, today) > 0) {
      throw new DomainError('VALIDATION_FAILED', '认定日期不能晚于今天', { field: 'body.validFrom' });
    }
    if (input.expiresOn && compareDates(input.expiresOn, validFrom) <= 0) {
      throw new DomainError('VALIDATION_FAILED', '有效期须晚于认定日期', { field: 'body.expiresOn' });
    }
    const subject = await repo.findSubject(trx, input.subjectId);
    if (!subject) throw notFound('信用主体 subject', input.subjectId);
    const row = await writeRecord(trx, calendar, actor, now, subject.id, {
      enterpriseId: subject.enterpriseId,
      kind: input.kind,
      severity: input.severity,
      reason: input.reason,
      basis: input.basis,
      sourceType: 'department',
      sourceId: null,
      departmentCode: actor.departmentCode,
      evidenceFileId: input.evidenceFileId ?? null,
      validFrom,
      expiresOn: input.expiresOn ?? null,
      published: input.published,
    });
    return recordView(row!);
  });
}

export async function listRecords(db: Kysely<DB>, actor: Actor, subjectId: string) {
  const subject = await repo.findSubject(db, subjectId);
  if (!subject) throw notFound('信用主体 subject', subjectId);
  const own = actor.role === 'applicant' && actor.enterpriseId && subject.enterpriseId === actor.enterpriseId;
  if (!isStaff(actor) && !own) throw new DomainError('FORBIDDEN_ROLE', '仅监管部门人员或主体本人可查看');
  return (await repo.listRecords(db, subjectId)).map(recordView);
}

// ---- the listing procedure's automatic steps

/** Applies every active listing rule to the subject: a match with nothing open opens a notice. */
export async function evaluateSubject(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  subjectId: string,
  now: Date,
) {
  const today = beijingDate(now);
  const [rules, records, open, gradeRule] = await Promise.all([
    repo.activeListingRules(trx),
    repo.listRecords(trx, subjectId),
    repo.openListings(trx, subjectId),
    repo.currentGradeRule(trx),
  ]);
  const blackOpen = open.some((l) => l.list === 'black');
  const grade = gradeSubject(
    records,
    gradeRule,
    today,
    open.some((l) => l.list === 'black' && l.status === 'listed'),
  );
  const knownSince = records.length ? records.map((r) => r.validFrom).sort()[0]! : null;
  const notices = [];
  for (const rule of rules) {
    if (open.some((l) => l.list === rule.list)) continue;
    if (rule.list === 'red' && blackOpen) continue;
    const outcome = evaluateCondition(rule.condition, { records, grade: grade.grade, knownSince }, today);
    if (!outcome.matches) continue;
    const listing = await repo.insertListing(trx, {
      subjectId,
      list: rule.list,
      ruleId: rule.id,
      status: 'noticed',
      reason: `${rule.name}：${outcome.reason}`,
      basis: rule.basis,
      recordIds: outcome.recordIds,
      noticedOn: today,
      objectionUntil: calendar.addWorkingDays(today, rule.objectionWorkingDays).deadline,
      createdAt: now,
    });
    if (!listing) continue;
    await recordEvent(trx, null, now, {
      action: 'credit.listing_noticed',
      objectType: 'credit_listing',
      objectId: listing.id,
      toState: 'noticed',
      reason: listing.reason,
      detail: {
        subjectId,
        list: rule.list,
        rule: `${rule.code}@${rule.version}`,
        objectionUntil: listing.objectionUntil,
      },
    });
    notices.push(listing.id);
  }
  return notices;
}

/** Lists a notice whose window has passed (no objection pending); the open red listing ends on a black one. */
export async function promoteNotice(trx: Transaction<DB>, listingId: string, now: Date, actor: Actor | null) {
  const today = beijingDate(now);
  const listing = await repo.lockListing(trx, listingId);
  if (!listing || listing.status !== 'noticed' || compareDates(listing.objectionUntil, today) >= 0)
    return false;
  const rule = listing.ruleId ? await repo.findListingRule(trx, listing.ruleId) : undefined;
  const expiresOn = listingExpiry(today, rule?.listingMonths ?? 36);
  await repo.updateListing(trx, listing.id, listing.version, {
    status: 'listed',
    listedOn: today,
    expiresOn,
  });
  await recordEvent(trx, actor, now, {
    action: 'credit.listed',
    objectType: 'credit_listing',
    objectId: listing.id,
    fromState: 'noticed',
    toState: 'listed',
    reason: listing.reason,
    detail: { subjectId: listing.subjectId, list: listing.list, expiresOn },
  });
  if (listing.list === 'black') {
    for (const red of await repo.openListings(trx, listing.subjectId)) {
      if (red.list !== 'red') continue;
      await endListing(
        trx,
        red,
        red.status === 'listed' ? 'removed' : 'cancelled',
        '列入失信黑名单',
        now,
        actor,
      );
    }
  }
  return true;
}

export async function endListing(
  trx: Transaction<DB>,
  listing: { id: string; version: number; status: string; subjectId: string },
  status: 'cancelled' | 'removed' | 'expired',
  reason: string,
  now: Date,
  actor: Actor | null,
) {
  const done = await repo.updateListing(trx, listing.id, listing.version, {
    status,
    endedOn: beijingDate(now),
    endReason: reason,
  });
  if (Number(done.numUpdatedRows) !== 1) {
    throw new DomainError('CONFLICT_STATE', '名单状态已变化，请刷新后重试 (listing changed meanwhile)');
  }
  await recordEvent(trx, actor, now, {
    action: `credit.listing_${status}`,
    objectType: 'credit_listing',
    objectId: listing.id,
    fromState: listing.status,
    toState: status,
    reason,
    detail: { subjectId: listing.subjectId },
  });
}

/**
 * The daily credit sweep: notices past their objection window are listed, listings past their expiry
 * end, and every subject with valid records is evaluated again (a red-list rule matures with time).
 * Idempotent.
 */
export async function runCreditSweep(db: Kysely<DB>, deps: CreditDeps) {
  const now = deps.clock.now();
  const today = beijingDate(now);
  const calendar = await deps.calendar.get();
  let listed = 0;
  let expired = 0;
  let noticed = 0;
  for (const { id } of await repo.noticesDue(db, today)) {
    if (await db.transaction().execute((trx) => promoteNotice(trx, id, now, null))) listed++;
  }
  for (const { id } of await repo.listingsExpired(db, today)) {
    await db.transaction().execute(async (trx) => {
      const l = await repo.lockListing(trx, id);
      if (!l || l.status !== 'listed') return;
      await endListing(trx, l, 'expired', '公示期满，移出名单', now, null);
      expired++;
    });
  }
  for (const subjectId of await repo.subjectsToEvaluate(db, today)) {
    noticed += (await db.transaction().execute((trx) => evaluateSubject(trx, calendar, subjectId, now)))
      .length;
  }
  return { listed, expired, noticed };
}
