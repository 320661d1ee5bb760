import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type ClockStateValue = 'normal' | 'warning' | 'overdue';

export interface ItemClockSettingTable {
  itemCode: string;
  warningDays: number;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export interface TaskClockTable {
  taskId: string;
  deadline: string;
  remainingDays: number;
  overdueDays: number;
  clockState: ClockStateValue;
  paused: boolean;
  pausedDays: number;
  finished: boolean;
  finishedOn: string | null;
  usedDays: number | null;
  refreshedAt: Date;
}

export interface ClockTransitionTable {
  taskId: string;
  clockState: ClockStateValue;
  at: Date;
}

export interface NotificationTable {
  id: Generated<string>;
  userId: string;
  kind: string;
  title: string;
  body: string;
  objectType: string;
  objectId: string;
  createdAt: Date;
  readAt: Date | null;
}

export type OrderStatus = 'open' | 'answered' | 'escalated';

export interface SupervisionOrderTable {
  id: Generated<string>;
  taskId: string;
  departmentCode: string;
  stage: number;
  message: string;
  responseWorkingDays: number;
  dueDate: string;
  status: OrderStatus;
  issuedBy: string;
  issuedAt: Date;
  response: string | null;
  respondedBy: string | null;
  respondedAt: Date | null;
  escalatedAt: Date | null;
}

export interface AnomalyTable {
  id: Generated<string>;
  rule: string;
  objectType: string;
  objectId: string;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  detectedAt: Date;
  status: 'open' | 'closed';
  closedBy: string | null;
  closedAt: Date | null;
  note: string | null;
}

export interface SupervisionSettingTable {
  key: string;
  value: number;
}

export interface CertificateVerificationLogTable {
  id: Generated<number>;
  certificateId: string;
  found: boolean;
  /** The last verification of the day (0440: one row per id, client address and Beijing day). */
  verifiedAt: Date;
  clientAddress: Generated<string>;
  day: string;
  attempts: Generated<number>;
  firstVerifiedAt: Date;
}

export interface StatsReportTable {
  id: Generated<string>;
  month: string;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  generatedAt: Date;
  generatedBy: string | null;
  /** Issue 15 (0620): the district the report covers; null = the whole city. */
  districtCode: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SupervisionTables {
  itemClockSetting: ItemClockSettingTable;
  taskClock: TaskClockTable;
  clockTransition: ClockTransitionTable;
  notification: NotificationTable;
  supervisionOrder: SupervisionOrderTable;
  anomaly: AnomalyTable;
  supervisionSetting: SupervisionSettingTable;
  certificateVerificationLog: CertificateVerificationLogTable;
  statsReport: StatsReportTable;
}
