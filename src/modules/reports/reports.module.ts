import { AgencyReportService } from './agency-report.service';
import { Module } from '@nestjs/common';
import { MppsModule } from '../mpps/mpps.module';
import { CoverageService } from './coverage.service';
import { ReportAnswers } from './report-answers';
import { ReportExports } from './report-exports.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [MppsModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportExports, ReportAnswers, CoverageService, AgencyReportService],
  exports: [ReportsService, ReportExports, ReportAnswers],
})
export class ReportsModule {}
