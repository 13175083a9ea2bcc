import { IsOptional, Matches } from 'class-validator';
import type { PublicStatus } from './public-status.rules';

export class PublicMppsQuery {
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'province must be a two-digit province code' })
  province?: string;
}

/** What anyone may read about an MPP: no person, no figures, no manager's words. */
export interface PublicMppView {
  id: string;
  name: string;
  regencyCode: string;
  regencyName: string;
  provinceCode: string;
  provinceName: string;
  /** The latest evaluated week, or null before the first evaluation. */
  week: string | null;
  status: PublicStatus;
  /** The last 8 evaluated weeks, oldest first. */
  weeks: { week: string; status: PublicStatus }[];
  openingDays: number[];
  address: string | null;
  /** Where it stands (public information), null when not registered. */
  latitude: number | null;
  longitude: number | null;
  services: string[];
}

/** A province on the public index: how many of its monitored MPPs are in each status in the latest week. */
export interface PublicProvinceView {
  code: string;
  name: string;
  total: number;
  counts: Record<PublicStatus, number>;
}
