import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MppsModule } from '../mpps/mpps.module';
import { DisputesController } from './disputes.controller';
import { DisputesService } from './disputes.service';
import { CitizenReportsController } from './citizen-reports.controller';
import { CitizenReportsRepository } from './citizen-reports.repository';
import { CitizenReportsService } from './citizen-reports.service';
import { ProofOfWork } from './proof-of-work';

/** Citizens' reports from the QR code at an MPP's door (DOMAIN.md, ground truth). */
@Module({
  imports: [AuthModule /* the shared RateLimiter */, MppsModule],
  controllers: [CitizenReportsController, DisputesController],
  providers: [CitizenReportsService, DisputesService, ProofOfWork, CitizenReportsRepository],
  exports: [CitizenReportsService, DisputesService],
})
export class CitizenReportsModule {}
