/** Acronyms kept upper-case in official names (DKI Jakarta, DI Yogyakarta). */
const ACRONYMS = new Set(['DKI', 'DI']);

/**
 * Kemendagri's reference data spells names in capitals ("NUSA TENGGARA TIMUR"); emails and pages
 * show them as people write them ("Nusa Tenggara Timur").
 */
export function placeName(name: string): string {
  return name
    .split(' ')
    .map((word) => (ACRONYMS.has(word) ? word : word.toLowerCase().replace(/(^|[-(])\p{L}/gu, (c) => c.toUpperCase())))
    .join(' ');
}
