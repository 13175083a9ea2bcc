import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../common/auth/principal';
import { mppScopeOf } from '../../common/auth/principal';
import { IsoWeek } from '../../common/time/iso-week';
import { ReportAnswers } from './report-answers';
import { ReportFile, weeklyCsv, weeklyXlsx } from './report-files';
import { WeeklyReportQuery } from './reports.dto';
import { WeeklyReport } from './reports.types';
import { ReportsService } from './reports.service';

/** The weekly report as JSON or as a file: the same numbers, from the same query. */
@Injectable()
export class ReportExports {
  constructor(
    private readonly reports: ReportsService,
    private readonly answers: ReportAnswers,
  ) {}

  /**
   * Sends the report. The JSON of a scope with every MPP's row (a province: ~4,300 rows at 100,000
   * MPPs) is kept per data version (ReportAnswers); a manager's few MPPs are read each time.
   */
  async send(req: FastifyRequest, reply: FastifyReply, user: Principal, week: IsoWeek, query: WeeklyReportQuery): Promise<FastifyReply> {
    if ((query.format ?? 'json') !== 'json') return reply.send(await this.weekly(user, week, query, reply));
    if (mppScopeOf(user).kind === 'mpps') return reply.send(await this.reports.weekly(user, week, query));
    const province = this.reports.provinceInScope(user, query.province); // another province: 404 before anything is kept
    const key = ['weekly', week, province ?? 'all', query.detail ?? '', query.limit ?? '', query.page ?? ''].join('|');
    return this.answers.send(req, reply, key, week, () => this.reports.weekly(user, week, query));
  }

  async weekly(user: Principal, week: IsoWeek, query: WeeklyReportQuery, reply: FastifyReply): Promise<WeeklyReport | Buffer> {
    const format = query.format ?? 'json';
    // The spreadsheet always carries the MPP sheet; CSV only with detail=mpps. A file is whole: no paging.
    const report = await this.reports.weekly(
      user,
      week,
      format === 'json' ? query : { ...query, page: undefined, limit: undefined },
      format === 'xlsx',
    );
    if (format === 'json') return report;
    const scope =
      user.role === 'manager'
        ? 'mpp'
        : report.provinces.length === 1 && (query.province || user.role === 'bureau')
          ? report.provinces[0].provinceCode
          : 'nasional';
    const file: ReportFile =
      format === 'csv'
        ? weeklyCsv(report, user.locale, query.detail === 'mpps' || user.role === 'manager', scope)
        : await weeklyXlsx(report, user.locale, scope);
    reply.header('content-type', file.contentType);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }
}
