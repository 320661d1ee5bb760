/**
 * The only reader of process.env (habit 7): parsed once at start-up, frozen, and passed on.
 * A bad value stops the process with every problem listed, not at the first request.
 */
import path from 'node:path';
import { z } from 'zod';

const optionalPostgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
  .optional()
  .or(z.literal('').transform(() => undefined));

const optionalUrl = z
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));
const optionalText = z
  .string()
  .min(1)
  .optional()
  .or(z.literal('').transform(() => undefined));

/** OpenID Connect relying party settings; null when the provincial login is not configured. */
export type OidcConfig = Readonly<{
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  creditCodeClaim: string;
  staffIdClaim: string;
  scopes: string;
  mfaAcrValues: readonly string[];
  /** http:// issuers only outside production (the local identity provider of development and tests). */
  allowInsecure: boolean;
}>;

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Freeze the whole system at this moment (tests and demos only; refused in production). */
  CLOCK_NOW: z.iso
    .datetime({ offset: true })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  /** Per-process cache of resolved sessions (issue 10 §8): seconds an entry is trusted; 0 turns it off. */
  SESSION_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(5),
  SESSION_CACHE_MAX: z.coerce.number().int().min(0).default(10_000),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** An XYZ basemap for the blueprint map, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png; none by default. */
  MAP_BASEMAP_URL: z
    .string()
    .regex(/^https:\/\/.+\{z\}.*\{x\}.*\{y\}/, 'an https XYZ template with {z}, {x} and {y}')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Working days an applicant has to answer a 补正 when the request names no date. */
  CORRECTION_DUE_WORKING_DAYS: z.coerce.number().int().min(1).max(120).default(20),
  /** 双随机一公开: working days within which a draw's inspection results are to be published. */
  INSPECTION_PUBLISH_WORKING_DAYS: z.coerce.number().int().min(1).max(120).default(20),
  /**
   * Proxies whose X-Forwarded-* headers are believed: empty (the default) trusts none; a number trusts that
   * many hops; otherwise a comma-separated list of addresses or CIDR ranges.
   */
  TRUST_PROXY: z.string().default(''),
  /** Owner connection for migrations; the server itself logs in with DATABASE_URL as a non-owner role. */
  MIGRATION_DATABASE_URL: optionalPostgresUrl,
  /** Statistics may read from a streaming replica. */
  READ_DATABASE_URL: optionalPostgresUrl,
  /** JSON file with the SM2 signing keys (certificates, audit checkpoints); generated under DATA_DIR if absent outside production. */
  SIGNING_KEY_FILE: z.string().optional(),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
  /** Staff passwords expire after this many days; 0 never. */
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).default(90),
  PASSWORD_HISTORY: z.coerce.number().int().min(0).max(24).default(5),
  /** Roles that must use the second factor (TOTP); in production admin and supervisor always must. */
  MFA_REQUIRED_ROLES: z.string().default(''),
  /** Failed logins from one client address within the window before that address is throttled. */
  LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** 省前置库 (issue 14): where SPGL rows are uploaded; absent → an embedded PGlite under DATA_DIR/province. */
  PROVINCE_DATABASE_URL: optionalPostgresUrl,
  /** The province's notification URL, called once per uploaded batch; absent → no notification. */
  PROVINCE_NOTIFY_URL: z.url().optional(),
  /** Anonymous certificate verifications per client address and minute. */
  VERIFY_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Anonymous enterprise self-registrations per client address and minute. */
  REGISTRATION_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** JSON nesting deeper than this is refused before any work. */
  JSON_MAX_DEPTH: z.coerce.number().int().min(4).max(256).default(32),
  /** Stored bytes per enterprise (all its users' uploads). */
  STORAGE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(2 * 1024 * 1024 * 1024),
  /** Uploaded files never attached to an application are removed after this many days. */
  UNATTACHED_FILE_DAYS: z.coerce.number().int().min(1).default(7),
  IMPORT_MAX_UNCOMPRESSED_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(512 * 1024 * 1024),
  IMPORT_MAX_RATIO: z.coerce.number().min(1).default(100),
  IMPORT_MAX_ENTRIES: z.coerce.number().int().min(1).default(64),
  /** The audit sealer writes a signed checkpoint every N sealed events or M minutes. */
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(1000),
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).default(10),
  AUDIT_CHECKPOINT_DIR: z.string().optional(),
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  /**
   * 统一身份认证 (issue 14 item 4): OpenID Connect login through the provincial identity provider. Off unless
   * OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set (all or none).
   */
  OIDC_ISSUER_URL: optionalUrl,
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  /** Where the provider sends the browser back; default PUBLIC_BASE_URL + /api/auth/oidc/callback. */
  OIDC_REDIRECT_URL: optionalUrl,
  /** The claim carrying an enterprise person's 统一社会信用代码, and the one carrying a staff member's 工号. */
  OIDC_CREDIT_CODE_CLAIM: z.string().min(1).default('uscc'),
  OIDC_STAFF_ID_CLAIM: z.string().min(1).default('staff_id'),
  /** Space-separated scopes asked for (openid is always included). */
  OIDC_SCOPES: z.string().default('openid profile'),
  /** `acr` values the provider sends for a login with two factors (comma-separated); amr is read as well. */
  OIDC_MFA_ACR_VALUES: z.string().default(''),
  /** API processes `npm start` runs (PostgreSQL only). */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
});

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  clockNow: Date | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  sessionCacheSeconds: number;
  sessionCacheMax: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  uploadMaxBytes: number;
  publicBaseUrl: string | undefined;
  mapBasemapUrl: string | undefined;
  correctionDueWorkingDays: number;
  inspectionPublishWorkingDays: number;
  trustProxy: boolean | number | string[];
  migrationDatabaseUrl: string | undefined;
  readDatabaseUrl: string | undefined;
  signingKeyFile: string;
  passwordMinLength: number;
  passwordMaxAgeDays: number;
  passwordHistory: number;
  mfaRequiredRoles: readonly string[];
  loginAddressMaxFailures: number;
  loginWindowMinutes: number;
  verifyRatePerMinute: number;
  registrationRatePerMinute: number;
  provinceDatabaseUrl: string | undefined;
  provinceNotifyUrl: string | undefined;
  jsonMaxDepth: number;
  storageQuotaBytes: number;
  unattachedFileDays: number;
  importMaxUncompressedBytes: number;
  importMaxRatio: number;
  importMaxEntries: number;
  auditCheckpointEvery: number;
  auditCheckpointMinutes: number;
  auditCheckpointDir: string;
  auditSealIntervalMs: number;
  webConcurrency: number;
  oidc: OidcConfig | null;
}>;

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.CLOCK_NOW) {
    throw new ConfigError('Invalid configuration:\n  CLOCK_NOW: refused when NODE_ENV=production');
  }
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && !e.PUBLIC_BASE_URL) {
    problems.push('  PUBLIC_BASE_URL: required when NODE_ENV=production (every printed link comes from it)');
  }
  if (e.NODE_ENV === 'production' && !e.SIGNING_KEY_FILE) {
    problems.push('  SIGNING_KEY_FILE: required when NODE_ENV=production (keys never live in the database)');
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (trustProxy === null)
    problems.push('  TRUST_PROXY: a hop count or comma-separated addresses/CIDR ranges');
  const oidc = parseOidc(e, problems);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const dataDir = path.resolve(e.DATA_DIR);
  const mfaRoles = e.MFA_REQUIRED_ROLES.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (e.NODE_ENV === 'production') mfaRoles.push('admin', 'supervisor');
  return Object.freeze({
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    clockNow: e.CLOCK_NOW ? new Date(e.CLOCK_NOW) : undefined,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    sessionCacheSeconds: e.SESSION_CACHE_SECONDS,
    sessionCacheMax: e.SESSION_CACHE_MAX,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMinutes: e.LOGIN_LOCK_MINUTES,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    mapBasemapUrl: e.MAP_BASEMAP_URL,
    correctionDueWorkingDays: e.CORRECTION_DUE_WORKING_DAYS,
    inspectionPublishWorkingDays: e.INSPECTION_PUBLISH_WORKING_DAYS,
    trustProxy: trustProxy!,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL,
    readDatabaseUrl: e.READ_DATABASE_URL,
    signingKeyFile: path.resolve(e.SIGNING_KEY_FILE ?? path.join(dataDir, 'signing-keys.json')),
    passwordMinLength: e.PASSWORD_MIN_LENGTH,
    passwordMaxAgeDays: e.PASSWORD_MAX_AGE_DAYS,
    passwordHistory: e.PASSWORD_HISTORY,
    mfaRequiredRoles: Object.freeze([...new Set(mfaRoles)]),
    loginAddressMaxFailures: e.LOGIN_ADDRESS_MAX_FAILURES,
    loginWindowMinutes: e.LOGIN_WINDOW_MINUTES,
    verifyRatePerMinute: e.VERIFY_RATE_PER_MINUTE,
    registrationRatePerMinute: e.REGISTRATION_RATE_PER_MINUTE,
    provinceDatabaseUrl: e.PROVINCE_DATABASE_URL,
    provinceNotifyUrl: e.PROVINCE_NOTIFY_URL,
    jsonMaxDepth: e.JSON_MAX_DEPTH,
    storageQuotaBytes: e.STORAGE_QUOTA_BYTES,
    unattachedFileDays: e.UNATTACHED_FILE_DAYS,
    importMaxUncompressedBytes: e.IMPORT_MAX_UNCOMPRESSED_BYTES,
    importMaxRatio: e.IMPORT_MAX_RATIO,
    importMaxEntries: e.IMPORT_MAX_ENTRIES,
    auditCheckpointEvery: e.AUDIT_CHECKPOINT_EVERY,
    auditCheckpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
    auditCheckpointDir: path.resolve(e.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'audit-checkpoints')),
    auditSealIntervalMs: e.AUDIT_SEAL_INTERVAL_MS,
    webConcurrency: e.WEB_CONCURRENCY,
    oidc,
  });
}

const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

function parseOidc(e: z.infer<typeof EnvSchema>, problems: string[]): OidcConfig | null {
  const set = [e.OIDC_ISSUER_URL, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (set === 0) return null;
  if (set < 3) {
    problems.push('  OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three or none');
    return null;
  }
  const production = e.NODE_ENV === 'production';
  const redirectUrl =
    e.OIDC_REDIRECT_URL ??
    (e.PUBLIC_BASE_URL ? new URL(OIDC_CALLBACK_PATH, e.PUBLIC_BASE_URL).toString() : undefined);
  if (!redirectUrl) {
    problems.push('  OIDC_REDIRECT_URL: required when PUBLIC_BASE_URL is not set');
    return null;
  }
  if (production && !e.OIDC_ISSUER_URL!.startsWith('https://')) {
    problems.push('  OIDC_ISSUER_URL: must be https:// when NODE_ENV=production');
  }
  if (production && !redirectUrl.startsWith('https://')) {
    problems.push('  OIDC_REDIRECT_URL: must be https:// when NODE_ENV=production');
  }
  return Object.freeze({
    issuerUrl: e.OIDC_ISSUER_URL!,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    redirectUrl,
    creditCodeClaim: e.OIDC_CREDIT_CODE_CLAIM,
    staffIdClaim: e.OIDC_STAFF_ID_CLAIM,
    scopes: [...new Set(['openid', ...e.OIDC_SCOPES.split(/\s+/).filter(Boolean)])].join(' '),
    mfaAcrValues: Object.freeze(
      e.OIDC_MFA_ACR_VALUES.split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
    allowInsecure: !production,
  });
}

/** '' → trust none; '2' → two hops; 'a,b/24' → those addresses. null when malformed. */
function parseTrustProxy(value: string): boolean | number | string[] | null {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  const list = v.split(',').map((s) => s.trim());
  return list.every((a) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a) || a === 'loopback') ? list : null;
}

export function loadConfig(): Config {
  return parseConfig(process.env);
}
