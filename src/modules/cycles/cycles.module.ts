import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CyclesController } from './cycles.controller';
import { CyclesService } from './cycles.service';
import { EvaluationService } from './evaluation.service';
import { EvaluationSettingsService } from './evaluation-settings.service';

@Module({
  imports: [FlagsModule, NotificationsModule],
  controllers: [CyclesController],
  providers: [CyclesService, EvaluationService, EvaluationSettingsService],
  exports: [CyclesService, EvaluationService, EvaluationSettingsService],
})
export class CyclesModule {}
