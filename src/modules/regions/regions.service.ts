import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { run, sql } from '../../database/sql';
import { Province, Regency } from './region.entities';

@Injectable()
export class RegionsService {
  constructor(
    @InjectRepository(Province) private readonly provinces: Repository<Province>,
    @InjectRepository(Regency) private readonly regencies: Repository<Regency>,
  ) {}

  /** Read on every bureau page: plain SQL rather than TypeORM's find (its query builder cost more than the query). */
  listProvinces(): Promise<Province[]> {
    return run(this.provinces.manager, sql`SELECT code, name, timezone FROM provinces ORDER BY code`);
  }

  /** How a bureau email addresses each province: its name, the bureau's own title if any, and its time zone. */
  bureauAddresses(tx: EntityManager, codes: string[]): Promise<{ code: string; name: string; title: string | null; timezone: string }[]> {
    return run(
      tx,
      sql`SELECT p.code, p.name, bt.title, p.timezone FROM provinces p LEFT JOIN bureau_titles bt ON bt.province_code = p.code
           WHERE p.code = ANY(${codes}::text[])`,
    );
  }

  listRegencies(provinceCode?: string): Promise<Regency[]> {
    return this.regencies.find({ where: provinceCode ? { provinceCode } : {}, order: { code: 'ASC' } });
  }
}
