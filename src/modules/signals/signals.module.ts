import { Module } from '@nestjs/common';
import { MppsModule } from '../mpps/mpps.module';
import { PingController, SignalSourcesController } from './signals.controller';
import { SignalsRepository } from './signals.repository';
import { SignalsService } from './signals.service';

/** Independent activity signals per MPP (DOMAIN.md "Ground truth beyond self-reports"). */
@Module({
  imports: [MppsModule],
  controllers: [SignalSourcesController, PingController],
  providers: [SignalsService, SignalsRepository],
  exports: [SignalsService],
})
export class SignalsModule {}
