import { placeName } from './place-name';

describe('placeName', () => {
  it.each([
    ['NUSA TENGGARA TIMUR', 'Nusa Tenggara Timur'],
    ['KABUPATEN PANGKAJENE DAN KEPULAUAN', 'Kabupaten Pangkajene dan Kepulauan'],
    ['KOTA PALANGKARAYA', 'Kota Palangka Raya'],
    ['DKI JAKARTA', 'DKI Jakarta'],
    ['DI YOGYAKARTA', 'DI Yogyakarta'],
    ['KABUPATEN TOLI-TOLI', 'Kabupaten Toli-Toli'],
    ['KOTA BAU-BAU', 'Kota Bau-Bau'],
    ['KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO', 'Kabupaten Kepulauan Siau Tagulandang Biaro'],
  ])('%s → %s', (raw, shown) => expect(placeName(raw)).toBe(shown));
});
