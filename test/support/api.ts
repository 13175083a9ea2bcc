import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ErrorBody } from '../../src/common/error.filter';

/** One answer of the API: `body` is the parsed JSON (or the text of any other content type). */
export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, and as bytes (an XLSX or PDF download). */
  text: string;
  raw: Buffer;
  /** The contract's error body, when the status is 4xx/5xx and the answer is JSON. */
  error?: ErrorBody;
}

export interface CallOptions {
  /** Sent as JSON, except a string or Buffer, which is sent as is (set its content-type in `headers`). */
  body?: unknown;
  headers?: Record<string, string>;
  ip?: string;
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];
/** What `raw` may send besides: a CORS preflight, a HEAD. */
export type RawMethod = Method | 'HEAD' | 'OPTIONS';

/** A method named at run time (a route the app registers), checked. */
export function asMethod(name: string): Method {
  const method = METHODS.find((m) => m === name);
  if (!method) throw new Error(`not an HTTP method the client sends: ${name}`);
  return method;
}

/**
 * The API as one caller sees it, through Fastify's in-process inject: `t.as(token).get<MppView[]>(…)`.
 * The type argument names what the route answers (a DTO or view type from src/), so a test reads
 * typed fields instead of `any`.
 */
export class ApiClient {
  constructor(
    private readonly app: NestFastifyApplication,
    readonly token?: string,
  ) {}

  get<T>(path: string, options: Omit<CallOptions, 'body'> = {}): Promise<ApiResponse<T>> {
    return this.send<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<ApiResponse<T>> {
    return this.send<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<ApiResponse<T>> {
    return this.send<T>('PUT', path, { ...options, body });
  }

  patch<T>(path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<ApiResponse<T>> {
    return this.send<T>('PATCH', path, { ...options, body });
  }

  delete<T>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    return this.send<T>('DELETE', path, options);
  }

  send<T>(method: Method, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    return this.inject<T>(method, path, options);
  }

  /**
   * A request off the contract on purpose (hostile or malformed input, a preflight): any method, the
   * body sent exactly as given, the answer untyped. Tests of the API's behaviour use the typed calls.
   */
  raw(method: RawMethod, path: string, options: CallOptions = {}): Promise<ApiResponse<unknown>> {
    return this.inject<unknown>(method, path, options);
  }

  private async inject<T>(method: RawMethod, path: string, options: CallOptions): Promise<ApiResponse<T>> {
    const { body } = options;
    const raw = body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
    const res = await this.app.inject({
      method,
      url: path,
      remoteAddress: options.ip,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(raw ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      payload: raw ? body : JSON.stringify(body),
    });
    // A compressed answer (Accept-Encoding sent) stays bytes: read it from `raw`.
    const json =
      String(res.headers['content-type'] ?? '').includes('application/json') && res.body !== '' && !res.headers['content-encoding'];
    // The route's declared type: the API's contract is what the test asserts, not what it casts.
    const parsed: unknown = json ? JSON.parse(res.body) : res.body;
    return {
      status: res.statusCode,
      body: parsed as T,
      headers: textHeaders(res.headers),
      text: res.body,
      raw: res.rawPayload,
      ...(json && res.statusCode >= 400 ? { error: parsed as ErrorBody } : {}),
    };
  }
}

/** Header values as text, as a client reads them off the wire (inject may give content-length as a number). */
function textHeaders(headers: Record<string, string | string[] | number | undefined>): ApiResponse<unknown>['headers'] {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, typeof value === 'number' ? String(value) : value]));
}
