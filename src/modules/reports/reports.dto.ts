import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { FORMATION_STAGES, FormationStage } from './reports.types';

const PROVINCE = { message: 'province must be a two-digit province code' };

/** With `limit` (and `page`), the MPP rows come a page at a time, worst first; the figures stay whole. */
export class WeeklyReportQuery extends PageQuery {
  @ApiProperty({ enum: ['json', 'csv', 'xlsx'], required: false })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';

  @IsOptional()
  @Matches(/^\d{2}$/, PROVINCE)
  province?: string;

  /** `mpps`: every MPP's row under its province (always for one province or a manager). */
  @ApiProperty({ enum: ['mpps'], required: false })
  @IsOptional()
  @IsIn(['mpps'])
  detail?: 'mpps';
}

export class TrendQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(104)
  weeks?: number;

  @IsOptional()
  @Matches(/^\d{2}$/, PROVINCE)
  province?: string;
}

export class CoverageQuery {
  @IsOptional()
  @Matches(/^\d{2}$/, PROVINCE)
  province?: string;
}

export class HistoryQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(104)
  weeks?: number;
}

export class FormationDto {
  @ApiProperty({ enum: FORMATION_STAGES })
  @IsIn(FORMATION_STAGES)
  stage: FormationStage;

  /** When the stage was reached (e.g. the date the regional head signed the commitment). */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class AgencyReportQuery {
  @Matches(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, { message: 'week must be an ISO week such as 2026-W48' })
  week: string;

  @IsOptional()
  @Matches(/^\d{2}$/, PROVINCE)
  province?: string;
}

export interface AgencyReportRow {
  code: string;
  name: string;
  /** Active MPPs with a tenant of this agency. */
  hostingMpps: number;
  /** Of those, MPPs whose check-in for the week says they were open at least one day. */
  hostingMppsOpen: number;
  /** Of those, MPPs whose check-in for the week named a tenant of this agency as serving; null when no check-in in scope names its tenants. */
  servedMpps: number | null;
}
