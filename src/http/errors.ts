/**
 * The one place that turns errors into HTTP answers: `{error:{code,message,field?}}`, never a stack.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/database';
import { DomainError, errorCodes, type ErrorCode } from '../shared/errors';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; details?: unknown };
}

export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof DomainError) {
    return {
      status: errorCodes[err.code],
      body: {
        error: {
          code: err.code,
          message: err.message,
          ...(err.field ? { field: err.field } : {}),
          ...(err.details ? { details: err.details } : {}),
        },
      },
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0];
    const where = (err as FastifyError).validationContext ?? 'body';
    const field = [where, ...(first?.instancePath?.split('/').filter(Boolean) ?? [])].join('.');
    return {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: `${field}: ${first?.message ?? 'invalid'}`,
          field,
          details: err.validation.map((v) => ({ path: v.instancePath, message: v.message })),
        },
      },
    };
  }
  const fe = err as FastifyError;
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe?.code === 'FST_REQ_FILE_TOO_LARGE') {
    return {
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', message: '上传内容过大 (payload too large)' } },
    };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode =
      fe.statusCode === 415
        ? 'UNSUPPORTED_MEDIA_TYPE'
        : fe.statusCode === 404
          ? 'NOT_FOUND'
          : 'VALIDATION_FAILED';
    return { status: fe.statusCode, body: { error: { code, message: fe.message } } };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      body: {
        error: {
          code: 'DATABASE_UNAVAILABLE',
          message: '数据库暂时不可用，请稍后重试 (database unavailable, nothing was changed)',
        },
      },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: '服务器内部错误 (internal error)' } } };
}

/**
 * What an unexpected error may put in the log at error level: the SQLSTATE, constraint, table and
 * column of a database error and the route, never its message or detail (PostgreSQL quotes the
 * offending values there), never the statement's parameters or the request body; for other errors the
 * name and stack frames. The message goes to debug level only.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  const e = (err ?? {}) as Record<string, unknown>;
  const sqlState = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  if (sqlState || typeof e.severity === 'string') {
    const pick = (k: string) => (typeof e[k] === 'string' ? { [k]: e[k] } : {});
    return { sqlState, ...pick('constraint'), ...pick('table'), ...pick('column'), ...pick('routine') };
  }
  const name = err instanceof Error ? err.name : typeof err;
  const code = typeof e.code === 'string' ? { code: e.code } : {};
  const frames = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 12).join('\n') : undefined;
  return { name, ...code, frames };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorBody(err);
  const route = { method: request.method, route: request.routeOptions?.url };
  if (status >= 500) {
    request.log.error({ ...route, error: loggableError(err), code: body.error.code }, 'request failed');
    request.log.debug({ err }, 'request failed (detail)');
  } else request.log.info({ code: body.error.code, field: body.error.field }, 'request refused');
  return reply.status(status).send(body);
}
