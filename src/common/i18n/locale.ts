/** The languages of emails, pages and exports: Bahasa Indonesia first, English on request. */
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const INTL_LOCALE: Record<Locale, string> = { id: 'id-ID', en: 'en-GB' };

export function isLocale(value: unknown): value is Locale {
  return value === 'id' || value === 'en';
}
