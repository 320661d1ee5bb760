import type { ColumnType, Generated } from 'kysely';

/** 委托代办: an enterprise's consent that one agent act for it (migration 0610). */
export interface AgencyConsentTable {
  id: Generated<string>;
  enterpriseId: string;
  agentUserId: string;
  mayRegisterProject: boolean;
  mayApplyStage: boolean;
  /** The last day (Beijing, YYYY-MM-DD) the consent holds. */
  validUntil: string;
  note: string | null;
  grantedBy: string;
  grantedAt: Date;
  revokedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  revokedBy: ColumnType<string | null, string | null | undefined, string | null>;
  revokeReason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AgencyTables {
  agencyConsent: AgencyConsentTable;
}
