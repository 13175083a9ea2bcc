import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const CLOSURE_KINDS = ['renovation', 'disaster', 'holiday', 'other'] as const;
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

  @IsOptional()
  @IsIn(CLOSURE_KINDS)
  kind?: (typeof CLOSURE_KINDS)[number];
}
