import { dateRangeText, dateText, weekShortText, weekText } from './week-text';

describe('weekText', () => {
  it.each([
    ['2026-W48', 'id', 'minggu ke-48 tahun 2026 (23–29 November 2026)'],
    ['2026-W48', 'en', 'week 48 of 2026 (23–29 November 2026)'],
    ['2026-W49', 'id', 'minggu ke-49 tahun 2026 (30 November–6 Desember 2026)'],
    ['2026-W53', 'id', 'minggu ke-53 tahun 2026 (28 Desember 2026–3 Januari 2027)'],
    ['2027-W01', 'en', 'week 1 of 2027 (4–10 January 2027)'],
    ['2026-W01', 'id', 'minggu ke-1 tahun 2026 (29 Desember 2025–4 Januari 2026)'],
  ] as const)('%s in %s', (week, lang, text) => {
    expect(weekText(week, lang)).toBe(text);
  });

  it('capitalises at the start of a sentence', () => {
    expect(weekText('2026-W48', 'id', { capital: true })).toBe('Minggu ke-48 tahun 2026 (23–29 November 2026)');
  });

  it('leaves what is not a week alone', () => {
    expect(weekText('2026-W60', 'id')).toBe('2026-W60');
  });

  it('writes short weeks and dates', () => {
    expect(weekShortText('2026-W48', 'id')).toBe('minggu 48/2026');
    expect(dateText('2026-12-04', 'id', { weekday: true })).toBe('Jumat, 4 Desember 2026');
    expect(dateText('2026-12-04', 'en')).toBe('4 December 2026');
    expect(dateRangeText('2026-11-30', '2026-12-06', 'en')).toBe('30 November–6 December 2026');
  });
});
