import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { describeEachSystem } from '../../../test/app';
import { createTaskFixture, issueFor } from './certificate.fixtures';
import { installedSigningKeys } from './signing-keys';

const NOW = new Date('2026-03-02T09:30:00+08:00');
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = openssl.status === 0 && /OpenSSL 3/.test(openssl.stdout);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-signed-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describeEachSystem('public keys and signed bytes for outside verifiers', (t) => {
  const get = (url: string) => t.system.app.inject({ method: 'GET', url });

  it("GET /api/keys lists the key file's certificate and audit public keys, without login", async () => {
    const res = await get('/api/keys');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const keys = installedSigningKeys();
    expect(body.scheme.distinguishingId).toBe('1234567812345678');
    expect(body.keys).toContainEqual(
      expect.objectContaining({ id: keys.certificate.id, purpose: 'certificate', current: true }),
    );
    expect(body.keys).toContainEqual(
      expect.objectContaining({ id: keys.audit.id, purpose: 'audit', publicKey: keys.audit.publicKey }),
    );
    expect(JSON.stringify(body)).not.toMatch(/privateKey/);
    for (const k of body.keys) expect(k.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it('GET /api/certificates/:id/signed gives bytes that OpenSSL 3 alone verifies; an edited row fails', async () => {
    const cert = await issueFor(t.system.db, await createTaskFixture(t.system.db), NOW);
    const json = await get(`/api/certificates/${cert.id}/signed`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ id: cert.id, keyId: installedSigningKeys().certificate.id });
    expect((await get('/api/certificates/00000000-0000-4000-8000-000000000000/signed')).statusCode).toBe(404);
    expect((await get('/api/certificates/not-a-uuid/signed/msg.bin')).statusCode).toBe(404);
    if (!hasOpenssl) return; // the interop is also covered by sm2.test.ts; skipped without OpenSSL 3

    const dir = fs.mkdtempSync(path.join(tmp, `${t.system.kind}-`));
    const fetchParts = async () => {
      for (const name of ['msg.bin', 'sig.der', 'key.pem']) {
        const res = await get(`/api/certificates/${cert.id}/signed/${name}`);
        expect(res.statusCode).toBe(200);
        fs.writeFileSync(path.join(dir, name), res.rawPayload);
      }
    };
    const opensslVerify = () =>
      spawnSync(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'key.pem',
          '-rawin',
          '-digest',
          'sm3',
          '-pkeyopt',
          'distid:1234567812345678',
          '-in',
          'msg.bin',
          '-sigfile',
          'sig.der',
        ],
        { cwd: dir, encoding: 'utf8' },
      );
    await fetchParts();
    expect(
      Buffer.from(json.json().messageBase64, 'base64').equals(fs.readFileSync(path.join(dir, 'msg.bin'))),
    ).toBe(true);
    const ok = opensslVerify();
    expect(ok.stdout + ok.stderr).toMatch(/Signature Verified Successfully/);
    expect(ok.status).toBe(0);

    await sql`UPDATE certificate SET content = jsonb_set(content, '{holder,name}', '"冒名公司"') WHERE id = ${cert.id}`.execute(
      t.system.db,
    );
    await fetchParts();
    const bad = opensslVerify();
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).not.toMatch(/Signature Verified Successfully/);
  });
});
