/** Indonesia's three time zones, by province code (Kemendagri), as DOMAIN.md sets out. */
export type IndonesianTimezone = 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';

/** Offsets in minutes from UTC; Indonesia keeps no daylight saving time. */
export const TIMEZONE_OFFSET_MINUTES: Record<IndonesianTimezone, number> = {
  'Asia/Jakarta': 7 * 60,
  'Asia/Makassar': 8 * 60,
  'Asia/Jayapura': 9 * 60,
};

const WITA = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT = new Set(['81', '82', '91', '92', '93', '94', '95', '96']);

export function timezoneOfProvince(provinceCode: string): IndonesianTimezone {
  if (WIT.has(provinceCode)) return 'Asia/Jayapura';
  if (WITA.has(provinceCode)) return 'Asia/Makassar';
  return 'Asia/Jakarta';
}
