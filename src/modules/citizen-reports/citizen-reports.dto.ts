import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { NOTE_MAX, REPORT_KINDS } from './citizen-report.rules';

/** The shape; `parseReport` checks the dates against the MPP's calendar. */
export class CreateCitizenReportDto {
  @ApiProperty({ enum: REPORT_KINDS, example: 'closed' })
  @IsIn(REPORT_KINDS)
  kind: string;

  @ApiProperty({ example: '2026-12-01', description: 'The day of the visit, this week or last (the MPP’s local calendar)' })
  @IsString()
  visitedOn: string;

  @ApiPropertyOptional({ example: 'Polres', description: 'For service_unavailable: whose service was missing' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  agency?: string;

  @ApiPropertyOptional({ example: 'Pintu terkunci jam 10 pagi', maxLength: 500, description: 'Shown to officials only' })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX)
  note?: string;

  @ApiProperty({ description: 'The solved ALTCHA challenge from GET /api/v1/public/challenge (base64 JSON), usable once' })
  @IsString()
  @MaxLength(2000)
  altcha: string;
}
