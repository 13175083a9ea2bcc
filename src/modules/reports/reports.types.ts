import { EvaluationResult, RESULTS } from '../cycles/evaluation.rules';
import type { IndonesianTimezone } from '../../common/time/timezones';

/** DHIS2's completeness measures for a set of MPPs in one week. */
export interface WeeklyFigures {
  /** MPPs evaluated and asked to report: neither excused for the whole week nor not expected yet. */
  expected: number;
  reported: number;
  onTime: number;
  /** Fractions 0–1; null when no MPP was expected to report. */
  reportingRate: number | null;
  onTimeRate: number | null;
  counts: Record<EvaluationResult, number>;
  /** Unresolved flags as the week's evaluation left them. */
  openFlags: number;
  /** Of those, open since before the week two weeks earlier (more than two weeks). */
  flagsOlderThan2Weeks: number;
  /** Evaluated weeks whose check-in citizens or machines contradicted (disputed), as the evaluation saw them. */
  disputed: number;
  /** Citizens' reports of visits in the week, as the evaluation saw them. */
  citizenReports: number;
}

export type ProvinceFigures = WeeklyFigures & { provinceCode: string; name: string };

export interface MppWeekRow {
  mppId: string;
  name: string;
  provinceCode: string;
  regencyCode: string;
  regencyName: string;
  result: EvaluationResult;
  rules: string[];
  expectedDays: number;
  reported: boolean;
  onTime: boolean;
  late: boolean | null;
  status: string | null;
  daysOpen: number | null;
  tenantsServing: number | null;
  visitors: number | null;
  transactions: number | null;
  /** The MPP's unresolved flag now, if any. */
  flagState: string | null;
}

/** The order a paged list of MPP rows comes in: the cases a bureau must act on first. */
export const WORST_FIRST: EvaluationResult[] = ['inactive', 'not_reporting', 'at_risk', 'active', 'excused', 'not_expected'];

export interface WeeklyReport {
  week: string;
  evaluatedAt: string;
  national: WeeklyFigures;
  provinces: (ProvinceFigures & { mpps?: MppWeekRow[] })[];
  /** Present when the MPP rows were asked for a page at a time (`?limit=`): which page of how many rows. */
  mppPage?: { page: number; limit: number; total: number; pages: number };
}

export interface TrendPoint extends WeeklyFigures {
  week: string;
}

export const FORMATION_STAGES = ['none', 'committed', 'preparing'] as const;
export type FormationStage = (typeof FORMATION_STAGES)[number];
/** `closed`: every MPP the regency had is retired (closed for good) and nothing new is under way. */
export type CoverageStatus = FormationStage | 'operating' | 'inactive' | 'closed';
export const COVERAGE_STATUSES: CoverageStatus[] = ['none', 'committed', 'preparing', 'operating', 'inactive', 'closed'];

export const WEEK_STATES = ['reported', 'late', 'pending', 'overdue', 'excused', 'not_expected'] as const;
/** What the bureau's list can be narrowed to: a reporting state before the evaluation, the verdict (or none) after it. */
export const PROVINCE_WEEK_FILTERS: string[] = [...new Set([...WEEK_STATES, ...RESULTS, 'none'])];

/** One MPP of a province in its live week: its reporting state, the verdict once evaluated, its unresolved flag. */
export interface ProvinceWeekMpp {
  id: string;
  name: string;
  regencyName: string;
  weekState: (typeof WEEK_STATES)[number];
  result: string | null;
  rules: string[];
  flagId: string | null;
  flagState: string | null;
  respondBy: string | null;
}

/** A bureau's province in its live week, a page of MPPs at a time (unresolved flags first). */
export interface ProvinceWeek {
  week: string | null;
  evaluated: boolean;
  deadline: string | null;
  timezone?: IndonesianTimezone;
  /** The state the list is narrowed to (a result once evaluated, else a reporting state), if any. */
  state?: string | null;
  /** MPPs in the list (narrowed to `state`), and in the province. */
  total: number;
  all: number;
  /** How many MPPs are in each state the list can be narrowed to. */
  states: { state: string; n: number }[];
  page: number;
  pages: number;
  mpps: ProvinceWeekMpp[];
}
