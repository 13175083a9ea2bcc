import type Handlebars from 'handlebars';
import { formatLocalDateTime } from '../time/local-time';
import type { IndonesianTimezone } from '../time/timezones';
import { labelOf, loadLabels } from './labels';
import { INTL_LOCALE, isLocale, Locale, LOCALES } from './locale';
import { placeName } from './place-name';

type HelperOptions = { data?: { root?: { locale?: unknown; lang?: unknown } } };

/** The language a template renders in: emails pass `locale`, pages `lang`; Indonesian otherwise. */
function localeOf(options: unknown): Locale {
  const root = (options as HelperOptions | undefined)?.data?.root;
  return isLocale(root?.locale) ? root.locale : isLocale(root?.lang) ? root.lang : 'id';
}

/**
 * The helpers every template (emails and pages) shares: numbers, percentages and times in the
 * reader's language, place names as people write them, and words for codes from the labels.
 */
export function registerTemplateHelpers(hb: typeof Handlebars): void {
  const numbers = Object.fromEntries(LOCALES.map((l) => [l, new Intl.NumberFormat(INTL_LOCALE[l])])) as Record<Locale, Intl.NumberFormat>;
  const percents = Object.fromEntries(
    LOCALES.map((l) => [l, new Intl.NumberFormat(INTL_LOCALE[l], { style: 'percent', maximumFractionDigits: 1 })]),
  ) as Record<Locale, Intl.NumberFormat>;
  hb.registerHelper('number', (n: unknown, options: unknown) => (typeof n === 'number' ? numbers[localeOf(options)].format(n) : '–'));
  hb.registerHelper('percent', (n: unknown, options: unknown) => (typeof n === 'number' ? percents[localeOf(options)].format(n) : '–'));
  hb.registerHelper('place', (name: unknown) => (typeof name === 'string' ? placeName(name) : ''));
  hb.registerHelper('label', (group: string, code: string, options: unknown) => labelOf(loadLabels(localeOf(options)), group, code));
  hb.registerHelper('rules', (codes: unknown, options: unknown) =>
    Array.isArray(codes) ? codes.map((c: string) => labelOf(loadLabels(localeOf(options)), 'rules', c)).join('; ') : '',
  );
  hb.registerHelper('datetime', (at: string, tz: IndonesianTimezone, options: unknown) => formatLocalDateTime(at, tz, localeOf(options)));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: number, b: number) => a > b);
  hb.registerHelper('minus', (a: number, b: number) => a - b);
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
}
