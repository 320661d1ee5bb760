/**
 * Types of the HTTP API answers, named for the pages. They are aliases of web/src/api/schema.gen.ts, which
 * `npm run gen:api` generates from the server's OpenAPI document — the server's Zod schemas are the one
 * source; never copy a server type here by hand.
 */
import type { paths } from './schema.gen';

export type { paths } from './schema.gen';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON a route answers on success (its 200, else its 201). */
export type ApiResponse<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer S }
    ? JsonOf<S>
    : R extends { 201: infer S }
      ? JsonOf<S>
      : never
  : never;

/** The JSON body a route takes. */
export type ApiRequestBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

type SessionAnswer = ApiResponse<'/api/auth/session'>;

export type SessionUser = SessionAnswer['user'];
export type Role = SessionUser['role'];
export type Session = Pick<SessionAnswer, 'user' | 'csrfToken'>;

/** Every role, in the order menus and admin forms list them (checked against the generated Role). */
export const ALL_ROLES = [
  'applicant',
  'window',
  'reviewer',
  'senior',
  'head',
  'coordinator',
  'supervisor',
  'agent',
  'admin',
  'intermediary',
] as const satisfies readonly Role[];
// The list names every role the server knows: a role added there and not here fails the type check.
type MissingRole = Exclude<Role, (typeof ALL_ROLES)[number]>;
const everyRoleListed: MissingRole extends never ? true : MissingRole = true;
void everyRoleListed;

export type Department = ApiResponse<'/api/departments'>['departments'][number];

export type CatalogItem = ApiResponse<'/api/catalog/items'>['items'][number];
export type LegalBasisLevel = CatalogItem['legalBasisLevel'];
export type ItemStatus = CatalogItem['status'];
export type ItemMaterial = CatalogItem['materials'][number];
export type ItemFormField = CatalogItem['formFields'][number];
export type CatalogItemDetail = ApiResponse<'/api/catalog/items/{code}'>;
export type CatalogIssue = ApiResponse<'/api/catalog/validation'>['issues'][number];
export type CatalogChange = ApiResponse<'/api/catalog/changes'>['changes'][number];

export type ProcessTemplate = ApiResponse<'/api/process-templates/{code}'>;
export type TemplateStage = ProcessTemplate['stages'][number];
export type TemplateItem = TemplateStage['items'][number];

export type CalendarYearSummary = ApiResponse<'/api/calendar/years'>['years'][number];
export type CalendarSource = CalendarYear['source'] | CalendarYearSummary['source'];
export type CalendarYear = ApiResponse<'/api/calendar/years/{year}'>;
export type CalendarDay = CalendarYear['days'][number];
export type CalendarNotice = ApiRequestBody<'/api/admin/calendar/notices/{year}', 'put'> & { year: number };
export type DeadlineResult = ApiResponse<'/api/calendar/deadline'>;
export type Health = ApiResponse<'/api/health'>;
