import type { ColumnType, Generated } from 'kysely';
import type { SessionRestriction } from './password-policy.rules';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Optional<T> = ColumnType<T, T | undefined, T>;

export interface DepartmentTable {
  code: string;
  name: string;
  kind: 'government' | 'utility' | 'review_body';
  leadsStages: number[];
  createdAt: CreatedAt;
  /** Issue 15: the division of a district department, and the city department of its line. */
  districtCode: Optional<string | null>;
  parentCode: Optional<string | null>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface EnterpriseTable {
  id: Generated<string>;
  name: string;
  creditCode: string;
  legalPerson: string | null;
  createdAt: CreatedAt;
  /** Issue 15: self-registered enterprises wait for the window or an administrator. */
  status: ColumnType<'pending' | 'confirmed' | 'rejected', 'pending' | 'confirmed' | 'rejected' | undefined>;
  contactPhone: Optional<string | null>;
  reviewedAt: Optional<Date | null>;
  reviewedBy: Optional<string | null>;
  reviewNote: Optional<string | null>;
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
  /** Issue 15: the district of district staff (NULL: city level). */
  districtCode: Optional<string | null>;
  /** Issue 15: the administrator requires this user's second factor. */
  mfaRequired: ColumnType<boolean, boolean | undefined, boolean>;
  /** An administrator set this password (new user, reset): it must be changed at the next login. */
  passwordTemporary: ColumnType<boolean, boolean | undefined, boolean>;
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

/** 统一身份认证 (0600): a login started at the identity provider, good once and briefly. */
export interface OidcLoginStateTable {
  stateHash: string;
  browserHash: string;
  codeVerifier: string;
  nonce: string;
  createdAt: Date;
  expiresAt: Date;
}

/** 统一身份认证 (0600): a local account ↔ (issuer, subject) at an identity provider. */
export interface UserIdentityLinkTable {
  id: Generated<string>;
  userId: string;
  issuer: string;
  subject: string;
  createdAt: Date;
  lastLoginAt: Date;
}

export interface IdentityTables {
  department: DepartmentTable;
  enterprise: EnterpriseTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
  loginFailure: LoginFailureTable;
  loginThrottle: LoginThrottleTable;
  passwordHistory: PasswordHistoryTable;
  oidcLoginState: OidcLoginStateTable;
  userIdentityLink: UserIdentityLinkTable;
}
