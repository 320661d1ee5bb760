/**
 * Least privilege in the database (MLPS 2.0 L3 最小权限; issue: `RESET ROLE` must not regain the owner's
 * rights). Migrations, reference data and pg-boss's schema run on the owner's connection
 * (MIGRATION_DATABASE_URL); the server's own pool logs in as `zz_app` (migration 0200: read/write business
 * tables, append-only audit), a role that is neither a superuser nor a member of the owner.
 *
 * Development keeps one URL: when DATABASE_URL is the owner's own login, the owner gives `zz_app` LOGIN with
 * a password derived from the owner's URL (whoever knows it is the owner already; every process on the same
 * database derives the same one, so several processes never reset each other's password) and the pool
 * connects as `zz_app`. Production refuses to start on an owner login.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type AppDatabase } from './database';
import type { DB } from './schema';

export const APP_ROLE = 'zz_app';

export interface LoginPrivileges {
  sessionUser: string;
  superuser: boolean;
  /** Owns the schema's tables or may become their owner (SET ROLE / member). */
  ownerMember: boolean;
}

export async function loginPrivileges(db: Kysely<DB>): Promise<LoginPrivileges> {
  const { rows } = await sql<{ sessionUser: string; superuser: boolean; ownerMember: boolean }>`
    SELECT session_user AS session_user,
           r.rolsuper AS superuser,
           pg_has_role(session_user, c.relowner, 'MEMBER') AS owner_member
      FROM pg_roles r, pg_class c
     WHERE r.rolname = session_user AND c.oid = 'public.schema_migration'::regclass`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('schema_migration is missing: migrate before opening the app login');
  return row;
}

/** Why this login is too powerful for the server (empty when it is fit). */
export function privilegeProblems(p: LoginPrivileges): string[] {
  const problems: string[] = [];
  if (p.superuser) problems.push(`${p.sessionUser} is a superuser`);
  if (p.ownerMember) problems.push(`${p.sessionUser} owns the tables or may become their owner`);
  return problems;
}

/** Roles are per server, not per database: the same owner login derives the same password on every database. */
export function derivedAppPassword(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  const cluster = `${u.username}:${u.password}@${u.hostname}:${u.port || '5432'}`;
  return createHash('sha256').update(`zz_app login\n${cluster}`).digest('hex').slice(0, 40);
}

/** The owner's URL with the app login in place of the owner's user and password. */
export function appLoginUrl(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = derivedAppPassword(ownerUrl);
  return u.toString();
}

/** Run on the owner's connection: lets zz_app log in with the derived password (idempotent). */
export async function provisionAppLogin(owner: Kysely<DB>, ownerUrl: string): Promise<void> {
  // The password is hex, so it is safe as a literal; ALTER ROLE takes no bind parameters.
  await sql
    .raw(
      `ALTER ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD '${derivedAppPassword(ownerUrl)}'`,
    )
    .execute(owner);
}

/**
 * Opens the server's pool as zz_app with the password derived from the owner's URL. The owner sets that
 * password only when the login fails (first start on this server): many processes starting at once would
 * otherwise update the role concurrently ("tuple concurrently updated").
 */
export async function openDerivedAppLogin(
  owner: Kysely<DB>,
  ownerUrl: string,
  onPoolError: (err: Error) => void,
): Promise<AppDatabase> {
  const url = appLoginUrl(ownerUrl);
  const tryOpen = async () => {
    const app = await openDatabase({ kind: 'postgres', url, onPoolError });
    try {
      await sql`SELECT 1`.execute(app.db);
      return app;
    } catch (err) {
      await app.close().catch(() => undefined);
      throw err;
    }
  };
  try {
    return await tryOpen();
  } catch (err) {
    if (!isLoginRefused(err)) throw err;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await provisionAppLogin(owner, ownerUrl);
      break;
    } catch (err) {
      // Another process (maybe on another database of the same server) is setting the same password.
      if (attempt >= 5 || !/concurrently/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
  return tryOpen();
}

function isLoginRefused(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '28P01' || code === '28000';
}
