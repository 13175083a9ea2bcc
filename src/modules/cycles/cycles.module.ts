import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CyclesController } from './cycles.controller';
import { CyclesRepository } from './cycles.repository';
import { CyclesService } from './cycles.service';
import { EvaluationService } from './evaluation.service';
import { EvaluationSettingsService } from './evaluation-settings.service';

@Module({
  imports: [FlagsModule, NotificationsModule],
  controllers: [CyclesController],
  providers: [CyclesService, CyclesRepository, EvaluationService, EvaluationSettingsService],
  exports: [CyclesService, CyclesRepository, EvaluationService, EvaluationSettingsService],
})
export class CyclesModule {}
