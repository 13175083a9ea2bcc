import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabels, templatesDir } from '../../common/i18n/labels';
import type { Locale } from '../../common/i18n/locale';

/**
 * Page wording per language, from templates/pages/i18n/<locale>.json (editable without code), plus
 * every code's words from the shared labels as `group.code` keys (`results.active`, `rules.…`).
 */
export class PageTexts {
  private readonly texts: Record<Locale, Record<string, string>>;

  constructor(dir = join(templatesDir(), 'pages', 'i18n')) {
    const load = (locale: Locale) => {
      const labelKeys = Object.entries(loadLabels(locale)).flatMap(([group, words]) =>
        typeof words === 'object' ? Object.entries(words).map(([code, text]) => [`${group}.${code}`, text]) : [],
      );
      return {
        ...Object.fromEntries(labelKeys),
        ...(JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as Record<string, string>),
      };
    };
    this.texts = { id: load('id'), en: load('en') };
  }

  t(locale: Locale, key: string): string {
    return this.texts[locale][key] ?? this.texts.id[key] ?? key;
  }

  /** "Nama (bureau)" as flags record who acted → "Nama (Biro Organisasi)": the role in the reader's words. */
  byInWords(locale: Locale, by: string): string {
    return by.replace(/ \((manager|bureau|ministry|admin)\)$/, (_, role: string) => ` (${this.t(locale, `role.${role}`)})`);
  }
}
