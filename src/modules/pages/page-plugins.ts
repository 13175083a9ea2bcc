import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Handlebars from 'handlebars';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { templatesDir } from '../notifications/email-templates';
import { placeName } from '../regions/place-name';
import { PageTexts } from './page-i18n';

/** Requests that are not pages: the JSON API (bearer tokens, no cookies), health, metrics, docs. */
const NOT_PAGES = /^\/(api|health|metrics|docs)(\/|$|\?|-)/;

/**
 * Cookies, CSRF protection and the Handlebars view engine for the pages. Every page form POST must
 * carry the `_csrf` token its page was rendered with (double-submit with a signed cookie secret).
 */
export async function registerPageSupport(app: NestFastifyApplication, config: AppConfig, texts = new PageTexts()): Promise<void> {
  const secret = createHmac('sha256', config.jwt.secret).update('mpp-monitor cookies').digest('base64url');
  await app.register(fastifyCookie as never, { secret });
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

  const hb = Handlebars.create();
  const percents = { id: new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 }), en: new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }) };
  const numbers = { id: new Intl.NumberFormat('id-ID'), en: new Intl.NumberFormat('en-GB') };
  type Options = { data: { root: { lang: 'id' | 'en' } } };
  hb.registerHelper('t', (key: string, options: Options) => texts.t(options.data.root.lang, key));
  hb.registerHelper('rules', (codes: string[], options: Options) =>
    Array.isArray(codes) ? codes.map((c) => texts.t(options.data.root.lang, `rules.${c}`)).join('; ') : '');
  hb.registerHelper('percent', (x: unknown, options: Options) => (typeof x === 'number' ? percents[options.data.root.lang].format(x) : '–'));
  hb.registerHelper('number', (x: unknown, options: Options) => (typeof x === 'number' ? numbers[options.data.root.lang].format(x) : '–'));
  hb.registerHelper('place', (name: unknown) => (typeof name === 'string' ? placeName(name) : ''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  app.setViewEngine({
    engine: { handlebars: hb },
    templates: join(templatesDir(), 'pages'),
    layout: 'layout.hbs',
    // Templates are read once (production); edit, then restart.
    production: config.nodeEnv === 'production',
  } as never);
}
