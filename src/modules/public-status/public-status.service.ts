import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { etagOf } from '../../common/http/http-cache';
import type { KeptAnswer } from '../../common/http/answer-cache';
import { PUBLIC_STATUSES, publicStatus } from './public-status.rules';
import type { PublicMppView, PublicProvinceView } from './public-status.dto';

/** How long anyone may keep the public JSON without asking again. */
const PUBLIC_JSON_MAX_AGE = 300;

/** Weeks in the public strip. */
const STRIP_WEEKS = 8;

/**
 * How long one process reuses a data version it read: a flood of revalidations costs one query a
 * second instead of one each. A change shows up to this much later, well inside the pages' 60 s.
 */
const VERSION_TTL_MS = 1000;

interface Row extends Omit<PublicMppView, 'week' | 'status' | 'weeks'> {
  weeks: { week: string; result: string | null; confirmed: boolean; retired: boolean }[];
}

interface StripWeek {
  week: string;
  weekStart: string;
}

// Only public columns are selected: no user is joined, no check-in is read.
const MPPS_SQL = (where: string) => `
  SELECT m.id, m.name, m.regency_code AS "regencyCode", r.name AS "regencyName",
         m.province_code AS "provinceCode", p.name AS "provinceName",
         m.opening_days::int[] AS "openingDays", m.address, m.latitude, m.longitude,
         (SELECT coalesce(array_agg(DISTINCT s ORDER BY s), '{}') FROM mpp_tenants t, unnest(t.services) s WHERE t.mpp_id = m.id) AS services,
         (SELECT coalesce(json_agg(json_build_object(
                   'week', w.week, 'result', e.result, 'confirmed', e.dispute_confirmed_at IS NOT NULL,
                   'retired', m.retired_on IS NOT NULL AND m.retired_on <= w.week_start + 6) ORDER BY w.week_start), '[]')
            FROM unnest($1::text[], $2::date[]) AS w(week, week_start)
            LEFT JOIN evaluations e ON e.mpp_id = m.id AND e.week = w.week) AS weeks
    FROM mpps m JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
   WHERE (m.retired_on IS NULL OR m.retired_on >= $3::date) ${where}
   ORDER BY p.name, r.name, m.name`;

// The latest week's public inputs counted per province: the index page reads ~38 × a few rows, not every MPP.
const PROVINCE_COUNTS_SQL = `
  SELECT m.province_code AS "provinceCode", p.name AS "provinceName", e.result,
         e.dispute_confirmed_at IS NOT NULL AS confirmed,
         m.retired_on IS NOT NULL AND m.retired_on <= $2::date + 6 AS retired, count(*)::int AS n
    FROM mpps m JOIN provinces p ON p.code = m.province_code
    LEFT JOIN evaluations e ON e.mpp_id = m.id AND e.week = $1
   WHERE m.retired_on IS NULL OR m.retired_on >= $3::date
   GROUP BY 1, 2, 3, 4, 5`;

/**
 * The public status of every monitored MPP (no login): one statement for the MPPs and their last
 * eight weeks, and a cheap data version so phones and caches can ask "changed?" before any of it
 * is read.
 */
@Injectable()
export class PublicStatusService {
  private latest?: { at: number; version: Promise<string> };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The JSON list as a public answer: its validator (the data version and what the list is narrowed to), built only when not kept. */
  async listAnswer(province?: string): Promise<KeptAnswer> {
    return {
      key: `json|${province ?? 'all'}`,
      etag: etagOf('json', province ?? 'all', await this.version()),
      cacheControl: `public, max-age=${PUBLIC_JSON_MAX_AGE}`,
      produce: async () => ({ type: 'application/json; charset=utf-8', body: JSON.stringify(await this.list(province)) }),
    };
  }

  async list(province?: string): Promise<PublicMppView[]> {
    return this.read(province ? { sql: 'AND m.province_code = $4', param: province } : null);
  }

  async one(id: string): Promise<PublicMppView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw AppError.notFound('MPP');
    const [mpp] = await this.read({ sql: 'AND m.id = $4', param: id });
    if (!mpp) throw AppError.notFound('MPP');
    return mpp;
  }

  /** Every province with monitored MPPs and how many are in each public status in the latest week. */
  async provinces(): Promise<{ week: string | null; provinces: PublicProvinceView[] }> {
    const weeks = await this.stripWeeks();
    const latest = weeks[weeks.length - 1];
    const rows: { provinceCode: string; provinceName: string; result: string | null; confirmed: boolean; retired: boolean; n: number }[] =
      await this.db.query(PROVINCE_COUNTS_SQL, [
        latest?.week ?? null,
        latest?.weekStart ?? '9999-12-31',
        weeks[0]?.weekStart ?? '9999-12-31',
      ]);
    const byCode = new Map<string, PublicProvinceView>();
    for (const row of rows) {
      const province = byCode.get(row.provinceCode) ?? {
        code: row.provinceCode,
        name: row.provinceName,
        total: 0,
        counts: Object.fromEntries(PUBLIC_STATUSES.map((s) => [s, 0])) as PublicProvinceView['counts'],
      };
      province.counts[publicStatus({ result: row.result, disputeConfirmed: row.confirmed, retired: row.retired })] += row.n;
      province.total += row.n;
      byCode.set(row.provinceCode, province);
    }
    return { week: latest?.week ?? null, provinces: [...byCode.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  /**
   * What the public data was read from, in three index-sized lookups rather than a max() over every
   * evaluation (5 million rows at 100,000 MPPs × 52 weeks):
   * - every evaluation run, whole-cycle or partial (late check-in, correction, closure decision,
   *   retirement), rewrites its week's `report_weekly` rows with `computed_at` = the run's time in
   *   the same transaction, so the newest `computed_at` moves whenever a result (or the set of
   *   evaluated weeks in the strip) can have changed; that table holds ~38 rows per week;
   * - a bureau's confirmation of a dispute changes no result, only `dispute_confirmed_at`
   *   (a partial index holds just the confirmed rows);
   * - names, addresses, opening days, tenants' services and retirement move `mpps.updated_at`.
   * Region names are reference data, changed only by a deploy, which also changes the template version.
   * Concurrent callers share one query, and its answer for VERSION_TTL_MS.
   */
  version(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.latest && now - this.latest.at < VERSION_TTL_MS && now >= this.latest.at) return this.latest.version;
    const version = this.readVersion();
    this.latest = { at: now, version };
    version.catch(() => {
      if (this.latest?.version === version) this.latest = undefined; // a failed read is not reused
    });
    return version;
  }

  private async readVersion(): Promise<string> {
    const [row] = await this.db.query(
      `SELECT (SELECT max(computed_at) FROM report_weekly)::text AS e,
              (SELECT max(dispute_confirmed_at) FROM evaluations)::text AS d,
              (SELECT max(updated_at) FROM mpps)::text AS m`,
    );
    return `${row.e}|${row.d}|${row.m}`;
  }

  private async stripWeeks(): Promise<StripWeek[]> {
    const weeks: StripWeek[] = await this.db.query(
      `SELECT week, to_char(week_start, 'YYYY-MM-DD') AS "weekStart" FROM cycles
        WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT ${STRIP_WEEKS}`,
    );
    return weeks.reverse();
  }

  private async read(filter: { sql: string; param: string } | null): Promise<PublicMppView[]> {
    const weeks = await this.stripWeeks();
    const oldest = weeks[0]?.weekStart ?? '9999-12-31';
    const rows: Row[] = await this.db.query(MPPS_SQL(filter?.sql ?? ''), [
      weeks.map((w) => w.week),
      weeks.map((w) => w.weekStart),
      oldest,
      ...(filter ? [filter.param] : []),
    ]);
    return rows.map(({ weeks: strip, ...mpp }) => {
      const statuses = strip.map((w) => ({
        week: w.week,
        status: publicStatus({ result: w.result, disputeConfirmed: w.confirmed, retired: w.retired }),
      }));
      const latest = statuses[statuses.length - 1];
      return { ...mpp, week: latest?.week ?? null, status: latest?.status ?? 'no_report', weeks: statuses };
    });
  }
}
