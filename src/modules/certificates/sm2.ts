/**
 * SM2 signatures (GB/T 32918) through sm-crypto, never node:crypto: Node's SM2 output is not standard
 * SM2 (reliability doc §c, nodejs/node#53761). Always {hash:true, der:true}: SM3 with Z_A over the
 * default userId 1234567812345678, DER-encoded (r,s) — what `openssl pkeyutl -rawin -digest sm3
 * -pkeyopt distid:1234567812345678` produces and accepts.
 */
import smCrypto from 'sm-crypto';

const { sm2 } = smCrypto;

export const SM2_USER_ID = '1234567812345678';

export interface Sm2KeyPair {
  /** 04||x||y, 130 hex characters. */
  publicKey: string;
  /** d, 64 hex characters. */
  privateKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey: privateKey.padStart(64, '0') };
}

/** DER signature as hex. Passing the public key spares deriving it from the private key each time. */
export function sm2Sign(message: Uint8Array, key: Sm2KeyPair): string {
  return sm2.doSignature(Array.from(message), key.privateKey, {
    hash: true,
    der: true,
    publicKey: key.publicKey,
  });
}

/** True only for a good signature; malformed keys or signatures give false, never an exception (F-13). */
export function sm2Verify(message: Uint8Array, signatureHex: string, publicKey: string): boolean {
  if (!/^04[0-9a-f]{128}$/i.test(publicKey) || !/^(?:[0-9a-f]{2}){8,80}$/i.test(signatureHex)) return false;
  try {
    return sm2.doVerifySignature(Array.from(message), signatureHex.toLowerCase(), publicKey, {
      hash: true,
      der: true,
    });
  } catch {
    return false;
  }
}

// SubjectPublicKeyInfo prefix: SEQUENCE { SEQUENCE { id-ecPublicKey 1.2.840.10045.2.1,
// sm2 curve 1.2.156.10197.1.301 }, BIT STRING (0 unused bits) } followed by the 65-byte point.
const SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

/** The public key as a PEM SubjectPublicKeyInfo, for OpenSSL and other verifiers outside this system. */
export function sm2PublicKeyPem(publicKey: string): string {
  if (!/^04[0-9a-f]{128}$/i.test(publicKey))
    throw new RangeError('SM2 public key must be 04||x||y (130 hex)');
  const der = Buffer.from(SPKI_PREFIX + publicKey.toLowerCase(), 'hex');
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN PUBLIC KEY-----\n${body}-----END PUBLIC KEY-----\n`;
}
