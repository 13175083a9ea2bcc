import { PageQuery } from '../../common/paging/paging';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ACTION_KINDS, ActionKind, FLAG_STATES, FlagState } from './flag.rules';
import type { FlagContext } from './flag-context';

/** `?limit=&page=` pages the list (the answer stays an array; `X-Total-Count` has the whole length). */
export class FlagQuery extends PageQuery {
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
  /** When the bureau was first emailed about it (null: not yet), and by when it must respond. */
  firstEmailedAt: string | null;
  respondBy: string | null;
  history: FlagEventView[];
}

export class ActionDto {
  @ApiProperty({ enum: ACTION_KINDS })
  @IsIn(ACTION_KINDS)
  kind: ActionKind;

  /** What was done or agreed (who was called, what was found). */
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  note: string;

  /** When the bureau expects the result (local date `YYYY-MM-DD`, today or later). */
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'targetDate must be a date YYYY-MM-DD' })
  targetDate: string;
}

export interface FlagActionView {
  id: string;
  kind: ActionKind;
  note: string;
  targetDate: string;
  by: string;
  byUserId: string | null;
  at: string;
  /** The target date passed while the flag is unresolved and nothing was recorded since. */
  overdue: boolean;
}

/** `GET /api/v1/flags/{id}`: the flag with what the bureau needs to act on it (issue 16). */
export interface FlagDetailView extends FlagView, Omit<FlagContext, 'mpp'> {
  mpp: FlagContext['mpp'];
  ruleDetails: { code: string; text: string }[];
  actions: FlagActionView[];
}
