import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CHANNELS = ['direct', 'mobile', 'self', 'electronic'] as const;
export type Channel = (typeof CHANNELS)[number];

@Entity('mpps')
export class Mpp {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'regency_code', type: 'varchar', length: 5 }) regencyCode: string;
  @Column({ name: 'province_code', type: 'varchar', length: 2 }) provinceCode: string;
  @Column('text') name: string;
  @Column({ type: 'text', nullable: true }) address: string | null;
  @Column({ name: 'inaugurated_on', type: 'date', nullable: true }) inauguratedOn: string | null;
  @Column({ type: 'text', array: true }) channels: Channel[];
  @Column({ name: 'opening_days', type: 'smallint', array: true }) openingDays: number[];
  @Column({ type: 'double precision', nullable: true }) latitude: number | null;
  @Column({ type: 'double precision', nullable: true }) longitude: number | null;
  @Column('boolean') active: boolean;
  /** Registered tenants (denormalised from mpp_tenants for the weekly evaluation). */
  @Column({ name: 'tenant_count', type: 'integer' }) tenantCount: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('mpp_tenants')
export class MppTenant {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'mpp_id', type: 'uuid' }) mppId: string;
  @Column('smallint') position: number;
  @Column('text') name: string;
  @Column({ type: 'text', array: true }) services: string[];
}
