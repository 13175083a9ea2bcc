import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { ErrorFilter, toErrorBody } from './common/error.filter';
import { AppError } from './common/errors';
import { securityHeaders } from './common/http/security-headers';
import { Metrics } from './common/observability/metrics';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { registerPageSupport } from './modules/pages/page-plugins';

/** Check-ins and registry writes are small; anything bigger is refused before parsing. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the configured (not yet listening) application: used by main.ts and by the e2e tests alike. */
export async function createApp(config: AppConfig, options: { clock?: Clock } = {}): Promise<NestFastifyApplication> {
  // maxParamLength: a one-click link's signed token (~300 characters) is a path parameter.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    routerOptions: { maxParamLength: 512 },
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
  const headers = securityHeaders();
  fastify.addHook('onRequest', (_req, reply, done) => {
    void reply.headers(headers);
    done();
  });

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

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('MPP Monitor API')
      .setDescription('Weekly operational monitoring of Indonesia\'s Mal Pelayanan Publik. Errors: {statusCode, error, message, details}.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
