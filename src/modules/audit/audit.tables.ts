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
  prevHash: string;
  hash: string;
}

export interface AuditTables {
  auditEvent: AuditEventTable;
}
