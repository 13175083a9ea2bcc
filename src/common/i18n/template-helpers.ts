import type Handlebars from 'handlebars';
import { formatLocalDateTime } from '../time/local-time';
import { dateText, weekShortText, weekText } from '../time/week-text';
import type { IndonesianTimezone } from '../time/timezones';
import { labelOf, loadLabels } from './labels';
import { INTL_LOCALE, isLocale, Locale, LOCALES } from './locale';
import { placeName } from './place-name';
import { ruleFactText } from './rule-fact-text';
import { changeText } from './change-text';

type RuleFactLike = { code: string; values?: Record<string, string | number> };

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
  hb.registerHelper('datetime', (at: string, tz: IndonesianTimezone, options: unknown) =>
    at ? formatLocalDateTime(at, typeof tz === 'string' ? tz : 'Asia/Jakarta', localeOf(options)) : '',
  );
  // {{weekText week}} "minggu ke-48 tahun 2026 (23–29 November 2026)"; capital=true at a sentence's start.
  hb.registerHelper('weekText', (week: unknown, options: { hash?: { capital?: boolean } }) =>
    typeof week === 'string' ? weekText(week, localeOf(options), { capital: options?.hash?.capital === true }) : '',
  );
  hb.registerHelper('weekShort', (week: unknown, options: unknown) =>
    typeof week === 'string' ? weekShortText(week, localeOf(options)) : '',
  );
  // {{date "2026-12-04"}} "Jumat, 4 Desember 2026" (weekday=false drops the day's name).
  hb.registerHelper('date', (date: unknown, options: { hash?: { weekday?: boolean } }) =>
    typeof date === 'string' && date ? dateText(date.slice(0, 10), localeOf(options), { weekday: options?.hash?.weekday !== false }) : '',
  );
  // {{ruleFacts ruleFacts rules}}: each rule in numbers ("tidak melapor 2 minggu berturut-turut"), else in words.
  hb.registerHelper('ruleFacts', (facts: unknown, codes: unknown, options: unknown) => {
    const labels = loadLabels(localeOf(options));
    if (Array.isArray(facts) && facts.length) return facts.map((f) => ruleFactText(labels, f as RuleFactLike)).join('; ');
    return Array.isArray(codes) ? codes.map((c: string) => labelOf(labels, 'rules', c)).join('; ') : '';
  });
  // {{change now before}} "▲ 2" / "▼ 1" / "tetap" since last week; points=true for rates (0–1).
  hb.registerHelper('change', (now: unknown, before: unknown, options: { hash?: { points?: boolean } }) =>
    changeText(now, before, localeOf(options), { points: options?.hash?.points === true }),
  );
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: number, b: number) => a > b);
  hb.registerHelper('minus', (a: number, b: number) => a - b);
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
}
