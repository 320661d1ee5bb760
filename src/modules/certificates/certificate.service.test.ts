import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import { DomainError } from '../../shared/errors';
import { createTaskFixture, issueFor } from './certificate.fixtures';
import { parseIdentifier } from './certificate.rules';
import { formalizeCertificate, revokeCertificate } from './certificate.service';
import { installedSigningKeys } from './signing-keys';
import { generateSm2KeyPair, sm2PublicKeyPem } from './sm2';

const NOW = new Date('2026-03-02T09:30:00+08:00');
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;

/** Text extracted by poppler's pdftotext (CI may lack it: those assertions are skipped). */
function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'c.pdf'), pdf);
    const out = spawnSync('pdftotext', ['-enc', 'UTF-8', 'c.pdf', '-'], { cwd: dir, encoding: 'utf8' });
    return out.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeEachSystem('certificates', (t) => {
  const db = () => t.system.ctx.db;
  const verify = (id: string) =>
    t.system.app.inject({ method: 'GET', url: `/api/certificates/${encodeURIComponent(id)}/verify` });

  it('issues a signed certificate that the public verification accepts without login', async () => {
    const f = await createTaskFixture(db());
    const cert = await issueFor(db(), f, NOW);
    const parts = parseIdentifier(cert.identifier);
    expect(parts).toMatchObject({
      typeCode: '11100000MB03271699902',
      serial: expect.stringMatching(/^2026\d{7}$/),
      version: 1,
    });
    expect(parts?.issuerCode).toBe(`410100${f.departmentCode.toUpperCase()}`);

    const res = await verify(cert.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      id: cert.id,
      identifier: cert.identifier,
      type: 'construction_planning_permit',
      holderName: f.enterpriseName,
      validUntil: '9999-01-01',
      simulated: false,
      revoked: false,
    });
    expect(res.json().reason).toBeUndefined();

    const audit = await db()
      .selectFrom('auditEvent')
      .select(['action', 'toState'])
      .where('objectId', '=', cert.id)
      .execute();
    expect(audit).toEqual([{ action: 'certificate.issued', toState: 'valid' }]);
  });

  it("signs with the key file's certificate key; the database holds its public key only", async () => {
    const a = await issueFor(db(), await createTaskFixture(db()), NOW);
    const b = await issueFor(db(), await createTaskFixture(db()), NOW);
    const rows = await db()
      .selectFrom('certificate')
      .select(['signerKeyId', 'identifier'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    const fileKey = installedSigningKeys().certificate;
    expect(rows.map((r) => r.signerKeyId)).toEqual([fileKey.id, fileKey.id]);
    expect(a.identifier).not.toBe(b.identifier);
    const keys = await db().selectFrom('signingKey').selectAll().where('active', '=', true).execute();
    expect(keys).toEqual([expect.objectContaining({ id: fileKey.id, publicKey: fileKey.publicKey })]);
    expect(sm2PublicKeyPem(keys[0]!.publicKey)).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const columns = await sql<{
      name: string;
    }>`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'signing_key'`.execute(
      db(),
    );
    expect(columns.rows.map((c) => c.name)).not.toContain('private_key');
    await expect(
      sql`INSERT INTO signing_key (id, algorithm, public_key, active, created_at) VALUES ('dup', 'SM2', 'x', true, now())`.execute(
        db(),
      ),
    ).rejects.toThrow(/signing_key_one_active_uq|duplicate/);
  });

  it('concurrent first uses record the file key once, and both certificates verify', async () => {
    // A database that has not seen the key yet (e.g. just restored): the first certificates record it.
    await sql`DELETE FROM signing_key WHERE id = ${installedSigningKeys().certificate.id}`.execute(db());
    const [f, g] = [await createTaskFixture(db()), await createTaskFixture(db())];
    const [a, b] = await Promise.all([issueFor(db(), f, NOW), issueFor(db(), g, NOW)]);
    const active = await db().selectFrom('signingKey').select('id').where('active', '=', true).execute();
    expect(active).toEqual([{ id: installedSigningKeys().certificate.id }]);
    for (const c of [a, b]) expect((await verify(c.id)).json().valid).toBe(true);
  });

  it("a key row swapped in the database does not make a certificate verify: the key file's copy counts", async () => {
    const a = await issueFor(db(), await createTaskFixture(db()), NOW);
    const other = generateSm2KeyPair();
    await sql`UPDATE signing_key SET public_key = ${other.publicKey} WHERE id = ${installedSigningKeys().certificate.id}`.execute(
      db(),
    );
    try {
      expect((await verify(a.id)).json().valid).toBe(true);
    } finally {
      await sql`UPDATE signing_key SET public_key = ${installedSigningKeys().certificate.publicKey} WHERE id = ${installedSigningKeys().certificate.id}`.execute(
        db(),
      );
    }
  });

  it('refuses a second certificate for the same task and an unknown type, leaving nothing behind', async () => {
    const f = await createTaskFixture(db());
    await issueFor(db(), f, NOW);
    await expect(issueFor(db(), f, NOW)).rejects.toMatchObject({ code: 'CONFLICT_DUPLICATE' });
    const g = await createTaskFixture(db());
    await expect(issueFor(db(), g, NOW, { certificateType: 'driving_licence' })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
    });
    await expect(
      issueFor(db(), g, NOW, {
        document: { number: 'x', title: 'x', date: '2026-02-30', validUntil: '9999-01-01' },
      }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(
      await db().selectFrom('certificate').select('id').where('taskId', '=', g.taskId).execute(),
    ).toEqual([]);
  });

  it('detects content or columns edited in SQL', async () => {
    const a = await issueFor(db(), await createTaskFixture(db()), NOW);
    await sql`UPDATE certificate SET content = jsonb_set(content, '{details,siteAreaM2}', '99999') WHERE id = ${a.id}`.execute(
      db(),
    );
    const res = await verify(a.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ valid: false, id: a.id, reason: expect.stringMatching(/篡改|altered/) });

    const b = await issueFor(db(), await createTaskFixture(db()), NOW);
    await sql`UPDATE certificate SET valid_until = '2099-12-31' WHERE id = ${b.id}`.execute(db());
    expect((await verify(b.id)).json()).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/altered/),
    });

    const c = await issueFor(db(), await createTaskFixture(db()), NOW);
    await sql`UPDATE certificate SET signature = '3006020101020101' WHERE id = ${c.id}`.execute(db());
    expect((await verify(c.id)).json().valid).toBe(false);
  });

  it('revokes: verification answers not valid with the reason; revoking twice or a task without certificate is a no-op', async () => {
    const f = await createTaskFixture(db());
    const cert = await issueFor(db(), f, NOW);
    const revoked = await db()
      .transaction()
      .execute((trx) => revokeCertificate(trx, f.taskId, '告知承诺核查不符', NOW));
    expect(revoked).toEqual(cert);
    expect((await verify(cert.id)).json()).toMatchObject({
      valid: false,
      revoked: true,
      identifier: cert.identifier,
      reason: expect.stringContaining('告知承诺核查不符'),
    });
    expect(
      await db()
        .transaction()
        .execute((trx) => revokeCertificate(trx, f.taskId, 'again', NOW)),
    ).toBeNull();
    const bare = await createTaskFixture(db());
    expect(
      await db()
        .transaction()
        .execute((trx) => revokeCertificate(trx, bare.taskId, 'x', NOW)),
    ).toBeNull();
  });

  it('formalises a simulated certificate: same id, identifier version + 1, re-signed and valid', async () => {
    const f = await createTaskFixture(db());
    const sim = await issueFor(db(), f, NOW, { simulated: true });
    expect((await verify(sim.id)).json()).toMatchObject({ valid: true, simulated: true });
    const later = new Date('2026-03-20T10:00:00+08:00');
    const formal = await db()
      .transaction()
      .execute((trx) => formalizeCertificate(trx, f.taskId, later));
    expect(formal?.id).toBe(sim.id);
    const [before, after] = [parseIdentifier(sim.identifier)!, parseIdentifier(formal!.identifier)!];
    expect(after).toEqual({ ...before, version: 2 });
    expect((await verify(sim.id)).json()).toMatchObject({
      valid: true,
      simulated: false,
      identifier: formal!.identifier,
      issuedAt: later.toISOString(),
    });
    const row = await db()
      .selectFrom('certificate')
      .select('content')
      .where('id', '=', sim.id)
      .executeTakeFirstOrThrow();
    expect(row.content.previousIdentifier).toBe(sim.identifier);
    expect(
      await db()
        .transaction()
        .execute((trx) => formalizeCertificate(trx, f.taskId, later)),
    ).toBeNull();
  });

  it('an expired certificate is not valid (Beijing date of the clock)', async () => {
    const f = await createTaskFixture(db());
    const cert = await issueFor(db(), f, new Date('2025-01-02T09:00:00+08:00'), {
      document: { number: '选字第1号', title: '选址意见书', date: '2025-01-02', validUntil: '2026-03-01' },
      certificateType: 'site_selection',
    });
    expect((await verify(cert.id)).json()).toMatchObject({
      valid: false,
      revoked: false,
      reason: expect.stringMatching(/expired/),
    });
  });

  it('unknown, malformed and over-long ids answer valid:false, never a 500', async () => {
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      'not-a-uuid',
      "'; DROP TABLE certificate; --",
      '中文',
      'x'.repeat(100),
    ]) {
      const res = await verify(id);
      expect(res.statusCode, id).toBe(200);
      expect(res.json()).toMatchObject({ valid: false, id, reason: expect.any(String) });
    }
    // Longer than any certificate id: refused by the parameter schema with our error body, never a 500.
    const long = await verify('x'.repeat(101));
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('lists a project’s certificates for its applicant and staff; refuses another enterprise', async () => {
    const f = await createTaskFixture(db());
    const cert = await issueFor(db(), f, NOW);
    const own = await t.system.login('applicant');
    const res = await t.system.app.inject({
      method: 'GET',
      url: `/api/projects/${f.projectId}/certificates`,
      headers: own.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().certificates).toEqual([
      expect.objectContaining({
        id: cert.id,
        identifier: cert.identifier,
        title: '建设工程规划许可证',
        revoked: false,
        verifyUrl: expect.stringMatching(new RegExp(`/verify/${cert.id}$`)),
      }),
    ]);

    const other = await t.system.login('applicant2');
    const forbidden = await t.system.app.inject({
      method: 'GET',
      url: `/api/projects/${f.projectId}/certificates`,
      headers: other.headers,
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN_SCOPE');
    const pdf = await t.system.app.inject({
      method: 'GET',
      url: `/api/certificates/${cert.id}/pdf`,
      headers: other.headers,
    });
    expect(pdf.statusCode).toBe(403);

    expect(
      (await t.system.app.inject({ method: 'GET', url: `/api/certificates/${cert.id}/pdf` })).statusCode,
    ).toBe(401);
    const supervisor = await t.system.login('supervisor');
    const seen = await t.system.app.inject({
      method: 'GET',
      url: `/api/projects/${f.projectId}/certificates`,
      headers: supervisor.headers,
    });
    expect(seen.json().certificates).toHaveLength(1);
    const issuing = await t.system.login(`${f.departmentCode}.reviewer`);
    expect(
      (
        await t.system.app.inject({
          method: 'GET',
          url: `/api/certificates/${cert.id}/pdf`,
          headers: issuing.headers,
        })
      ).statusCode,
    ).toBe(200);
  });

  it('renders an A4 PDF with the CJK font subset embedded', async () => {
    const f = await createTaskFixture(db());
    const cert = await issueFor(db(), f, NOW, { simulated: true });
    const session = await t.system.login('applicant');
    const res = await t.system.app.inject({
      method: 'GET',
      url: `/api/certificates/${cert.id}/pdf`,
      headers: session.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeLessThan(2_000_000); // the CJK font is subset, not embedded whole
  });

  it.skipIf(!hasPdftotext)(
    'the PDF text is extractable Chinese with every printed field (needs pdftotext: skipped when absent)',
    async () => {
      const f = await createTaskFixture(db());
      const cert = await issueFor(db(), f, NOW, { simulated: true });
      const session = await t.system.login('applicant');
      const res = await t.system.app.inject({
        method: 'GET',
        url: `/api/certificates/${cert.id}/pdf`,
        headers: session.headers,
      });
      const text = pdfText(res.rawPayload);
      const flat = text.replace(/\s+/g, '');
      for (const expected of [
        '中华人民共和国',
        '建设工程规划许可证',
        '持证单位',
        f.enterpriseName,
        f.projectCode,
        '项目名称',
        '郑州市金水区',
        '用地面积',
        '40,873.5平方米',
        '发证机关',
        '长期有效',
        '模拟审批',
        '仅供参考',
      ]) {
        expect(flat, expected).toContain(expected.replace(/\s+/g, ''));
      }
      expect(flat).toContain(cert.identifier);
      expect(flat).toContain(`/verify/${cert.id}`);
    },
  );

  it('refuses to print a certificate whose data was altered', async () => {
    const f = await createTaskFixture(db());
    const cert = await issueFor(db(), f, NOW);
    await sql`UPDATE certificate SET holder_name = '冒名公司' WHERE id = ${cert.id}`.execute(db());
    const session = await t.system.login('admin');
    const res = await t.system.app.inject({
      method: 'GET',
      url: `/api/certificates/${cert.id}/pdf`,
      headers: session.headers,
    });
    expect(res.statusCode).toBe(409);
    expect(
      (
        await t.system.app.inject({
          method: 'GET',
          url: '/api/certificates/nope/pdf',
          headers: session.headers,
        })
      ).statusCode,
    ).toBe(404);
  });
});
