import { IsOptional, Matches } from 'class-validator';

export class RegencyQuery {
  /** Province code, e.g. `53`. */
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'province must be a two-digit province code' })
  province?: string;
}
