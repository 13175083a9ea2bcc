import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse } from '@nestjs/swagger';

/** What each documented error status means in this API, with its stable `error` code. */
const ERRORS: Record<number, { error: string; message: string; description: string }> = {
  400: { error: 'validation_failed', message: 'daysOpen must not be greater than 7', description: 'Invalid input; nothing was changed' },
  401: { error: 'unauthorized', message: 'Sign in first', description: 'No token, or an expired, revoked or tampered one' },
  403: { error: 'forbidden', message: 'This action needs another role', description: "The caller's role may not do this" },
  404: {
    error: 'not_found',
    message: 'MPP not found',
    description: 'Not found, or outside the caller’s scope (province, own MPPs): the API does not reveal that it exists',
  },
  409: { error: 'conflict', message: 'The flag is already resolved', description: 'The current state does not allow this change' },
  413: { error: 'payload_too_large', message: 'The body is larger than 64 KiB', description: 'The body is too large' },
  415: {
    error: 'unsupported_media_type',
    message: 'Send the registry as text/csv or an XLSX workbook',
    description: 'The body is not of a type this route takes',
  },
  429: { error: 'rate_limited', message: 'Too many requests; retry later', description: 'Rate limit reached; see Retry-After' },
  503: { error: 'service_unavailable', message: 'The database is unavailable; try again shortly', description: 'A dependency is down' },
};

export interface OperationDoc {
  summary: string;
  /** Who may call it and what it changes. */
  description: string;
  /** The success status (200 unless given). */
  status?: number;
  /** The request body's DTO and an example from the domain. */
  body?: { type: Type<unknown>; example: unknown };
  /** An example of the JSON answer; absent for an answer with no body (204) or not JSON. */
  response?: unknown;
  responseDescription?: string;
  /** Error statuses beyond the ones every call may answer (401 for signed-in calls, 503). */
  errors?: number[];
  /** No token needed. */
  public?: boolean;
}

/**
 * One decorator per handler for the OpenAPI document: summary, description, the body's example,
 * the success answer with its example and every error in the `{statusCode, error, message, details}` shape.
 */
export function ApiDoc(doc: OperationDoc): MethodDecorator {
  const status = doc.status ?? 200;
  const errors = [...new Set([...(doc.public ? [] : [401]), ...(doc.errors ?? []), 503])].sort();
  return applyDecorators(
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ...(doc.body ? [ApiBody({ type: doc.body.type, examples: { example: { summary: doc.summary, value: doc.body.example } } })] : []),
    doc.response === undefined
      ? ApiResponse({ status, description: doc.responseDescription ?? 'Done (no body)' })
      : ApiResponse({
          status,
          description: doc.responseDescription ?? 'Success',
          content: { 'application/json': { example: doc.response } },
        }),
    ...errors.map((code) => ApiResponse({ status: code, description: ERRORS[code].description, content: errorContent(code) })),
  );
}

function errorContent(code: number) {
  const { error, message } = ERRORS[code];
  const details = code === 400 ? [{ field: 'daysOpen', problem: 'must not be greater than 7' }] : [];
  return {
    'application/json': {
      schema: {
        type: 'object',
        required: ['statusCode', 'error', 'message', 'details'],
        properties: {
          statusCode: { type: 'integer', example: code },
          error: { type: 'string', description: 'stable snake_case code', example: error },
          message: { type: 'string' },
          details: { type: 'array', items: { type: 'object' } },
        },
      },
      example: { statusCode: code, error, message, details },
    },
  };
}
