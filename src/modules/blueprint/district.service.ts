/**
 * 行政区划 (issue 8): the city's county-level divisions and functional zones a project may be registered
 * under, managed by an administrator and audited; the registration check against the list.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import * as blueprintRepo from './blueprint.repository';
import { zhengzhouDistricts } from './district.data';
import * as repo from './district.repository';
import type { CreateDistrictInput, UpdateDistrictInput } from './district.schemas';

type Db = Kysely<DB> | Transaction<DB>;

function present(row: repo.DistrictRow, boundaries: Set<string>) {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind as 'county' | 'functional_zone',
    active: row.active,
    sortOrder: row.sortOrder,
    boundaryLoaded: boundaries.has(row.code),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listDistricts(db: Db, opts: { includeInactive: boolean }) {
  const [rows, boundaries] = await Promise.all([
    repo.listDistricts(db),
    blueprintRepo.districtBoundaryCodes(db),
  ]);
  return rows.filter((r) => opts.includeInactive || r.active).map((r) => present(r, boundaries));
}

/** Every install: the seeded divisions that are not listed yet (administrators' edits stay). */
export function seedDistricts(db: Db, now: Date): Promise<number> {
  return repo.insertMissingDistricts(
    db,
    zhengzhouDistricts.map((d, i) => ({ ...d, sortOrder: (i + 1) * 10 })),
    now,
  );
}

export async function createDistrict(db: Kysely<DB>, actor: Actor, now: Date, input: CreateDistrictInput) {
  return db.transaction().execute(async (trx) => {
    if (await repo.lockDistrict(trx, input.code)) {
      throw new DomainError(
        'CONFLICT_DUPLICATE',
        `行政区划代码 ${input.code} 已存在 (district code exists)`,
        {
          field: 'body.code',
        },
      );
    }
    await repo.insertDistrict(trx, { ...input, updatedAt: now, updatedBy: actor.userId });
    await recordEvent(trx, actor, now, {
      action: 'district.created',
      objectType: 'district',
      objectId: input.code,
      toState: input.active ? 'active' : 'inactive',
      detail: { name: input.name, kind: input.kind },
    });
    const row = (await repo.findDistrict(trx, input.code))!;
    return present(row, await blueprintRepo.districtBoundaryCodes(trx));
  });
}

export async function updateDistrict(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  code: string,
  input: UpdateDistrictInput,
) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockDistrict(trx, code);
    if (!before) throw notFound('行政区划 district', code);
    await repo.updateDistrict(trx, code, { ...input, updatedAt: now, updatedBy: actor.userId });
    await recordEvent(trx, actor, now, {
      action: 'district.updated',
      objectType: 'district',
      objectId: code,
      fromState: before.active ? 'active' : 'inactive',
      toState: input.active ? 'active' : 'inactive',
      detail: {
        before: { name: before.name, kind: before.kind, sortOrder: before.sortOrder },
        after: { name: input.name, kind: input.kind, sortOrder: input.sortOrder },
      },
    });
    const row = (await repo.findDistrict(trx, code))!;
    return present(row, await blueprintRepo.districtBoundaryCodes(trx));
  });
}

/**
 * The district a new project may be registered under: listed and active. 422 names body.districtCode
 * (e.g. 110101, a Beijing district, or a retired one).
 */
export async function registrableDistrict(db: Db, code: string) {
  const found = await repo.findDistrict(db, code);
  if (!found || !found.active) {
    throw new DomainError(
      'RULE_VIOLATION',
      found
        ? `行政区划 ${code} ${found.name} 已停用，不能用于新登记的项目 (district retired)`
        : `行政区划代码 ${code} 不是本市的区县或功能区，请从列表中选择 (district not in the city's list)`,
      { field: 'body.districtCode' },
    );
  }
  return { code: found.code, name: found.name };
}
