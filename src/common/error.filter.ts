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
    const message = typeof res === 'string' ? res : String((res as { message?: unknown }).message ?? exception.message);
    return { body: { statusCode: status, error: STATUS_CODES[status] ?? codeFor(status), message, details: [] }, headers: {} };
  }
  // Errors raised by Fastify itself (body parsing, size limit, content type) carry a statusCode.
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    const error = fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      ? 'validation_failed'
      : (STATUS_CODES[status] ?? codeFor(status));
    return { body: { statusCode: status, error, message: fastifyError.message ?? 'Bad request', details: [] }, headers: {} };
  }
  return { body: { statusCode: 500, error: 'internal_error', message: 'Internal server error', details: [] }, headers: {} };
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
