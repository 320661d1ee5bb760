/**
 * 查询码 (issue 14): the secret the applicant receives at registration, to follow the project on the
 * public portal with the project code. Kept apart from portal.service so that projects can call it
 * inside its registration transaction without importing the portal's reads (no import cycle).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import * as repo from './portal.repository';
import { hashCode, newSecretCode } from './portal.rules';

/** Issues (or replaces) the project's query code inside the caller's transaction; returns it once. */
export async function issueQueryCode(trx: Transaction<DB>, projectId: string, now: Date): Promise<string> {
  const code = newSecretCode();
  await repo.upsertQueryCode(trx, projectId, hashCode(code), now);
  return code;
}

/** Whether `code` is the project's current query code (constant-time comparison of the hashes). */
export async function queryCodeMatches(
  db: Kysely<DB> | Transaction<DB>,
  projectId: string,
  code: string,
): Promise<boolean> {
  const stored = await repo.queryCodeHash(db, projectId);
  if (!stored) return false;
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(hashCode(code), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
