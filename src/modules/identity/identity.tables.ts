import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface DepartmentTable {
  code: string;
  name: string;
  kind: 'government' | 'utility' | 'review_body';
  leadsStages: number[];
  createdAt: CreatedAt;
}

export interface EnterpriseTable {
  id: Generated<string>;
  name: string;
  creditCode: string;
  legalPerson: string | null;
  createdAt: CreatedAt;
}

export interface AppUserTable {
  id: Generated<string>;
  username: string;
  displayName: string;
  role: string;
  departmentCode: string | null;
  enterpriseId: string | null;
  passwordHash: string;
  passwordChangedAt: ColumnType<Date, Date | undefined, Date>;
  failedLoginCount: ColumnType<number, number | undefined, number>;
  lockedUntil: Date | null;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: CreatedAt;
}

export interface UserSessionTable {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface IdentityTables {
  department: DepartmentTable;
  enterprise: EnterpriseTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
}
