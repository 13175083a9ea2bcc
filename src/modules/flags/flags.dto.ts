import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { FLAG_STATES, FlagState } from './flag.rules';

export class FlagQuery {
  @ApiProperty({ enum: FLAG_STATES, required: false })
  @IsOptional()
  @IsIn([...FLAG_STATES, 'unresolved'])
  state?: FlagState | 'unresolved';

  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'province must be a two-digit province code' })
  province?: string;

  @IsOptional()
  @IsUUID()
  mppId?: string;
}

export class TransitionDto {
  @ApiProperty({ enum: ['acknowledged', 'in_follow_up', 'resolved'] })
  @IsIn(['acknowledged', 'in_follow_up', 'resolved'])
  to: Exclude<FlagState, 'open'>;

  /** What was found or done (recorded in the flag's history). */
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  note: string;
}

export interface FlagEventView {
  from: FlagState | null;
  to: FlagState;
  by: string;
  byUserId: string | null;
  at: string;
  week: string | null;
  note: string;
}

export interface FlagView {
  id: string;
  mppId: string;
  mppName: string;
  provinceCode: string;
  state: FlagState;
  openedWeek: string;
  openedAt: string;
  reopenedWeek: string | null;
  lastWeek: string;
  rules: string[];
  updatedAt: string;
  history: FlagEventView[];
}
