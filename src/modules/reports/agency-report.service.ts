import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../common/auth/principal';
import { mondayOf } from '../../common/time/iso-week';
import { ReportAnswers } from './report-answers';
import { AgencyReportQuery, AgencyReportRow } from './reports.dto';
import { ReportsQueries } from './reports.queries';

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
  constructor(
    private readonly queries: ReportsQueries,
    private readonly answers: ReportAnswers,
  ) {}

  /** The report, kept per data version for the scope once the week is evaluated (ReportAnswers). */
  send(req: FastifyRequest, reply: FastifyReply, user: Principal, query: AgencyReportQuery): Promise<FastifyReply> {
    const key = `agencies|${query.week}|${provinceOf(user, query) ?? 'all'}`;
    return this.answers.send(req, reply, key, query.week, () => this.report(user, query));
  }

  async report(user: Principal, query: AgencyReportQuery): Promise<AgencyReport> {
    const provinceCode = provinceOf(user, query);
    const monday = mondayOf(query.week);
    const agencies = await this.queries.agencyHosting(monday, provinceCode);
    const named = await this.queries.tenantsNamedInWeek(monday, provinceCode);
    const unmatched = await this.queries.unmatchedTenants(provinceCode);
    return {
      week: query.week,
      provinceCode,
      agencies: agencies.map((a) => ({ ...a, servedMpps: named ? a.servedMpps : null })),
      unmatchedTenants: unmatched,
    };
  }
}

/** A bureau sees its own province whatever it asks for. */
function provinceOf(user: Principal, query: AgencyReportQuery): string | null {
  return user.role === 'bureau' ? (user.provinceCode ?? null) : (query.province ?? null);
}
