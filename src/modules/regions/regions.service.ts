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

  listProvinces(): Promise<Province[]> {
    return this.provinces.find({ order: { code: 'ASC' } });
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
