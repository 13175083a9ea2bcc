import { Module } from '@nestjs/common';
import { CyclesModule } from '../cycles/cycles.module';
import { MppsModule } from '../mpps/mpps.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CheckInsController } from './check-ins.controller';
import { CheckInsRepository } from './check-ins.repository';
import { CheckInsService } from './check-ins.service';
import { CheckInWriter } from './check-in.writer';

@Module({
  imports: [MppsModule, CyclesModule, NotificationsModule],
  controllers: [CheckInsController],
  providers: [CheckInsService, CheckInWriter, CheckInsRepository],
  exports: [CheckInsService],
})
export class CheckInsModule {}
