/**
 * Stable, English error codes of the API (the `error` field); never renamed. These are the ones
 * any endpoint may answer; each feature declares its own beside its code (`check-in.errors.ts`).
 */
export type CommonErrorCode =
  | 'validation_failed'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal_error'
  | 'service_unavailable';

/** A feature's own code: snake_case English, declared in that feature (e.g. `CheckInErrorCode`). */
export type FeatureErrorCode = `${Lowercase<string>}`;
export type ErrorCode = CommonErrorCode | FeatureErrorCode;

export interface ErrorDetail {
  field?: string;
  problem: string;
}

/** An error the API answers on purpose; the global filter maps it to the contract's shape. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static validation(message: string, details: ErrorDetail[] = []): AppError {
    return new AppError(400, 'validation_failed', message, details);
  }
  static notFound(what: string): AppError {
    return new AppError(404, 'not_found', `${what} not found`);
  }
  static unauthorized(message = 'Authentication required'): AppError {
    return new AppError(401, 'unauthorized', message);
  }
  static forbidden(message = 'Your role may not do this'): AppError {
    return new AppError(403, 'forbidden', message);
  }
  static conflict(message: string, code: ErrorCode = 'conflict'): AppError {
    return new AppError(409, code, message);
  }
  static rateLimited(retryAfterSeconds: number): AppError {
    return new AppError(429, 'rate_limited', `Too many attempts; try again in ${retryAfterSeconds} s`, [], {
      'retry-after': String(retryAfterSeconds),
    });
  }
}

export const STATUS_CODES: Record<number, CommonErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};
