import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CLOSURE_CATEGORIES, CLOSURE_KINDS, ClosureCategory, ClosureKind, ClosureStatus } from './closure.rules';

export { CLOSURE_KINDS };
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CreateClosureDto {
  /** First closed day, local to the MPP (YYYY-MM-DD). */
  @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' })
  from: string;

  /** Last closed day, inclusive. */
  @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' })
  to: string;

  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;

  /** Why it closed: planned, disaster, renovation, relocation, outage, other. */
  @IsOptional()
  @IsIn(CLOSURE_CATEGORIES)
  category?: ClosureCategory;

  /** Older clients: renovation, disaster, holiday (→ planned), other. `category` wins when both are given. */
  @IsOptional()
  @IsIn(CLOSURE_KINDS)
  kind?: ClosureKind;
}

export class UpdateClosureDto {
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' })
  from?: string;

  @IsOptional()
  @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' })
  to?: string;

  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason?: string;

  @IsOptional()
  @IsIn(CLOSURE_CATEGORIES)
  category?: ClosureCategory;

  @IsOptional()
  @IsIn(CLOSURE_KINDS)
  kind?: ClosureKind;
}

export class ClosureDecisionDto {
  /** true approves (the closure excuses its days), false rejects it. */
  @IsBoolean()
  approve: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export interface ClosureView {
  id: string;
  mppId: string;
  from: string;
  to: string;
  category: ClosureCategory;
  reason: string;
  status: ClosureStatus;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}
