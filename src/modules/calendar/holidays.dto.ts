import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class HolidayQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class CreateHolidayDto {
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'date must be a date (YYYY-MM-DD)' })
  date: string;

  @IsIn(['national', 'cuti_bersama'])
  kind: 'national' | 'cuti_bersama';

  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;
}
