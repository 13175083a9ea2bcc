import { ParseRegencyCodePipe } from '../../common/http/param-pipes';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import type { Principal } from '../../common/auth/principal';
import { IsoWeek } from '../../common/time/iso-week';
import { ParseIsoWeekPipe } from '../../common/time/iso-week.pipe';
import { CoverageService } from './coverage.service';
import { AgencyReportService } from './agency-report.service';
import { ReportExports } from './report-exports.service';
import { AgencyReportQuery, CoverageQuery, FormationDto, HistoryQuery, TrendQuery, WeeklyReportQuery } from './reports.dto';
import { ReportsService } from './reports.service';
import { ApiDoc } from '../../common/http/api-doc';
import { REPORTS_API } from './reports.api-docs';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ReportExports,
    private readonly coverageService: CoverageService,
    private readonly agencyReport: AgencyReportService,
  ) {}

  @ApiDoc(REPORTS_API.agencies)
  @Roles('admin', 'ministry', 'bureau')
  @Get('reports/agencies')
  agencies(@CurrentUser() user: Principal, @Query() query: AgencyReportQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.agencyReport.send(req, reply, user, query);
  }

  /** JSON, or a CSV / XLSX download with `?format=`. */
  @ApiDoc(REPORTS_API.weekly)
  @Get('reports/weekly/:week')
  weekly(
    @CurrentUser() user: Principal,
    @Param('week', ParseIsoWeekPipe) week: IsoWeek,
    @Query() query: WeeklyReportQuery,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.exports.send(req, reply, user, week, query);
  }

  @ApiDoc(REPORTS_API.trend)
  @Get('reports/trend')
  trend(@CurrentUser() user: Principal, @Query() query: TrendQuery) {
    return this.reports.trend(user, query);
  }

  @ApiDoc(REPORTS_API.coverage)
  // National coverage names other MPPs and the bureaus' notes: not a manager's to read.
  @Roles('admin', 'ministry', 'bureau')
  @Get('reports/coverage')
  coverage(@CurrentUser() user: Principal, @Query() query: CoverageQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.coverageService.send(req, reply, user, query);
  }

  @ApiDoc(REPORTS_API.setFormation)
  @Roles('bureau', 'admin')
  @Patch('regencies/:code/formation')
  setFormation(@CurrentUser() user: Principal, @Param('code', ParseRegencyCodePipe) code: string, @Body() dto: FormationDto) {
    return this.coverageService.setFormation(user, code, dto);
  }

  @ApiDoc(REPORTS_API.history)
  @Get('mpps/:id/history')
  history(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: HistoryQuery) {
    return this.reports.history(user, id, query);
  }
}
