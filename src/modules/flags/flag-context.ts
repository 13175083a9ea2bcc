import type { EntityManager } from 'typeorm';
import { median } from '../cycles/evaluation.rules';
import type { EvaluationSettings } from '../cycles/evaluation.rules';
import { flagContextRows } from './flags.repository';
import { RuleFact, ruleFacts } from './rule-facts';

/** Weeks of results that travel with a flag. */
export const RECENT_WEEKS = 4;

export interface FlagManager {
  name: string;
  email: string;
  phone: string | null;
}

export interface LatestCheckIn {
  week: string;
  daysOpen: number;
  tenantsServing: number;
  registeredTenants: number;
  countersOpen: number;
  visitors: number;
  transactions: number;
  status: string;
  closureReason: string | null;
  problems: string | null;
  late: boolean;
  submittedAt: string;
}

export interface RecentWeek {
  week: string;
  result: string;
  rules: string[];
  reported: boolean;
}

/** What a bureau needs to act on a flag without opening anything else (issue 16, item 2). */
export interface FlagContext {
  mpp: { id: string; name: string; regencyName: string; provinceName: string; timezone: string; managers: FlagManager[] };
  latestCheckIn: LatestCheckIn | null;
  /** The last weeks' results, newest first. */
  recentWeeks: RecentWeek[];
  /** The flag's rules in numbers, from its latest evaluated week. */
  ruleFacts: RuleFact[];
}

/** A flag's context columns as the database answers them (flags.repository contextColumns). */
export interface FlagContextRow {
  mpp: FlagContext['mpp'];
  rules: string[];
  registeredTenants: number;
  latestCheckIn: Omit<LatestCheckIn, 'registeredTenants'> | null;
  recentWeeks: (RecentWeek & { expectedDays: number; streak: number })[];
  transactionsHistory: number[] | null;
}

/**
 * The context of many flags in one statement (set-based: a bureau email lists dozens): the MPP and
 * its managers, the latest check-in with what the manager wrote, the last weeks' results and the
 * median behind a transactions drop.
 */
export async function flagContexts(tx: EntityManager, flagIds: string[], settings: EvaluationSettings): Promise<Map<string, FlagContext>> {
  if (!flagIds.length) return new Map();
  const rows = await flagContextRows<FlagContextRow & { flagId: string }>(tx, flagIds, {
    recent: RECENT_WEEKS,
    medianDays: settings.medianWeeks * 7,
  });
  return new Map(rows.map((row) => [row.flagId, contextOf(row, settings)]));
}

export function contextOf(row: FlagContextRow, settings: EvaluationSettings): FlagContext {
  const latest = row.recentWeeks[0];
  const checkIn = row.latestCheckIn && latest && row.latestCheckIn.week === latest.week ? row.latestCheckIn : null;
  return {
    mpp: row.mpp,
    latestCheckIn: row.latestCheckIn
      ? {
          ...row.latestCheckIn,
          registeredTenants: row.registeredTenants,
          submittedAt: new Date(row.latestCheckIn.submittedAt).toISOString(),
        }
      : null,
    recentWeeks: row.recentWeeks.map(({ week, result, rules, reported }) => ({ week, result, rules, reported })),
    ruleFacts: ruleFacts(
      row.rules,
      {
        daysOpen: checkIn?.daysOpen ?? null,
        expectedDays: latest?.expectedDays ?? null,
        tenantsServing: checkIn?.tenantsServing ?? null,
        registeredTenants: row.registeredTenants,
        visitors: checkIn?.visitors ?? null,
        transactions: checkIn?.transactions ?? null,
        transactionsPerDayMedian: median(row.transactionsHistory ?? [], settings.medianMinWeeks),
        notReportingStreak: latest?.streak ?? 0,
      },
      settings,
    ),
  };
}
