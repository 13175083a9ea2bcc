import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { one, run, sql, where } from '../../database/sql';
import type { PublicMppView } from './public-status.dto';

/** An MPP's public columns and its strip of weeks as read (the service turns them into statuses). */
export interface PublicMppRow extends Omit<PublicMppView, 'week' | 'status' | 'weeks'> {
  weeks: { week: string; result: string | null; confirmed: boolean; retired: boolean }[];
}

/** An evaluated week of the public strip. */
export interface StripWeek {
  week: string;
  weekStart: string;
}

/** The latest week's public inputs of a province, counted. */
export interface ProvinceCountRow {
  provinceCode: string;
  provinceName: string;
  result: string | null;
  confirmed: boolean;
  retired: boolean;
  n: number;
}

/*
 * The public status's reads over other features' tables (cycles, MPPs, regions, tenants,
 * evaluations, report_weekly). Only public columns are selected: no user is joined, no check-in
 * is read.
 */
@Injectable()
export class PublicStatusQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Reads cycles: the newest `count` evaluated weeks, oldest first. */
  async stripWeeks(count: number): Promise<StripWeek[]> {
    const weeks = await run<StripWeek>(
      this.db,
      sql`SELECT week, to_char(week_start, 'YYYY-MM-DD') AS "weekStart" FROM cycles
           WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT ${count}`,
    );
    return weeks.reverse();
  }

  /**
   * Reads mpps, regencies, provinces, mpp_tenants and evaluations: the MPPs not retired before the
   * strip's first week (all, a province's, or one), each with its services and its verdicts in the
   * strip's weeks, by province, regency and name.
   */
  mpps(strip: StripWeek[], filter: { province?: string; id?: string }): Promise<PublicMppRow[]> {
    const oldest = strip[0]?.weekStart ?? '9999-12-31';
    return run(
      this.db,
      sql`SELECT m.id, m.name, m.regency_code AS "regencyCode", r.name AS "regencyName",
                 m.province_code AS "provinceCode", p.name AS "provinceName",
                 m.opening_days::int[] AS "openingDays", m.address, m.latitude, m.longitude,
                 (SELECT coalesce(array_agg(DISTINCT s ORDER BY s), '{}') FROM mpp_tenants t, unnest(t.services) s WHERE t.mpp_id = m.id) AS services,
                 (SELECT coalesce(json_agg(json_build_object(
                           'week', w.week, 'result', e.result, 'confirmed', e.dispute_confirmed_at IS NOT NULL,
                           'retired', m.retired_on IS NOT NULL AND m.retired_on <= w.week_start + 6) ORDER BY w.week_start), '[]')
                    FROM unnest(${strip.map((w) => w.week)}::text[], ${strip.map((w) => w.weekStart)}::date[]) AS w(week, week_start)
                    LEFT JOIN evaluations e ON e.mpp_id = m.id AND e.week = w.week) AS weeks
            FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
           ${where([
             sql`(m.retired_on IS NULL OR m.retired_on >= ${oldest}::date)`,
             filter.province !== undefined && sql`m.province_code = ${filter.province}`,
             filter.id !== undefined && sql`m.id = ${filter.id}`,
           ])}
           ORDER BY p.name, r.name, m.name`,
    );
  }

  /**
   * Reads mpps, provinces and evaluations: the latest strip week's public inputs counted per
   * province, so the index page reads ~38 × a few rows, not every MPP.
   */
  provinceCounts(strip: StripWeek[]): Promise<ProvinceCountRow[]> {
    const latest = strip[strip.length - 1];
    return run(
      this.db,
      sql`SELECT m.province_code AS "provinceCode", p.name AS "provinceName", e.result,
                 e.dispute_confirmed_at IS NOT NULL AS confirmed,
                 m.retired_on IS NOT NULL AND m.retired_on <= ${latest?.weekStart ?? '9999-12-31'}::date + 6 AS retired, count(*)::int AS n
            FROM mpps m JOIN provinces p ON p.code = m.province_code
            LEFT JOIN evaluations e ON e.mpp_id = m.id AND e.week = ${latest?.week ?? null}
           WHERE m.retired_on IS NULL OR m.retired_on >= ${strip[0]?.weekStart ?? '9999-12-31'}::date
           GROUP BY 1, 2, 3, 4, 5`,
    );
  }

  /**
   * Reads report_weekly, evaluations and mpps: what the public data was read from, in three
   * index-sized lookups (PublicStatusService.version says why these three).
   */
  async dataVersion(): Promise<string> {
    const row = await one<{ e: string | null; d: string | null; m: string | null }>(
      this.db,
      sql`SELECT (SELECT max(computed_at) FROM report_weekly)::text AS e,
                 (SELECT max(dispute_confirmed_at) FROM evaluations)::text AS d,
                 (SELECT max(updated_at) FROM mpps)::text AS m`,
    );
    return `${row!.e}|${row!.d}|${row!.m}`;
  }
}
