import { coordinateProblems, openStreetMapUrl, parseCoordinate } from './coordinates.rules';

describe('coordinates', () => {
  it.each([
    [-10.1772, 123.607, []],
    [null, null, []],
    [10.1772, 123.607, ['latitude_range']], // Kupang with its minus sign lost
    [123.607, -10.1772, ['latitude_range', 'longitude_range']], // swapped
    [-6.2, null, ['latitude_without_longitude']],
    [null, 106.8, ['longitude_without_latitude']],
    [6.5, 141.5, []],
    [-11.6, 94.4, ['latitude_range', 'longitude_range']],
  ] as const)('(%p, %p) → %p', (lat, lon, problems) => {
    expect(coordinateProblems(lat, lon)).toEqual(problems);
  });

  it('reads a decimal point or an Indonesian decimal comma; anything else is invalid', () => {
    expect(['-10.1772', '-10,1772', '123', ' ', "10°10'S", '1e3', '12.3.4'].map(parseCoordinate)).toEqual([
      -10.1772,
      -10.1772,
      123,
      null,
      'invalid',
      'invalid',
      'invalid',
    ]);
  });

  it('links to OpenStreetMap with a marker', () => {
    expect(openStreetMapUrl(-10.1772, 123.607)).toBe('https://www.openstreetmap.org/?mlat=-10.1772&mlon=123.607#map=17/-10.1772/123.607');
  });
});
