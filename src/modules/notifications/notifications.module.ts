import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AuthModule } from '../auth/auth.module';
import { MailModule } from '../mail/mail.module';
import { EmailTemplates } from './email-templates';
import { NotificationPlanner } from './notification.planner';
import { NotificationSender } from './notification.sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { OutboxDispatcher } from './outbox.dispatcher';
import { OutboxRepository } from './outbox.repository';
import { CyclesRepository } from '../cycles/cycles.repository';
import { FlagsModule } from '../flags/flags.module';
import { RegionsModule } from '../regions/regions.module';
import { UsersModule } from '../users/users.module';

@Module({
  imports: [MailModule, AuthModule, FlagsModule, RegionsModule, UsersModule],
  controllers: [NotificationsController],
  providers: [
    NotificationPlanner,
    OutboxDispatcher,
    NotificationsService,
    NotificationSender,
    OutboxRepository,
    // CyclesModule imports this module (evaluations decide emails): its stateless repository is
    // provided here instead of a module cycle.
    CyclesRepository,
    { provide: EmailTemplates, useFactory: (config: AppConfig) => new EmailTemplates(config.appUrl), inject: [AppConfig] },
  ],
  exports: [NotificationPlanner, OutboxDispatcher, NotificationSender, EmailTemplates, OutboxRepository],
})
export class NotificationsModule {}
