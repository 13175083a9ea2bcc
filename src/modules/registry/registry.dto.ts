import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { RegistryError } from './registry.rules';

export class ImportQuery {
  /** `true`: check the file and answer what would change, writing nothing. */
  @ApiProperty({ enum: ['true', 'false'], required: false })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  dryRun?: string;
}

export class RegistryFileQuery {
  @ApiProperty({ enum: ['csv', 'xlsx'], required: false })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}

export interface ImportResult {
  dryRun: boolean;
  /** MPP rows in the file. */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** New manager accounts (each invited by email), and existing ones newly given an MPP. */
  managersInvited: number;
  managersLinked: number;
  /** Tenant names that match no agency of the national list: kept as written, with the rows they are on. */
  unmatchedTenants: { name: string; rows: number[] }[];
  /** What happens to each MPP row without an error, in file order. */
  outcomes: RowOutcome[];
  errors: RegistryError[];
}

export interface RowOutcome {
  row: number;
  regencyCode: string;
  name: string;
  outcome: 'create' | 'update' | 'unchanged';
}
