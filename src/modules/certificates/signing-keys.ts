/**
 * SM2 signing keys from SIGNING_KEY_FILE (issue 9 §8), never from the database: a database dump or a
 * DBA must not be able to sign a certificate or an audit checkpoint.
 *
 * The file is JSON: `{format, certificate: [key…], audit: [key…]}`, each key `{id, created, publicKey,
 * privateKey?}`. The first key of each list signs; later ones (possibly public only) are retired keys kept
 * so that what they signed still verifies. Outside production an absent file is generated (mode 0600) on
 * first start; in production an absent or malformed file stops the start with a clear message.
 *
 * The process's keys are installed once at start-up (src/server.ts, test/app.ts): certificate issuing
 * runs deep inside the approvals transaction, which carries no configuration.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import smCrypto from 'sm-crypto';
import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import { ConfigError } from '../../config';
import type { DB } from '../../db/schema';
import * as repo from './certificate.repository';
import { generateSm2KeyPair, sm2PublicKeyPem, type Sm2KeyPair } from './sm2';

export const KEY_FILE_FORMAT = 'zz-approval-signing-keys/1';

const KeyEntry = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  created: z.iso.datetime({ offset: true }),
  publicKey: z.string().regex(/^04[0-9a-f]{128}$/i),
  privateKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/i)
    .optional(),
});
const KeyFile = z.object({
  format: z.literal(KEY_FILE_FORMAT),
  certificate: z.array(KeyEntry).min(1),
  audit: z.array(KeyEntry).min(1),
});

export type KeyEntry = z.infer<typeof KeyEntry>;
export type KeyPurpose = 'certificate' | 'audit';
export interface SigningKey extends Sm2KeyPair {
  id: string;
  created: string;
}
export interface PublicKeyInfo {
  id: string;
  purpose: KeyPurpose;
  created: string;
  current: boolean;
  publicKey: string;
  pem: string;
}

export interface SigningKeys {
  file: string;
  certificate: SigningKey;
  audit: SigningKey;
  /** Every public key of the file, current first per purpose. */
  publicKeys: PublicKeyInfo[];
  /** Private keys of retired audit keys kept in the file (the sealer still recognises their seals). */
  retiredAuditPrivateKeys: string[];
}

function newEntry(purpose: KeyPurpose, now: Date): KeyEntry {
  const pair = generateSm2KeyPair();
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return {
    id: `sm2-${purpose}-${day}-${randomBytes(4).toString('hex')}`,
    created: now.toISOString(),
    ...pair,
  };
}

export function generateKeyFileContent(now = new Date()) {
  return {
    format: KEY_FILE_FORMAT,
    certificate: [newEntry('certificate', now)],
    audit: [newEntry('audit', now)],
  } satisfies z.infer<typeof KeyFile>;
}

/** Writes a new key file; never overwrites one (a lost key would orphan every signature it made). */
export function writeNewKeyFile(file: string, now = new Date()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(generateKeyFileContent(now), null, 2) + '\n', {
    mode: 0o600,
    flag: 'wx',
  });
}

function current(purpose: KeyPurpose, entries: KeyEntry[], file: string): SigningKey {
  const k = entries[0]!;
  if (!k.privateKey) {
    throw new ConfigError(
      `Invalid signing key file ${file}:\n  ${purpose}[0] (${k.id}): the signing key needs its privateKey`,
    );
  }
  const derived = smCrypto.sm2.getPublicKeyFromPrivateKey(k.privateKey.toLowerCase()).toLowerCase();
  if (derived !== k.publicKey.toLowerCase()) {
    throw new ConfigError(
      `Invalid signing key file ${file}:\n  ${purpose}[0] (${k.id}): publicKey does not belong to privateKey`,
    );
  }
  return {
    id: k.id,
    created: k.created,
    publicKey: k.publicKey.toLowerCase(),
    privateKey: k.privateKey.toLowerCase(),
  };
}

/** Parses and checks a key file's text (F-13: a malformed key is a clear start-up error, never a crash later). */
export function parseKeyFile(text: string, file: string): SigningKeys {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`Invalid signing key file ${file}:\n  not JSON`);
  }
  const parsed = KeyFile.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid signing key file ${file}:\n${lines.join('\n')}`);
  }
  const f = parsed.data;
  const publicKeys: PublicKeyInfo[] = (['certificate', 'audit'] as const).flatMap((purpose) =>
    f[purpose].map((k, i) => ({
      id: k.id,
      purpose,
      created: k.created,
      current: i === 0,
      publicKey: k.publicKey.toLowerCase(),
      pem: sm2PublicKeyPem(k.publicKey.toLowerCase()),
    })),
  );
  if (new Set(publicKeys.map((k) => k.id)).size !== publicKeys.length) {
    throw new ConfigError(`Invalid signing key file ${file}:\n  key ids must be unique`);
  }
  return {
    file,
    certificate: current('certificate', f.certificate, file),
    audit: current('audit', f.audit, file),
    publicKeys,
    retiredAuditPrivateKeys: f.audit
      .slice(1)
      .flatMap((k) => (k.privateKey ? [k.privateKey.toLowerCase()] : [])),
  };
}

const loaded = new Map<string, SigningKeys>();

/**
 * The keys of `config.signingKeyFile`: read once per process and path; generated outside production
 * when absent. In production an absent file refuses the start.
 */
export function loadSigningKeys(config: { signingKeyFile: string; isProduction: boolean }): SigningKeys {
  const file = config.signingKeyFile;
  const cached = loaded.get(file);
  if (cached) return cached;
  if (!fs.existsSync(file)) {
    if (config.isProduction) {
      throw new ConfigError(
        `Invalid configuration:\n  SIGNING_KEY_FILE: ${file} does not exist. In production the key file is ` +
          'provided by the operator (generate one with `npx tsx src/tools/signing-keys.ts generate FILE`, ' +
          'keep it outside the database and its backups, mode 0600).',
      );
    }
    try {
      writeNewKeyFile(file);
    } catch (err) {
      // Another process of the same install generated it at the same moment: use that one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const keys = parseKeyFile(fs.readFileSync(file, 'utf8'), file);
  loaded.set(file, keys);
  return keys;
}

let installed: SigningKeys | null = null;

/** Makes these keys the ones this process signs with. */
export function installSigningKeys(keys: SigningKeys): SigningKeys {
  installed = keys;
  return keys;
}

export function installedSigningKeys(): SigningKeys {
  if (!installed) {
    throw new Error('signing keys not loaded: call installSigningKeys(loadSigningKeys(config)) at start-up');
  }
  return installed;
}

/**
 * The certificate key, its public half recorded in this database (inside the caller's transaction) so the
 * database lists every key its certificates name.
 */
export async function certificateSigningKey(trx: Transaction<DB>): Promise<SigningKey> {
  const key = installedSigningKeys().certificate;
  await repo.registerPublicKey(trx, {
    id: key.id,
    publicKey: key.publicKey,
    createdAt: new Date(key.created),
  });
  return key;
}

/**
 * The public key that verifies what `keyId` signed: the key file's copy first (a database edit cannot
 * replace it), else the database's record of a key from before the key file (old certificates).
 */
export async function verificationKey(
  db: Kysely<DB> | Transaction<DB>,
  keyId: string,
): Promise<{ publicKey: string } | undefined> {
  const fromFile = installed?.publicKeys.find((k) => k.id === keyId && k.purpose === 'certificate');
  if (fromFile) return { publicKey: fromFile.publicKey };
  return repo.findKey(db, keyId);
}

/** What GET /api/keys publishes: the file's public keys and the database's older certificate keys. */
export async function publishedKeys(db: Kysely<DB>): Promise<PublicKeyInfo[]> {
  const keys = installedSigningKeys().publicKeys;
  const known = new Set(keys.map((k) => k.id));
  // A malformed stored key is left out rather than failing the list (F-13).
  const legacy = (await repo.listKeys(db)).filter(
    (k) => !known.has(k.id) && /^04[0-9a-f]{128}$/i.test(k.publicKey),
  );
  return [
    ...keys,
    ...legacy.map((k) => ({
      id: k.id,
      purpose: 'certificate' as const,
      created: k.createdAt.toISOString(),
      current: false,
      publicKey: k.publicKey,
      pem: sm2PublicKeyPem(k.publicKey),
    })),
  ];
}
