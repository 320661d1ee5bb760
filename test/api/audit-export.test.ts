import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { writeAuditExport } from '../../src/modules/audit/audit.export';
import { sealAll } from '../../src/modules/audit/audit.test-helpers';
import { loadSigningKeys } from '../../src/modules/certificates/signing-keys';
import { describeEachSystem } from '../app';
import { withDatabase } from '../global-setup';

const NOW = new Date('2026-03-02T10:00:00+08:00');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Issue 10 §3: `npm run cli -- verify --export DIR`, then the standalone command on that directory. */
describeEachSystem('audit export and the standalone verifier', (t) => {
  const ctx = () => t.system.ctx;
  const db = () => t.system.db;

  async function exportTo(dir: string) {
    await writeAuditExport(db(), dir, {
      publicKeys: loadSigningKeys(ctx().config).publicKeys,
      checkpointDir: ctx().config.auditCheckpointDir,
      now: NOW,
    });
  }

  it('exports outside the database: checkpoint files, and an export the standalone command verifies', async () => {
    await t.system.login('supervisor'); // an audit event (auth.login) to seal and anchor
    await sealAll(ctx(), { forceCheckpoint: true });
    const files = fs.readdirSync(ctx().config.auditCheckpointDir);
    expect(files.some((f) => /^audit-checkpoints-\d{4}-\d{2}\.ndjson$/.test(f))).toBe(true);

    const dir = path.join(tmp, `ok-${t.system.kind}`);
    if (t.system.kind === 'postgres') {
      // The CLI against this very database, as an operator would run it.
      const name = (await sql<{ db: string }>`SELECT current_database() AS db`.execute(db())).rows[0]!.db;
      const cli = spawnSync('npx', ['tsx', 'src/cli.ts', 'verify', '--export', dir], {
        encoding: 'utf8',
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: withDatabase(process.env.DATABASE_URL!, name),
          SIGNING_KEY_FILE: ctx().config.signingKeyFile,
          AUDIT_CHECKPOINT_DIR: ctx().config.auditCheckpointDir,
        },
      });
      expect(cli.stderr).toContain('exported');
      expect(cli.status).toBe(0);
    } else {
      await exportTo(dir);
    }
    const tool = (args: string[]) =>
      spawnSync('npx', ['tsx', 'src/tools/verify-audit.ts', ...args], { encoding: 'utf8' });
    const ok = tool([dir]);
    expect(ok.stdout).toContain('audit record verifies');
    expect(ok.status).toBe(0);

    // Truncate the export's events: the signed checkpoints (here the files kept outside) name it.
    const events = fs.readFileSync(path.join(dir, 'events.ndjson'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(path.join(dir, 'events.ndjson'), events.slice(0, -2).join('\n') + '\n');
    const cut = tool([dir, '--json']);
    expect(cut.status).toBe(1);
    expect(JSON.parse(cut.stdout).problems.map((p: { kind: string }) => p.kind)).toContain('truncated');
  });
});
