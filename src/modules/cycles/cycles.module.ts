import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { CyclesController } from './cycles.controller';
import { CyclesRepository } from './cycles.repository';
import { CyclesService } from './cycles.service';
import { EvaluationService } from './evaluation.service';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { SettingsRepository } from './settings.repository';

@Module({
  imports: [FlagsModule, NotificationsModule, UsersModule],
  controllers: [CyclesController],
  providers: [CyclesService, CyclesRepository, SettingsRepository, EvaluationService, EvaluationSettingsService],
  exports: [CyclesService, CyclesRepository, EvaluationService, EvaluationSettingsService],
})
export class CyclesModule {}
