/**
 * The closed set of domain error codes (habit 6). Services throw DomainError; only src/http/errors.ts
 * turns a code into an HTTP status. Each code says when it is thrown.
 */
export const errorCodes = {
  /** A request field is missing or malformed (Zod validation). */
  VALIDATION_FAILED: 400,
  /** A date parameter is not a real YYYY-MM-DD date. */
  INVALID_DATE: 400,
  /** Not logged in, or the session expired. */
  AUTH_REQUIRED: 401,
  /** Wrong user name or password (same answer for unknown users: no enumeration). */
  AUTH_INVALID_CREDENTIALS: 401,
  /** Too many failed logins: the account is locked for a while (MLPS 8.1.4.1 b). */
  AUTH_ACCOUNT_LOCKED: 423,
  /** The account is disabled by an administrator. */
  AUTH_ACCOUNT_DISABLED: 403,
  /** A state-changing request without the session's X-CSRF-Token. */
  CSRF_TOKEN_INVALID: 403,
  /** The user's role may not do this. */
  FORBIDDEN_ROLE: 403,
  /** The object belongs to another department or enterprise. */
  FORBIDDEN_SCOPE: 403,
  /** 帮办代办: the enterprise has not consented (or no longer, or not to this) — the message says which. */
  CONSENT_REQUIRED: 403,
  /** No such object (or not visible to this user). */
  NOT_FOUND: 404,
  /** The object changed state meanwhile, or the step is already decided / not reached. */
  CONFLICT_STATE: 409,
  /** A unique value (code, user name, …) is already taken. */
  CONFLICT_DUPLICATE: 409,
  /** The same Idempotency-Key was used for a different request body. */
  IDEMPOTENCY_MISMATCH: 422,
  /** A business rule refuses the request (the message says which). */
  RULE_VIOLATION: 422,
  /** The stage cannot be applied for yet: its previous stage is not complete (no parallel progress). */
  STAGE_NOT_OPEN: 422,
  /** Required materials are missing and may not be missing under 容缺. */
  MATERIALS_MISSING: 422,
  /** The stage form lacks a required field or has a value of the wrong type. */
  FORM_INVALID: 422,
  /** 告知承诺 asked for an item that does not allow it, or by a black-listed enterprise. */
  COMMITMENT_NOT_ALLOWED: 422,
  /** A prerequisite item (of this or an earlier stage) is not approved yet. */
  PREREQUISITE_NOT_MET: 409,
  /** A 容缺 material is past its due date: the final certificate is blocked until it is supplied. */
  DEFICIENCY_OVERDUE: 422,
  /** The catalog or a template fails its validator. */
  CATALOG_INVALID: 422,
  /** Upload too large. */
  PAYLOAD_TOO_LARGE: 413,
  /** Upload of a type that is not allowed (sniffed from content). */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many requests from one client. */
  RATE_LIMITED: 429,
  /** The enterprise's stored files would exceed its storage quota (STORAGE_QUOTA_BYTES). */
  QUOTA_EXCEEDED: 413,
  /** The database is unreachable for now (connection lost, restarting, pool exhausted); the request changed nothing. */
  DATABASE_UNAVAILABLE: 503,
  /** An unexpected fault; details are in the server log, never in the answer. */
  INTERNAL: 500,
  /** The password was right and the account has a second factor: send `totpCode` (6 digits) too. */
  AUTH_SECOND_FACTOR_REQUIRED: 401,
  /** The second-factor code is wrong, expired or already used (counts as a failed login). */
  AUTH_SECOND_FACTOR_INVALID: 401,
  /** Changing the password: the current password given is wrong (counts as a failed login). */
  AUTH_PASSWORD_WRONG: 422,
  /** A new password breaks the policy (length, character classes, user name, one of the recent ones). */
  PASSWORD_POLICY_VIOLATION: 422,
  /** The session may only change its expired password or enrol the second factor, not this. */
  AUTH_SESSION_RESTRICTED: 403,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** The request field the error is about, e.g. "body.site" or "query.start". */
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { field?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'DomainError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
  }
}

export const notFound = (what: string, id: string | number) =>
  new DomainError('NOT_FOUND', `${what} ${id} 不存在 (not found)`);
