import rateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { ErrorFilter, toErrorBody } from './common/error.filter';
import { AppError } from './common/errors';
import { runInRequestContext } from './common/http/request-context';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './common/http/json-depth';
import { parseMultipart } from './common/http/multipart';
import { requestIds } from './common/http/request-id';
import { securityHeaders } from './common/http/security-headers';
import { Metrics } from './common/observability/metrics';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { registerPageSupport } from './modules/pages/page-plugins';
import { AuthService } from './modules/auth/auth.service';
import { UPLOAD_LIMIT_BYTES, XLSX_TYPE } from './modules/registry/registry-files';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The API route that takes a spreadsheet as the body. */
const UPLOAD_ROUTES = /^\/api\/v1\/registry\/import(\?|$)/;
/** The admin pages that take a spreadsheet in a form (multipart): the preview, then the import. */
const PAGE_UPLOAD_ROUTES = /^\/admin\/registry(\/import)?(\?|$)/;
/** The confirmed import re-posts the previewed file as base64 (4/3 of its size), plus the form's fields. */
const PAGE_UPLOAD_LIMIT_BYTES = Math.ceil((UPLOAD_LIMIT_BYTES * 4) / 3) + 64 * 1024;

/** Check-ins and registry writes are small; anything bigger is refused before parsing. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the configured (not yet listening) application: used by main.ts and by the e2e tests alike. */
export async function createApp(config: AppConfig, options: { clock?: Clock } = {}): Promise<NestFastifyApplication> {
  // maxParamLength: a one-click link's signed token (~300 characters) is a path parameter.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // A hop count trusts that many proxies nearest to us (proxy-addr's hop 0 is the socket's peer).
    trustProxy: typeof config.trustProxy === 'number' ? hopsOf(config.trustProxy) : config.trustProxy,
    routerOptions: { maxParamLength: 512 },
    genReqId: requestIds(config.trustProxy),
    // A request already received when shutdown begins is served (its connection then closes),
    // rather than answered 503.
    return503OnClosing: false,
    // Errors Fastify raises before routing (an over-long path parameter, a malformed URL) answer
    // in the API's error shape too.
    frameworkErrors: (error: FastifyError, _req: unknown, reply: FastifyReply) => {
      const { body } = toErrorBody(error);
      void reply.code(body.statusCode).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options.clock), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (config.corsOrigins) app.enableCors({ origin: config.corsOrigins, credentials: false });

  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own JSON parser (it refuses __proto__ and constructor.prototype), after a depth check;
  // registered through Nest so that Nest does not add its default one at init.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parseBody = (req: FastifyRequest, body: Buffer, done: (e: Error | null, v?: unknown) => void) => {
    const text = body.toString('utf8');
    if (nestsDeeperThan(text)) return done(AppError.validation(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`));
    void parseJson(req, text, done);
  };
  adapter.useBodyParser('application/json', false, { bodyLimit: BODY_LIMIT_BYTES }, parseBody as never);
  // Registry spreadsheets (CSV, XLSX) as raw bytes, up to 10 MiB, on the import routes only.
  fastify.addContentTypeParser(
    ['text/csv', XLSX_TYPE],
    { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT_BYTES },
    (req: FastifyRequest, body: Buffer, done: (e: Error | null, v?: unknown) => void) => {
      if (!UPLOAD_ROUTES.test(req.url)) return done(new AppError(415, 'unsupported_media_type', 'This route takes JSON'));
      done(null, body);
    },
  );
  // The admin page's upload form: parsed only on its two routes; anywhere else a multipart body is refused.
  fastify.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: PAGE_UPLOAD_LIMIT_BYTES },
    (req: FastifyRequest, body: Buffer, done: (e: Error | null, v?: unknown) => void) => {
      if (!PAGE_UPLOAD_ROUTES.test(req.url)) return done(new AppError(415, 'unsupported_media_type', 'This route takes no multipart form'));
      parseMultipart(body, String(req.headers['content-type'])).then(
        (form) => done(null, form),
        () => done(AppError.validation('The form is not readable multipart/form-data')),
      );
    },
  );
  // Graceful shutdown: once closing, every answer asks its client to close the connection, so
  // keep-alive connections busy when SIGTERM came end with their last response instead of being
  // held open until their 72 s keep-alive timeout (server.close() waits for all of them).
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  const headers = securityHeaders();
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.headers(headers);
    runInRequestContext({ ip: req.ip, requestId: String(req.id) }, done);
  });

  const auth = app.get(AuthService);
  if (config.writeRateLimit > 0) {
    // Per credential (token or page session; the address when there is none) and per process.
    // Logins have their own limits in PostgreSQL, shared by every replica (AuthService).
    await app.register(rateLimit, {
      global: true,
      max: config.writeRateLimit,
      timeWindow: 60_000,
      allowList: (req) => !WRITE_METHODS.has(req.method) || req.url === '/api/v1/auth/login' || req.url === '/login',
      keyGenerator: (req) => writerOf(req, auth),
      errorResponseBuilder: (_req, context) => AppError.rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
    });
  }

  if (config.runsApi) await registerPageSupport(app, config);

  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: req.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
  });

  if (!config.runsApi) {
    // A worker-only process answers health and metrics, nothing else.
    fastify.addHook('onRequest', async (req, reply) => {
      if (!req.url.startsWith('/health') && !req.url.startsWith('/metrics')) {
        return reply.status(404).send(toErrorBody(AppError.notFound('Route')).body);
      }
    });
  }

  // Built at the first request for it, not at every start (it scans every route: part of the cold start).
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('MPP Monitor API')
        .setDescription("Weekly operational monitoring of Indonesia's Mal Pelayanan Publik. Errors: {statusCode, error, message, details}.")
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * Who is writing, for the write rate limit: the user a valid access token (bearer or page session)
 * names, else the client address. Keyed on the raw header, `Bearer  <token>` with one more space
 * was a fresh allowance.
 */
function writerOf(req: FastifyRequest, auth: AuthService): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const session = /(?:^|;\s*)mpp_session=([^;\s]+)/.exec(req.headers.cookie ?? '')?.[1];
  const token = bearer ?? (session ? decodeURIComponent(session) : undefined);
  const userId = token ? auth.subjectOf(token) : null;
  return userId ? `user:${userId}` : `ip:${req.ip}`;
}

function hopsOf(n: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < n;
}
