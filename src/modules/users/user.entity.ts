import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../common/auth/principal';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') name: string;
  /** Null while invited: the user has not set a password yet. */
  @Column({ name: 'password_hash', type: 'text', select: false, nullable: true }) passwordHash: string | null;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column('text') role: Role;
  @Column({ name: 'province_code', type: 'varchar', length: 2, nullable: true }) provinceCode: string | null;
  @Column('boolean') active: boolean;
  @Column('text') locale: 'id' | 'en';
  /** Where a bureau calls a manager about a flag (optional). */
  @Column({ name: 'token_version', type: 'integer', default: 0 }) tokenVersion: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
