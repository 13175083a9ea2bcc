import '@fastify/view';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../../common/i18n/locale';
import { templatesDir } from '../../common/i18n/labels';
import { etagOf } from '../../common/http/http-cache';
import { AnswerCache } from '../../common/http/answer-cache';
import type { PageRequest } from './page-session';

export const LANG_COOKIE = 'mpp_lang';

/** How long anyone (a phone, a proxy, a CDN) may keep a public page without asking again. */
export const PUBLIC_PAGE_MAX_AGE = 60;

/** Renders a page with what every page needs: the reader's language, the user, a CSRF token. */
@Injectable()
export class PageView {
  private templates?: string;

  constructor(private readonly publicAnswers: AnswerCache) {}

  lang(req: PageRequest, reply: FastifyReply): Locale {
    const asked = this.askedLang(req);
    if (asked) {
      reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 });
      return asked;
    }
    const saved = req.cookies?.[LANG_COOKIE];
    if (saved === 'id' || saved === 'en') return saved;
    return req.user?.locale ?? 'id';
  }

  async render(
    req: PageRequest,
    reply: FastifyReply,
    template: string,
    data: Record<string, unknown> = {},
    status = 200,
  ): Promise<FastifyReply> {
    const lang = this.lang(req, reply);
    const csrf = reply.generateCsrf();
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .view(`${template}.hbs`, { ...data, lang, user: req.user, csrf });
  }

  /**
   * A public page without forms or a user: nothing on it differs between visitors but the
   * language, so no CSRF cookie is made and any cache may keep it for a minute. Its ETag names the
   * data version, the URL, the language and the templates; `304` before `data` is read when the
   * client holds it, and the page is rendered once per version for every visitor
   * (AnswerCache). The language comes from the `mpp_lang` cookie (hence `Vary: Cookie`); a
   * `?lang=` switch sets that cookie, so that one answer is rendered for it alone and not stored.
   */
  async renderPublic(
    req: PageRequest,
    reply: FastifyReply,
    template: string,
    version: string,
    data: () => Promise<Record<string, unknown>>,
  ): Promise<FastifyReply> {
    const switching = this.askedLang(req) !== null;
    const lang = this.lang(req, reply);
    reply.header('vary', 'Cookie');
    if (switching) {
      const model = await data(); // may throw (404): the error page is no-store too
      return reply
        .code(200)
        .header('cache-control', 'no-store')
        .view(`${template}.hbs`, { ...model, lang });
    }
    // By path: the public pages read no query parameter but `lang`, so `?x=<random>` is the same page, not a new one to keep.
    const path = req.url.split('?')[0];
    return this.publicAnswers.send(req, reply, {
      key: `page|${path}|${lang}`,
      etag: etagOf('page', path, lang, this.templateVersion(), version),
      cacheControl: `public, max-age=${PUBLIC_PAGE_MAX_AGE}`,
      produce: async () => ({
        type: 'text/html; charset=utf-8',
        body: await reply.viewAsync(`${template}.hbs`, { ...(await data()), lang }),
      }),
    });
  }

  private askedLang(req: PageRequest): Locale | null {
    const asked = (req.query as Record<string, string> | undefined)?.lang;
    return asked === 'id' || asked === 'en' ? asked : null;
  }

  /** A digest of every template and word list, read once: templates are read once in production too (edit, then restart). */
  private templateVersion(): string {
    if (this.templates) return this.templates;
    const hash = createHash('sha256');
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else hash.update(entry.name).update(readFileSync(path));
      }
    };
    walk(templatesDir());
    return (this.templates = hash.digest('base64url').slice(0, 16));
  }
}
