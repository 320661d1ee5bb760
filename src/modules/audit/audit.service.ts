import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../identity/identity.rules';
import * as repo from './audit.repository';
import { sm2Verify } from '../certificates/sm2';
import { auditVerifier } from './audit.rules';
import { readCheckpointFiles } from './audit.export';
import { checkpointRowToSigned } from './audit.sealer';
import { recordChange } from '../exchange/outbox';

export interface AuditInput {
  action: string;
  objectType: string;
  objectId: string;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** Writes one audit event inside the caller's transaction: the change and its record land together. */
export async function recordEvent(trx: Transaction<DB>, actor: Actor | null, at: Date, input: AuditInput) {
  // The provincial exchange's outbox, in the same transaction (issue 14; only exchanged objects).
  await recordChange(trx, {
    objectType: input.objectType,
    objectId: input.objectId,
    action: input.action,
    toState: input.toState ?? null,
    reason: input.reason ?? null,
    actorUserId: actor?.userId ?? null,
    at,
    detail: input.detail ?? {},
  });
  return repo.appendEvent(trx, {
    occurredAt: at,
    actorUserId: actor?.userId ?? null,
    actorRole: actor?.role ?? 'system',
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    fromState: input.fromState ?? null,
    toState: input.toState ?? null,
    reason: input.reason ?? null,
    detail: input.detail ?? {},
  });
}

export interface VerifyOptions {
  /** Audit public keys by id (the key file's). */
  publicKeys: ReadonlyMap<string, string>;
  /** The sealer's MAC key (from the audit private key): names appended rows the sealer never sealed. */
  macKey?: Buffer;
  oldMacKeys?: Buffer[];
  /** The checkpoint files outside the database; their checkpoints count too. */
  checkpointDir?: string | null;
}

/**
 * Walks the sealed chain against every signed checkpoint (database and files) and reports what is not
 * yet sealed. Unsealed events are not an error: they are at most a few seconds old in a running system.
 */
export async function verifyAuditChain(db: Kysely<DB>, opts: VerifyOptions) {
  const fromDb = (await repo.listCheckpoints(db)).map((r) => ({
    ...checkpointRowToSigned(r),
    source: 'database',
  }));
  const files = opts.checkpointDir
    ? readCheckpointFiles(opts.checkpointDir)
    : { checkpoints: [], refusals: [] };
  const fromFiles = files.checkpoints.map((c) => ({ ...c, source: 'files' }));
  const verifier = auditVerifier({
    refusals: files.refusals,
    checkpoints: [...fromDb, ...fromFiles],
    publicKeys: opts.publicKeys,
    verifySignature: sm2Verify,
    macKey: opts.macKey,
    oldMacKeys: opts.oldMacKeys,
    databaseSource: 'database',
  });
  for await (const e of repo.streamSealedEvents(db)) verifier.push(e);
  const result = verifier.result();
  const stats = await repo.sealStats(db);
  return { ...result, ...stats };
}

export const listEventsFor = repo.listEventsFor;
