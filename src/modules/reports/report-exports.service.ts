import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Principal } from '../../common/auth/principal';
import { IsoWeek } from '../../common/time/iso-week';
import { ReportFile, weeklyCsv, weeklyXlsx } from './report-files';
import { WeeklyReportQuery } from './reports.dto';
import { WeeklyReport } from './reports.types';
import { ReportsService } from './reports.service';

/** The weekly report as JSON or as a file: the same numbers, from the same query. */
@Injectable()
export class ReportExports {
  constructor(private readonly reports: ReportsService) {}

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
