import type { Generated, JSONColumnType } from 'kysely';

export interface CertificateTable {
  id: Generated<string>;
  identifier: string;
  taskId: string;
  projectId: string;
  type: string;
  title: string;
  holderName: string;
  holderCode: string;
  content: JSONColumnType<Record<string, unknown>, string, string>;
  issuedAt: Date;
  validUntil: string;
  signature: string;
  signerKeyId: string;
  simulated: boolean;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export interface SigningKeyTable {
  id: string;
  algorithm: 'SM2';
  publicKey: string;
  active: boolean;
  createdAt: Date;
}

export interface CertificateTables {
  certificate: CertificateTable;
  signingKey: SigningKeyTable;
}
