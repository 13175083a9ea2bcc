import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { placeName } from '../regions/place-name';
import { formatLocalDateTime } from '../regions/local-time';
import { IndonesianTimezone } from '../regions/timezones';
import { Locale, LOCALES, NOTIFICATION_KINDS, NotificationKind } from './notification.types';

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

const INTL_LOCALE: Record<Locale, string> = { id: 'id-ID', en: 'en-GB' };

/** `templates/` at the project root, found from here both under src/ (tests) and dist/src/ (built). */
export function templatesDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'email', 'layout.html.hbs'))) return join(dir, 'templates');
  }
  throw new Error(`templates/email not found above ${__dirname}`);
}

/** Words for codes (rules, results, flag states) in one language, shared by emails and exports. */
export function loadLabels(locale: Locale, dir = join(templatesDir(), 'email')): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(join(dir, locale, 'labels.json'), 'utf8'));
}

/**
 * Emails from Handlebars files under templates/email/<locale>/ that a non-programmer can edit;
 * read once at start.
 */
export class EmailTemplates {
  private readonly compiled = new Map<string, Compiled>();
  private readonly footers = new Map<Locale, string>();

  constructor(private readonly appUrl: string, dir = join(templatesDir(), 'email')) {
    const layout = readFileSync(join(dir, 'layout.html.hbs'), 'utf8');
    for (const locale of LOCALES) {
      const labels = loadLabels(locale, dir);
      const hb = Handlebars.create();
      registerHelpers(hb, locale, labels, appUrl);
      hb.registerPartial('layout', layout);
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
      this.footers.set(locale, labels.footer as unknown as string);
    }
  }

  render(kind: NotificationKind, locale: Locale, context: Record<string, unknown>): RenderedEmail {
    const template = this.compiled.get(`${locale}/${kind}`) ?? this.compiled.get(`id/${kind}`)!;
    const data = { ...context, locale, appUrl: this.appUrl, footer: this.footers.get(locale) };
    return {
      subject: template.subject(data).replace(/\s+/g, ' ').trim(),
      text: template.text(data).replace(/\n{3,}/g, '\n\n').trim() + '\n',
      html: template.html(data),
    };
  }
}

function registerHelpers(hb: typeof Handlebars, locale: Locale, labels: Record<string, Record<string, string>>, appUrl: string): void {
  const intl = INTL_LOCALE[locale];
  const numbers = new Intl.NumberFormat(intl);
  const percents = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 1 });
  hb.registerHelper('place', (name: unknown) => (typeof name === 'string' ? placeName(name) : ''));
  hb.registerHelper('number', (n: unknown) => (typeof n === 'number' ? numbers.format(n) : '–'));
  hb.registerHelper('percent', (n: unknown) => (typeof n === 'number' ? percents.format(n) : '–'));
  hb.registerHelper('label', (group: string, code: string) => labels[group]?.[code] ?? code);
  hb.registerHelper('rules', (codes: unknown) =>
    Array.isArray(codes) ? codes.map((c: string) => labels.rules?.[c] ?? c).join('; ') : '',
  );
  hb.registerHelper('datetime', (iso: string, tz: IndonesianTimezone) => formatLocalDateTime(iso, tz, locale));
  // {{url "/flags/" id}}: the last argument is Handlebars' options object.
  hb.registerHelper('url', (...parts: unknown[]) => appUrl + parts.slice(0, -1).map(String).join(''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: number, b: number) => a > b);
  hb.registerHelper('minus', (a: number, b: number) => a - b);
}
