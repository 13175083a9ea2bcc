import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Papa from 'papaparse';
import type { DataSource } from 'typeorm';
import { timezoneOfProvince } from '../../common/time/timezones';

/**
 * The 38 provinces and 514 regencies/cities (Kemendagri codes) from the `idn-area-data` package.
 * Its CSV files are read directly: its JS entry point is ESM with import.meta, which Jest's
 * CommonJS runtime cannot load.
 */
export function readAreaCsv<T>(file: 'provinces' | 'regencies'): T[] {
  const dir = join(dirname(createRequire(__filename).resolve('idn-area-data/package.json')), 'data');
  const parsed = Papa.parse<T>(readFileSync(join(dir, `${file}.csv`), 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`idn-area-data ${file}.csv: ${parsed.errors[0].message}`);
  return parsed.data;
}

/** Upserts the reference regions in two statements; safe to run at every start. */
export async function loadReferenceRegions(db: DataSource): Promise<{ provinces: number; regencies: number }> {
  const provinces = readAreaCsv<{ code: string; name: string }>('provinces');
  const regencies = readAreaCsv<{ code: string; province_code: string; name: string }>('regencies');
  await db.query(
    `INSERT INTO provinces (code, name, timezone)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone
     WHERE (provinces.name, provinces.timezone) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.timezone)`,
    [provinces.map((p) => p.code), provinces.map((p) => p.name), provinces.map((p) => timezoneOfProvince(p.code))],
  );
  await db.query(
    `INSERT INTO regencies (code, province_code, name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO UPDATE SET province_code = EXCLUDED.province_code, name = EXCLUDED.name
     WHERE (regencies.province_code, regencies.name) IS DISTINCT FROM (EXCLUDED.province_code, EXCLUDED.name)`,
    [regencies.map((r) => r.code), regencies.map((r) => r.province_code), regencies.map((r) => r.name)],
  );
  return { provinces: provinces.length, regencies: regencies.length };
}
