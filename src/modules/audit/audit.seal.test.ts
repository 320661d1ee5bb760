import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import { verifyAuditExport, writeAuditExport } from './audit.export';
import { chainHash, type SealedEvent } from './audit.rules';
import { sealPending } from './audit.sealer';
import { recordEvent } from './audit.service';
import { sealAll } from './audit.test-helpers';
import { sealOptionsFor } from './audit.wiring';
import { loadSigningKeys } from '../certificates/signing-keys';
import { generateSm2KeyPair } from '../certificates/sm2';

const NOW = new Date('2026-03-02T10:00:00+08:00');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describeEachSystem('audit sealing and signed checkpoints', (t) => {
  const ctx = () => t.system.ctx;
  const db = () => t.system.db;

  async function record(n: number, tag: string) {
    await db()
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < n; i++) {
          await recordEvent(trx, null, NOW, {
            action: 'test.event',
            objectType: 'test',
            objectId: `${tag}-${i}`,
            detail: { i, tag, text: '审计' },
          });
        }
      });
  }

  let session: Awaited<ReturnType<typeof t.system.login>> | undefined;
  async function verify() {
    // One login: a login is itself an audit event, which would leave the newest event unanchored.
    const supervisor = (session ??= await t.system.login('supervisor'));
    const res = await t.system.app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: supervisor.headers,
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  function sealedTail(n: number) {
    return db()
      .selectFrom('auditEvent')
      .selectAll()
      .where('sealSeq', 'is not', null)
      .orderBy('sealSeq', 'desc')
      .limit(n)
      .execute();
  }

  /** Puts deleted rows back exactly as they were (owner connection; triggers only guard updates). */
  async function restore(rows: Awaited<ReturnType<typeof sealedTail>>) {
    for (const r of rows) {
      const { xid: _xid, ...rest } = r;
      await db()
        .insertInto('auditEvent')
        .values({ ...rest, detail: JSON.stringify(r.detail) })
        .execute();
    }
  }

  it('business transactions take no chain lock; an event waits for every earlier transaction, then is sealed in order', async () => {
    if (t.system.kind === 'pglite') {
      // One connection: nothing else can run while the sealer runs, every committed event is sealable.
      await record(3, 'lite');
      expect((await sealPending(db(), sealOptionsFor(ctx()))).sealed).toBeGreaterThanOrEqual(3);
      return;
    }
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const isStarted = new Promise<void>((r) => (started = r));
    const first = db()
      .transaction()
      .execute(async (trx) => {
        await recordEvent(trx, null, NOW, { action: 'test.first', objectType: 'test', objectId: 'first' });
        started();
        await hold;
      });
    await isStarted;
    // With the old global chain lock this second transaction would wait for the first one's COMMIT.
    const t0 = Date.now();
    await record(1, 'second');
    expect(Date.now() - t0).toBeLessThan(2000);
    await sealPending(db(), sealOptionsFor(ctx()));
    const second = await db()
      .selectFrom('auditEvent')
      .select(['id', 'sealSeq'])
      .where('objectId', '=', 'second-0')
      .executeTakeFirstOrThrow();
    // The first transaction (older id) can still commit an event: the second one must not be chained yet.
    expect(second.sealSeq).toBeNull();
    release();
    await first;
    await sealAll(ctx());
    const both = await db()
      .selectFrom('auditEvent')
      .select(['objectId', 'sealSeq'])
      .where('objectId', 'in', ['first', 'second-0'])
      .orderBy('sealSeq')
      .execute();
    expect(both.map((b) => b.objectId)).toEqual(['first', 'second-0']);
  });

  it('GET /api/audit/verify seals first and reports sealed, unsealed and the oldest unsealed age', async () => {
    await record(5, 'report');
    const r = await verify();
    expect(r).toMatchObject({ valid: true, unsealed: 0, oldestUnsealedSeconds: null, problems: [] });
    expect(r.sealed).toBe(r.events);
    expect(r.checkpoints).toBeGreaterThanOrEqual(1);
    // The server's own sealer loop runs in src/server.ts; this system has none, so new events wait.
    await record(2, 'waiting');
    const stats = await import('./audit.repository').then((m) => m.sealStats(db()));
    expect(stats.unsealed).toBe(2);
    expect(stats.oldestUnsealedSeconds).toBeGreaterThanOrEqual(0);
  });

  it('names truncation, rewriting and forged appends; restored, the record verifies again', async () => {
    await verify(); // logs in first
    await record(120, 'bulk');
    await sealAll(ctx(), { forceCheckpoint: true });
    const clean = await verify();
    expect(clean).toMatchObject({ valid: true, unanchored: 0, problems: [] });
    const total = clean.events as number;

    // 1. The newest event deleted.
    const last = await sealedTail(1);
    await db().deleteFrom('auditEvent').where('id', '=', last[0]!.id).execute();
    const cut1 = await verify();
    expect(cut1.valid).toBe(false);
    expect(cut1.problems.map((p: { kind: string }) => p.kind)).toContain('truncated');
    expect(cut1.problems.find((p: { kind: string }) => p.kind === 'truncated').message).toContain(
      `${total} 条事件，现仅余 ${total - 1}`,
    );
    await restore(last);
    expect((await verify()).valid).toBe(true);

    // 2. The newest 50 deleted.
    const last50 = await sealedTail(50);
    await db()
      .deleteFrom('auditEvent')
      .where(
        'id',
        'in',
        last50.map((r) => r.id),
      )
      .execute();
    const cut50 = await verify();
    expect(cut50).toMatchObject({ valid: false, events: total - 50 });
    expect(cut50.problems.map((p: { kind: string }) => p.kind)).toContain('truncated');
    await restore(last50);
    expect((await verify()).valid).toBe(true);

    // 3. A forged event appended with a correctly recomputed SM3 hash.
    const [head] = await sealedTail(1);
    const forgedFields = {
      occurredAt: NOW,
      actorUserId: null,
      actorRole: 'admin',
      action: 'certificate.issued',
      objectType: 'certificate',
      objectId: 'forged',
      fromState: null,
      toState: 'valid',
      reason: null,
      detail: { identifier: 'forged' },
    };
    const forged = await db()
      .insertInto('auditEvent')
      .values({
        ...forgedFields,
        detail: JSON.stringify(forgedFields.detail),
        sealSeq: head!.sealSeq! + 1,
        prevHash: head!.hash,
        hash: chainHash(head!.hash!, forgedFields),
        sealMac: 'f'.repeat(64),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(3, 'after-forgery');
    const withForged = await verify();
    expect(withForged).toMatchObject({
      valid: false,
      unanchored: 1,
      firstUnanchoredEventId: forged.id,
      unsealed: 3,
    });
    expect(withForged.problems).toContainEqual(
      expect.objectContaining({ kind: 'forged', eventId: forged.id }),
    );
    // The sealer refuses to extend (and so to checkpoint) a chain it did not leave that way.
    expect(withForged.sealerProblem).toMatch(new RegExp(`审计事件 ${forged.id}`));
    // Without the key (the standalone verifier): not covered by any checkpoint …
    const exportDir = path.join(tmp, `forged-${t.system.kind}`);
    await exportTo(exportDir);
    const offline = verifyAuditExport(exportDir);
    expect(offline).toMatchObject({ valid: false, unanchored: 1, firstUnanchoredEventId: forged.id });
    // It names it too: the sealer's signed refusal sits in the checkpoint files outside the database.
    expect(offline.problems).toContainEqual(
      expect.objectContaining({
        kind: 'forged',
        eventId: forged.id,
        message: expect.stringMatching(/signed refusal/),
      }),
    );
    await db().deleteFrom('auditEvent').where('id', '=', forged.id).execute();
    expect(await verify()).toMatchObject({ valid: true, unsealed: 0 });

    // 4. An old event rewritten and every later event re-chained with correct hashes.
    await sealAll(ctx(), { forceCheckpoint: true });
    const chain = (await db()
      .selectFrom('auditEvent')
      .selectAll()
      .where('sealSeq', 'is not', null)
      .orderBy('sealSeq')
      .execute()) as unknown as SealedEvent[];
    const from = 3;
    const originals = chain
      .slice(from)
      .map((e) => ({ id: e.id, reason: e.reason, prevHash: e.prevHash, hash: e.hash }));
    let prev = chain[from - 1]!.hash;
    for (const [i, e] of chain.slice(from).entries()) {
      const edited = i === 0 ? { ...e, reason: '改写 rewritten' } : e;
      const hash = chainHash(prev, edited);
      await db()
        .updateTable('auditEvent')
        .set({ reason: edited.reason, prevHash: prev, hash })
        .where('id', '=', e.id)
        .execute();
      prev = hash;
    }
    const rewritten = await verify();
    expect(rewritten.valid).toBe(false);
    expect(rewritten.firstBadEventId).toBeUndefined(); // the chain itself is consistent …
    expect(rewritten.problems.map((p: { kind: string }) => p.kind)).toContain('rewritten'); // … the checkpoints are not
    const rewrittenDir = path.join(tmp, `rewritten-${t.system.kind}`);
    await exportTo(rewrittenDir);
    expect(verifyAuditExport(rewrittenDir).problems.map((p) => p.kind)).toContain('rewritten');
    for (const o of originals) {
      await db()
        .updateTable('auditEvent')
        .set({ reason: o.reason, prevHash: o.prevHash, hash: o.hash })
        .where('id', '=', o.id)
        .execute();
    }
    expect((await verify()).valid).toBe(true);
  });

  async function exportTo(dir: string) {
    await writeAuditExport(db(), dir, {
      publicKeys: loadSigningKeys(ctx().config).publicKeys,
      checkpointDir: ctx().config.auditCheckpointDir,
      now: NOW,
    });
  }

  it("after an audit key rotation the sealer still recognises the retired key's seals (last: it seals with a key the file does not list)", async () => {
    const opts = { ...sealOptionsFor(ctx()), checkpointEvery: 1_000_000, checkpointMinutes: 1_000_000 };
    await record(2, 'before-rotation');
    await sealAll(ctx());
    await sealPending(db(), opts); // sealed with the current key, not yet anchored
    await record(1, 'after-rotation');
    const rotated = { id: 'sm2-audit-rotated', created: NOW.toISOString(), ...generateSm2KeyPair() };
    const without = await sealPending(db(), { ...opts, key: rotated });
    expect(without.problem?.kind).toBe('forged');
    const withRetired = await sealPending(db(), {
      ...opts,
      key: rotated,
      retiredKeys: [opts.key.privateKey],
    });
    expect(withRetired.problem).toBeUndefined();
  });
});
