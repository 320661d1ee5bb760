/**
 * What routes are given: the configuration, the database, the clock and the shared calendar.
 * Built once in src/server.ts (or by a test) and passed in — no hidden singletons.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { AppDatabase } from '../db/database';
import type { DB } from '../db/schema';
import type { Jobs } from '../jobs/boss';
import type { CalendarProvider } from '../modules/calendar/calendar.service';
import type { Clock } from '../shared/clock';

export interface AppContext {
  config: Config;
  database: AppDatabase;
  db: Kysely<DB>;
  /** Read-only statistics may go to a streaming replica (READ_DATABASE_URL); otherwise the same as db. */
  readDb?: Kysely<DB>;
  clock: Clock;
  calendar: CalendarProvider;
  /** pg-boss, when background jobs run in this process (null in most tests). */
  jobs: Jobs | null;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type RouteModule = (app: App, ctx: AppContext) => void;
