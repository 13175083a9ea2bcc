import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode, ErrorDetail, STATUS_CODES } from './errors';

export interface ErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
  details: ErrorDetail[];
}

/** Maps anything thrown to `{statusCode, error, message, details}`; a 5xx is logged as a bug. */
export function toErrorBody(exception: unknown): { body: ErrorBody; headers: Record<string, string> } {
  if (exception instanceof AppError) {
    return {
      body: { statusCode: exception.statusCode, error: exception.code, message: exception.message, details: exception.details },
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const said = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    const message = typeof said === 'string' ? said : Array.isArray(said) ? said.join('; ') : exception.message;
    return { body: { statusCode: status, error: STATUS_CODES[status] ?? codeFor(status), message, details: [] }, headers: {} };
  }
  // Errors raised by Fastify itself (body parsing, size limit, content type) carry a statusCode.
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    const error =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'validation_failed'
        : (STATUS_CODES[status] ?? codeFor(status));
    return { body: { statusCode: status, error, message: fastifyError.message ?? 'Bad request', details: [] }, headers: {} };
  }
  // PostgreSQL's "data exception" class (22xxx: a NUL byte, an impossible date, a malformed
  // value) is bad input that slipped past validation: still the caller's error, not a crash.
  const pgCode =
    (exception as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (exception as { code?: unknown })?.code;
  if (typeof pgCode === 'string' && /^22[0-9A-Z]{3}$/.test(pgCode)) {
    return {
      body: { statusCode: 400, error: 'bad_request', message: 'A value in the request is not acceptable', details: [] },
      headers: {},
    };
  }
  // Unavailable database (connection refused or dropped, server shutting down): try again later.
  if (isDatabaseUnavailable(exception)) {
    return {
      body: { statusCode: 503, error: 'service_unavailable', message: 'The database is unavailable; try again shortly', details: [] },
      headers: { 'retry-after': '5' },
    };
  }
  return { body: { statusCode: 500, error: 'internal_error', message: 'Internal server error', details: [] }, headers: {} };
}

/** Connection-level failures talking to PostgreSQL: refused, reset, terminated by an admin or a restart. */
function isDatabaseUnavailable(exception: unknown): boolean {
  const e = exception as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const raw = e?.driverError?.code ?? e?.code;
  const code = typeof raw === 'string' ? raw : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(code)) return true;
  return (
    typeof e?.message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)
  );
}

function codeFor(status: number): ErrorCode {
  return status >= 500 ? 'internal_error' : 'bad_request';
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const { body, headers } = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, reqId: request?.id, url: request?.url }, 'Unhandled error');
    }
    void reply.status(body.statusCode).headers(headers).send(body);
  }
}
