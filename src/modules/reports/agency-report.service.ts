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
 * Per agency of the national list: the MPPs hosting it and, of those, the ones open that week. Which
 * agencies actually served is not reported by check-ins yet (they carry a count of tenants serving),
 * so `servedMpps` is null until the check-in names them.
 */
@Injectable()
export class AgencyReportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async report(user: Principal, query: AgencyReportQuery): Promise<AgencyReport> {
    // A bureau sees its own province whatever it asks for.
    const provinceCode = user.role === 'bureau' ? user.provinceCode : (query.province ?? null);
    const agencies: Omit<AgencyReportRow, 'servedMpps'>[] = await this.db.query(
      `WITH hosts AS (
         SELECT DISTINCT t.agency_code, m.id AS mpp_id FROM mpp_tenants t JOIN mpps m ON m.id = t.mpp_id AND m.active
          WHERE t.agency_code IS NOT NULL AND ($2::text IS NULL OR m.province_code = $2)
       )
       SELECT a.code, a.name, count(h.mpp_id)::int AS "hostingMpps",
              count(h.mpp_id) FILTER (WHERE EXISTS (SELECT 1 FROM check_ins c WHERE c.mpp_id = h.mpp_id AND c.week = $1 AND c.days_open > 0))::int
                AS "hostingMppsOpen"
         FROM agencies a LEFT JOIN hosts h ON h.agency_code = a.code
        GROUP BY a.code, a.name ORDER BY count(h.mpp_id) DESC, a.code`,
      [query.week, provinceCode],
    );
    const [{ unmatched }] = await this.db.query(
      `SELECT count(*)::int AS unmatched FROM mpp_tenants t JOIN mpps m ON m.id = t.mpp_id AND m.active
        WHERE t.agency_code IS NULL AND ($1::text IS NULL OR m.province_code = $1)`,
      [provinceCode],
    );
    return { week: query.week, provinceCode, agencies: agencies.map((a) => ({ ...a, servedMpps: null })), unmatchedTenants: unmatched };
  }
}
