import type { CitizenReportsService } from '../../src/modules/citizen-reports/citizen-reports.service';
import type { DisputesService } from '../../src/modules/citizen-reports/disputes.service';
import type { EvaluationSettings } from '../../src/modules/cycles/evaluation.rules';
import type { NotificationsService } from '../../src/modules/notifications/notifications.service';
import type { HolidaysService } from '../../src/modules/calendar/holidays.service';
import type { CoverageService } from '../../src/modules/reports/coverage.service';
import type { SignalsService } from '../../src/modules/signals/signals.service';

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

/** `POST /mpps/{id}/signal-sources` and `…/rotate`: the source with the ping URL shown once. */
export type NewSignalSource = Awaited<ReturnType<SignalsService['create']>>;

/** `GET /notifications/{id}`: the row with its payload. */
export type NotificationDetail = Awaited<ReturnType<NotificationsService['get']>>;

/** `GET /mpps/{id}/disputes`. */
export type Disputes = Awaited<ReturnType<DisputesService['list']>>;

/** `GET /public/challenge`: the proof-of-work challenge a citizen's browser solves. */
export type Challenge = Awaited<ReturnType<CitizenReportsService['challenge']>>;

/** `GET /audit/verify`. */
export type { ChainReport } from '../../src/modules/audit/audit-chain';

/** `GET /provinces` and `GET /regencies` answer the reference rows. */
export type { Province, Regency } from '../../src/modules/regions/region.entities';

/** A row of `GET /settings/evaluation/history` (the service answers `unknown[]`). */
export interface SettingsChange {
  id: string;
  before: Partial<EvaluationSettings> | null;
  after: Partial<EvaluationSettings>;
  at: string;
  byEmail: string | null;
}

/** `GET /holidays` rows and what `POST /holidays` answers. */
export type Holiday = Awaited<ReturnType<HolidaysService['add']>>;

/** `GET /health/ready` (the outbox detail only for the operators' token). */
export type { Readiness } from '../../src/modules/health/health.service';
