import type { EntityManager } from 'typeorm';
import { one, raw, run, sql, Sql } from '../../database/sql';
import type { IsoWeek } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { FLAG_SINCE_WEEK } from '../flags/flag-queries';
import type { DigestAction, DigestFlag, DigestResponseTime, EscalatedFlag } from './notification.types';

/*
 * The planner's whole-population statements that read several features' tables at once. Each is
 * one statement on purpose: the planner decides thousands of emails, or the national digest, in a
 * handful of round trips, whatever the number of MPPs. Per-table reads go through their owners.
 */

/**
 * Reads mpps, provinces, mpp_managers, users, holidays, planned_closures and check_ins, and writes
 * notifications: one reminder per manager listing their MPPs of the zone that owe the week's
 * check-in. Active MPPs with an opening day in the week since inauguration that neither a holiday
 * nor an approved closure covers (else not expected or excused), and no check-in for the week.
 * A Mon–Fri closure exempts a Mon–Fri MPP, whatever it says of the weekend.
 */
export async function insertMissingCheckInReminders(
  tx: EntityManager,
  r: {
    kind: 'manager_reminder' | 'manager_friday_reminder';
    week: IsoWeek;
    monday: string;
    timezone: IndonesianTimezone;
    zone: string;
    deadline: Date;
    maxAttempts: number;
    at: Date;
  },
): Promise<string[]> {
  const rows = await run<{ id: string }>(
    tx,
    sql`WITH missing AS (
          SELECT u.id AS user_id, u.email, u.name AS user_name, u.locale, m.id, m.name
            FROM mpps m
            JOIN provinces p ON p.code = m.province_code AND p.timezone = ${r.timezone}
            JOIN mpp_managers mm ON mm.mpp_id = m.id
            JOIN users u ON u.id = mm.user_id AND u.active AND u.role = 'manager'
           WHERE m.active AND (m.inaugurated_on IS NULL OR m.inaugurated_on <= ${r.monday}::date + 6)
             AND EXISTS (SELECT 1 FROM generate_series(${r.monday}::date, ${r.monday}::date + 6, interval '1 day') AS d
                          WHERE extract(isodow FROM d)::int = ANY(m.opening_days) AND (m.inaugurated_on IS NULL OR d >= m.inaugurated_on)
                            AND NOT EXISTS (SELECT 1 FROM holidays h WHERE h.date = d::date)
                            AND NOT EXISTS (SELECT 1 FROM planned_closures c
                                             WHERE c.mpp_id = m.id AND c.status = 'approved' AND d::date BETWEEN c.from_date AND c.to_date))
             AND NOT EXISTS (SELECT 1 FROM check_ins ci WHERE ci.mpp_id = m.id AND ci.week = ${r.week})
        )
        INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
        SELECT ${r.kind}, ${r.week}, 'manager:' || user_id || ':' || ${r.zone}::text, locale, ARRAY[email],
               jsonb_build_object('managerName', user_name, 'zone', ${r.zone}::text, 'timezone', ${r.timezone}::text,
                                  'deadline', ${r.deadline.toISOString()}::text,
                                  'mpps', jsonb_agg(jsonb_build_object('id', id, 'name', name) ORDER BY name)),
               ${r.maxAttempts}, ${r.at}
          FROM missing GROUP BY user_id, email, user_name, locale
        ON CONFLICT (kind, week, scope, locale) DO NOTHING
        RETURNING id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Reads flags, mpps, regencies and notifications: open flags of these MPPs that a late check-in
 * opened (or reopened) in `week` and that no email has reached yet, neither the week's bureau
 * escalation (its payload lists its flags) nor an earlier additional email.
 */
export function flagsForAdditionalEmail(
  tx: EntityManager,
  week: IsoWeek,
  mppIds: string[],
): Promise<(EscalatedFlag & { provinceCode: string })[]> {
  return run(
    tx,
    sql`SELECT f.id, f.mpp_id AS "mppId", f.province_code AS "provinceCode", f.state, f.opened_week AS "openedWeek", f.rules,
               f.escalations + 1 AS escalations, m.name AS "mppName", r.name AS "regencyName", ${week}::text AS "sinceWeek",
               'addition' AS category
          FROM flags f JOIN mpps m ON m.id = f.mpp_id AND m.active JOIN regencies r ON r.code = m.regency_code
         WHERE f.mpp_id = ANY(${mppIds}::uuid[]) AND f.state = 'open' AND f.first_emailed_at IS NULL
           AND (f.opened_week = ${week} OR f.reopened_week = ${week})
           AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'bureau_escalation' AND n.week = ${week}
                              AND n.payload->'flags' @> jsonb_build_array(jsonb_build_object('id', f.id)))`,
  );
}

// The ministry digest: national figures over flags, flag_events, flag_actions, mpps, provinces,
// users and report_weekly, each list one statement (and one count) over the whole country.

const DIGEST_FLAG_COLUMNS = raw(`f.id AS "flagId", m.name AS "mppName", p.name AS "provinceName", p.timezone, f.rules, f.state,
  f.opened_week AS "openedWeek", s.since_week AS "sinceWeek", f.escalations, f.respond_by AS "respondBy"`);
const DIGEST_FLAG_FROM = raw(`FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = f.province_code ${FLAG_SINCE_WEEK}`);

/** Which flags a digest list holds and in what order (`f` flags, `m` mpps, `p` provinces, `s.since_week`). */
export interface DigestFlagList {
  filter: Sql;
  order: Sql;
}

export const digestFlagLists = {
  newlyFlagged: (week: IsoWeek): DigestFlagList => ({
    filter: sql`s.since_week = ${week} AND f.state <> 'resolved'`,
    order: raw('p.code, m.name'),
  }),
  /** Still open N local days after the bureau was first emailed. */
  reEscalated: (now: Date, afterDays: number): DigestFlagList => ({
    filter: sql`f.state = 'open' AND f.first_emailed_at IS NOT NULL
                AND (${now}::timestamptz AT TIME ZONE p.timezone)::date - (f.first_emailed_at AT TIME ZONE p.timezone)::date >= ${afterDays}`,
    order: raw('f.first_emailed_at, p.code, m.name'),
  }),
  overdueAcknowledgements: (now: Date): DigestFlagList => ({
    filter: sql`f.state = 'open' AND f.respond_by < ${now}`,
    order: raw('f.respond_by, p.code, m.name'),
  }),
  longestOpen: (week: IsoWeek): DigestFlagList => ({
    filter: sql`f.state <> 'resolved' AND f.opened_week <= ${week}`,
    order: raw('f.opened_at, m.name'),
  }),
};

/** The first `limit` flags of a digest list, and how many it holds in all. */
export async function digestFlags(
  tx: EntityManager,
  list: DigestFlagList,
  limit: number,
): Promise<{ total: number; items: Omit<DigestFlag, 'weeksOpen'>[] }> {
  const items = await run<Omit<DigestFlag, 'weeksOpen'>>(
    tx,
    sql`SELECT ${DIGEST_FLAG_COLUMNS} ${DIGEST_FLAG_FROM} WHERE ${list.filter} ORDER BY ${list.order} LIMIT ${limit}`,
  );
  const count = await one<{ total: number }>(tx, sql`SELECT count(*)::int AS total ${DIGEST_FLAG_FROM} WHERE ${list.filter}`);
  return { total: count!.total, items };
}

/** Follow-up actions whose target date passed with the flag unresolved and nothing recorded since. */
export async function overdueActions(tx: EntityManager, now: Date, limit: number): Promise<{ total: number; items: DigestAction[] }> {
  const from = raw(
    `FROM flag_actions a JOIN flags f ON f.id = a.flag_id JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = f.province_code`,
  );
  const overdue = sql`f.state <> 'resolved' AND a.target_date < (${now}::timestamptz AT TIME ZONE p.timezone)::date
                      AND NOT EXISTS (SELECT 1 FROM flag_actions b WHERE b.flag_id = a.flag_id AND b.id > a.id)`;
  const items = await run<DigestAction>(
    tx,
    sql`SELECT f.id AS "flagId", m.name AS "mppName", p.name AS "provinceName", a.kind, to_char(a.target_date, 'YYYY-MM-DD') AS "targetDate"
          ${from} WHERE ${overdue} ORDER BY a.target_date, m.name LIMIT ${limit}`,
  );
  const count = await one<{ total: number }>(tx, sql`SELECT count(*)::int AS total ${from} WHERE ${overdue}`);
  return { total: count!.total, items };
}

/**
 * Each province's response time: the median hours from the first bureau email about a flag to its
 * acknowledgement, over flags first emailed in the 12 weeks before `monday`; `waiting` are still unacknowledged.
 */
export function responseTimes(tx: EntityManager, monday: string): Promise<DigestResponseTime[]> {
  return run(
    tx,
    sql`WITH emailed AS (
          SELECT f.province_code, f.first_emailed_at,
                 (SELECT min(e.at) FROM flag_events e WHERE e.flag_id = f.id AND e.to_state = 'acknowledged' AND e.at >= f.first_emailed_at) AS acked_at
            FROM flags f WHERE f.first_emailed_at >= ${monday}::date - 84
        )
        SELECT p.name AS "provinceName",
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acked_at - first_emailed_at) / 3600)
                        FILTER (WHERE acked_at IS NOT NULL))::numeric, 1)::float8 AS "medianHours",
               count(acked_at)::int AS acknowledged, (count(*) - count(acked_at))::int AS waiting
          FROM emailed JOIN provinces p ON p.code = emailed.province_code
         GROUP BY p.code, p.name ORDER BY "medianHours" DESC NULLS FIRST, p.code`,
  );
}

/** Names of the provinces with unresolved flags and no active bureau user to email. */
export async function provincesWithoutBureau(tx: EntityManager): Promise<string[]> {
  const rows = await run<{ name: string }>(
    tx,
    sql`SELECT p.name FROM provinces p
         WHERE EXISTS (SELECT 1 FROM flags f WHERE f.province_code = p.code AND f.state <> 'resolved')
           AND NOT EXISTS (SELECT 1 FROM users u WHERE u.role = 'bureau' AND u.active AND u.province_code = p.code)
         ORDER BY p.code`,
  );
  return rows.map((r) => r.name);
}

/** Toward the ministry's target of regencies with an MPP: DKI Jakarta's administrative cities are not in it. */
export async function mppCoverage(tx: EntityManager): Promise<{ regenciesWithMpp: number; mppsRegistered: number }> {
  return (await one<{ regenciesWithMpp: number; mppsRegistered: number }>(
    tx,
    sql`SELECT (SELECT count(DISTINCT regency_code) FROM mpps WHERE active AND province_code <> '31')::int AS "regenciesWithMpp",
               (SELECT count(*) FROM mpps WHERE active)::int AS "mppsRegistered"`,
  ))!;
}

/** Inactive MPPs nationally, per week, over the twelve weeks up to the one starting `monday` (report_weekly). */
export function inactiveTrend(tx: EntityManager, monday: string): Promise<{ week: string; inactive: number }[]> {
  return run(
    tx,
    sql`SELECT week, sum(inactive)::int AS inactive FROM report_weekly
         WHERE week_start BETWEEN ${monday}::date - 77 AND ${monday}::date GROUP BY week, week_start ORDER BY week_start`,
  );
}
