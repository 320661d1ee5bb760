/**
 * The API's OpenAPI document, built in-process from the routes' Zod schemas with no database and no
 * server: the app is assembled on a query-building-only Kysely (DummyDriver), so nothing ever connects.
 * Used by `npm run gen:api` (the web client's generated types) and by the test that keeps them fresh.
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { parseConfig } from '../config';
import type { AppDatabase } from '../db/database';
import type { DB } from '../db/schema';
import { buildApp } from '../http/app';
import type { AppContext } from '../http/context';
import { createCalendarProvider } from '../modules/calendar/calendar.service';
import { systemClock } from '../shared/clock';

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OpenApiOperation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; description?: string }>;
  [key: string]: unknown;
}

export async function buildOpenApiDocument(): Promise<OpenApiDocument> {
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const unavailable = () => Promise.reject(new Error('no database: the OpenAPI document is built offline'));
  const database: AppDatabase = {
    db,
    kind: 'pglite',
    exec: unavailable,
    rawQuery: unavailable,
    close: () => db.destroy(),
    assumeRole: unavailable,
    listen: unavailable,
  };
  const ctx: AppContext = {
    config: parseConfig({ NODE_ENV: 'test' }),
    database,
    db,
    clock: systemClock,
    calendar: createCalendarProvider(db),
    jobs: null,
  };
  const app = await buildApp(ctx);
  await app.ready();
  const document = app.swagger() as unknown as OpenApiDocument;
  await app.close();
  return document;
}
