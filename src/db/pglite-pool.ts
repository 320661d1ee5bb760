/**
 * Lets Kysely's PostgresDialect drive an embedded PGlite instance.
 *
 * PGlite is one single connection, so a transaction begun by one request must not interleave with
 * statements of another: `connect()` hands out the connection under a mutex and `release()` frees it.
 * Code inside a transaction must therefore use the transaction handle, never the outer `db` (it would
 * wait for itself) — the same discipline as "db handle passed in" everywhere else.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

const commandOf = (sql: string): PostgresQueryResult<unknown>['command'] => {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  return word === 'INSERT' || word === 'UPDATE' || word === 'DELETE' || word === 'MERGE' ? word : 'SELECT';
};

/** Statements that change the acting role: refused once the connection must stay zz_app (least privilege). */
const ROLE_CHANGE = /\b(?:RESET\s+ROLE|SET\s+(?:LOCAL\s+|SESSION\s+)?ROLE|SESSION\s+AUTHORIZATION)\b/i;

export function pglitePool(pg: PGlite, mutex: Mutex, guard: { roleLocked: boolean }): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const release = await mutex.acquire();
      let released = false;
      const client = {
        async query(sql: string, parameters: readonly unknown[]) {
          if (guard.roleLocked && ROLE_CHANGE.test(sql)) {
            throw Object.assign(new Error('permission denied to change the role (least privilege)'), {
              code: '42501',
            });
          }
          const result = await pg.query(sql, parameters as unknown[]);
          return {
            command: commandOf(sql),
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows,
          };
        },
        release() {
          if (!released) {
            released = true;
            release();
          }
        },
      };
      return client as unknown as PostgresPoolClient;
    },
    async end() {
      /* the owner closes PGlite itself */
    },
  };
}
