import { timezoneOfProvince } from './timezones';

describe('timezoneOfProvince', () => {
  it.each([
    ['11', 'Asia/Jakarta'],
    ['21', 'Asia/Jakarta'],
    ['31', 'Asia/Jakarta'],
    ['36', 'Asia/Jakarta'],
    ['61', 'Asia/Jakarta'],
    ['62', 'Asia/Jakarta'],
    ['51', 'Asia/Makassar'],
    ['53', 'Asia/Makassar'],
    ['63', 'Asia/Makassar'],
    ['65', 'Asia/Makassar'],
    ['71', 'Asia/Makassar'],
    ['76', 'Asia/Makassar'],
    ['81', 'Asia/Jayapura'],
    ['82', 'Asia/Jayapura'],
    ['91', 'Asia/Jayapura'],
    ['96', 'Asia/Jayapura'],
  ])('province %s is in %s', (code, tz) => {
    expect(timezoneOfProvince(code)).toBe(tz);
  });
});
