import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { templatesDir } from '../../common/i18n/labels';
import { PageEngine } from './page-engine';

/** Requests that are not pages: the JSON API (bearer tokens, no cookies), health, metrics, docs, machines' pings. */
const NOT_PAGES = /^\/(api|health|metrics|docs|ping)(\/|$|\?|-)/;

/**
 * Cookies, CSRF protection and the Handlebars view engine for the pages. Every page form POST must
 * carry the `_csrf` token its page was rendered with (double-submit with a signed cookie secret).
 */
export async function registerPageSupport(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const secret = createHmac('sha256', config.jwt.secret).update('mpp-monitor cookies').digest('base64url');
  await app.register(fastifyCookie, { secret });
  await app.register(fastifyCsrf as never, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.appUrl.startsWith('https://') },
    getToken: (req: { body?: Record<string, unknown> }) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as {
    addHook(name: string, hook: (req: { method: string; url: string }, reply: unknown, done: (err?: Error) => void) => void): void;
    csrfProtection(req: unknown, reply: unknown, done: (err?: Error) => void): void;
  };
  fastify.addHook('preHandler', (req, reply, done) => {
    if (req.method !== 'POST' || NOT_PAGES.test(req.url)) return done();
    fastify.csrfProtection(req, reply, done);
  });

  app.setViewEngine({
    engine: { handlebars: app.get(PageEngine).handlebars },
    templates: join(templatesDir(), 'pages'),
    layout: 'layout.hbs',
    // Templates are read once (production); edit, then restart.
    production: config.nodeEnv === 'production',
  });
}
