import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../common/auth/principal';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash: string;
  @Column('text') role: Role;
  @Column({ name: 'province_code', type: 'varchar', length: 2, nullable: true }) provinceCode: string | null;
  @Column('boolean') active: boolean;
  @Column('text') locale: 'id' | 'en';
  /** Where a bureau calls a manager about a flag (optional). */
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ name: 'token_version', type: 'integer', default: 0 }) tokenVersion: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
