/**
 * Verifies an audit export with no database and no key file (issue 10 §3):
 *
 *   npx tsx src/tools/verify-audit.ts EXPORT_DIR [--keys keys.json] [--checkpoints DIR]… [--json]
 *
 * EXPORT_DIR is what `npm run cli -- verify --export EXPORT_DIR` wrote. --keys takes the public keys from
 * elsewhere (e.g. saved from GET /api/keys) instead of the export's own keys.json; --checkpoints adds
 * checkpoint files kept apart from the database (AUDIT_CHECKPOINT_DIR, the provincial exchange).
 * Exit status: 0 when everything verifies, 1 when a problem is named, 2 on bad usage.
 */
import { verifyAuditExport } from '../modules/audit/audit.export';

function main(argv: string[]): number {
  const args = [...argv];
  let dir: string | undefined;
  let keysFile: string | undefined;
  let json = false;
  const checkpointDirs: string[] = [];
  while (args.length) {
    const a = args.shift()!;
    if (a === '--keys') keysFile = args.shift();
    else if (a === '--checkpoints') checkpointDirs.push(args.shift() ?? '');
    else if (a === '--json') json = true;
    else if (!dir && !a.startsWith('--')) dir = a;
    else {
      console.error(`unknown argument ${a}`);
      return 2;
    }
  }
  if (!dir) {
    console.error('usage: verify-audit EXPORT_DIR [--keys keys.json] [--checkpoints DIR]… [--json]');
    return 2;
  }
  const r = verifyAuditExport(dir, { keysFile, checkpointDirs });
  if (json) {
    console.log(JSON.stringify(r, null, 2));
  } else {
    console.log(
      r.valid ? '审计记录校验通过 audit record verifies' : '审计记录校验失败 audit record does NOT verify',
    );
    console.log(`  sealed events:      ${r.events}`);
    console.log(`  signed checkpoints: ${r.checkpoints}`);
    if (r.lastCheckpoint) {
      console.log(
        `  last checkpoint:    #${r.lastCheckpoint.seq} at ${r.lastCheckpoint.at}, ${r.lastCheckpoint.count} events up to id ${r.lastCheckpoint.lastEventId}`,
      );
    }
    console.log(`  anchored:           ${r.anchored}`);
    console.log(
      `  unanchored:         ${r.unanchored}${r.firstUnanchoredEventId !== undefined ? ` (from event ${r.firstUnanchoredEventId}: no checkpoint covers them yet)` : ''}`,
    );
    if (r.unsealedAtExport) console.log(`  unsealed at export: ${r.unsealedAtExport} (not in the export)`);
    for (const p of r.problems) console.log(`  ✗ ${p.kind}: ${p.message}`);
  }
  return r.valid ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
