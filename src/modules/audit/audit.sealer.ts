/**
 * The audit sealer (issue 10 §1–2): one at a time across every process (an advisory lock held only by
 * the sealing transaction), it chains finished events into the SM3 chain and signs checkpoints.
 *
 * Order: an event is sealed only once no transaction with a smaller transaction id can still commit
 * (pg_snapshot_xmin). The horizon only moves forward, so every later round seals events of later
 * transactions; within a round, id order. The position given (seal_seq) is stored, so the chain order
 * never has to be re-derived. On PGlite the single connection means nothing else is running while the
 * sealer runs: every committed event is past the horizon.
 *
 * Before extending the chain the sealer checks it from the last checkpoint to the head (hashes and its
 * own seal MACs): a row appended with a correctly recomputed hash is refused, never covered by the next
 * checkpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { SigningKey } from '../certificates/signing-keys';
import { sm2Sign } from '../certificates/sm2';
import * as repo from './audit.repository';
import {
  chainHash,
  checkpointMessage,
  GENESIS_HASH,
  refusalMessage,
  sealMac,
  sealMacKey,
  type AuditProblem,
  type CheckpointPayload,
  type RefusalPayload,
  type SignedCheckpoint,
  type SignedRefusal,
} from './audit.rules';

export interface SealOptions {
  /** The audit key of SIGNING_KEY_FILE. */
  key: SigningKey;
  /** Private keys of retired audit keys still in the file: their seal MACs stay valid after a rotation. */
  retiredKeys?: string[];
  now: Date;
  checkpointEvery: number;
  checkpointMinutes: number;
  /** Where checkpoints are appended outside the database; null: not exported (kept for the next run). */
  checkpointDir: string | null;
  /** Events per sealing transaction. */
  batch?: number;
  /** Write a checkpoint now if anything is unanchored (tests, the export command). */
  forceCheckpoint?: boolean;
}

export interface SealResult {
  sealed: number;
  /** Another process's sealer holds the lock. */
  busy: boolean;
  checkpoint?: SignedCheckpoint;
  /** The chain since the last checkpoint is not what the sealer left: nothing sealed. */
  problem?: AuditProblem;
  /** The first event after the last checkpoint that the sealer did not seal. */
  rejected?: { sealSeq: number; eventId: number; hash: string };
}

const TAIL_LIMIT = 1_000_000;

export function signCheckpoint(payload: CheckpointPayload, key: SigningKey): SignedCheckpoint {
  return { ...payload, signature: sm2Sign(checkpointMessage(payload), key) };
}

export function checkpointRowToSigned(r: {
  seq: number;
  lastEventId: number;
  eventCount: number;
  headHash: string;
  at: Date;
  keyId: string;
  signature: string;
}): SignedCheckpoint {
  return {
    seq: Number(r.seq),
    lastEventId: Number(r.lastEventId),
    count: Number(r.eventCount),
    headHash: r.headHash,
    at: r.at.toISOString(),
    keyId: r.keyId,
    signature: r.signature,
  };
}

/** Seals everything sealable now (several transactions of `batch` events), then exports checkpoints. */
export async function sealPending(db: Kysely<DB>, opts: SealOptions): Promise<SealResult> {
  const total: SealResult = { sealed: 0, busy: false };
  const batch = opts.batch ?? 2000;
  for (;;) {
    const round = await sealRound(db, opts, batch);
    total.sealed += round.sealed;
    total.busy = round.busy;
    if (round.checkpoint) total.checkpoint = round.checkpoint;
    if (round.problem) total.problem = round.problem;
    if (round.rejected) total.rejected = round.rejected;
    if (round.busy || round.problem || round.sealed < batch) break;
  }
  if (opts.checkpointDir) {
    await exportCheckpoints(db, opts.checkpointDir);
    if (total.rejected) writeRefusal(opts.checkpointDir, total.rejected, opts);
  }
  return total;
}

async function sealRound(db: Kysely<DB>, opts: SealOptions, batch: number): Promise<SealResult> {
  const macKey = sealMacKey(opts.key.privateKey);
  const macKeys = [macKey, ...(opts.retiredKeys ?? []).map(sealMacKey)];
  return db.transaction().execute(async (trx) => {
    if (!(await repo.trySealerLock(trx))) return { sealed: 0, busy: true };
    const last = await repo.lastCheckpoint(trx);
    const anchoredCount = last ? Number(last.eventCount) : 0;

    // The chain from the last checkpoint to the head must be the sealer's own work.
    let prev = GENESIS_HASH;
    let position = 0;
    let headId: number | null = null;
    if (last) {
      const [anchor] = await repo.sealedAfter(trx, anchoredCount - 1, 1);
      if (!anchor || Number(anchor.sealSeq) !== anchoredCount || anchor.hash !== last.headHash) {
        return {
          sealed: 0,
          busy: false,
          problem: {
            kind: anchor ? 'rewritten' : 'truncated',
            checkpointSeq: Number(last.seq),
            message: `检查点 #${last.seq} 所确认的链头已不在原处，封存暂停 (the last checkpoint's head is gone or changed: sealing stopped)`,
          },
        };
      }
      prev = anchor.hash;
      position = anchoredCount;
      headId = anchor.id;
    }
    for (const e of await repo.sealedAfter(trx, anchoredCount, TAIL_LIMIT)) {
      const ok =
        Number(e.sealSeq) === position + 1 &&
        e.prevHash === prev &&
        chainHash(prev, e) === e.hash &&
        // Events sealed before migration 0460 carry no MAC; the first checkpoint anchors them.
        (last === undefined && e.sealMac === null
          ? true
          : macKeys.some((k) => e.sealMac === sealMac(k, { sealSeq: position + 1, hash: e.hash })));
      if (!ok) {
        return {
          sealed: 0,
          busy: false,
          rejected: { sealSeq: Number(e.sealSeq), eventId: e.id, hash: e.hash },
          problem: {
            kind: 'forged',
            eventId: e.id,
            message: `审计事件 ${e.id} 不是封存程序封存的，封存暂停 (event not sealed by the sealer: sealing stopped)`,
          },
        };
      }
      prev = e.hash;
      position++;
      headId = e.id;
    }

    const pending = await repo.finishedUnsealed(trx, batch);
    const sealedRows = pending.map((e) => {
      position++;
      const hash = chainHash(prev, e);
      const row = {
        id: e.id,
        sealSeq: position,
        prevHash: prev,
        hash,
        sealMac: sealMac(macKey, { sealSeq: position, hash }),
      };
      prev = hash;
      headId = e.id;
      return row;
    });
    const sealed = await repo.sealRows(trx, sealedRows);
    if (sealed !== sealedRows.length) throw new Error('audit sealer: rows changed while sealing');

    const unanchored = position - anchoredCount;
    const minutes = last ? (opts.now.getTime() - last.at.getTime()) / 60_000 : Infinity;
    let checkpoint: SignedCheckpoint | undefined;
    if (
      unanchored > 0 &&
      headId !== null &&
      (unanchored >= opts.checkpointEvery || minutes >= opts.checkpointMinutes || opts.forceCheckpoint)
    ) {
      checkpoint = signCheckpoint(
        {
          seq: last ? Number(last.seq) + 1 : 1,
          lastEventId: headId,
          count: position,
          headHash: prev,
          at: opts.now.toISOString(),
          keyId: opts.key.id,
        },
        opts.key,
      );
      await repo.insertCheckpoint(trx, checkpoint);
    }
    return { sealed, busy: false, ...(checkpoint ? { checkpoint } : {}) };
  });
}

const refusalsWritten = new Set<string>();

/** Appends a signed refusal once per event and process (duplicates after a restart are harmless). */
function writeRefusal(dir: string, r: { sealSeq: number; eventId: number; hash: string }, opts: SealOptions) {
  const once = `${dir}|${r.sealSeq}|${r.hash}`;
  if (refusalsWritten.has(once)) return;
  const payload: RefusalPayload = { kind: 'refusal', at: opts.now.toISOString(), ...r, keyId: opts.key.id };
  const line: SignedRefusal = { ...payload, signature: sm2Sign(refusalMessage(payload), opts.key) };
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, checkpointFileName(line.at)), JSON.stringify(line) + '\n', {
    mode: 0o640,
    flag: 'a',
  });
  refusalsWritten.add(once);
}

/** One JSON line per checkpoint, appended to a file per month (O_APPEND; lines are never rewritten). */
export function checkpointFileName(at: string): string {
  return `audit-checkpoints-${at.slice(0, 7)}.ndjson`;
}

/** Appends the checkpoints not yet written outside the database, then marks them exported. */
export async function exportCheckpoints(db: Kysely<DB>, dir: string): Promise<number> {
  const rows = await repo.unexportedCheckpoints(db);
  if (rows.length === 0) return 0;
  fs.mkdirSync(dir, { recursive: true });
  for (const r of rows) {
    const c = checkpointRowToSigned(r);
    // A crash between this append and the mark below writes the line twice: verifiers merge duplicates.
    fs.appendFileSync(path.join(dir, checkpointFileName(c.at)), JSON.stringify(c) + '\n', {
      mode: 0o640,
      flag: 'a',
    });
  }
  await repo.markExported(
    db,
    rows.map((r) => Number(r.seq)),
  );
  return rows.length;
}

/** The in-process loop of the server: seals every `intervalMs`; errors are logged, never fatal. */
export function startAuditSealer(
  db: Kysely<DB>,
  options: () => SealOptions,
  intervalMs: number,
  log: (msg: string) => void = () => {},
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let lastProblem = '';
  const tick = async () => {
    try {
      const r = await sealPending(db, options());
      const problem = r.problem?.message ?? '';
      if (problem && problem !== lastProblem) log(`audit sealer: ${problem}`);
      lastProblem = problem;
    } catch (err) {
      log(`audit sealer: ${(err as Error).message}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
