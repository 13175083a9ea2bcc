import { keptTexts } from '../kept-texts';
import { addDays, isValidIsoWeek, mondayOf } from './iso-week';

const MONTHS = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const;
const WEEKDAYS = {
  id: ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
} as const;

type Lang = 'id' | 'en';

function parts(date: string): { day: number; month: number; year: number } {
  const [year, month, day] = date.split('-').map(Number);
  return { day, month: month - 1, year };
}

/** "30 November 2026" / "Senin, 30 November 2026" with `weekday`: a calendar date as an official writes it. */
export function dateText(date: string, lang: Lang, opts: { weekday?: boolean } = {}): string {
  const { day, month, year } = parts(date);
  const text = `${day} ${MONTHS[lang][month]} ${year}`;
  if (!opts.weekday) return text;
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return `${WEEKDAYS[lang][weekday]}, ${text}`;
}

/** "23–29 November 2026", "30 November–6 Desember 2026", "28 Desember 2026–3 Januari 2027". */
export function dateRangeText(from: string, to: string, lang: Lang): string {
  const a = parts(from);
  const b = parts(to);
  const end = `${b.day} ${MONTHS[lang][b.month]} ${b.year}`;
  if (a.year !== b.year) return `${a.day} ${MONTHS[lang][a.month]} ${a.year}–${end}`;
  if (a.month !== b.month) return `${a.day} ${MONTHS[lang][a.month]}–${end}`;
  return `${a.day}–${end}`;
}

/**
 * An ISO week (`2026-W48`) as officials read it: "minggu ke-48 tahun 2026 (23–29 November 2026)",
 * in English "week 48 of 2026 (23–29 November 2026)". `capital` starts it with a capital letter.
 * The ISO code stays in the API and in URLs; people never see it.
 */
export function weekText(week: string, lang: Lang, opts: { capital?: boolean } = {}): string {
  return weekTexts(`${lang}/${opts.capital ? 'C' : 'c'}/${week}`, () => {
    if (!isValidIsoWeek(week)) return week;
    const [year, n] = [week.slice(0, 4), Number(week.slice(6))];
    const monday = mondayOf(week);
    const range = dateRangeText(monday, addDays(monday, 6), lang);
    const text = lang === 'en' ? `week ${n} of ${year} (${range})` : `minggu ke-${n} tahun ${year} (${range})`;
    return opts.capital ? text[0].toUpperCase() + text.slice(1) : text;
  });
}

// Every email and page row names its week: the few weeks' texts are kept.
const weekTexts = keptTexts();

/** "minggu ke-48 tahun 2026" without the dates, for tight places (table cells, chart labels). */
export function weekShortText(week: string, lang: Lang): string {
  if (!isValidIsoWeek(week)) return week;
  const [year, n] = [week.slice(0, 4), Number(week.slice(6))];
  return lang === 'en' ? `week ${n}/${year}` : `minggu ${n}/${year}`;
}
