import type { EntityManager } from 'typeorm';
import { median } from '../cycles/evaluation.rules';
import type { EvaluationSettings } from '../cycles/evaluation.rules';
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

interface Row {
  flagId: string;
  mpp: FlagContext['mpp'];
  rules: string[];
  registeredTenants: number;
  latestCheckIn: Omit<LatestCheckIn, 'registeredTenants'> | null;
  recentWeeks: (RecentWeek & { expectedDays: number; streak: number })[];
  history: number[] | null;
}

/**
 * The context of many flags in one statement (set-based: a bureau email lists dozens): the MPP and
 * its managers, the latest check-in with what the manager wrote, the last weeks' results and the
 * median behind a transactions drop.
 */
export async function flagContexts(tx: EntityManager, flagIds: string[], settings: EvaluationSettings): Promise<Map<string, FlagContext>> {
  if (!flagIds.length) return new Map();
  const rows: Row[] = await tx.query(
    `SELECT f.id AS "flagId", f.rules, m.tenant_count AS "registeredTenants",
            jsonb_build_object('id', m.id, 'name', m.name, 'regencyName', r.name, 'provinceName', p.name, 'timezone', p.timezone,
              'managers', coalesce((SELECT jsonb_agg(jsonb_build_object('name', u.name, 'email', u.email, 'phone', u.phone) ORDER BY u.name)
                                      FROM mpp_managers mm JOIN users u ON u.id = mm.user_id AND u.active AND u.role = 'manager'
                                     WHERE mm.mpp_id = m.id), '[]'::jsonb)) AS mpp,
            (SELECT jsonb_build_object('week', ci.week, 'daysOpen', ci.days_open, 'tenantsServing', ci.tenants_serving,
                      'countersOpen', ci.counters_open, 'visitors', ci.visitors, 'transactions', ci.transactions, 'status', ci.status,
                      'closureReason', ci.closure_reason, 'problems', ci.problems, 'late', ci.late, 'submittedAt', ci.submitted_at)
               FROM check_ins ci WHERE ci.mpp_id = m.id AND ci.week <= f.last_week ORDER BY ci.week_start DESC LIMIT 1) AS "latestCheckIn",
            coalesce((SELECT jsonb_agg(jsonb_build_object('week', e.week, 'result', e.result, 'rules', to_jsonb(e.rules), 'reported', e.reported,
                                                          'expectedDays', e.expected_days, 'streak', e.not_reporting_streak) ORDER BY e.week_start DESC)
                        FROM (SELECT * FROM evaluations e WHERE e.mpp_id = m.id AND e.week <= f.last_week
                               ORDER BY e.week_start DESC LIMIT ${RECENT_WEEKS}) e), '[]'::jsonb) AS "recentWeeks",
            (SELECT array_agg(hc.transactions::float8 / he.expected_days)
               FROM check_ins hc JOIN evaluations he ON he.mpp_id = hc.mpp_id AND he.week = hc.week AND he.expected_days > 0
              WHERE hc.mpp_id = m.id AND hc.week < f.last_week
                AND hc.week_start >= (SELECT min(week_start) FROM evaluations x WHERE x.mpp_id = m.id AND x.week = f.last_week) - $2::int) AS history
       FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
      WHERE f.id = ANY($1::uuid[])`,
    [flagIds, settings.medianWeeks * 7],
  );
  return new Map(rows.map((row) => [row.flagId, toContext(row, settings)]));
}

function toContext(row: Row, settings: EvaluationSettings): FlagContext {
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
        transactionsPerDayMedian: median(row.history ?? [], settings.medianMinWeeks),
        notReportingStreak: latest?.streak ?? 0,
      },
      settings,
    ),
  };
}
