import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabels, templatesDir } from '../notifications/email-templates';
import type { Locale } from '../notifications/notification.types';

/** Page wording per language, from templates/pages/i18n/<locale>.json (editable without code). */
export class PageTexts {
  private readonly texts: Record<Locale, Record<string, string>>;

  constructor(dir = join(templatesDir(), 'pages', 'i18n')) {
    // Rule codes in plain words are shared with the emails (templates/email/<locale>/labels.json).
    const load = (locale: Locale) => ({
      ...Object.fromEntries(Object.entries(loadLabels(locale).rules).map(([code, words]) => [`rules.${code}`, words])),
      ...JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')),
    });
    this.texts = { id: load('id'), en: load('en') };
  }

  t(locale: Locale, key: string): string {
    return this.texts[locale][key] ?? this.texts.id[key] ?? key;
  }
}
