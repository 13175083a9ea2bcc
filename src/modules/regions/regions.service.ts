import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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

  listRegencies(provinceCode?: string): Promise<Regency[]> {
    return this.regencies.find({ where: provinceCode ? { provinceCode } : {}, order: { code: 'ASC' } });
  }
}
