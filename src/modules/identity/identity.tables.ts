import type { ColumnType, Generated } from 'kysely';
import type { SessionRestriction } from './password-policy.rules';

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
  passwordExpiryExempt: ColumnType<boolean, boolean | undefined, boolean>;
  totpPendingSecret: ColumnType<string | null, string | null | undefined, string | null>;
  totpSecret: ColumnType<string | null, string | null | undefined, string | null>;
  totpEnabledAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The last TOTP time step accepted (a code is good once). */
  totpLastStep: ColumnType<number | null, number | null | undefined, number | null>;
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
  restriction: ColumnType<
    SessionRestriction | null,
    SessionRestriction | null | undefined,
    SessionRestriction | null
  >;
}

export interface LoginFailureTable {
  id: Generated<number>;
  accountKey: string;
  address: string;
  failedAt: Date;
}

export interface LoginThrottleTable {
  id: Generated<string>;
  scope: 'address' | 'account_address';
  accountKey: string | null;
  address: string;
  failures: number;
  startedAt: Date;
  endsAt: Date;
  clearedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  clearedBy: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PasswordHistoryTable {
  id: Generated<number>;
  userId: string;
  passwordHash: string;
  retiredAt: Date;
}

export interface IdentityTables {
  department: DepartmentTable;
  enterprise: EnterpriseTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
  loginFailure: LoginFailureTable;
  loginThrottle: LoginThrottleTable;
  passwordHistory: PasswordHistoryTable;
}
