import { AgencyReportService } from './agency-report.service';
import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CyclesModule } from '../cycles/cycles.module';
import { MppsModule } from '../mpps/mpps.module';
import { RegionsModule } from '../regions/regions.module';
import { CoverageService } from './coverage.service';
import { RegencyFormationRepository } from './regency-formation.repository';
import { ReportAnswers } from './report-answers';
import { ReportExports } from './report-exports.service';
import { ReportWeeklyRepository } from './report-weekly.repository';
import { ReportsController } from './reports.controller';
import { ReportsQueries } from './reports.queries';
import { ReportsService } from './reports.service';

@Module({
  imports: [MppsModule, CyclesModule, CalendarModule, RegionsModule],
  controllers: [ReportsController],
  providers: [
    ReportsService,
    ReportExports,
    ReportAnswers,
    CoverageService,
    AgencyReportService,
    ReportsQueries,
    ReportWeeklyRepository,
    RegencyFormationRepository,
  ],
  exports: [ReportsService, ReportExports, ReportAnswers],
})
export class ReportsModule {}
