/**
 * What an outside verifier needs (issue 10 §3): the public keys, and a certificate's exact signed bytes
 * with its signature, so that OpenSSL 3 alone checks the SM2 signature — no trust in this server's own
 * "valid" answer.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { notFound } from '../../shared/errors';
import * as repo from './certificate.repository';
import { signatureMessage } from './certificate.rules';
import { publishedKeys, verificationKey } from './signing-keys';
import { SM2_USER_ID, sm2PublicKeyPem } from './sm2';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SIGNATURE_SCHEME = {
  algorithm: 'SM2 (GB/T 32918.2)',
  digest: 'SM3 with Z_A (GB/T 32905)',
  distinguishingId: SM2_USER_ID,
  encoding: 'DER SEQUENCE { r INTEGER, s INTEGER }',
} as const;

export async function listPublicKeys(db: Kysely<DB>) {
  return { scheme: SIGNATURE_SCHEME, keys: await publishedKeys(db) };
}

/** The stored content's canonical bytes (what was signed, unless someone edited the row), signature, key. */
export async function signedCertificate(db: Kysely<DB>, id: string) {
  const row = UUID.test(id) ? await repo.findWithDepartment(db, id) : undefined;
  if (!row) throw notFound('电子证照 certificate', id);
  const message = Buffer.from(signatureMessage(row.content));
  const key = await verificationKey(db, row.signerKeyId);
  const pem = key && /^04[0-9a-f]{128}$/i.test(key.publicKey) ? sm2PublicKeyPem(key.publicKey) : null;
  return {
    id: row.id,
    identifier: row.identifier,
    keyId: row.signerKeyId,
    scheme: SIGNATURE_SCHEME,
    message,
    signature: Buffer.from(row.signature, 'hex'),
    publicKeyPem: pem,
  };
}
