import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { NotificationsModule } from '../notifications/notifications.module';
import { CyclesModule } from './cycles.module';
import { CyclesScheduler } from './cycles.scheduler';

/** Imported only by processes that run the worker and scheduler (APP_MODE all or worker). */
@Module({
  imports: [ScheduleModule.forRoot(), CyclesModule, NotificationsModule],
  providers: [CyclesScheduler],
  exports: [CyclesScheduler],
})
export class CyclesSchedulerModule {}
