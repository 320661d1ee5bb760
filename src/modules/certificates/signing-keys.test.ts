import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config';
import { generateKeyFileContent, loadSigningKeys, parseKeyFile } from './signing-keys';
import { sm2Sign, sm2Verify } from './sm2';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signing-keys-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('signing keys from SIGNING_KEY_FILE', () => {
  it('outside production an absent file is generated with mode 0600 and read back the same', () => {
    const file = path.join(tmp, 'dev', 'signing-keys.json');
    const keys = loadSigningKeys({ signingKeyFile: file, isProduction: false });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(keys.certificate.id).toMatch(/^sm2-certificate-\d{8}-[0-9a-f]{8}$/);
    expect(keys.audit.id).toMatch(/^sm2-audit-/);
    const again = parseKeyFile(fs.readFileSync(file, 'utf8'), file);
    expect(again.certificate).toEqual(keys.certificate);
    const msg = new TextEncoder().encode('检查点');
    expect(sm2Verify(msg, sm2Sign(msg, keys.audit), keys.audit.publicKey)).toBe(true);
    expect(keys.publicKeys.map((k) => k.purpose).sort()).toEqual(['audit', 'certificate']);
  });

  it('in production an absent file refuses the start with a message naming SIGNING_KEY_FILE', () => {
    const file = path.join(tmp, 'prod', 'missing.json');
    expect(() => loadSigningKeys({ signingKeyFile: file, isProduction: true })).toThrow(ConfigError);
    expect(() => loadSigningKeys({ signingKeyFile: file, isProduction: true })).toThrow(/SIGNING_KEY_FILE/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('malformed files are clear errors, never a crash later (F-13)', () => {
    const good = generateKeyFileContent(new Date('2026-03-02T00:00:00Z'));
    const bad = (content: unknown) => () => parseKeyFile(JSON.stringify(content), 'k.json');
    expect(() => parseKeyFile('{not json', 'k.json')).toThrow(/not JSON/);
    expect(bad({ ...good, format: 'other' })).toThrow(ConfigError);
    expect(bad({ ...good, audit: [] })).toThrow(/audit/);
    expect(bad({ ...good, certificate: [{ ...good.certificate[0], publicKey: '04zz' }] })).toThrow(
      /publicKey/,
    );
    // A private key that does not belong to its public key.
    expect(
      bad({ ...good, audit: [{ ...good.audit[0], publicKey: good.certificate[0]!.publicKey }] }),
    ).toThrow(/does not belong/);
    const { privateKey: _p, ...publicOnly } = good.certificate[0]!;
    expect(bad({ ...good, certificate: [publicOnly] })).toThrow(/needs its privateKey/);
    // A retired key may be public only.
    expect(
      parseKeyFile(
        JSON.stringify({ ...good, certificate: [...good.certificate, { ...publicOnly, id: 'old' }] }),
        'k.json',
      ).publicKeys,
    ).toHaveLength(3);
  });
});
