/** Tables of the HTTP edge itself (not of a domain module). */

/** A @fastify/rate-limit bucket: one per route and client address (src/http/rate-limit.ts). */
export interface HttpRateLimitTable {
  key: string;
  windowStart: Date;
  hits: number;
}

export interface HttpTables {
  httpRateLimit: HttpRateLimitTable;
}
