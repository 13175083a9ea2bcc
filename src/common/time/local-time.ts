import { keptTexts } from '../kept-texts';
import { IndonesianTimezone, TIMEZONE_OFFSET_MINUTES } from './timezones';

export const ZONE_LABEL: Record<IndonesianTimezone, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };
const INTL_LOCALE = { id: 'id-ID', en: 'en-GB' } as const;
// Building an Intl.DateTimeFormat costs more than rendering a whole email: one per locale and zone.
const formats = new Map<string, Intl.DateTimeFormat>();
// Formatting itself is slow too (ICU), and a page repeats the same instants (a week's deadline on
// every row): the texts are kept.
const texts = keptTexts();

/** "Senin, 30 November 2026 pukul 12.00 WITA": a moment as people in that zone read it. */
export function formatLocalDateTime(at: Date | string, tz: IndonesianTimezone, locale: 'id' | 'en'): string {
  const zone = TIMEZONE_OFFSET_MINUTES[tz] ? tz : 'Asia/Jakarta';
  const key = `${locale}/${zone}`;
  return texts(`${key}/${new Date(at).getTime()}`, () => {
    let format = formats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: zone,
      });
      formats.set(key, format);
    }
    return `${format.format(new Date(at))} ${ZONE_LABEL[zone]}`;
  });
}
