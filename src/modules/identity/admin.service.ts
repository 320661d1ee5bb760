/**
 * Administration (issue 15): users, departments of the city and its districts, enterprises that
 * register themselves. One transaction per use case, each audited.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { registrableDistrict } from '../blueprint/district.service';
import * as repo from './admin.repository';
import type {
  AdminUser,
  CreateDepartmentInput,
  CreateUserInput,
  EnterpriseRegistrationInput,
  UpdateDepartmentInput,
  UpdateUserInput,
} from './admin.schemas';
import { departmentScopedRoles, isValidCreditCode, type Actor, type Role } from './identity.rules';
import { hashPassword } from './password';
import { passwordProblems } from './password-policy.rules';

type Db = Kysely<DB> | Transaction<DB>;
type PasswordConfig = Pick<Config, 'passwordMinLength'>;

function presentUser(u: NonNullable<Awaited<ReturnType<typeof repo.findUser>>>, now: Date): AdminUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role as Role,
    departmentCode: u.departmentCode,
    departmentName: u.departmentName ?? null,
    districtCode: u.districtCode,
    enterpriseId: u.enterpriseId,
    enterpriseName: u.enterpriseName ?? null,
    disabled: u.disabled,
    mfaRequired: u.mfaRequired,
    passwordTemporary: u.passwordTemporary,
    totpEnabled: u.totpEnabledAt !== null,
    locked: !!u.lockedUntil && u.lockedUntil > now,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function listUsers(db: Db, now: Date, filter: Parameters<typeof repo.listUsers>[1]) {
  return (await repo.listUsers(db, filter)).map((u) => presentUser(u, now));
}

function assertPassword(config: PasswordConfig, password: string, role: string, username: string) {
  const problems = passwordProblems(password, { role, minLength: config.passwordMinLength, username });
  if (problems.length > 0) {
    throw new DomainError(
      'PASSWORD_POLICY_VIOLATION',
      `密码不符合要求：${problems.map((p) => p.message).join('；')}`,
      {
        field: 'body.password',
        details: problems,
      },
    );
  }
}

/**
 * Where a user belongs, checked against the role: department staff need an active department and take
 * its district; applicants need a confirmed enterprise; window, supervisors and agents may be bound to a
 * district (NULL: the city).
 */
async function placement(
  trx: Transaction<DB>,
  input: {
    role: Role;
    departmentCode?: string | null;
    enterpriseId?: string | null;
    districtCode?: string | null;
  },
) {
  const needsDepartment = departmentScopedRoles.includes(input.role);
  let departmentCode = input.departmentCode ?? null;
  let districtCode = input.districtCode ?? null;
  const enterpriseId = input.role === 'applicant' ? (input.enterpriseId ?? null) : null;
  if (needsDepartment && !departmentCode) {
    throw new DomainError('VALIDATION_FAILED', '审批人员须属于一个部门 (department required for this role)', {
      field: 'body.departmentCode',
    });
  }
  if (input.role === 'applicant') {
    if (!enterpriseId) {
      throw new DomainError('VALIDATION_FAILED', '申请人须属于一个企业 (enterprise required)', {
        field: 'body.enterpriseId',
      });
    }
    const e = await repo.lockEnterprise(trx, enterpriseId);
    if (!e) throw notFound('企业 enterprise', enterpriseId);
    if (e.status !== 'confirmed') {
      throw new DomainError('RULE_VIOLATION', '企业尚未确认，不能添加申请人 (enterprise not confirmed)', {
        field: 'body.enterpriseId',
      });
    }
    departmentCode = null;
    districtCode = null;
  }
  if (departmentCode) {
    const d = await repo.findDepartment(trx, departmentCode);
    if (!d) throw notFound('部门 department', departmentCode);
    if (!d.active) {
      throw new DomainError('RULE_VIOLATION', `部门 ${d.name} 已停用 (department inactive)`, {
        field: 'body.departmentCode',
      });
    }
    if (d.districtCode) {
      if (districtCode && districtCode !== d.districtCode) {
        throw new DomainError(
          'RULE_VIOLATION',
          `${d.name} 属于行政区划 ${d.districtCode}，人员的区县须与部门一致 (district must match the department's)`,
          {
            field: 'body.districtCode',
          },
        );
      }
      districtCode = d.districtCode;
    } else if (needsDepartment && districtCode) {
      throw new DomainError(
        'RULE_VIOLATION',
        `${d.name} 是市级部门，其审批人员不属于某个区县 (a city department's staff are city level)`,
        {
          field: 'body.districtCode',
        },
      );
    }
  }
  // A district given for window, supervisor or agent staff must be one of the city's active ones.
  if (input.districtCode && input.districtCode === districtCode) {
    await registrableDistrict(trx, input.districtCode);
  }
  return { departmentCode, districtCode, enterpriseId };
}

export async function createUser(
  db: Kysely<DB>,
  config: PasswordConfig,
  actor: Actor,
  now: Date,
  input: CreateUserInput,
) {
  assertPassword(config, input.password, input.role, input.username);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (await repo.usernameTaken(trx, input.username)) {
      throw new DomainError('CONFLICT_DUPLICATE', `用户名 ${input.username} 已被使用 (user name taken)`, {
        field: 'body.username',
      });
    }
    const place = await placement(trx, input);
    const { id } = await repo.insertUser(trx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      ...place,
      passwordHash,
      passwordChangedAt: now,
      passwordTemporary: true,
      mfaRequired: input.mfaRequired,
    });
    await recordEvent(trx, actor, now, {
      action: 'user.created',
      objectType: 'user',
      objectId: id,
      toState: 'active',
      detail: { username: input.username, role: input.role, ...place, mfaRequired: input.mfaRequired },
    });
    return presentUser((await repo.findUser(trx, id))!, now);
  });
}

async function lockOther(trx: Transaction<DB>, actor: Actor, id: string, what: string) {
  const before = await repo.findUser(trx, id);
  if (!before) throw notFound('用户 user', id);
  if (id === actor.userId) {
    throw new DomainError(
      'RULE_VIOLATION',
      `不能${what}自己的账号，请由另一位管理员操作 (not on your own account)`,
    );
  }
  return before;
}

export async function updateUser(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  id: string,
  input: UpdateUserInput,
) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findUser(trx, id);
    if (!before) throw notFound('用户 user', id);
    if (id === actor.userId && input.role !== before.role) {
      throw new DomainError('RULE_VIOLATION', '不能修改自己的角色 (not your own role)', {
        field: 'body.role',
      });
    }
    const place = await placement(trx, input);
    await repo.updateUser(trx, id, {
      displayName: input.displayName,
      role: input.role,
      ...place,
      mfaRequired: input.mfaRequired,
    });
    const scopeChanged =
      before.role !== input.role ||
      before.departmentCode !== place.departmentCode ||
      before.districtCode !== place.districtCode ||
      before.enterpriseId !== place.enterpriseId ||
      (!before.mfaRequired && input.mfaRequired && before.totpEnabledAt === null);
    // A new role, place or second-factor duty applies from the next login: end the user's sessions.
    if (scopeChanged) await repo.deleteSessions(trx, id);
    await recordEvent(trx, actor, now, {
      action: 'user.updated',
      objectType: 'user',
      objectId: id,
      detail: {
        before: {
          role: before.role,
          departmentCode: before.departmentCode,
          districtCode: before.districtCode,
          enterpriseId: before.enterpriseId,
          mfaRequired: before.mfaRequired,
        },
        after: { role: input.role, ...place, mfaRequired: input.mfaRequired },
        sessionsEnded: scopeChanged,
      },
    });
    return presentUser((await repo.findUser(trx, id))!, now);
  });
}

export async function setUserDisabled(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  id: string,
  input: { disabled: boolean; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    const before = await lockOther(trx, actor, id, input.disabled ? '停用' : '启用');
    if (before.disabled === input.disabled) {
      throw new DomainError(
        'CONFLICT_STATE',
        input.disabled ? '账号已停用 (already disabled)' : '账号已启用 (already enabled)',
      );
    }
    await repo.updateUser(trx, id, {
      disabled: input.disabled,
      ...(input.disabled ? {} : { failedLoginCount: 0, lockedUntil: null }),
    });
    if (input.disabled) await repo.deleteSessions(trx, id);
    await recordEvent(trx, actor, now, {
      action: input.disabled ? 'user.disabled' : 'user.enabled',
      objectType: 'user',
      objectId: id,
      fromState: before.disabled ? 'disabled' : 'active',
      toState: input.disabled ? 'disabled' : 'active',
      reason: input.reason,
    });
    return presentUser((await repo.findUser(trx, id))!, now);
  });
}

/** A temporary password: the user's sessions end, a lock is lifted, and the next login must change it. */
export async function resetPassword(
  db: Kysely<DB>,
  config: PasswordConfig,
  actor: Actor,
  now: Date,
  id: string,
  password: string,
) {
  const target = await repo.findUser(db, id);
  if (!target) throw notFound('用户 user', id);
  assertPassword(config, password, target.role, target.username);
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await lockOther(trx, actor, id, '重置');
    await repo.updateUser(trx, id, {
      passwordHash,
      passwordChangedAt: now,
      passwordTemporary: true,
      failedLoginCount: 0,
      lockedUntil: null,
    });
    await repo.deleteSessions(trx, id);
    await recordEvent(trx, actor, now, { action: 'user.password_reset', objectType: 'user', objectId: id });
    return presentUser((await repo.findUser(trx, id))!, now);
  });
}

// ---- departments ----

export async function listDepartments(db: Db) {
  const [rows, users] = await Promise.all([
    repo.listAllDepartments(db),
    repo.listUsers(db, { limit: 100_000 }),
  ]);
  const counts = new Map<string, number>();
  for (const u of users)
    if (u.departmentCode) counts.set(u.departmentCode, (counts.get(u.departmentCode) ?? 0) + 1);
  return rows.map((d) => ({ ...d, users: counts.get(d.code) ?? 0 }));
}

async function presentDepartment(db: Db, code: string) {
  const d = (await repo.findDepartment(db, code))!;
  const users = await repo.listUsers(db, { departmentCode: code, limit: 100_000 });
  return { ...d, users: users.length };
}

/**
 * A city department, or a district department of a city department's line (e.g. 中牟县自然资源和规划局
 * under 市自然资源和规划局): one per line and district, so routing always finds at most one.
 */
export async function createDepartment(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  input: CreateDepartmentInput,
) {
  return db.transaction().execute(async (trx) => {
    if (await repo.findDepartment(trx, input.code)) {
      throw new DomainError('CONFLICT_DUPLICATE', `部门代码 ${input.code} 已存在 (department code exists)`, {
        field: 'body.code',
      });
    }
    let leadsStages = input.leadsStages;
    if ((input.districtCode === null) !== (input.parentCode === null)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        '区县部门须同时给出行政区划和对应的市级部门 (district and parent go together)',
        {
          field: input.districtCode === null ? 'body.districtCode' : 'body.parentCode',
        },
      );
    }
    if (input.districtCode && input.parentCode) {
      await registrableDistrict(trx, input.districtCode);
      const parent = await repo.findDepartment(trx, input.parentCode);
      if (!parent) throw notFound('部门 department', input.parentCode);
      if (parent.districtCode) {
        throw new DomainError(
          'RULE_VIOLATION',
          `${parent.name} 不是市级部门 (the parent must be a city department)`,
          {
            field: 'body.parentCode',
          },
        );
      }
      const existing = await repo.findDistrictLine(trx, input.districtCode, input.parentCode);
      if (existing) {
        throw new DomainError(
          'CONFLICT_DUPLICATE',
          `该区县已有 ${parent.name} 条线的部门 ${existing.code} (one department per line and district)`,
          {
            field: 'body.parentCode',
          },
        );
      }
      // A district department leads the stages its city line leads, unless told otherwise.
      if (leadsStages.length === 0) leadsStages = parent.leadsStages;
    }
    await repo.insertDepartment(trx, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      leadsStages,
      districtCode: input.districtCode,
      parentCode: input.parentCode,
    });
    await recordEvent(trx, actor, now, {
      action: 'department.created',
      objectType: 'department',
      objectId: input.code,
      toState: 'active',
      detail: {
        name: input.name,
        districtCode: input.districtCode,
        parentCode: input.parentCode,
        leadsStages,
      },
    });
    return presentDepartment(trx, input.code);
  });
}

export async function updateDepartment(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  code: string,
  input: UpdateDepartmentInput,
) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockDepartment(trx, code);
    if (!before) throw notFound('部门 department', code);
    await repo.updateDepartment(trx, code, input);
    await recordEvent(trx, actor, now, {
      action: 'department.updated',
      objectType: 'department',
      objectId: code,
      fromState: before.active ? 'active' : 'inactive',
      toState: input.active ? 'active' : 'inactive',
      detail: { before: { name: before.name, leadsStages: before.leadsStages }, after: input },
    });
    return presentDepartment(trx, code);
  });
}

/** A district's active departments by line: city department code → the district's department code. */
export async function districtLines(db: Db, districtCode: string): Promise<Map<string, string>> {
  const rows = await repo.districtDepartments(db, districtCode);
  return new Map(rows.filter((r) => r.parentCode).map((r) => [r.parentCode!, r.code]));
}

/** Codes of a district's departments (for district-scoped lists). */
export async function districtDepartmentCodes(db: Db, districtCode: string): Promise<string[]> {
  return (await repo.districtDepartments(db, districtCode)).map((r) => r.code);
}

// ---- enterprises ----

function presentEnterprise(e: {
  id: string;
  name: string;
  creditCode: string;
  legalPerson: string | null;
  contactPhone: string | null;
  status: 'pending' | 'confirmed' | 'rejected';
  createdAt: Date;
  reviewedAt: Date | null;
  reviewNote: string | null;
}) {
  return {
    id: e.id,
    name: e.name,
    creditCode: e.creditCode,
    legalPerson: e.legalPerson,
    contactPhone: e.contactPhone,
    status: e.status,
    createdAt: e.createdAt.toISOString(),
    reviewedAt: e.reviewedAt?.toISOString() ?? null,
    reviewNote: e.reviewNote,
  };
}

export async function listEnterprises(db: Db, filter: { status?: string; q?: string }) {
  return (await repo.listEnterprises(db, { ...filter, limit: 1000 })).map(presentEnterprise);
}

/**
 * 企业自助注册: the enterprise and its first applicant account, both waiting (the account disabled)
 * until the window or an administrator confirms the enterprise against its licence.
 */
export async function registerEnterprise(
  db: Kysely<DB>,
  config: PasswordConfig,
  now: Date,
  input: EnterpriseRegistrationInput,
  /**
   * The marketplace's 中介机构 self-registration uses the same procedure: its first account has role
   * intermediary, and `alongside` writes the module's own rows in this transaction (a failure there
   * leaves no enterprise and no account behind).
   */
  options: {
    role?: 'applicant' | 'intermediary';
    alongside?: (trx: Transaction<DB>, enterpriseId: string) => Promise<void>;
  } = {},
) {
  const role = options.role ?? 'applicant';
  if (!isValidCreditCode(input.creditCode)) {
    throw new DomainError('VALIDATION_FAILED', '统一社会信用代码格式或校验位不正确 (GB 32100 check failed)', {
      field: 'body.creditCode',
    });
  }
  assertPassword(config, input.password, role, input.username);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (await repo.findEnterpriseByCreditCode(trx, input.creditCode)) {
      throw new DomainError(
        'CONFLICT_DUPLICATE',
        '该统一社会信用代码已注册，请联系本企业的经办人或窗口 (already registered)',
        {
          field: 'body.creditCode',
        },
      );
    }
    if (await repo.usernameTaken(trx, input.username)) {
      throw new DomainError('CONFLICT_DUPLICATE', `用户名 ${input.username} 已被使用 (user name taken)`, {
        field: 'body.username',
      });
    }
    const e = await repo.insertEnterprise(trx, {
      name: input.name,
      creditCode: input.creditCode,
      legalPerson: input.legalPerson,
      contactPhone: input.contactPhone,
      status: 'pending',
      createdAt: now,
    });
    const { id: userId } = await repo.insertUser(trx, {
      username: input.username,
      displayName: input.displayName,
      role,
      enterpriseId: e.id,
      passwordHash,
      passwordChangedAt: now,
      disabled: true,
    });
    await options.alongside?.(trx, e.id);
    await recordEvent(trx, null, now, {
      action: 'enterprise.registered',
      objectType: 'enterprise',
      objectId: e.id,
      toState: 'pending',
      detail: { creditCode: input.creditCode, name: input.name, userId, username: input.username },
    });
    return { enterprise: presentEnterprise(e), username: input.username };
  });
}

/**
 * Confirm (its accounts may log in) or reject (they may not). Either can be undone: a rejected
 * enterprise confirmed after all, a confirmed one rejected when its registration turns out false.
 */
export async function reviewEnterprise(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  id: string,
  input: { decision: 'confirm' | 'reject'; note?: string },
) {
  return db.transaction().execute((trx) => reviewEnterpriseIn(trx, actor, now, id, input));
}

/** The same review inside the caller's transaction (the marketplace lists a self-registered 中介机构). */
export async function reviewEnterpriseIn(
  trx: Transaction<DB>,
  actor: Actor,
  now: Date,
  id: string,
  input: { decision: 'confirm' | 'reject'; note?: string },
) {
  const before = await repo.lockEnterprise(trx, id);
  if (!before) throw notFound('企业 enterprise', id);
  const to = input.decision === 'confirm' ? 'confirmed' : 'rejected';
  if (before.status === to) {
    throw new DomainError(
      'CONFLICT_STATE',
      to === 'confirmed' ? '企业已确认 (already confirmed)' : '企业已退回 (already rejected)',
    );
  }
  if (to === 'rejected' && !input.note) {
    throw new DomainError('VALIDATION_FAILED', '退回须说明原因 (a rejection needs a note)', {
      field: 'body.note',
    });
  }
  const e = await repo.updateEnterprise(trx, id, {
    status: to,
    reviewedAt: now,
    reviewedBy: actor.userId,
    reviewNote: input.note ?? null,
  });
  await repo.setEnterpriseUsersDisabled(trx, id, to !== 'confirmed');
  await recordEvent(trx, actor, now, {
    action: to === 'confirmed' ? 'enterprise.confirmed' : 'enterprise.rejected',
    objectType: 'enterprise',
    objectId: id,
    fromState: before.status,
    toState: to,
    reason: input.note ?? null,
  });
  return presentEnterprise(e);
}
