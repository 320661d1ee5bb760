/**
 * 市政公用 in the flow (tasks 22, 57): told at 工程建设许可 (joint.hooks onStageCompleted), 报装 filed before
 * 施工许可 (recorded from the 并行推进 application), construction-phase works tracked by the utility, and
 * connection (接入) only after 竣工验收. Each utility has its desk and its times.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { DomainError, notFound } from '../../shared/errors';
import { projectFacts } from '../approvals/joint-result.service';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import type { Actor } from '../identity/identity.rules';
import * as repo from './joint.repository';
import { utilities, utilityCodes, type Utility, utilityCaseStateNames } from './joint.rules';

interface Deps {
  clock: Clock;
  calendar: CalendarProvider;
}

type CaseRow = Awaited<ReturnType<typeof repo.listProjectUtilityCases>>[number];

function caseView(row: CaseRow, works: { note: string; recordedAt: Date }[] = []) {
  return {
    id: row.id,
    projectId: row.projectId,
    utility: row.utility,
    utilityName: utilities[row.utility as Utility]?.name ?? row.utility,
    itemCode: utilities[row.utility as Utility]?.itemCode ?? null,
    status: row.status,
    facts: row.facts,
    notifiedAt: row.notifiedAt?.toISOString() ?? null,
    appliedAt: row.appliedAt?.toISOString() ?? null,
    acceptedOn: row.acceptedOn,
    connectedAt: row.connectedAt?.toISOString() ?? null,
    note: row.note,
    works: works.map((w) => ({ note: w.note, recordedAt: w.recordedAt.toISOString() })),
  };
}

async function withWorks(db: Kysely<DB>, rows: CaseRow[]) {
  const works = await repo.listUtilityWorks(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    caseView(
      r,
      works.filter((w) => w.caseId === r.id),
    ),
  );
}

export async function listProjectUtilities(db: Kysely<DB>, actor: Actor, projectId: string) {
  const project = await projectFacts(db, projectId);
  if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId)
    throw new DomainError('FORBIDDEN_SCOPE', '无权查看该项目 (not your project)');
  return { cases: await withWorks(db, await repo.listProjectUtilityCases(db, projectId)) };
}

/** A utility's desk: its own cases (a utility's staff), or every utility's (supervisor, admin). */
export async function utilityDesk(db: Kysely<DB>, actor: Actor) {
  const own = actor.departmentCode && utilityCodes.includes(actor.departmentCode as Utility);
  if (!own && actor.role !== 'supervisor' && actor.role !== 'admin')
    throw new DomainError(
      'FORBIDDEN_ROLE',
      '市政公用工作台供公用服务单位和监察人员使用 (utilities and supervisors only)',
    );
  const rows = await repo.listUtilityDesk(db, own ? actor.departmentCode! : undefined);
  const views = await withWorks(db, rows);
  return {
    cases: views.map((v, i) => ({
      ...v,
      projectCode: rows[i]!.projectCode,
      projectName: rows[i]!.projectName,
    })),
  };
}

function assertUtilityStaff(actor: Actor, utility: string) {
  if (actor.departmentCode !== utility)
    throw new DomainError('FORBIDDEN_SCOPE', '只能办理本单位的报装 (another utility’s case)');
}

/** Construction-phase works (施工阶段配套工程) recorded by the utility. */
export async function recordWork(db: Kysely<DB>, deps: Deps, actor: Actor, caseId: string, note: string) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockUtilityCase(trx, caseId);
    if (!row) throw notFound('报装 utility case', caseId);
    assertUtilityStaff(actor, row.utility);
    if (row.status !== 'applied' && row.status !== 'works')
      throw new DomainError('CONFLICT_STATE', '报装受理后才能记录配套工程进展 (no 报装 filed yet)');
    await repo.insertUtilityWork(trx, {
      caseId,
      note: note.trim(),
      recordedBy: actor.userId,
      recordedAt: now,
    });
    await repo.updateUtilityCase(trx, caseId, { status: 'works' });
    await recordEvent(trx, actor, now, {
      action: 'joint.utility_work_recorded',
      objectType: 'utility_case',
      objectId: caseId,
      fromState: row.status,
      toState: 'works',
      reason: note,
    });
    return caseView({ ...row, status: 'works' });
  });
}

/** 接入: only after the project's 竣工验收 is complete (task 22). */
export async function connect(db: Kysely<DB>, deps: Deps, actor: Actor, caseId: string, note: string) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockUtilityCase(trx, caseId);
    if (!row) throw notFound('报装 utility case', caseId);
    assertUtilityStaff(actor, row.utility);
    if (row.status !== 'applied' && row.status !== 'works')
      throw new DomainError(
        'CONFLICT_STATE',
        `报装当前为「${utilityCaseStateNames[row.status]}」，不能接入 (not applied for)`,
      );
    if (!row.acceptedOn)
      throw new DomainError(
        'RULE_VIOLATION',
        '市政公用接入须在竣工验收办结后进行 (connection only after 竣工验收)',
      );
    await repo.updateUtilityCase(trx, caseId, {
      status: 'connected',
      connectedAt: now,
      connectedBy: actor.userId,
      note,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.utility_connected',
      objectType: 'utility_case',
      objectId: caseId,
      fromState: row.status,
      toState: 'connected',
      reason: note,
    });
    return caseView({ ...row, status: 'connected', connectedAt: now, note });
  });
}

/** The applicant says a utility is not needed (e.g. no gas): it then holds nothing back. */
export async function declareNotNeeded(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  caseId: string,
  reason: string,
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.lockUtilityCase(trx, caseId);
    if (!row) throw notFound('报装 utility case', caseId);
    const project = await projectFacts(trx, row.projectId);
    if (actor.enterpriseId !== project.enterpriseId && actor.role !== 'agent')
      throw new DomainError('FORBIDDEN_SCOPE', '只能为本单位的项目声明 (not your project)');
    if (row.status !== 'notified')
      throw new DomainError(
        'CONFLICT_STATE',
        `报装当前为「${utilityCaseStateNames[row.status]}」，不能声明不需要 (only a notified case)`,
      );
    await repo.updateUtilityCase(trx, caseId, { status: 'not_needed', note: reason });
    await recordEvent(trx, actor, now, {
      action: 'joint.utility_not_needed',
      objectType: 'utility_case',
      objectId: caseId,
      fromState: 'notified',
      toState: 'not_needed',
      reason,
    });
    return caseView({ ...row, status: 'not_needed', note: reason });
  });
}

/** Each utility's times, in working days: told → 报装 filed, filed → connected. */
export async function utilityStats(db: Kysely<DB>, deps: Deps) {
  const calendar = await deps.calendar.get();
  const rows = await repo.listAllUtilityCases(db);
  const days = (from: Date | null, to: Date | null) =>
    from && to ? Math.max(0, calendar.workingDaysBetween(beijingDate(from), beijingDate(to))) : null;
  const avg = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 10) / 10 : null;
  };
  return {
    utilities: utilityCodes.map((u) => {
      const mine = rows.filter((r) => r.utility === u);
      return {
        utility: u,
        name: utilities[u].name,
        notified: mine.filter((r) => r.notifiedAt).length,
        applied: mine.filter((r) => r.appliedAt).length,
        connected: mine.filter((r) => r.status === 'connected').length,
        avgDaysToApply: avg(
          mine.map((r) =>
            r.appliedAt && r.notifiedAt && r.appliedAt > r.notifiedAt
              ? days(r.notifiedAt, r.appliedAt)
              : r.appliedAt
                ? 0
                : null,
          ),
        ),
        avgDaysToConnect: avg(mine.map((r) => days(r.appliedAt, r.connectedAt))),
      };
    }),
  };
}
