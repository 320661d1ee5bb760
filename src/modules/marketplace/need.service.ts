/**
 * Needs and selection (task 63): an owner posts a need (project, service, budget, deadline) and selects
 * by direct choice, by random draw (credit's sha256-fy-v1 over a hashed pool snapshot, the seed recorded
 * so anyone can re-run it) or by price comparison (sealed quotes opened at the set time, by the sweep or
 * on the first read after it). Black-listed intermediaries are never selectable, with the reason shown.
 * The contract is recorded, which starts the service clock (engagement.service.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate, compareDates } from '../calendar/calendar.rules';
import { organisationStanding } from '../credit/credit.service';
import { canonicalJson, DRAW_ALGORITHM, drawIds } from '../credit/draw.rules';
import type { Actor } from '../identity/identity.rules';
import { visibleProject } from '../projects/project.service';
import { createHash } from 'node:crypto';
import { canWatch, ownIntermediary, requireOwner, type Db, type MarketDeps } from './marketplace.access';
import * as repo from './marketplace.repository';
import {
  eligibility,
  exclusionReason,
  needNext,
  needStatusNames,
  quotesOpen,
  winningQuote,
  type Candidate,
  type NeedEvent,
} from './marketplace.rules';
import type { DrawPoolEntry, NeedStatus } from './marketplace.tables';
import { startEngagement, writeExchangeRows } from './engagement.service';
import { findService } from './service-list.service';

type NeedRow = NonNullable<Awaited<ReturnType<typeof repo.findNeed>>>;

/** SHA-256 of the canonical JSON of the pool sorted by offer id: what the published draw is checked against. */
export function drawPoolHash(pool: readonly DrawPoolEntry[]): string {
  const sorted = [...pool].sort((a, b) => (a.offerId < b.offerId ? -1 : a.offerId > b.offerId ? 1 : 0));
  return createHash('sha256').update(canonicalJson(sorted)).digest('hex');
}

/** The one draw: `drawIds` of credit's algorithm over the pool's offer ids. */
export function drawWinner(seed: string, pool: readonly DrawPoolEntry[]): string | null {
  return (
    drawIds(
      seed,
      pool.map((p) => p.offerId),
      1,
    )[0] ?? null
  );
}

function refuse(status: NeedStatus, what: string): never {
  throw new DomainError('CONFLICT_STATE', `需求当前为「${needStatusNames[status]}」，不能${what}`, {
    details: { state: status },
  });
}

function next(row: NeedRow, event: NeedEvent, what: string): NeedStatus {
  return needNext(row.status, event) ?? refuse(row.status, what);
}

/** The candidates of a service today, each with its credit black listing (if any). */
async function candidates(db: Db, serviceCode: string, today: string): Promise<Candidate[]> {
  const rows = await repo.candidatesFor(db, serviceCode);
  const out: Candidate[] = [];
  for (const r of rows) {
    let black: Candidate['black'] = null;
    if (r.intermediaryStatus === 'listed' || r.intermediaryStatus === 'suspended') {
      black = (await organisationStanding(db, 'intermediary', r.creditCode, today)).black;
    }
    out.push({ ...r, black });
  }
  return out;
}

async function needView(db: Db, deps: MarketDeps, row: NeedRow, actor: Actor | null) {
  const now = deps.clock.now();
  const service = await findService(db, row.serviceCode);
  const open = quotesOpen(row.quoteOpensAt, now) && row.quotesOpenedAt !== null;
  const quotes = await repo.quotesOf(db, row.id);
  const mineId =
    actor?.role === 'intermediary' ? (await ownIntermediary(db, actor).catch(() => null))?.id : null;
  const engagement = await repo.findEngagementByNeed(db, row.id);
  const selected = row.selectedOfferId ? await repo.findOffer(db, row.selectedOfferId) : undefined;
  const selectedOrg = selected ? await repo.findIntermediary(db, selected.intermediaryId) : undefined;
  return {
    id: row.id,
    projectId: row.projectId,
    enterpriseId: row.enterpriseId,
    serviceCode: row.serviceCode,
    serviceName: service.name,
    description: row.description,
    budgetYuan: row.budgetYuan,
    dueOn: row.dueOn,
    status: row.status,
    statusName: needStatusNames[row.status],
    method: row.method,
    quoteOpensAt: row.quoteOpensAt?.toISOString() ?? null,
    quotesOpened: open,
    quoteCount: quotes.length,
    // Sealed: before the opening nobody (staff included) sees an amount; a bidder sees that it has quoted.
    quotes: open
      ? quotes.map((q) => ({
          id: q.id,
          intermediaryId: q.intermediaryId,
          name: q.name,
          amountYuan: q.amountYuan,
          committedDays: q.committedDays,
          note: q.note,
          submittedAt: q.submittedAt.toISOString(),
        }))
      : [],
    myQuoteSubmitted: mineId ? quotes.some((q) => q.intermediaryId === mineId) : false,
    draw:
      row.method === 'draw' && row.drawSeed
        ? {
            algorithm: row.drawAlgorithm!,
            seed: row.drawSeed,
            poolHash: row.drawPoolHash!,
            pool: row.drawPool ?? [],
          }
        : null,
    excluded: row.excluded,
    selected: selected
      ? {
          offerId: selected.id,
          intermediaryId: selected.intermediaryId,
          name: selectedOrg?.name ?? '',
          feeYuan: selected.feeYuan,
          committedDays: selected.committedDays,
        }
      : null,
    selectionNote: row.selectionNote,
    cancelReason: row.cancelReason,
    engagementId: engagement?.id ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Reads open due quotes first (the opening happens at the set time, whoever comes first). */
async function readNeed(db: Kysely<DB>, deps: MarketDeps, id: string) {
  let row = await repo.findNeed(db, id);
  if (!row) throw notFound('中介服务需求 need', id);
  if (row.status === 'quoting' && quotesOpen(row.quoteOpensAt, deps.clock.now())) {
    await openQuotes(db, deps, id);
    row = (await repo.findNeed(db, id))!;
  }
  return row;
}

async function requireSeer(db: Db, actor: Actor, row: NeedRow) {
  if (canWatch(actor)) return;
  if (actor.role === 'intermediary') {
    const own = await ownIntermediary(db, actor);
    const offers = await repo.offersOf(db, [own.id]);
    if (offers.some((o) => o.serviceCode === row.serviceCode)) return;
  }
  requireOwner(actor, row.enterpriseId);
}

export async function getNeed(db: Kysely<DB>, deps: MarketDeps, actor: Actor, id: string) {
  const row = await readNeed(db, deps, id);
  await requireSeer(db, actor, row);
  return needView(db, deps, row, actor);
}

/** The owner's needs; an intermediary's open ones (for the services it offers); everything for staff. */
export async function listNeeds(db: Kysely<DB>, deps: MarketDeps, actor: Actor) {
  let rows: NeedRow[];
  if (canWatch(actor)) rows = await repo.listNeeds(db, {});
  else if (actor.role === 'intermediary') {
    const own = await ownIntermediary(db, actor);
    const codes = (await repo.offersOf(db, [own.id]))
      .filter((o) => o.status === 'listed')
      .map((o) => o.serviceCode);
    rows = await repo.listNeeds(db, { serviceCodes: codes, status: ['open', 'quoting'] });
  } else if (actor.role === 'applicant' && actor.enterpriseId) {
    rows = await repo.listNeeds(db, { enterpriseId: actor.enterpriseId });
  } else throw new DomainError('FORBIDDEN_ROLE', '无权查看中介服务需求');
  const out = [];
  for (const r of rows) out.push(await needView(db, deps, await readNeed(db, deps, r.id), actor));
  return out;
}

export async function postNeed(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  input: { projectId: string; serviceCode: string; description: string; budgetYuan: number; dueOn: string },
) {
  const project = await visibleProject(db, actor, input.projectId);
  requireOwner(actor, project.enterpriseId);
  const service = await findService(db, input.serviceCode);
  if (!service.active || service.list !== 'intermediary') {
    throw new DomainError('RULE_VIOLATION', `「${service.name}」不是清单内现行的中介服务事项`, {
      field: 'body.serviceCode',
    });
  }
  const now = deps.clock.now();
  if (compareDates(input.dueOn, beijingDate(now)) <= 0) {
    throw new DomainError('VALIDATION_FAILED', '服务期限须晚于今天', { field: 'body.dueOn' });
  }
  return db.transaction().execute(async (trx) => {
    const row = await repo.insertNeed(trx, {
      projectId: project.id,
      enterpriseId: project.enterpriseId,
      serviceCode: service.code,
      description: input.description,
      budgetYuan: input.budgetYuan,
      dueOn: input.dueOn,
      status: 'open',
      excluded: '[]',
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'marketplace.need_posted',
      objectType: 'market_need',
      objectId: row.id,
      toState: 'open',
      detail: { projectId: project.id, serviceCode: service.code, budgetYuan: input.budgetYuan },
    });
    return needView(trx, deps, row, actor);
  });
}

async function lockOwned(trx: Transaction<DB>, actor: Actor, id: string) {
  const row = await repo.lockNeed(trx, id);
  if (!row) throw notFound('中介服务需求 need', id);
  requireOwner(actor, row.enterpriseId);
  return row;
}

export type SelectInput =
  | { method: 'direct'; offerId: string; note?: string }
  | { method: 'draw'; seed?: string }
  | { method: 'quote'; opensAt: string };

/** Direct choice, a draw, or sealed quotes until `opensAt`. */
export async function select(db: Kysely<DB>, deps: MarketDeps, actor: Actor, id: string, input: SelectInput) {
  await db.transaction().execute(async (trx) => {
    const row = await lockOwned(trx, actor, id);
    const now = deps.clock.now();
    const today = beijingDate(now);
    const pool = await candidates(trx, row.serviceCode, today);
    const { eligible, excluded } = eligibility(pool, row.budgetYuan, today);
    if (input.method === 'quote') {
      const status = next(row, 'start_quotes', '发起比价');
      const opensAt = new Date(input.opensAt);
      if (!(opensAt.getTime() > now.getTime())) {
        throw new DomainError('VALIDATION_FAILED', '开标时间须晚于现在', { field: 'body.opensAt' });
      }
      if (eligible.length === 0) noneEligible(excluded);
      await repo.updateNeed(trx, id, {
        status,
        method: 'quote',
        quoteOpensAt: opensAt,
        excluded: JSON.stringify(excluded),
        updatedAt: now,
      });
      await recordEvent(trx, actor, now, {
        action: 'marketplace.quotes_started',
        objectType: 'market_need',
        objectId: id,
        fromState: row.status,
        toState: status,
        detail: { opensAt: opensAt.toISOString() },
      });
      return;
    }
    const status = next(row, 'select', '选取中介机构');
    let offerId: string;
    let note: string;
    let draw: { seed: string; pool: DrawPoolEntry[]; hash: string } | null = null;
    if (input.method === 'direct') {
      const chosen = pool.find((c) => c.offerId === input.offerId);
      if (!chosen) throw new DomainError('NOT_FOUND', '该中介机构未提供此项服务', { field: 'body.offerId' });
      const reason = exclusionReason(chosen, row.budgetYuan, today);
      if (reason) {
        throw new DomainError('RULE_VIOLATION', `不能选取「${chosen.name}」：${reason}`, {
          field: 'body.offerId',
          details: { intermediaryId: chosen.intermediaryId, reason },
        });
      }
      offerId = chosen.offerId;
      note = input.note?.trim() || '建设单位直接选取';
    } else {
      if (eligible.length === 0) noneEligible(excluded);
      const seed = input.seed ?? randomBytes(16).toString('hex');
      const entries: DrawPoolEntry[] = eligible.map((c) => ({
        offerId: c.offerId,
        intermediaryId: c.intermediaryId,
        name: c.name,
        feeYuan: c.feeYuan,
      }));
      offerId = drawWinner(seed, entries)!;
      draw = { seed, pool: entries, hash: drawPoolHash(entries) };
      note = `随机抽取（${DRAW_ALGORITHM}，种子 ${seed}，备选 ${entries.length} 家）`;
    }
    await repo.updateNeed(trx, id, {
      status,
      method: input.method,
      selectedOfferId: offerId,
      selectionNote: note,
      excluded: JSON.stringify(excluded),
      ...(draw
        ? {
            drawAlgorithm: DRAW_ALGORITHM,
            drawSeed: draw.seed,
            drawPool: JSON.stringify(draw.pool),
            drawPoolHash: draw.hash,
          }
        : {}),
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: `marketplace.selected_${input.method}`,
      objectType: 'market_need',
      objectId: id,
      fromState: row.status,
      toState: status,
      reason: note,
      detail: { offerId, ...(draw ? { seed: draw.seed, poolHash: draw.hash } : {}), excluded },
    });
  });
  return getNeed(db, deps, actor, id);
}

function noneEligible(excluded: { name: string; reason: string }[]): never {
  throw new DomainError(
    'RULE_VIOLATION',
    `没有可选取的中介机构${excluded.length ? `：${excluded.map((e) => `${e.name}（${e.reason}）`).join('；')}` : ''}`,
    { details: { excluded } },
  );
}

/** A sealed quote by a listed intermediary that offers the service; one per intermediary, before the opening. */
export async function submitQuote(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  id: string,
  input: { amountYuan: number; committedDays: number; note?: string },
) {
  const own = await ownIntermediary(db, actor);
  await db.transaction().execute(async (trx) => {
    const row = await repo.lockNeed(trx, id);
    if (!row) throw notFound('中介服务需求 need', id);
    const now = deps.clock.now();
    if (row.status !== 'quoting' || quotesOpen(row.quoteOpensAt, now)) {
      throw new DomainError('CONFLICT_STATE', '该需求不在报价期内（未发起比价或已开标）', {
        details: { state: row.status },
      });
    }
    const today = beijingDate(now);
    const me = (await candidates(trx, row.serviceCode, today)).find((c) => c.intermediaryId === own.id);
    if (!me) throw new DomainError('FORBIDDEN_SCOPE', '本机构未提供此项服务，不能报价');
    const reason = exclusionReason({ ...me, feeYuan: 0 }, row.budgetYuan, today);
    if (reason) throw new DomainError('RULE_VIOLATION', `不能报价：${reason}`);
    const service = await findService(trx, row.serviceCode);
    if (service.feeMaxYuan !== null && input.amountYuan > service.feeMaxYuan) {
      throw new DomainError(
        'RULE_VIOLATION',
        `报价 ${input.amountYuan} 元超过收费标准上限 ${service.feeMaxYuan} 元`,
        {
          field: 'body.amountYuan',
        },
      );
    }
    if (input.committedDays > service.timeLimitDays) {
      throw new DomainError('RULE_VIOLATION', `承诺时限超过清单时限 ${service.timeLimitDays} 个工作日`, {
        field: 'body.committedDays',
      });
    }
    const quote = await repo.insertQuote(trx, {
      needId: id,
      offerId: me.offerId,
      amountYuan: input.amountYuan,
      committedDays: input.committedDays,
      note: input.note ?? '',
      submittedAt: now,
    });
    if (!quote) throw new DomainError('CONFLICT_DUPLICATE', '本机构已报价，开标前不能更改');
    // The amount is not in the audit detail: the record would unseal it.
    await recordEvent(trx, actor, now, {
      action: 'marketplace.quote_submitted',
      objectType: 'market_need',
      objectId: id,
      detail: { quoteId: quote.id, intermediaryId: own.id },
    });
  });
  return getNeed(db, deps, actor, id);
}

/** Opens the sealed quotes of a need once its time has come: the lowest valid quote is selected. */
export async function openQuotes(db: Kysely<DB>, deps: MarketDeps, id: string) {
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockNeed(trx, id);
    const now = deps.clock.now();
    if (!row || row.status !== 'quoting' || !quotesOpen(row.quoteOpensAt, now)) return false;
    const today = beijingDate(now);
    const pool = await candidates(trx, row.serviceCode, today);
    const quotes = (await repo.quotesOf(trx, id)).filter((q) => {
      const c = pool.find((x) => x.offerId === q.offerId);
      // A bidder black-listed (or unlisted) between its quote and the opening is left out.
      return c && !exclusionReason({ ...c, feeYuan: 0 }, row.budgetYuan, today);
    });
    const winner = winningQuote(quotes, row.budgetYuan);
    const status = winner ? needNext(row.status, 'open_quotes')! : needNext(row.status, 'reselect')!;
    await repo.updateNeed(trx, id, {
      status,
      quotesOpenedAt: now,
      selectedOfferId: winner?.offerId ?? null,
      selectionNote: winner
        ? `比价选取：开标 ${quotes.length} 份有效报价，最低价 ${winner.amountYuan} 元（${winner.name}）`
        : '开标无有效报价，需求退回待选取',
      updatedAt: now,
    });
    await recordEvent(trx, null, now, {
      action: 'marketplace.quotes_opened',
      objectType: 'market_need',
      objectId: id,
      fromState: row.status,
      toState: status,
      detail: { quotes: quotes.length, winner: winner?.offerId ?? null },
    });
    return true;
  });
}

/** The sweep's part: every need whose opening time has come. */
export async function openDueQuotes(db: Kysely<DB>, deps: MarketDeps): Promise<number> {
  let n = 0;
  for (const { id } of await repo.needsWithDueQuotes(db, deps.clock.now())) {
    if (await openQuotes(db, deps, id)) n++;
  }
  return n;
}

/** The owner drops the selection (or a failed tender) and chooses again; or cancels the need. */
export async function reselectOrCancel(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  id: string,
  input: { action: 'reselect' | 'cancel'; reason: string },
) {
  await db.transaction().execute(async (trx) => {
    const row = await lockOwned(trx, actor, id);
    if (row.status === 'contracted') {
      throw new DomainError('CONFLICT_STATE', '已签约的需求须先终止合同', { details: { state: row.status } });
    }
    const status = next(row, input.action, input.action === 'cancel' ? '撤销' : '重新选取');
    const now = deps.clock.now();
    await repo.updateNeed(trx, id, {
      status,
      ...(input.action === 'cancel' ? { cancelReason: input.reason } : {}),
      method: null,
      selectedOfferId: null,
      selectionNote: input.reason,
      quoteOpensAt: null,
      quotesOpenedAt: null,
      drawAlgorithm: null,
      drawSeed: null,
      drawPool: null,
      drawPoolHash: null,
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: `marketplace.need_${input.action}`,
      objectType: 'market_need',
      objectId: id,
      fromState: row.status,
      toState: status,
      reason: input.reason,
    });
  });
  return getNeed(db, deps, actor, id);
}

/** The contract with the selected intermediary is recorded: the service and its clock begin. */
export async function recordContract(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  id: string,
  input: { contractNo: string; amountYuan: number; signedOn: string },
) {
  const calendar = await deps.calendar.get();
  const engagementId = await db.transaction().execute(async (trx) => {
    const row = await lockOwned(trx, actor, id);
    const status = next(row, 'contract', '签订合同');
    const now = deps.clock.now();
    const today = beijingDate(now);
    if (compareDates(input.signedOn, today) > 0) {
      throw new DomainError('VALIDATION_FAILED', '签约日期不能晚于今天', { field: 'body.signedOn' });
    }
    if (input.amountYuan > row.budgetYuan) {
      throw new DomainError(
        'RULE_VIOLATION',
        `合同金额 ${input.amountYuan} 元超过需求预算 ${row.budgetYuan} 元`,
        {
          field: 'body.amountYuan',
        },
      );
    }
    const offer = (await repo.findOffer(trx, row.selectedOfferId!))!;
    // The selected one may have been black-listed meanwhile: checked again at signing.
    const chosen = (await candidates(trx, row.serviceCode, today)).find((c) => c.offerId === offer.id)!;
    const reason = exclusionReason({ ...chosen, feeYuan: 0 }, row.budgetYuan, today);
    if (reason) throw new DomainError('RULE_VIOLATION', `不能与「${chosen.name}」签约：${reason}`);
    const quote = (await repo.quotesOf(trx, id)).find((q) => q.offerId === offer.id);
    const committedDays = quote?.committedDays ?? offer.committedDays;
    const engagement = await startEngagement(trx, calendar, actor, now, {
      needId: id,
      offerId: offer.id,
      intermediaryId: offer.intermediaryId,
      contractNo: input.contractNo,
      amountYuan: input.amountYuan,
      committedDays,
      signedOn: input.signedOn,
    });
    await repo.updateNeed(trx, id, { status, updatedAt: now });
    await recordEvent(trx, actor, now, {
      action: 'marketplace.contract_recorded',
      objectType: 'market_need',
      objectId: id,
      fromState: row.status,
      toState: status,
      detail: { engagementId: engagement.id, contractNo: input.contractNo, amountYuan: input.amountYuan },
    });
    await writeExchangeRows(trx, engagement.id, '签订合同', actor, now, null);
    return engagement.id;
  });
  return engagementId;
}
