import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Papa from 'papaparse';
import type { DataSource } from 'typeorm';
import { timezoneOfProvince } from '../../common/time/timezones';
import { RegionsRepository } from './regions.repository';

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
  const regions = new RegionsRepository(db);
  await regions.upsertProvinces(provinces.map((p) => ({ code: p.code, name: p.name, timezone: timezoneOfProvince(p.code) })));
  await regions.upsertRegencies(regencies.map((r) => ({ code: r.code, provinceCode: r.province_code, name: r.name })));
  return { provinces: provinces.length, regencies: regencies.length };
}
