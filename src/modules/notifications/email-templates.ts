import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabels, templatesDir } from '../../common/i18n/labels';
import { Locale, LOCALES } from '../../common/i18n/locale';
import { registerTemplateHelpers } from '../../common/i18n/template-helpers';
import { NOTIFICATION_KINDS, NotificationKind } from './notification.types';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Compiled {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
}

/**
 * Emails from Handlebars files under templates/email/<locale>/ that a non-programmer can edit;
 * read once at start.
 */
export class EmailTemplates {
  private readonly compiled = new Map<string, Compiled>();
  private readonly footers = new Map<Locale, string>();

  constructor(
    private readonly appUrl: string,
    dir = join(templatesDir(), 'email'),
  ) {
    const hb = Handlebars.create();
    registerTemplateHelpers(hb);
    // {{url "/flags/" id}}: links into the app; the last argument is Handlebars' options object.
    hb.registerHelper('url', (...parts: unknown[]) => appUrl + parts.slice(0, -1).map(String).join(''));
    hb.registerPartial('layout', readFileSync(join(dir, 'layout.html.hbs'), 'utf8'));
    for (const locale of LOCALES) {
      const labels = loadLabels(locale);
      for (const kind of NOTIFICATION_KINDS) {
        // Parsing here makes a syntax error in an edited template fail the start, not a send.
        const file = (part: string) => {
          const source = readFileSync(join(dir, locale, `${kind}.${part}.hbs`), 'utf8');
          hb.parse(source);
          return source;
        };
        this.compiled.set(`${locale}/${kind}`, {
          subject: hb.compile(file('subject'), { noEscape: true }),
          text: hb.compile(file('txt'), { noEscape: true }),
          html: hb.compile(file('html')),
        });
      }
      this.footers.set(locale, labels.footer ?? '');
    }
  }

  render(kind: NotificationKind, locale: Locale, context: Record<string, unknown>): RenderedEmail {
    const template = this.compiled.get(`${locale}/${kind}`) ?? this.compiled.get(`id/${kind}`)!;
    const data = { ...context, locale, appUrl: this.appUrl, footer: this.footers.get(locale) };
    return {
      subject: template.subject(data).replace(/\s+/g, ' ').trim(),
      text:
        template
          .text(data)
          .replace(/\n{3,}/g, '\n\n')
          .trim() + '\n',
      html: template.html(data),
    };
  }
}
