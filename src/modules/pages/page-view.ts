import '@fastify/view';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Locale } from '../../common/i18n/locale';
import type { PageRequest } from './page-session';

export const LANG_COOKIE = 'mpp_lang';

/** Renders a page with what every page needs: the reader's language, the user, a CSRF token. */
@Injectable()
export class PageView {
  lang(req: PageRequest, reply: FastifyReply): Locale {
    const asked = (req.query as Record<string, string> | undefined)?.lang;
    if (asked === 'id' || asked === 'en') {
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
}
