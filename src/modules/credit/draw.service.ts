/**
 * 双随机一公开 (task 59): inspector rosters per department with ties that exclude an inspector from a
 * subject, draws over a pool snapshot with a recorded seed (draw.rules.ts: anyone can re-run it), results
 * recorded and published (a failed one writes a credit record).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { commitmentApprovals, constructionProjects, exemptedProjects } from '../approvals/inspection.service';
import { REVOCATION_BASIS, revokeApprovalIn } from '../approvals/revoke.service';
import {
  commitmentsInForce,
  listDesignCommitments,
  revokeDesignCommitment,
} from '../joint/commitment.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import {
  ensureEnterpriseSubject,
  ensureFlowSubject,
  inspectionRatios,
  poolStandings,
  recordAboutSubject,
  recordFromFlow,
  type CreditDeps,
} from './credit.service';
import type { PoolKind, PoolObject, RosterEntry } from './credit.tables';
import * as creditRepo from './credit.repository';
import * as repo from './draw.repository';
import { DRAW_ALGORITHM, poolHash, runDraw } from './draw.rules';

export interface DrawDeps extends CreditDeps {
  publishWorkingDays: number;
}

/** Department leads and coordinators keep their roster and draw; supervisors and admins anywhere. */
function requireDrawer(actor: Actor, departmentCode: string) {
  if (actor.role === 'admin' || actor.role === 'supervisor') return;
  if ((actor.role === 'head' || actor.role === 'coordinator') && actor.departmentCode === departmentCode)
    return;
  throw new DomainError('FORBIDDEN_SCOPE', '只能管理本部门的抽查 (own department only)');
}

export async function addInspector(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  input: { departmentCode: string; name: string; badgeNo: string },
) {
  requireDrawer(actor, input.departmentCode);
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.insertInspector(trx, { ...input, createdAt: now });
    if (!row) {
      throw new DomainError('CONFLICT_DUPLICATE', '执法证号已在本部门名录中', { field: 'body.badgeNo' });
    }
    await recordEvent(trx, actor, now, {
      action: 'inspection.inspector_added',
      objectType: 'inspection_inspector',
      objectId: row.id,
      detail: input,
    });
    return {
      id: row.id,
      departmentCode: row.departmentCode,
      name: row.name,
      badgeNo: row.badgeNo,
      active: row.active,
      ties: [],
    };
  });
}

export async function setInspectorActive(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  id: string,
  active: boolean,
) {
  const inspector = await repo.findInspector(db, id);
  if (!inspector) throw notFound('检查人员 inspector', id);
  requireDrawer(actor, inspector.departmentCode);
  await db.transaction().execute(async (trx) => {
    await repo.setInspectorActive(trx, id, active);
    await recordEvent(trx, actor, deps.clock.now(), {
      action: active ? 'inspection.inspector_activated' : 'inspection.inspector_deactivated',
      objectType: 'inspection_inspector',
      objectId: id,
    });
  });
  return { id, active };
}

/** Declares a tie (亲属, 曾任职, 利害关系…): the inspector is never drawn for that subject. */
export async function tieInspector(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  inspectorId: string,
  input: { subjectId: string; reason: string },
) {
  const inspector = await repo.findInspector(db, inspectorId);
  if (!inspector) throw notFound('检查人员 inspector', inspectorId);
  requireDrawer(actor, inspector.departmentCode);
  await db.transaction().execute(async (trx) => {
    await repo.insertTie(trx, { inspectorId, ...input });
    await recordEvent(trx, actor, deps.clock.now(), {
      action: 'inspection.inspector_tied',
      objectType: 'inspection_inspector',
      objectId: inspectorId,
      reason: input.reason,
      detail: { subjectId: input.subjectId },
    });
  });
  return { inspectorId, subjectId: input.subjectId };
}

export async function listRoster(db: Kysely<DB>, actor: Actor, departmentCode: string) {
  requireDrawer(actor, departmentCode);
  return (await repo.roster(db, departmentCode, false)).map((i) => ({
    id: i.id,
    departmentCode: i.departmentCode,
    name: i.name,
    badgeNo: i.badgeNo,
    active: i.active,
    ties: i.ties.map((t) => ({ subjectId: t.subjectId, reason: t.reason })),
  }));
}

/** The pool objects of one kind before grading: what is inspected and whose credit it concerns. */
async function poolObjects(
  trx: Transaction<DB>,
  actor: Actor,
  kind: PoolKind,
  departmentCode: string,
  now: Date,
): Promise<Omit<PoolObject, 'grade'>[]> {
  const enterpriseSubject = async (enterpriseId: string) => ensureEnterpriseSubject(trx, enterpriseId, now);
  if (kind === 'commitment' || kind === 'construction') {
    const tasks =
      kind === 'commitment'
        ? await commitmentApprovals(trx, departmentCode)
        : await constructionProjects(trx, departmentCode);
    const out = [];
    for (const t of tasks) {
      const s = await enterpriseSubject(t.enterpriseId);
      out.push({
        objectId: t.id,
        subjectId: s.id,
        subjectName: s.name,
        label:
          kind === 'commitment'
            ? `${t.projectCode} ${t.projectName}（${t.itemCode}）`
            : `${t.projectCode} ${t.projectName}（在建项目，施工许可 ${t.itemCode}）`,
      });
    }
    return out;
  }
  // 施工图审查告知承诺免审: the design firm's lifelong-responsibility commitment in force (issue 11).
  const out = [];
  const projects = await exemptedProjects(trx, departmentCode);
  const inForce = await commitmentsInForce(
    trx,
    projects.map((p) => p.projectId),
  );
  for (const p of projects) {
    for (const c of inForce.filter((x) => x.projectId === p.projectId)) {
      const s = await ensureFlowSubject(
        trx,
        { kind: 'design_org', name: c.firmName, creditCode: c.firmCreditCode },
        now,
      );
      out.push({
        objectId: c.id,
        subjectId: s.id,
        subjectName: s.name,
        label: `${p.projectCode} ${p.projectName}：施工图告知承诺免审（${c.firmName}，项目负责人 ${c.chiefDesigner}）`,
        projectId: p.projectId,
      });
    }
  }
  return out;
}

const POOL_NAMES: Record<PoolKind, string> = {
  commitment: '告知承诺审批',
  construction: '在建项目',
  exemption: '施工图审查告知承诺免审项目',
};

/**
 * A draw: snapshot of the pool (告知承诺 approvals, projects under construction or 施工图 exemptions of the
 * department, each with its subject's grade and red listing) and of the active roster, the ratios in force
 * (per grade, and for the red list), a seed (given, or 128 random bits), and the result.
 */
export async function createDraw(
  db: Kysely<DB>,
  deps: DrawDeps,
  actor: Actor,
  input: { departmentCode: string; poolKind: PoolKind; inspectorsPerObject: number; seed?: string },
) {
  requireDrawer(actor, input.departmentCode);
  const calendar = await deps.calendar.get();
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const today = beijingDate(now);
    const objects = await poolObjects(trx, actor, input.poolKind, input.departmentCode, now);
    if (objects.length === 0) {
      throw new DomainError(
        'RULE_VIOLATION',
        `抽查对象库为空：本部门没有${POOL_NAMES[input.poolKind]} (empty pool)`,
        { field: 'body.departmentCode' },
      );
    }
    const ratios = await inspectionRatios(trx);
    const standings = await poolStandings(
      trx,
      objects.map((o) => o.subjectId),
      today,
    );
    const pool: PoolObject[] = objects.map((o) => {
      const s = standings.get(o.subjectId)!;
      // A red-listed subject is drawn at the red ratio when one is in force (守信激励: fewer inspections).
      return s.red && ratios.red !== undefined
        ? { ...o, grade: s.grade, red: true }
        : { ...o, grade: s.grade };
    });
    const roster: RosterEntry[] = (await repo.roster(trx, input.departmentCode, true)).map((i) => ({
      inspectorId: i.id,
      name: i.name,
      badgeNo: i.badgeNo,
      tiedSubjectIds: i.ties.map((t) => t.subjectId),
    }));
    const seed = input.seed ?? randomBytes(16).toString('hex');
    const outcome = runDraw({ seed, pool, roster, ratios, inspectorsPerObject: input.inspectorsPerObject });
    if (outcome.shortOfInspectors.length > 0) {
      throw new DomainError(
        'RULE_VIOLATION',
        `检查人员不足：${outcome.shortOfInspectors.length} 个对象没有足够的无利害关系检查人员 (roster too small)`,
        { field: 'body.inspectorsPerObject', details: outcome.shortOfInspectors },
      );
    }
    const draw = await repo.insertDraw(trx, {
      departmentCode: input.departmentCode,
      poolKind: input.poolKind,
      seed,
      algorithm: DRAW_ALGORITHM,
      poolSnapshot: JSON.stringify(pool),
      poolHash: outcome.poolHash,
      inspectorSnapshot: JSON.stringify(roster),
      ratios: JSON.stringify(ratios),
      inspectorsPerObject: input.inspectorsPerObject,
      result: JSON.stringify(outcome.picks),
      drawnBy: actor.userId,
      drawnAt: now,
      drawnOn: today,
      publishBy: calendar.addWorkingDays(today, deps.publishWorkingDays).deadline,
    });
    await recordEvent(trx, actor, now, {
      action: 'inspection.drawn',
      objectType: 'inspection_draw',
      objectId: draw.id,
      detail: { seed, poolHash: outcome.poolHash, picks: outcome.picks.length, pool: pool.length },
    });
    return draw.id;
  });
}

/** The draw as published: seed, algorithm, pool and roster snapshots, hash, result, results so far. */
export async function drawView(db: Kysely<DB>, deps: CreditDeps, drawId: string) {
  const draw = await repo.findDraw(db, drawId);
  if (!draw) throw notFound('抽查 draw', drawId);
  const results = await repo.resultsOf(db, [drawId]);
  const today = beijingDate(deps.clock.now());
  const rerun = runDraw({
    seed: draw.seed,
    pool: draw.poolSnapshot,
    roster: draw.inspectorSnapshot,
    ratios: draw.ratios,
    inspectorsPerObject: draw.inspectorsPerObject,
  });
  const names = new Map(draw.inspectorSnapshot.map((r) => [r.inspectorId, r]));
  return {
    id: draw.id,
    departmentCode: draw.departmentCode,
    poolKind: draw.poolKind,
    algorithm: draw.algorithm,
    seed: draw.seed,
    poolHash: draw.poolHash,
    pool: draw.poolSnapshot,
    inspectors: draw.inspectorSnapshot.map((r) => ({
      inspectorId: r.inspectorId,
      name: r.name,
      badgeNo: r.badgeNo,
      tiedSubjectIds: r.tiedSubjectIds,
    })),
    ratios: draw.ratios,
    inspectorsPerObject: draw.inspectorsPerObject,
    result: draw.result.map((p) => ({
      ...p,
      inspectorNames: p.inspectorIds.map((i) => names.get(i)?.name ?? i),
      outcome: results.find((r) => r.objectId === p.objectId)?.outcome ?? null,
      findings: results.find((r) => r.objectId === p.objectId)?.findings ?? null,
      publishedOn: results.find((r) => r.objectId === p.objectId)?.publishedOn ?? null,
    })),
    drawnOn: draw.drawnOn,
    publishBy: draw.publishBy,
    publishOverdue: results.length < draw.result.length && compareDates(draw.publishBy, today) < 0,
    /** Re-run here from the stored seed and snapshots: the same hash and picks. */
    reproducible:
      rerun.poolHash === draw.poolHash &&
      poolHash(draw.poolSnapshot) === draw.poolHash &&
      JSON.stringify(rerun.picks) === JSON.stringify(draw.result),
  };
}

export async function listDraws(db: Kysely<DB>, departmentCode?: string) {
  const draws = await repo.listDraws(db, departmentCode);
  const results = await repo.resultsOf(
    db,
    draws.map((d) => d.id),
  );
  return draws.map((d) => ({
    id: d.id,
    departmentCode: d.departmentCode,
    poolKind: d.poolKind,
    seed: d.seed,
    poolHash: d.poolHash,
    drawnOn: d.drawnOn,
    publishBy: d.publishBy,
    picked: d.result.length,
    recorded: results.filter((r) => r.drawId === d.id).length,
    failed: results.filter((r) => r.drawId === d.id && r.outcome !== 'passed').length,
  }));
}

/**
 * Records the result of one drawn object; published at once. correction (责令整改) writes a general credit
 * record. revoked (撤销) revokes what was inspected — the approval and its certificate through approvals'
 * revocation entry point (which writes `approval_revoked`), or for an exemption the design commitment
 * through the joint procedures (its resting certificates are suspended) with records against the design
 * firm and its chief designer — and writes a serious record; the records of one result are one incident.
 * Registered professionals found to have supplied false materials get a `false_materials` record each.
 */
export async function recordDrawResult(
  db: Kysely<DB>,
  deps: CreditDeps,
  actor: Actor,
  drawId: string,
  objectId: string,
  input: {
    outcome: 'passed' | 'correction' | 'revoked';
    findings: string;
    legalBasis?: string;
    falseMaterials?: { name: string; certificateNo: string; profession?: string }[];
  },
) {
  const draw = await repo.findDraw(db, drawId);
  if (!draw) throw notFound('抽查 draw', drawId);
  const staff =
    ['reviewer', 'senior', 'head', 'coordinator'].includes(actor.role) &&
    actor.departmentCode === draw.departmentCode;
  if (!staff && actor.role !== 'admin') throw new DomainError('FORBIDDEN_SCOPE', '只能录入本部门的抽查结果');
  const pick = draw.result.find((p) => p.objectId === objectId);
  if (!pick) throw notFound('抽中对象 drawn object', objectId);
  const object = draw.poolSnapshot.find((o) => o.objectId === objectId)!;
  if ((await repo.resultsOf(db, [drawId])).some((r) => r.objectId === objectId))
    throw new DomainError('CONFLICT_STATE', '该对象的抽查结果已录入 (already recorded)');
  const calendar = await deps.calendar.get();
  const legalBasis = input.legalBasis ?? REVOCATION_BASIS;
  const incident = `draw:${drawId}:${objectId}`;

  // An exemption's commitment is revoked by the joint procedures in their own transaction, first.
  let commitment: Awaited<ReturnType<typeof listDesignCommitments>>['commitments'][number] | undefined;
  if (draw.poolKind === 'exemption' && input.outcome === 'revoked') {
    commitment = (await listDesignCommitments(db, actor, object.projectId!)).commitments.find(
      (c) => c.id === objectId,
    );
    if (!commitment) throw notFound('设计承诺 commitment', objectId);
    if (!commitment.revoked) {
      // 任务30、61: the firm and its chief designer answer for a design commitment found untrue — written
      // by the revocation, in its transaction, as one act with this draw's finding.
      await revokeDesignCommitment(
        db,
        deps,
        actor,
        objectId,
        `双随机抽查：${input.findings}（依据：${legalBasis}）`,
        {
          reason: `施工图告知承诺免审经双随机抽查承诺不实（${object.label}）：${input.findings}`,
          departmentCode: draw.departmentCode,
          incident,
        },
      );
    }
  }

  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.insertResult(trx, {
      drawId,
      objectId,
      subjectId: object.subjectId,
      outcome: input.outcome,
      findings: input.findings,
      recordedBy: actor.userId,
      recordedAt: now,
      publishedOn: beijingDate(now),
    });
    if (!row) throw new DomainError('CONFLICT_STATE', '该对象的抽查结果已录入 (already recorded)');
    await recordEvent(trx, actor, now, {
      action: `inspection.draw_result_${input.outcome}`,
      objectType: 'inspection_draw',
      objectId: drawId,
      reason: input.findings,
      detail: {
        objectId,
        subjectId: object.subjectId,
        legalBasis: input.outcome === 'revoked' ? legalBasis : null,
      },
    });
    const subject = (await creditRepo.findSubject(trx, object.subjectId))!;
    let revocation: { id: string; certificateRevoked: string | null } | null = null;
    if (input.outcome !== 'passed') {
      const failed = {
        kind: 'inspection_failed' as const,
        severity: input.outcome === 'revoked' ? ('serious' as const) : ('general' as const),
        reason: `双随机抽查不合格（${object.label}，${input.outcome === 'revoked' ? '撤销' : '责令整改'}）：${input.findings}`,
        sourceType: 'inspection_draw',
        sourceId: `${drawId}:${objectId}`,
        departmentCode: draw.departmentCode,
        incident,
      };
      if (subject.enterpriseId) {
        await recordFromFlow(trx, calendar, { ...failed, enterpriseId: subject.enterpriseId }, now, actor);
      } else {
        await recordAboutSubject(
          trx,
          calendar,
          {
            ...failed,
            subject: { kind: 'design_org', name: subject.name, creditCode: subject.creditCode! },
          },
          now,
          actor,
        );
      }
    }
    if (input.outcome === 'revoked' && draw.poolKind !== 'exemption') {
      revocation = await revokeApprovalIn(trx, calendar, actor, now, objectId, {
        reason: `双随机抽查不合格：${input.findings}`,
        legalBasis,
        source: { type: 'inspection_draw', id: `${drawId}:${objectId}` },
        incident,
      });
    }
    for (const person of input.falseMaterials ?? []) {
      await recordAboutSubject(
        trx,
        calendar,
        {
          subject: {
            kind: 'practitioner',
            name: person.name,
            certificateNo: person.certificateNo,
            ...(person.profession ? { profession: person.profession } : {}),
          },
          kind: 'false_materials',
          reason: `双随机抽查发现提供虚假材料（${object.label}）：${input.findings}`,
          sourceType: 'inspection_draw',
          sourceId: `${drawId}:${objectId}:${person.certificateNo}`,
          departmentCode: draw.departmentCode,
        },
        now,
        actor,
      );
    }
    return {
      drawId,
      objectId,
      outcome: input.outcome,
      publishedOn: row.publishedOn,
      revocationId: revocation?.id ?? null,
      certificateRevoked: revocation?.certificateRevoked ?? null,
      commitmentRevoked: commitment ? commitment.id : null,
    };
  });
}
