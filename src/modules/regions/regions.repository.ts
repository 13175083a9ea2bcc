import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, run, sql, where } from '../../database/sql';

export interface ProvinceRow {
  code: string;
  name: string;
  timezone: string;
}

export interface RegencyRow {
  code: string;
  provinceCode: string;
  name: string;
}

/** The `provinces` and `regencies` tables (reference data): every query on them. */
@Injectable()
export class RegionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async provinceExists(code: string): Promise<boolean> {
    return (await one<{ exists: boolean }>(this.db, sql`SELECT EXISTS (SELECT 1 FROM provinces WHERE code = ${code}) AS exists`))!.exists;
  }

  /** Every province's code and name (or one province's), by code. */
  provinceNames(code: string | null): Promise<{ code: string; name: string }[]> {
    return run(this.db, sql`SELECT code, name FROM provinces ${where([code !== null && sql`code = ${code}`])} ORDER BY code`);
  }

  async provinceOfRegency(regencyCode: string): Promise<string | undefined> {
    return (
      await one<{ provinceCode: string }>(this.db, sql`SELECT province_code AS "provinceCode" FROM regencies WHERE code = ${regencyCode}`)
    )?.provinceCode;
  }

  /** Which of these regency codes exist. */
  async knownRegencies(codes: string[], db: DataSource | EntityManager = this.db): Promise<Set<string>> {
    const rows = await run<{ code: string }>(db, sql`SELECT code FROM regencies WHERE code = ANY(${codes}::text[])`);
    return new Set(rows.map((r) => r.code));
  }

  /** Inserts new provinces and updates changed ones, in one statement. */
  async upsertProvinces(provinces: ProvinceRow[]): Promise<void> {
    await run(
      this.db,
      sql`INSERT INTO provinces (code, name, timezone)
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(provinces)}::jsonb) AS x(code text, name text, timezone text)
          ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone
          WHERE (provinces.name, provinces.timezone) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.timezone)`,
    );
  }

  /** Inserts new regencies and updates changed ones, in one statement. */
  async upsertRegencies(regencies: RegencyRow[]): Promise<void> {
    await run(
      this.db,
      sql`INSERT INTO regencies (code, province_code, name)
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(regencies)}::jsonb) AS x(code text, "provinceCode" text, name text)
          ON CONFLICT (code) DO UPDATE SET province_code = EXCLUDED.province_code, name = EXCLUDED.name
          WHERE (regencies.province_code, regencies.name) IS DISTINCT FROM (EXCLUDED.province_code, EXCLUDED.name)`,
    );
  }
}
