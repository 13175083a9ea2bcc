import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { RESULTS, type EvaluationResult } from './evaluation.rules';

export class EvaluationQuery {
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'province must be a two-digit province code' })
  province?: string;

  @ApiProperty({ enum: RESULTS, required: false })
  @IsOptional()
  @IsIn(RESULTS)
  result?: EvaluationResult;
}

export class UpdateEvaluationSettingsDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  notReportingWeeksForInactive?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  minTenantsServingRatio?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  maxTransactionsDrop?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(26)
  medianWeeks?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(26)
  medianMinWeeks?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(90)
  correctionDays?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(72)
  reminderHoursBeforeDeadline?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  reEscalateAfterDays?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7)
  respondByWeekday?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  /** Distinct citizens reporting the MPP closed that dispute a week claimed open. */
  disputeMinCitizenReports?: number;
}

export interface CycleView {
  week: string;
  state: 'open' | 'closed' | 'evaluated';
  startsAt: string;
  deadlineWib: string;
  evaluatedAt: string | null;
  evaluationRuns: number;
  locksAt: string | null;
  locked: boolean;
  counts: Record<EvaluationResult, number>;
}
