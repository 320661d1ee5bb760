/**
 * An audit export anyone can verify without the database (issue 10 §3): a directory with
 *   manifest.json        what was exported, when, and how many events were still unsealed
 *   events.ndjson        every sealed event in chain order (one JSON object a line)
 *   checkpoints.ndjson   the signed checkpoints of the database
 *   checkpoint-files/    a copy of the checkpoint files kept outside the database (AUDIT_CHECKPOINT_DIR)
 *   keys.json            the public keys (audit and certificate), hex and PEM
 * A verifier should take the public keys from somewhere else too (GET /api/keys, the published key):
 * whoever made the export could have made its keys.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { PublicKeyInfo } from '../certificates/signing-keys';
import { sm2Verify } from '../certificates/sm2';
import * as repo from './audit.repository';
import {
  auditVerifier,
  type AuditVerification,
  type SealedEvent,
  type SignedCheckpoint,
  type SignedRefusal,
} from './audit.rules';

export const EXPORT_FORMAT = 'zz-approval-audit-export/1';

function eventLine(e: SealedEvent): string {
  return JSON.stringify({
    id: Number(e.id),
    sealSeq: Number(e.sealSeq),
    occurredAt: e.occurredAt.toISOString(),
    actorUserId: e.actorUserId,
    actorRole: e.actorRole,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    fromState: e.fromState,
    toState: e.toState,
    reason: e.reason,
    detail: e.detail,
    prevHash: e.prevHash,
    hash: e.hash,
    sealMac: e.sealMac ?? null,
  });
}

function copyNdjson(from: string, to: string): number {
  if (!fs.existsSync(from)) return 0;
  fs.mkdirSync(to, { recursive: true });
  let n = 0;
  for (const name of fs.readdirSync(from)) {
    if (!name.endsWith('.ndjson')) continue;
    fs.copyFileSync(path.join(from, name), path.join(to, name));
    n++;
  }
  return n;
}

export async function writeAuditExport(
  db: Kysely<DB>,
  dir: string,
  opts: { publicKeys: PublicKeyInfo[]; checkpointDir: string | null; now: Date },
) {
  fs.mkdirSync(dir, { recursive: true });
  const events = fs.openSync(path.join(dir, 'events.ndjson'), 'w');
  let count = 0;
  try {
    for await (const e of repo.streamSealedEvents(db)) {
      fs.writeSync(events, eventLine(e) + '\n');
      count++;
    }
  } finally {
    fs.closeSync(events);
  }
  const checkpoints = await repo.listCheckpoints(db);
  fs.writeFileSync(
    path.join(dir, 'checkpoints.ndjson'),
    checkpoints
      .map((r) =>
        JSON.stringify({
          seq: Number(r.seq),
          lastEventId: Number(r.lastEventId),
          count: Number(r.eventCount),
          headHash: r.headHash,
          at: r.at.toISOString(),
          keyId: r.keyId,
          signature: r.signature,
        }),
      )
      .map((l) => l + '\n')
      .join(''),
  );
  const files = opts.checkpointDir ? copyNdjson(opts.checkpointDir, path.join(dir, 'checkpoint-files')) : 0;
  fs.writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ keys: opts.publicKeys }, null, 2) + '\n');
  const stats = await repo.sealStats(db);
  const manifest = {
    format: EXPORT_FORMAT,
    exportedAt: opts.now.toISOString(),
    events: count,
    checkpoints: checkpoints.length,
    checkpointFiles: files,
    unsealed: stats.unsealed,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function readLines<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as T];
      } catch {
        return []; // a torn last line of an append-only file
      }
    });
}

/** The lines of a checkpoint directory: signed checkpoints, and the sealer's signed refusals. */
export function readCheckpointFiles(dir: string): {
  checkpoints: SignedCheckpoint[];
  refusals: SignedRefusal[];
} {
  const lines = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => n.endsWith('.ndjson'))
        .sort()
        .flatMap((n) =>
          readLines<(SignedCheckpoint & { kind?: undefined }) | SignedRefusal>(path.join(dir, n)),
        )
    : [];
  return {
    checkpoints: lines.filter((l): l is SignedCheckpoint & { kind?: undefined } => l.kind === undefined),
    refusals: lines.filter((l): l is SignedRefusal => l.kind === 'refusal'),
  };
}

/** Audit public keys (id → 04||x||y) from a keys.json: `{keys:[{id,purpose,publicKey}]}` as GET /api/keys answers. */
export function readAuditKeys(file: string): Map<string, string> {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    keys?: Array<{ id: string; purpose: string; publicKey: string }>;
  };
  return new Map(
    (json.keys ?? []).filter((k) => k.purpose === 'audit').map((k) => [k.id, k.publicKey.toLowerCase()]),
  );
}

/**
 * Verifies an export with no database: the chain, every checkpoint's SM2 signature, and the chain against
 * the checkpoints of the database and of the files outside it (and any further directories given).
 */
export function verifyAuditExport(
  dir: string,
  opts: { keysFile?: string; checkpointDirs?: string[] } = {},
): AuditVerification & { unsealedAtExport: number | null } {
  const publicKeys = readAuditKeys(opts.keysFile ?? path.join(dir, 'keys.json'));
  const dirs = [path.join(dir, 'checkpoint-files'), ...(opts.checkpointDirs ?? [])].map((d) => ({
    d,
    ...readCheckpointFiles(d),
  }));
  const checkpoints = [
    ...readLines<SignedCheckpoint>(path.join(dir, 'checkpoints.ndjson')).map((c) => ({
      ...c,
      source: 'database',
    })),
    ...dirs.flatMap((x) => x.checkpoints.map((c) => ({ ...c, source: path.basename(x.d) }))),
  ];
  const verifier = auditVerifier({
    checkpoints,
    publicKeys,
    verifySignature: sm2Verify,
    databaseSource: 'database',
    refusals: dirs.flatMap((x) => x.refusals),
  });
  // Parsed a line at a time: only the current event and the checkpoints are held as objects.
  const text = fs.readFileSync(path.join(dir, 'events.ndjson'), 'utf8');
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as Omit<SealedEvent, 'occurredAt'> & { occurredAt: string };
    verifier.push({ ...e, occurredAt: new Date(e.occurredAt) });
  }
  let unsealedAtExport: number | null;
  try {
    unsealedAtExport = (
      JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { unsealed: number }
    ).unsealed;
  } catch {
    unsealedAtExport = null;
  }
  return { ...verifier.result(), unsealedAtExport };
}
