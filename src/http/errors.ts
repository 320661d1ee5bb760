/**
 * The one place that turns errors into HTTP answers: `{error:{code,message,field?}}`, never a stack.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, errorCodes, type ErrorCode } from '../shared/errors';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; details?: unknown };
}

function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === '57P01' || // admin_shutdown
    code === '57P03' || // cannot_connect_now
    code === '08006' ||
    code === '08003' ||
    /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/i.test(
      String((err as Error)?.message),
    )
  );
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
          code: 'SERVICE_UNAVAILABLE',
          message: '数据库暂时不可用，请稍后重试 (database unavailable, nothing was changed)',
        },
      },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: '服务器内部错误 (internal error)' } } };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorBody(err);
  if (status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: body.error.code, field: body.error.field }, 'request refused');
  return reply.status(status).send(body);
}
