/**
 * Intermediaries (task 13): registration with the 统一社会信用代码 (GB 32100 check character), their
 * qualifications (grade, expiry) and offers (fee within the standard, the 服务承诺 time limit); 政务办
 * reviews and lists them, may suspend and reinstate; an expired qualification unlists its services (sweep).
 */
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import { ensureOrganisationSubject } from '../credit/credit.service';
import { listEnterprises, registerEnterprise, reviewEnterpriseIn } from '../identity/admin.service';
import { findEnterprise } from '../identity/identity.service';
import { isValidCreditCode, type Actor } from '../identity/identity.rules';
import {
  canWatch,
  ownIntermediary,
  requireMarketStaff,
  type Db,
  type MarketDeps,
} from './marketplace.access';
import * as repo from './marketplace.repository';
import { offerProblem } from './marketplace.rules';
import { findService } from './service-list.service';
import type { IntermediaryStatus } from './marketplace.tables';
import type { SelfRegistrationSchema } from './marketplace.schemas';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findIntermediary>>>;

export const intermediaryStatusNames: Record<IntermediaryStatus, string> = {
  pending: '待审核',
  listed: '已入库',
  rejected: '未通过',
  suspended: '已暂停',
};

async function detailOf(db: Db, rows: Row[]) {
  const ids = rows.map((r) => r.id);
  const [quals, offers] = await Promise.all([repo.qualificationsOf(db, ids), repo.offersOf(db, ids)]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    creditCode: r.creditCode,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    address: r.address,
    status: r.status,
    statusName: intermediaryStatusNames[r.status],
    reviewNote: r.reviewNote,
    qualifications: quals
      .filter((q) => q.intermediaryId === r.id)
      .map((q) => ({
        id: q.id,
        name: q.name,
        grade: q.grade,
        certificateNo: q.certificateNo,
        issuer: q.issuer,
        expiresOn: q.expiresOn,
      })),
    offers: offers
      .filter((o) => o.intermediaryId === r.id)
      .map((o) => ({
        id: o.id,
        serviceCode: o.serviceCode,
        qualificationId: o.qualificationId,
        feeYuan: o.feeYuan,
        committedDays: o.committedDays,
        commitment: o.commitment,
        status: o.status,
        unlistedReason: o.unlistedReason,
      })),
  }));
}

export async function intermediaryView(db: Db, id: string) {
  const row = await repo.findIntermediary(db, id);
  if (!row) throw notFound('中介机构 intermediary', id);
  return (await detailOf(db, [row]))[0]!;
}

/** A new organisation waiting for review; one per enterprise and per 统一社会信用代码. */
async function insertPending(
  trx: Transaction<DB>,
  enterpriseId: string,
  o: { name: string; creditCode: string; contactName: string; contactPhone: string; address: string },
  now: Date,
) {
  const row = await repo.insertIntermediary(trx, {
    enterpriseId,
    name: o.name,
    creditCode: o.creditCode,
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    address: o.address,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  });
  if (!row) {
    throw new DomainError('CONFLICT_DUPLICATE', '该机构或统一社会信用代码已登记', {
      field: 'body.creditCode',
    });
  }
  return row;
}

/** An intermediary user registers its organisation; 政务办 reviews it before it can be chosen. */
export async function register(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  input: { name: string; creditCode: string; contactName: string; contactPhone: string; address: string },
) {
  if (actor.role !== 'intermediary' || !actor.enterpriseId) {
    throw new DomainError('FORBIDDEN_ROLE', '仅中介机构用户可申请入驻 (intermediary users only)');
  }
  const creditCode = input.creditCode.trim().toUpperCase();
  if (!isValidCreditCode(creditCode)) {
    throw new DomainError('VALIDATION_FAILED', '统一社会信用代码不符合 GB 32100（格式或校验码错误）', {
      field: 'body.creditCode',
    });
  }
  const enterprise = await findEnterprise(db, actor.enterpriseId);
  if (enterprise?.creditCode && enterprise.creditCode !== creditCode) {
    throw new DomainError('VALIDATION_FAILED', '统一社会信用代码与本机构账号登记的不一致', {
      field: 'body.creditCode',
    });
  }
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await insertPending(trx, actor.enterpriseId!, { ...input, creditCode }, now);
    await recordEvent(trx, actor, now, {
      action: 'marketplace.intermediary_registered',
      objectType: 'market_intermediary',
      objectId: row.id,
      toState: 'pending',
      detail: { name: row.name, creditCode },
    });
    return (await detailOf(trx, [row]))[0]!;
  });
}

/**
 * 中介机构自助入驻 (no login), by the enterprise self-registration's one procedure (identity): the
 * enterprise and its account (role intermediary, disabled) wait for review; in the same transaction the
 * organisation, its qualifications and its offers (each checked against the list as a logged-in offer is)
 * are recorded as pending. 政务办's listing confirms the enterprise and opens the account (review below).
 */
export async function selfRegister(
  db: Kysely<DB>,
  deps: MarketDeps,
  config: Pick<Config, 'passwordMinLength'>,
  input: z.infer<typeof SelfRegistrationSchema>,
) {
  const now = deps.clock.now();
  const today = beijingDate(now);
  input.qualifications.forEach((q, i) => {
    if (q.expiresOn < today) {
      throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 项资质有效期 ${q.expiresOn} 已过`, {
        field: `body.qualifications.${i}.expiresOn`,
      });
    }
  });
  let intermediaryId = '';
  const { username } = await registerEnterprise(
    db,
    config,
    now,
    {
      name: input.name,
      creditCode: input.creditCode,
      legalPerson: input.legalPerson,
      contactPhone: input.contactPhone,
      username: input.username,
      displayName: input.displayName,
      password: input.password,
    },
    {
      role: 'intermediary',
      alongside: async (trx, enterpriseId) => {
        const row = await insertPending(trx, enterpriseId, input, now);
        intermediaryId = row.id;
        const quals = [];
        for (const [i, q] of input.qualifications.entries()) {
          const inserted = await repo.insertQualification(trx, { intermediaryId: row.id, ...q });
          if (!inserted) {
            throw new DomainError('CONFLICT_DUPLICATE', '该资质证书编号已登记', {
              field: `body.qualifications.${i}.certificateNo`,
            });
          }
          quals.push(inserted);
        }
        for (const [i, o] of input.offers.entries()) {
          const qualification = quals[o.qualificationIndex];
          if (!qualification) {
            throw new DomainError('VALIDATION_FAILED', `第 ${i + 1} 项服务所依据的资质不存在`, {
              field: `body.offers.${i}.qualificationIndex`,
            });
          }
          const service = await findService(trx, o.serviceCode);
          const problem = offerProblem(
            service,
            { ...o, qualificationExpiresOn: qualification.expiresOn },
            today,
          );
          if (problem) {
            throw new DomainError('RULE_VIOLATION', `第 ${i + 1} 项服务：${problem.message}`, {
              field: problem.field.replace(/^body\./, `body.offers.${i}.`),
            });
          }
          await repo.upsertOffer(trx, {
            intermediaryId: row.id,
            serviceCode: service.code,
            qualificationId: qualification.id,
            feeYuan: o.feeYuan,
            committedDays: o.committedDays,
            commitment: o.commitment,
            status: 'pending',
            createdAt: now,
            updatedAt: now,
          });
        }
        await recordEvent(trx, null, now, {
          action: 'marketplace.intermediary_registered',
          objectType: 'market_intermediary',
          objectId: row.id,
          toState: 'pending',
          detail: {
            name: row.name,
            creditCode: row.creditCode,
            selfRegistered: true,
            username: input.username,
          },
        });
      },
    },
  );
  return { intermediary: await intermediaryView(db, intermediaryId), username };
}

/**
 * A self-registered intermediary's enterprise waits with it: listing confirms the enterprise (its
 * account may log in), rejecting a still-pending one rejects it too (with the same note).
 */
async function settleEnterprise(
  trx: Transaction<DB>,
  actor: Actor,
  now: Date,
  enterprise: { id: string; creditCode: string },
  to: IntermediaryStatus,
  note: string,
) {
  const enterpriseId = enterprise.id;
  const found = (await listEnterprises(trx, { q: enterprise.creditCode })).find((e) => e.id === enterpriseId);
  if (!found) return;
  if (to === 'listed' && found.status !== 'confirmed') {
    await reviewEnterpriseIn(trx, actor, now, enterpriseId, { decision: 'confirm', note });
  } else if (to === 'rejected' && found.status === 'pending') {
    await reviewEnterpriseIn(trx, actor, now, enterpriseId, { decision: 'reject', note });
  }
}

export async function mine(db: Kysely<DB>, actor: Actor) {
  const row = await ownIntermediary(db, actor);
  return (await detailOf(db, [row]))[0]!;
}

export async function listForStaff(db: Kysely<DB>, actor: Actor, status?: IntermediaryStatus[]) {
  if (!canWatch(actor)) throw new DomainError('FORBIDDEN_ROLE', '仅政务办及监察人员可查看');
  return detailOf(db, await repo.listIntermediaries(db, status));
}

export async function addQualification(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  input: { name: string; grade: string; certificateNo: string; issuer: string; expiresOn: string },
) {
  const own = await ownIntermediary(db, actor);
  const today = beijingDate(deps.clock.now());
  if (input.expiresOn < today) {
    throw new DomainError('VALIDATION_FAILED', `资质有效期 ${input.expiresOn} 已过`, {
      field: 'body.expiresOn',
    });
  }
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo.insertQualification(trx, { intermediaryId: own.id, ...input });
    if (!row) {
      throw new DomainError('CONFLICT_DUPLICATE', '该资质证书编号已登记', { field: 'body.certificateNo' });
    }
    await recordEvent(trx, actor, now, {
      action: 'marketplace.qualification_added',
      objectType: 'market_intermediary',
      objectId: own.id,
      detail: { qualificationId: row.id, name: row.name, grade: row.grade, expiresOn: row.expiresOn },
    });
    return intermediaryView(trx, own.id);
  });
}

/** An offer of a listed service: fee within the standard, commitment within the limit, a valid qualification. */
export async function saveOffer(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  input: {
    serviceCode: string;
    qualificationId: string;
    feeYuan: number;
    committedDays: number;
    commitment: string;
  },
) {
  const own = await ownIntermediary(db, actor);
  const service = await findService(db, input.serviceCode);
  const qualification = (await repo.qualificationsOf(db, [own.id])).find(
    (q) => q.id === input.qualificationId,
  );
  if (!qualification) {
    throw new DomainError('NOT_FOUND', '资质不属于本机构或不存在', { field: 'body.qualificationId' });
  }
  const now = deps.clock.now();
  const problem = offerProblem(
    service,
    { ...input, qualificationExpiresOn: qualification.expiresOn },
    beijingDate(now),
  );
  if (problem) throw new DomainError('RULE_VIOLATION', problem.message, { field: problem.field });
  return db.transaction().execute(async (trx) => {
    // Offers of a listed intermediary are on the shelf at once; otherwise when 政务办 lists it.
    const status = own.status === 'listed' ? 'listed' : 'pending';
    const row = await repo.upsertOffer(trx, {
      intermediaryId: own.id,
      serviceCode: service.code,
      qualificationId: qualification.id,
      feeYuan: input.feeYuan,
      committedDays: input.committedDays,
      commitment: input.commitment,
      status,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'marketplace.offer_saved',
      objectType: 'market_intermediary',
      objectId: own.id,
      toState: status,
      detail: {
        offerId: row.id,
        serviceCode: service.code,
        feeYuan: input.feeYuan,
        committedDays: input.committedDays,
      },
    });
    return intermediaryView(trx, own.id);
  });
}

export type ReviewDecision = 'list' | 'reject' | 'suspend' | 'reinstate';

const reviewTransitions: Record<ReviewDecision, { from: IntermediaryStatus[]; to: IntermediaryStatus }> = {
  list: { from: ['pending', 'rejected'], to: 'listed' },
  reject: { from: ['pending'], to: 'rejected' },
  suspend: { from: ['listed'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'listed' },
};

/** 政务办 lists (入库), rejects, suspends or reinstates an intermediary, with a note. */
export async function review(
  db: Kysely<DB>,
  deps: MarketDeps,
  actor: Actor,
  id: string,
  input: { decision: ReviewDecision; note: string },
) {
  requireMarketStaff(actor);
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockIntermediary(trx, id);
    if (!row) throw notFound('中介机构 intermediary', id);
    const t = reviewTransitions[input.decision];
    if (!t.from.includes(row.status)) {
      throw new DomainError(
        'CONFLICT_STATE',
        `中介机构当前为「${intermediaryStatusNames[row.status]}」，不能${input.decision === 'list' ? '入库' : input.decision === 'reject' ? '退回' : input.decision === 'suspend' ? '暂停' : '恢复'}`,
        { details: { state: row.status } },
      );
    }
    const now = deps.clock.now();
    await repo.updateIntermediary(trx, id, {
      status: t.to,
      reviewNote: input.note,
      reviewedBy: actor.userId,
      reviewedAt: now,
      updatedAt: now,
    });
    await settleEnterprise(
      trx,
      actor,
      now,
      { id: row.enterpriseId, creditCode: row.creditCode },
      t.to,
      input.note,
    );
    await shelveOffers(trx, id, t.to, beijingDate(now), now);
    // The intermediary is a credit subject from the day it is listed (records, black list).
    if (t.to === 'listed') {
      await ensureOrganisationSubject(
        trx,
        { kind: 'intermediary', name: row.name, creditCode: row.creditCode },
        now,
      );
    }
    await recordEvent(trx, actor, now, {
      action: `marketplace.intermediary_${input.decision}`,
      objectType: 'market_intermediary',
      objectId: id,
      fromState: row.status,
      toState: t.to,
      reason: input.note,
    });
    return intermediaryView(trx, id);
  });
}

/** Listing puts valid pending offers on the shelf; suspension takes them all off. */
async function shelveOffers(
  trx: Transaction<DB>,
  id: string,
  status: IntermediaryStatus,
  today: string,
  now: Date,
) {
  const [offers, quals] = await Promise.all([repo.offersOf(trx, [id]), repo.qualificationsOf(trx, [id])]);
  if (status === 'listed') {
    const valid = offers.filter((o) => {
      const q = quals.find((x) => x.id === o.qualificationId);
      return o.status === 'pending' && q && q.expiresOn >= today;
    });
    await repo.setOfferStatus(
      trx,
      valid.map((o) => o.id),
      'listed',
      null,
      now,
    );
  } else if (status === 'suspended') {
    const listed = offers.filter((o) => o.status === 'listed').map((o) => o.id);
    await repo.setOfferStatus(trx, listed, 'unlisted', '中介机构被政务办暂停', now);
  }
}

/** The sweep: every listed offer whose qualification has expired is unlisted, with the reason. */
export async function unlistExpired(db: Kysely<DB>, deps: MarketDeps): Promise<number> {
  const now = deps.clock.now();
  const today = beijingDate(now);
  return db.transaction().execute(async (trx) => {
    const expired = await repo.offersWithExpiredQualification(trx, today);
    for (const o of expired) {
      await repo.setOfferStatus(
        trx,
        [o.id],
        'unlisted',
        `资质「${o.name}」（证书 ${o.certificateNo}）已于 ${o.expiresOn} 到期，服务自动下架`,
        now,
      );
      await recordEvent(trx, null, now, {
        action: 'marketplace.offer_unlisted',
        objectType: 'market_offer',
        objectId: o.id,
        toState: 'unlisted',
        reason: `资质到期 ${o.expiresOn}`,
      });
    }
    return expired.length;
  });
}
