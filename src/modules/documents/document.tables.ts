/** Tables of the documents module (migration 0530). */
import type { Generated, JSONColumnType } from 'kysely';
import type { DocumentKind } from './document.rules';

export interface DocumentSerialTable {
  issuerCode: string;
  series: string;
  year: number;
  lastValue: number;
}

export interface AdministrativeDocumentTable {
  id: string;
  seq: Generated<string>;
  kind: DocumentKind;
  number: string;
  issuerCode: string;
  projectId: string;
  applicationId: string | null;
  taskId: string | null;
  title: string;
  content: JSONColumnType<Record<string, unknown>, string, never>;
  issuedAt: Date;
  signature: string;
  signerKeyId: string;
}

export interface DocumentTables {
  documentSerial: DocumentSerialTable;
  administrativeDocument: AdministrativeDocumentTable;
}
