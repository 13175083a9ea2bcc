/**
 * An MPP's location (WGS 84 degrees), optional and both-or-neither. Every MPP is in Indonesia, so
 * values outside its extent (with a margin) are typing mistakes: latitude and longitude swapped, or
 * a lost minus sign (Kupang is at -10.17, not 10.17). Pure: no Nest, no database.
 */
export const INDONESIA = { minLatitude: -11.5, maxLatitude: 6.5, minLongitude: 94.5, maxLongitude: 141.5 } as const;

export type CoordinateProblem = 'latitude_range' | 'longitude_range' | 'latitude_without_longitude' | 'longitude_without_latitude';

export function coordinateProblems(latitude: number | null, longitude: number | null): CoordinateProblem[] {
  const problems: CoordinateProblem[] = [];
  if (latitude !== null && !(latitude >= INDONESIA.minLatitude && latitude <= INDONESIA.maxLatitude)) problems.push('latitude_range');
  if (longitude !== null && !(longitude >= INDONESIA.minLongitude && longitude <= INDONESIA.maxLongitude)) problems.push('longitude_range');
  if (latitude !== null && longitude === null) problems.push('latitude_without_longitude');
  if (latitude === null && longitude !== null) problems.push('longitude_without_latitude');
  return problems;
}

/** The field a problem is about: the one out of range, or the one left empty. */
export function fieldOf(problem: CoordinateProblem): 'latitude' | 'longitude' {
  return problem === 'latitude_range' || problem === 'longitude_without_latitude' ? 'latitude' : 'longitude';
}

/** A plain OpenStreetMap link with a marker (no script, no third party on our page). */
export function openStreetMapUrl(latitude: number, longitude: number): string {
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
}

/** A coordinate as typed in a spreadsheet or form: `-10.1772` or, in an Indonesian locale, `-10,1772`. */
export function parseCoordinate(text: string): number | null | 'invalid' {
  const t = text.trim();
  if (!t) return null;
  const normal = /^-?\d{1,3},\d+$/.test(t) ? t.replace(',', '.') : t;
  if (!/^-?\d{1,3}(\.\d+)?$/.test(normal)) return 'invalid';
  return Number(normal);
}
