import type { CoverageService } from '../../src/modules/reports/coverage.service';

/**
 * What routes answer where src names no DTO for it: the service's own return type where it has one,
 * otherwise the row the route's SQL selects (src types it `unknown`), written down once here.
 */

/** `GET /reports/coverage`. */
export type Coverage = Awaited<ReturnType<CoverageService['coverage']>>;

/** A week of `GET /mpps/{id}/history` (the service answers the rows of its query as `unknown[]`). */
export interface MppHistoryWeek {
  week: string;
  result: string | null;
  rules: string[];
  reported: boolean | null;
  onTime: boolean | null;
  late: boolean | null;
  status: string | null;
  daysOpen: number | null;
  tenantsServing: number | null;
  visitors: number | null;
  transactions: number | null;
  flagState: string | null;
  flagEvents: { flagId: string; from: string | null; to: string; by: string; at: string; note: string | null }[];
}
