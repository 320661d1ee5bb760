/**
 * The only reader of process.env (habit 7): parsed once at start-up, frozen, and passed on.
 * A bad value stops the process with every problem listed, not at the first request.
 */
import path from 'node:path';
import { z } from 'zod';

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
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Working days an applicant has to answer a 补正 when the request names no date. */
  CORRECTION_DUE_WORKING_DAYS: z.coerce.number().int().min(1).max(120).default(20),
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
  loginMaxFailures: number;
  loginLockMinutes: number;
  uploadMaxBytes: number;
  publicBaseUrl: string | undefined;
  correctionDueWorkingDays: number;
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
  return Object.freeze({
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    clockNow: e.CLOCK_NOW ? new Date(e.CLOCK_NOW) : undefined,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMinutes: e.LOGIN_LOCK_MINUTES,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    correctionDueWorkingDays: e.CORRECTION_DUE_WORKING_DAYS,
  });
}

export function loadConfig(): Config {
  return parseConfig(process.env);
}
