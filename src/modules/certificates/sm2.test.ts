import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalContent, signatureMessage } from './certificate.rules';
import { generateSm2KeyPair, sm2PublicKeyPem, sm2Sign, sm2Verify } from './sm2';

const key = generateSm2KeyPair();
const content = {
  identifier: '1.2.156.3005.2.X',
  holder: { name: '郑州市示范建设发展有限公司' },
  title: '建设工程规划许可证',
};
const message = signatureMessage(content);

describe('SM2 (GB/T 32918, sm-crypto hash:true der:true)', () => {
  it('signs and verifies round trip', () => {
    expect(key.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    const sig = sm2Sign(message, key);
    expect(sig).toMatch(/^30[0-9a-f]+$/); // DER SEQUENCE
    expect(sm2Verify(message, sig, key.publicKey)).toBe(true);
  });

  it('rejects another message, another key and malformed input without throwing', () => {
    const sig = sm2Sign(message, key);
    expect(sm2Verify(signatureMessage({ ...content, title: '改' }), sig, key.publicKey)).toBe(false);
    expect(sm2Verify(message, sig, generateSm2KeyPair().publicKey)).toBe(false);
    expect(sm2Verify(message, '', key.publicKey)).toBe(false);
    expect(sm2Verify(message, 'zz', key.publicKey)).toBe(false);
    expect(sm2Verify(message, '3006020101020101', key.publicKey)).toBe(false);
    expect(sm2Verify(message, sig.slice(0, -2), key.publicKey)).toBe(false);
    expect(sm2Verify(message, sig, '04' + '00'.repeat(64))).toBe(false); // not on the curve
    expect(sm2Verify(message, sig, 'not a key')).toBe(false);
  });
});

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = openssl.status === 0 && /OpenSSL 3/.test(openssl.stdout);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sm2-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('SM2 interoperability with OpenSSL 3', () => {
  if (!hasOpenssl) {
    it.skip('needs the openssl 3 CLI on PATH (not found): OpenSSL interop not checked on this machine', () => {});
    return;
  }

  const osslVerify = (msg: Uint8Array, sigHex: string, pem: string) => {
    fs.writeFileSync(path.join(tmp, 'm.bin'), msg);
    fs.writeFileSync(path.join(tmp, 's.der'), Buffer.from(sigHex, 'hex'));
    fs.writeFileSync(path.join(tmp, 'pub.pem'), pem);
    return spawnSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-in',
        'm.bin',
        '-sigfile',
        's.der',
        '-pubin',
        '-inkey',
        'pub.pem',
        '-rawin',
        '-digest',
        'sm3',
        '-pkeyopt',
        'distid:1234567812345678',
      ],
      { cwd: tmp, encoding: 'utf8' },
    );
  };

  it('the SPKI PEM built from 04||x||y is read by OpenSSL as an SM2 key with the same point', () => {
    fs.writeFileSync(path.join(tmp, 'k.pem'), sm2PublicKeyPem(key.publicKey));
    const text = execFileSync('openssl', ['pkey', '-pubin', '-in', 'k.pem', '-text', '-noout'], {
      cwd: tmp,
      encoding: 'utf8',
    });
    expect(text).toMatch(/SM2/);
    const hex = text
      .split('pub:')[1]!
      .split(/ASN1 OID|NIST/)[0]!
      .replace(/[^0-9a-f]/gi, '');
    expect(hex.toLowerCase()).toBe(key.publicKey);
  });

  it('a signature made by sm-crypto over canonical Chinese content verifies with openssl pkeyutl', () => {
    const sig = sm2Sign(message, key);
    const ok = osslVerify(message, sig, sm2PublicKeyPem(key.publicKey));
    expect(ok.stdout + ok.stderr).toMatch(/Signature Verified Successfully/);
    expect(ok.status).toBe(0);
    expect(new TextDecoder().decode(message)).toBe(canonicalContent(content));

    const tampered = osslVerify(
      signatureMessage({ ...content, title: '改' }),
      sig,
      sm2PublicKeyPem(key.publicKey),
    );
    expect(tampered.status).not.toBe(0);
  });

  it('a signature made by OpenSSL verifies with sm-crypto', () => {
    execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', 'priv.pem'], { cwd: tmp });
    const der = execFileSync('openssl', ['pkey', '-in', 'priv.pem', '-pubout', '-outform', 'DER'], {
      cwd: tmp,
    });
    const publicKey = der.subarray(der.length - 65).toString('hex');
    fs.writeFileSync(path.join(tmp, 'm2.bin'), message);
    execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-sign',
        '-in',
        'm2.bin',
        '-inkey',
        'priv.pem',
        '-out',
        'o.sig',
        '-rawin',
        '-digest',
        'sm3',
        '-pkeyopt',
        'distid:1234567812345678',
      ],
      { cwd: tmp },
    );
    const sig = fs.readFileSync(path.join(tmp, 'o.sig')).toString('hex');
    expect(sm2Verify(message, sig, publicKey)).toBe(true);
    expect(sm2PublicKeyPem(publicKey)).toBe(
      execFileSync('openssl', ['pkey', '-in', 'priv.pem', '-pubout'], { cwd: tmp, encoding: 'utf8' }),
    );
  });
});
