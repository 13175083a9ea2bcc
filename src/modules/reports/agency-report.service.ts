import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { AgencyReportQuery, AgencyReportRow } from './reports.dto';

export interface AgencyReport {
  week: string;
  provinceCode: string | null;
  agencies: AgencyReportRow[];
  /** Tenants whose name matches no agency of the national list (kept as written). */
  unmatchedTenants: number;
}

/**
 * Per agency of the national list: the MPPs hosting it, of those the ones open that week, and the
 * ones whose check-in named a tenant of that agency as serving (`servedMpps`). A check-in that gives
 * only the count (older clients) names no one: when no check-in of the week in scope names its
 * tenants, `servedMpps` is null (unknown), not 0.
 */
@Injectable()
export class AgencyReportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async report(user: Principal, query: AgencyReportQuery): Promise<AgencyReport> {
    // A bureau sees its own province whatever it asks for.
    const provinceCode = user.role === 'bureau' ? user.provinceCode : (query.province ?? null);
    const agencies: (Omit<AgencyReportRow, 'servedMpps'> & { servedMpps: number })[] = await this.db.query(
      `WITH hosts AS (
         SELECT t.agency_code, m.id AS mpp_id, array_agg(t.id) AS tenant_ids FROM mpp_tenants t JOIN mpps m ON m.id = t.mpp_id AND m.active
          WHERE t.agency_code IS NOT NULL AND ($2::text IS NULL OR m.province_code = $2)
          GROUP BY t.agency_code, m.id
       )
       SELECT a.code, a.name, count(h.mpp_id)::int AS "hostingMpps",
              count(h.mpp_id) FILTER (WHERE EXISTS (SELECT 1 FROM check_ins c WHERE c.mpp_id = h.mpp_id AND c.week = $1 AND c.days_open > 0))::int
                AS "hostingMppsOpen",
              count(h.mpp_id) FILTER (WHERE EXISTS (SELECT 1 FROM check_ins c WHERE c.mpp_id = h.mpp_id AND c.week = $1
                                                       AND c.tenants_serving_ids && h.tenant_ids))::int AS "servedMpps"
         FROM agencies a LEFT JOIN hosts h ON h.agency_code = a.code
        GROUP BY a.code, a.name ORDER BY count(h.mpp_id) DESC, a.code`,
      [query.week, provinceCode],
    );
    const [{ named }]: { named: boolean }[] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM check_ins c JOIN mpps m ON m.id = c.mpp_id AND m.active
                       WHERE c.week = $1 AND c.tenants_serving_ids IS NOT NULL AND ($2::text IS NULL OR m.province_code = $2)) AS named`,
      [query.week, provinceCode],
    );
    const [{ unmatched }] = await this.db.query(
      `SELECT count(*)::int AS unmatched FROM mpp_tenants t JOIN mpps m ON m.id = t.mpp_id AND m.active
        WHERE t.agency_code IS NULL AND ($1::text IS NULL OR m.province_code = $1)`,
      [provinceCode],
    );
    return {
      week: query.week,
      provinceCode,
      agencies: agencies.map((a) => ({ ...a, servedMpps: named ? a.servedMpps : null })),
      unmatchedTenants: unmatched,
    };
  }
}
