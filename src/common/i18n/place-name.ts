import { keptTexts } from '../kept-texts';
/** Acronyms kept upper-case in official names (DKI Jakarta, DI Yogyakarta). */
const ACRONYMS = new Set(['DKI', 'DI']);

/** Conjunctions written in lower case inside a name (Pangkajene dan Kepulauan), as in Indonesian titles. */
const LOWER_CASE = new Set(['DAN']);

/**
 * Words the reference data spells as one where the official name has two: the city's own name
 * since Perda Kota Palangka Raya (and Kemendagri's later lists) is "Palangka Raya".
 */
const SPELLINGS: Record<string, string> = { PALANGKARAYA: 'Palangka Raya' };

/**
 * Kemendagri's reference data spells names in capitals ("NUSA TENGGARA TIMUR"); emails and pages
 * show them as people write them ("Nusa Tenggara Timur").
 */
export function placeName(name: string): string {
  return written(name, () => write(name));
}

// A page names the same places on every row: each name's written form is kept.
const written = keptTexts();

function write(name: string): string {
  return name
    .split(' ')
    .map((word, i) => {
      const upper = word.toUpperCase();
      if (ACRONYMS.has(word)) return word;
      if (SPELLINGS[upper]) return SPELLINGS[upper];
      if (i > 0 && LOWER_CASE.has(upper)) return word.toLowerCase();
      return word.toLowerCase().replace(/(^|[-(])\p{L}/gu, (c) => c.toUpperCase());
    })
    .join(' ');
}
