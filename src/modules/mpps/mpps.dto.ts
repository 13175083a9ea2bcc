import { PageQuery } from '../../common/paging/paging';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { RESULTS, type EvaluationResult } from '../cycles/evaluation.rules';
import { INDONESIA } from './coordinates.rules';
import { Channel, CHANNELS } from './mpp.entities';

export class TenantDto {
  /** The id of a registered tenant this entry is (renamed or not): it keeps that id. Optional. */
  @IsOptional()
  @IsUUID('all')
  id?: string;

  /** Tenant agency (instansi), e.g. "Polres Kupang Kota". */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Services it offers there, e.g. ["SKCK"]. */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  services: string[];

  /**
   * The national agency it belongs to (`GET /api/v1/agencies`); `null` for none. Omitted, it follows
   * from the name ("Polres Kupang Kota" → POLRI), or stays what it was when the name says nothing.
   */
  @ApiProperty({ required: false, nullable: true, example: 'POLRI' })
  @IsOptional()
  @Matches(/^[A-Z0-9_]{2,40}$/, { message: 'agencyCode must be an agency code such as POLRI' })
  agencyCode?: string | null;
}

export class CreateMppDto {
  /** Kemendagri regency/city code, e.g. `53.71` (Kota Kupang). */
  @Matches(/^\d{2}\.\d{2}$/, { message: 'regencyCode must look like 53.71' })
  regencyCode: string;

  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'inauguratedOn must be a date (YYYY-MM-DD)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'inauguratedOn must be a date (YYYY-MM-DD)' })
  inauguratedOn?: string;

  @ApiProperty({ enum: CHANNELS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels: Channel[];

  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TenantDto)
  tenants: TenantDto[];

  /** ISO weekdays it serves the public (1 = Monday … 7 = Sunday); default Monday–Friday. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  openingDays?: number[];
  /** Where the MPP stands (WGS 84 degrees, in Indonesia), for the public page's map link; both or neither. */
  @ApiProperty({ required: false, nullable: true, example: -10.1772 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(INDONESIA.minLatitude)
  @Max(INDONESIA.maxLatitude)
  latitude?: number | null;

  @ApiProperty({ required: false, nullable: true, example: 123.607 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(INDONESIA.minLongitude)
  @Max(INDONESIA.maxLongitude)
  longitude?: number | null;
}

export class UpdateMppDto {
  @IsOptional()
  @Matches(/^\d{2}\.\d{2}$/, { message: 'regencyCode must look like 53.71' })
  regencyCode?: string;

  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'inauguratedOn must be a date (YYYY-MM-DD)' })
  inauguratedOn?: string;

  @ApiProperty({ enum: CHANNELS, isArray: true, required: false })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels?: Channel[];

  /** Replaces the whole tenant list when given. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TenantDto)
  tenants?: TenantDto[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  openingDays?: number[];

  /** Where the MPP stands (WGS 84 degrees, in Indonesia), for the public page's map link; both or neither. */
  @ApiProperty({ required: false, nullable: true, example: -10.1772 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(INDONESIA.minLatitude)
  @Max(INDONESIA.maxLatitude)
  latitude?: number | null;

  @ApiProperty({ required: false, nullable: true, example: 123.607 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(INDONESIA.minLongitude)
  @Max(INDONESIA.maxLongitude)
  longitude?: number | null;

  /** false retires the MPP from weekly evaluation (e.g. merged or closed for good). */
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** `?limit=&page=` pages the registry (the answer stays an array; `X-Total-Count` has the whole length). */
export class MppQuery extends PageQuery {
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'province must be a two-digit province code' })
  province?: string;

  @IsOptional()
  @Matches(/^\d{2}\.\d{2}$/, { message: 'regency must look like 53.71' })
  regency?: string;

  /** Result in the most recently evaluated cycle. */
  @ApiProperty({ enum: RESULTS, required: false })
  @IsOptional()
  @IsIn(RESULTS)
  result?: EvaluationResult;
}

export interface MppView {
  id: string;
  regencyCode: string;
  regencyName: string;
  provinceCode: string;
  provinceName: string;
  timezone: string;
  name: string;
  address: string | null;
  inauguratedOn: string | null;
  channels: Channel[];
  openingDays: number[];
  tenants: { id: string; name: string; services: string[]; agencyCode: string | null }[];
  latitude: number | null;
  longitude: number | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** An MPP found by name or regency (the admin pages' search). */
export interface MppSearchHit {
  id: string;
  name: string;
  regencyName: string;
  provinceName: string;
}

export class RetireMppDto {
  /** The last day the MPP was in service (local date, YYYY-MM-DD); not after today. */
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'on must be a date (YYYY-MM-DD)' })
  on: string;

  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export interface RetirementView {
  id: string;
  active: false;
  retiredOn: string;
  retirementReason: string;
  /** The flag the retirement resolved, if one was open. */
  resolvedFlagId: string | null;
}
