import type { Generated } from 'kysely';

export interface PortalQueryCodeTable {
  projectId: string;
  codeHash: string;
  issuedAt: Date;
}

export type ConsultationStatus = 'open' | 'answered' | 'closed';

export interface PortalConsultationTable {
  id: Generated<string>;
  routedTo: string;
  topic: string;
  question: string;
  askerName: string;
  askerContact: string;
  ticketHash: string;
  askedAt: Date;
  dueOn: string;
  status: ConsultationStatus;
  answer: string | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  published: Generated<boolean>;
  version: Generated<number>;
}

export interface PortalTables {
  portalQueryCode: PortalQueryCodeTable;
  portalConsultation: PortalConsultationTable;
}
