/**
 * Rate limiting of anonymous routes with @fastify/rate-limit, counted in the database (table
 * http_rate_limit) so that every API process (WEB_CONCURRENCY > 1) and a restart see the same counts.
 * Routes opt in with `config: { rateLimit: { max, timeWindow } }`; the key is `request.ip` (an IPv6 client by
 * its /64), which is the socket address unless TRUST_PROXY names the proxy the request came through.
 *
 * Windows start at a key's first hit and are timed by the database clock (`now()`), not by the
 * application clock: CLOCK_NOW freezes business time for demos, and a frozen window would never reopen.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { DomainError } from '../shared/errors';
import type { App } from './context';

/** What the plugin hands a store: the merged options, with `routeInfo` (method, url) for a route's child. */
type StoreOptions = { routeInfo?: { method?: string | string[]; url?: string } } | object;
type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** Expired buckets are removed now and then, so address spraying cannot grow the table without bound. */
const PRUNE_EVERY = 200;

export function postgresRateLimitStore(db: Kysely<DB>) {
  let calls = 0;
  return class PostgresRateLimitStore {
    readonly prefix: string;
    constructor(options: StoreOptions = {}) {
      const r = 'routeInfo' in options ? options.routeInfo : undefined;
      this.prefix = r?.url ? `${[r.method].flat().join(',')} ${r.url}|` : '';
    }

    incr(key: string, cb: Callback, timeWindow: number) {
      this.count(`${this.prefix}${key}`, timeWindow).then(
        (res) => cb(null, res),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
    }

    child(routeOptions: StoreOptions) {
      return new PostgresRateLimitStore(routeOptions);
    }

    private async count(key: string, timeWindow: number) {
      const window = `${Math.max(1, Math.trunc(timeWindow))} milliseconds`;
      const { rows } = await sql<{ hits: number; ttl: number }>`
        INSERT INTO http_rate_limit AS b (key, window_start, hits) VALUES (${key}, now(), 1)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN b.window_start > now() - ${window}::interval THEN b.hits + 1 ELSE 1 END,
          window_start = CASE WHEN b.window_start > now() - ${window}::interval THEN b.window_start ELSE now() END
        RETURNING hits,
          greatest(0, extract(epoch FROM (window_start + ${window}::interval - now())) * 1000)::float8 AS ttl`.execute(
        db,
      );
      if (++calls % PRUNE_EVERY === 0) {
        await sql`DELETE FROM http_rate_limit WHERE window_start < now() - interval '1 day'`.execute(db);
      }
      const row = rows[0]!;
      return { current: Number(row.hits), ttl: Math.ceil(Number(row.ttl)) };
    }
  };
}

export async function registerRateLimit(app: App, db: Kysely<DB>) {
  await app.register(fastifyRateLimit, {
    global: false,
    store: postgresRateLimitStore(db),
    // The default key: request.ip (TRUST_PROXY decides it), IPv4-mapped addresses as IPv4, and IPv6
    // addresses by their /64 — one subscriber's allocation, so rotating addresses within it gains nothing.
    ipv6Subnet: 64,
    // Thrown as a domain error, so the one error mapper answers {error:{code:'RATE_LIMITED',…}} with 429.
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'RATE_LIMITED',
        `请求过于频繁，请 ${Math.max(1, Math.ceil(context.ttl / 1000))} 秒后再试 (too many requests)`,
      ),
  });
}
