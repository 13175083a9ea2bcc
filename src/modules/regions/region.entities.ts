import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IndonesianTimezone } from '../../common/time/timezones';

@Entity('provinces')
export class Province {
  @PrimaryColumn({ type: 'varchar', length: 2 }) code: string;
  @Column('text') name: string;
  @Column('text') timezone: IndonesianTimezone;
}

@Entity('regencies')
export class Regency {
  @PrimaryColumn({ type: 'varchar', length: 5 }) code: string;
  @Column({ name: 'province_code', type: 'varchar', length: 2 }) provinceCode: string;
  @Column('text') name: string;
}
