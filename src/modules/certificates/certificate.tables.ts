import type { ColumnType, Generated, JSONColumnType } from 'kysely';

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
  /** 中止: the conclusion it rests on was revoked (issue 11); null = not suspended. */
  suspendedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  suspendedReason: ColumnType<string | null, string | null | undefined, string | null>;
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
