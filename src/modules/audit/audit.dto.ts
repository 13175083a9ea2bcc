import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class AuditQuery {
  /** Actor's user id. */
  @IsOptional()
  @IsUUID()
  user?: string;

  /** `user`, `mpp`, `flag`, `cycle`, `settings`, `holiday`, `notification`, `regency`, `check_in`. */
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/)
  entity?: string;

  /** With `entity`: one record's history (a check-in is `{mppId}/{week}`). */
  @IsOptional()
  @IsString()
  @MaxLength(80)
  entityId?: string;

  /** e.g. `user.update`, `flag.transition`, `auth.login_failed`, `check_in.submit`. */
  @IsOptional()
  @Matches(/^[a-z_.]{1,64}$/)
  action?: string;

  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  /** Exclusive; pass the `at` of the last record to page back. */
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export interface AuditRecord {
  at: string;
  userId: string | null;
  userEmail: string | null;
  role: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
}
