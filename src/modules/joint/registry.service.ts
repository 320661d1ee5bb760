/**
 * The registers the joint procedures rest on: drawing-review and surveying organisations (task 31: a
 * registered organisation, or a service the government buys), their reviewers qualified per section, and
 * design firms with their qualification (task 30).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import { findUserByUsername, usersById } from '../identity/identity.service';
import type { Clock } from '../../shared/clock';
import * as repo from './joint.repository';
import { firmGrades, sectionCodes, type FirmGrade, type Section } from './joint.rules';

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

function assertCreditCode(code: string, field: string) {
  if (!CREDIT_CODE.test(code))
    throw new DomainError('VALIDATION_FAILED', '统一社会信用代码格式错误 (invalid credit code)', { field });
}

function isUniqueViolation(e: unknown) {
  return (e as { code?: string })?.code === '23505';
}

export async function registerOrganisation(
  db: Kysely<DB>,
  deps: { clock: Clock },
  actor: Actor,
  input: {
    kind: 'drawing_review' | 'survey' | 'assessment';
    name: string;
    creditCode: string;
    purchasedService: boolean;
  },
) {
  assertCreditCode(input.creditCode, 'body.creditCode');
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const row = await repo
      .insertOrganisation(trx, { ...input, name: input.name.trim(), createdAt: now })
      .catch((e: unknown) => {
        if (isUniqueViolation(e))
          throw new DomainError('CONFLICT_DUPLICATE', '该机构已登记 (organisation already registered)', {
            field: 'body.creditCode',
          });
        throw e;
      });
    await recordEvent(trx, actor, now, {
      action: 'joint.organisation_registered',
      objectType: 'joint_organisation',
      objectId: row.id,
      toState: 'registered',
      detail: { kind: row.kind, creditCode: row.creditCode, purchasedService: row.purchasedService },
    });
    return organisationView(row);
  });
}

function organisationView(row: Awaited<ReturnType<typeof repo.insertOrganisation>>) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    creditCode: row.creditCode,
    purchasedService: row.purchasedService,
  };
}

export async function listOrganisations(db: Kysely<DB>, kind?: 'drawing_review' | 'survey' | 'assessment') {
  const rows = await repo.listOrganisations(db, kind);
  return {
    organisations: await Promise.all(
      rows.map(async (r) => ({
        ...organisationView(r),
        reviewers: r.kind === 'drawing_review' ? await reviewersOf(db, r.id) : [],
      })),
    ),
  };
}

/** An organisation's reviewers with their login and display names, by login name. */
async function reviewersOf(db: Kysely<DB>, organisationId: string) {
  const rows = await repo.listReviewers(db, organisationId);
  const users = await usersById(
    db,
    rows.map((r) => r.userId),
  );
  return rows
    .map((r) => ({
      userId: r.userId,
      username: users.get(r.userId)?.username ?? '',
      displayName: users.get(r.userId)?.displayName ?? '',
      sections: r.sections,
      qualification: r.qualification,
    }))
    .sort((a, b) => a.username.localeCompare(b.username));
}

/** A reviewer qualified for some sections; registering again replaces the sections. */
export async function registerReviewer(
  db: Kysely<DB>,
  deps: { clock: Clock },
  actor: Actor,
  organisationId: string,
  input: { username: string; sections: Section[]; qualification: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const org = await repo.findOrganisation(trx, organisationId);
    if (!org) throw notFound('图审机构 organisation', organisationId);
    if (org.kind !== 'drawing_review')
      throw new DomainError(
        'RULE_VIOLATION',
        '只有施工图审查机构登记审查人员 (not a drawing-review organisation)',
      );
    const user = await findUserByUsername(trx, input.username);
    if (!user) throw notFound('用户 user', input.username);
    if (!['reviewer', 'senior'].includes(user.role))
      throw new DomainError('RULE_VIOLATION', '审查人员须为审查岗位账号 (reviewer or senior accounts only)', {
        field: 'body.username',
      });
    const sections = [...new Set(input.sections)].filter((s) => sectionCodes.includes(s));
    const row = await repo.upsertReviewer(trx, {
      organisationId,
      userId: user.id,
      sections,
      qualification: input.qualification.trim(),
      createdAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.reviewer_registered',
      objectType: 'joint_organisation',
      objectId: organisationId,
      toState: 'registered',
      detail: { userId: user.id, sections },
    });
    return { organisationId, userId: row.userId, username: user.username, sections: row.sections };
  });
}

function firmView(row: Awaited<ReturnType<typeof repo.insertDesignFirm>>) {
  return {
    id: row.id,
    name: row.name,
    creditCode: row.creditCode,
    grade: row.grade,
    gradeName: firmGrades[row.grade],
    qualificationNumber: row.qualificationNumber,
    qualificationExpires: row.qualificationExpires,
  };
}

export async function registerDesignFirm(
  db: Kysely<DB>,
  deps: { clock: Clock },
  actor: Actor,
  input: {
    name: string;
    creditCode: string;
    grade: FirmGrade;
    qualificationNumber: string;
    qualificationExpires: string;
  },
) {
  assertCreditCode(input.creditCode, 'body.creditCode');
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    if (await repo.findDesignFirmByCode(trx, input.creditCode))
      throw new DomainError('CONFLICT_DUPLICATE', '该设计单位已登记 (design firm already registered)', {
        field: 'body.creditCode',
      });
    const row = await repo.insertDesignFirm(trx, { ...input, name: input.name.trim(), createdAt: now });
    await recordEvent(trx, actor, now, {
      action: 'joint.design_firm_registered',
      objectType: 'design_firm',
      objectId: row.id,
      toState: row.grade,
      detail: {
        qualificationNumber: row.qualificationNumber,
        qualificationExpires: row.qualificationExpires,
      },
    });
    return firmView(row);
  });
}

/** A renewal, a downgrade or a corrected number: the qualification as it now stands. */
export async function updateDesignFirm(
  db: Kysely<DB>,
  deps: { clock: Clock },
  actor: Actor,
  id: string,
  input: { grade?: FirmGrade; qualificationNumber?: string; qualificationExpires?: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const before = await repo.findDesignFirm(trx, id);
    if (!before) throw notFound('设计单位 design firm', id);
    const row = (await repo.updateDesignFirm(trx, id, input))!;
    await recordEvent(trx, actor, now, {
      action: 'joint.design_firm_updated',
      objectType: 'design_firm',
      objectId: id,
      fromState: before.grade,
      toState: row.grade,
      detail: { ...input },
    });
    return firmView(row);
  });
}

export async function listDesignFirms(db: Kysely<DB>) {
  return { firms: (await repo.listDesignFirms(db)).map(firmView) };
}
