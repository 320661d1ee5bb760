/**
 * 双随机一公开 draws (task 59). Pure and reproducible: the same seed, pool and roster give the same result
 * on any machine. Algorithm "sha256-fy-v2" (v1 is the same without red-listed objects, so v1 draws re-run
 * unchanged):
 *  - pool and roster are sorted by id; the pool hash is SHA-256 of the canonical JSON of the sorted pool;
 *  - random numbers: u32 from SHA-256(seed + ":" + counter), counter 0, 1, 2, …, taken modulo n
 *    (rejection above the largest multiple of n, so each index is equally likely);
 *  - per group red, A, B, C, D in that order — a red-listed object (守信激励) is in group red, every other
 *    in its grade's — ceil(ratio × count) objects by a partial Fisher–Yates shuffle (ratio of the group;
 *    none given: 0);
 *  - per picked object in pick order: `inspectorsPerObject` inspectors, by the same shuffle, from the
 *    roster without those tied to the object's subject.
 */
import { createHash } from 'node:crypto';
import type { DrawPick, PoolObject, RosterEntry } from './credit.tables';

export const DRAW_ALGORITHM = 'sha256-fy-v2';

/** The ratio groups in draw order. */
export const DRAW_GROUPS = ['red', 'A', 'B', 'C', 'D'] as const;

/** The group an object is drawn in: red-listed objects at the red ratio, the rest at their grade's. */
export function drawGroup(o: PoolObject): (typeof DRAW_GROUPS)[number] {
  return o.red ? 'red' : o.grade;
}

/** JSON with object keys sorted at every level: the form the hash is taken over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sortPool(pool: readonly PoolObject[]): PoolObject[] {
  return [...pool].sort((a, b) => (a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0));
}

export function poolHash(pool: readonly PoolObject[]): string {
  return createHash('sha256')
    .update(canonicalJson(sortPool(pool)))
    .digest('hex');
}

function randomSource(seed: string) {
  let counter = 0;
  return (n: number): number => {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const digest = createHash('sha256').update(`${seed}:${counter++}`).digest();
      const u = digest.readUInt32BE(0);
      if (u < limit) return u % n;
    }
  };
}

function pickSome<T>(items: readonly T[], count: number, next: (n: number) => number): T[] {
  const a = [...items];
  const k = Math.min(count, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + next(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

/**
 * `count` ids drawn from `ids` by the same algorithm (sorted first, then the seeded partial Fisher–Yates
 * shuffle): the one-stage draw the marketplace uses to choose an intermediary. Reproducible from the seed.
 */
export function drawIds(seed: string, ids: readonly string[], count: number): string[] {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return pickSome(sorted, count, randomSource(seed));
}

export interface DrawInput {
  seed: string;
  pool: readonly PoolObject[];
  roster: readonly RosterEntry[];
  ratios: Readonly<Record<string, number>>;
  inspectorsPerObject: number;
}

export interface DrawOutcome {
  poolHash: string;
  picks: DrawPick[];
  /** Objects for which fewer untied inspectors were available than asked for. */
  shortOfInspectors: string[];
}

export function runDraw(input: DrawInput): DrawOutcome {
  const next = randomSource(input.seed);
  const pool = sortPool(input.pool);
  const roster = [...input.roster].sort((a, b) => (a.inspectorId < b.inspectorId ? -1 : 1));
  const picked: PoolObject[] = [];
  for (const key of DRAW_GROUPS) {
    const group = pool.filter((o) => drawGroup(o) === key);
    const ratio = Math.max(0, Math.min(1, input.ratios[key] ?? 0));
    picked.push(...pickSome(group, Math.ceil(group.length * ratio), next));
  }
  const shortOfInspectors: string[] = [];
  const picks = picked.map((o) => {
    const eligible = roster.filter((r) => !r.tiedSubjectIds.includes(o.subjectId));
    const chosen = pickSome(eligible, input.inspectorsPerObject, next);
    if (chosen.length < input.inspectorsPerObject) shortOfInspectors.push(o.objectId);
    return { objectId: o.objectId, inspectorIds: chosen.map((r) => r.inspectorId) };
  });
  return { poolHash: poolHash(pool), picks, shortOfInspectors };
}
