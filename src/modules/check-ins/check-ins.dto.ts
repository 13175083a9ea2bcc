import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CHECK_IN_STATUSES, CheckInStatus } from '../cycles/evaluation.rules';

/** Upper bounds well above the busiest MPP's week (a large city MPP serves ~20,000 visitors a week). */
export const LIMITS = { tenants: 500, counters: 1000, visitors: 1_000_000, transactions: 2_000_000, text: 2000 } as const;

export class ChannelsDto {
  @IsBoolean() direct: boolean;
  @IsBoolean() mobile: boolean;
  @IsBoolean() self: boolean;
  @IsBoolean() electronic: boolean;
}

export class CheckInDto {
  /** Days the MPP served the public this week. */
  @IsInt()
  @Min(0)
  @Max(7)
  daysOpen: number;

  /**
   * Tenant agencies that actually served (at most the registered ones). May be left out when
   * `tenantsServingIds` names them: the count follows from the names.
   */
  @ValidateIf((o: CheckInDto) => o.tenantsServingIds === undefined || o.tenantsServingIds === null || o.tenantsServing !== undefined)
  @IsInt()
  @Min(0)
  @Max(LIMITS.tenants)
  tenantsServing: number;

  /**
   * The registered tenants of this MPP that served this week (their ids, as `GET /mpps/{id}` lists
   * them). Optional: without it the check-in carries only the count. With it, `tenantsServing`
   * must be left out or equal its length.
   */
  @ApiProperty({ required: false, nullable: true, type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.tenants)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  tenantsServingIds?: string[] | null;

  @IsInt()
  @Min(0)
  @Max(LIMITS.counters)
  countersOpen: number;

  @IsInt()
  @Min(0)
  @Max(LIMITS.visitors)
  visitors: number;

  @IsInt()
  @Min(0)
  @Max(LIMITS.transactions)
  transactions: number;

  @IsDefined()
  @ValidateNested()
  @Type(() => ChannelsDto)
  channels: ChannelsDto;

  @ApiProperty({ enum: CHECK_IN_STATUSES })
  @IsIn(CHECK_IN_STATUSES)
  status: CheckInStatus;

  /** Required when the status is temporarily_closed or not_operating. */
  @ValidateIf(
    (o: CheckInDto) =>
      o.status === 'temporarily_closed' || o.status === 'not_operating' || (o.closureReason !== null && o.closureReason !== undefined),
  )
  @IsString({ message: 'closureReason is required when the MPP was closed or not operating' })
  @MaxLength(LIMITS.text)
  closureReason?: string | null;

  /** Problems needing help (free text). */
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.text)
  problems?: string | null;
}

export class CheckInQuery {
  @IsOptional()
  @IsIn(['all'])
  revisions?: 'all';
}

export interface CheckInView {
  mppId: string;
  week: string;
  revision: number;
  daysOpen: number;
  tenantsServing: number;
  /** Present when the check-in named the tenants serving. */
  tenantsServingIds?: string[];
  countersOpen: number;
  visitors: number;
  transactions: number;
  channels: { direct: boolean; mobile: boolean; self: boolean; electronic: boolean };
  status: CheckInStatus;
  closureReason: string | null;
  problems: string | null;
  late: boolean;
  submittedAt: string;
  submittedBy: string;
  firstSubmittedAt?: string;
  deadline?: string;
}
