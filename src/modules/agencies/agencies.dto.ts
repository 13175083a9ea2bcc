import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateAgencyDto {
  /** Stable code, upper case: `DINSOS`. */
  @Matches(/^[A-Z0-9_]{2,40}$/, { message: 'code must be 2–40 upper-case letters, digits or _' })
  code: string;

  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  /** Other names tenants are registered under ("Dinsos"); matched case-insensitively, also as a prefix. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(200, { each: true })
  aliases?: string[];
}

export interface AgencyView {
  code: string;
  name: string;
  aliases: string[];
}
