import type { Generated, JSONColumnType } from 'kysely';

export interface AuditEventTable {
  id: Generated<number>;
  occurredAt: Date;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  objectType: string;
  objectId: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  /** Null until the sealer chains the event (migration 0460). */
  prevHash: string | null;
  hash: string | null;
  /** The inserting transaction (xid8, read as text); set by the column default. */
  xid: Generated<string | null>;
  /** Chain position given by the sealer. */
  sealSeq: number | null;
  sealMac: string | null;
  recordedAt: Generated<Date | null>;
}

export interface AuditCheckpointTable {
  seq: number;
  lastEventId: number;
  eventCount: number;
  headHash: string;
  at: Date;
  keyId: string;
  signature: string;
  exported: Generated<boolean>;
}

export interface AuditTables {
  auditEvent: AuditEventTable;
  auditCheckpoint: AuditCheckpointTable;
}
