import type { Locale } from './locale';
import { INTL_LOCALE } from './locale';

const SAME: Record<Locale, string> = { id: 'tetap', en: 'unchanged' };
const POINTS: Record<Locale, string> = { id: 'poin', en: 'pts' };

/**
 * The change since last week as a deputy reads it: "▲ 2", "▼ 1", "tetap"; rates (fractions 0–1) in
 * percentage points, "▲ 12,5 poin". Empty when either week has no figure (nothing to compare).
 */
export function changeText(now: unknown, before: unknown, locale: Locale, opts: { points?: boolean } = {}): string {
  if (typeof now !== 'number' || typeof before !== 'number') return '';
  const diff = opts.points ? Math.round((now - before) * 1000) / 10 : now - before;
  if (diff === 0) return SAME[locale];
  const amount = new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits: 1 }).format(Math.abs(diff));
  return `${diff > 0 ? '▲' : '▼'} ${amount}${opts.points ? ` ${POINTS[locale]}` : ''}`;
}
