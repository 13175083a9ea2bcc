import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors';
import { publicStatus } from './public-status.rules';
import type { PublicMppView } from './public-status.dto';

/** Weeks in the public strip. */
const STRIP_WEEKS = 8;

interface Row extends Omit<PublicMppView, 'week' | 'status' | 'weeks'> {
  weeks: { week: string; result: string | null; confirmed: boolean; retired: boolean }[];
}

/** A cacheable answer: its validator and its body. */
export interface Cached<T> {
  etag: string;
  body: T;
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

/**
 * The public status of every monitored MPP (no login): one statement for the MPPs and their last
 * eight weeks, and a validator from the latest evaluation so phones and caches can ask "changed?".
 */
@Injectable()
export class PublicStatusService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(province?: string): Promise<Cached<PublicMppView[]>> {
    const etag = await this.etag(province ?? 'all');
    return { etag, body: await this.read(province ? { sql: 'AND m.province_code = $4', param: province } : null) };
  }

  async one(id: string): Promise<Cached<PublicMppView>> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw AppError.notFound('MPP');
    const [mpp] = await this.read({ sql: 'AND m.id = $4', param: id });
    if (!mpp) throw AppError.notFound('MPP');
    return { etag: await this.etag(id), body: mpp };
  }

  private async read(filter: { sql: string; param: string } | null): Promise<PublicMppView[]> {
    const weeks: { week: string; weekStart: string }[] = await this.db.query(
      `SELECT week, to_char(week_start, 'YYYY-MM-DD') AS "weekStart" FROM cycles
        WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT ${STRIP_WEEKS}`,
    );
    weeks.reverse();
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

  /** Changes when a week is (re)evaluated, a dispute confirmed or the registry edited. */
  private async etag(scope: string): Promise<string> {
    const [row] = await this.db.query(
      `SELECT (SELECT max(evaluated_at) FROM evaluations)::text AS e,
              (SELECT max(dispute_confirmed_at) FROM evaluations)::text AS d,
              (SELECT max(updated_at) FROM mpps)::text AS m`,
    );
    return `"${createHash('sha256').update(`${scope}|${row.e}|${row.d}|${row.m}`).digest('base64url').slice(0, 27)}"`;
  }
}
