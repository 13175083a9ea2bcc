import { Module } from '@nestjs/common';
import { CyclesModule } from '../cycles/cycles.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [CyclesModule, NotificationsModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
