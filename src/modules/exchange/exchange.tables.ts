import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export interface ExchangeOutboxTable {
  id: Generated<string>;
  objectType: string;
  objectId: string;
  action: string;
  toState: string | null;
  reason: string | null;
  actorUserId: string | null;
  occurredAt: Date;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  processedAt: Date | null;
}

export type UploadState = 'pending' | 'uploaded' | 'invalid' | 'dead';

export interface ExchangeRowTable {
  tableCode: string;
  dfsjzj: string;
  projectId: string | null;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  checksum: string;
  problems: JSONColumnType<{ rule: string; field: string; message: string }[], string, string>;
  uploadState: UploadState;
  attempts: ColumnType<number, number | undefined, number>;
  nextAttemptAt: Date;
  lastError: string | null;
  changedAt: Date;
  uploadedAt: Date | null;
  uploadedChecksum: string | null;
}

export interface ExchangeBatchTable {
  id: Generated<string>;
  createdAt: Date;
  rowCount: number;
  tables: JSONColumnType<Record<string, number>, string, string>;
  notifyState: 'pending' | 'delivered' | 'dead' | 'skipped';
  notifyAttempts: ColumnType<number, number | undefined, number>;
  nextNotifyAt: Date;
  notifiedAt: Date | null;
  lastError: string | null;
}

export interface ExchangeReconciliationTable {
  id: Generated<string>;
  runAt: Date;
  differences: number;
  tables: JSONColumnType<unknown[], string, string>;
  error: string | null;
}

export interface ExchangeTables {
  exchangeOutbox: ExchangeOutboxTable;
  exchangeRow: ExchangeRowTable;
  exchangeBatch: ExchangeBatchTable;
  exchangeReconciliation: ExchangeReconciliationTable;
}
