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

@Module({
  imports: [MailModule, AuthModule],
  controllers: [NotificationsController],
  providers: [
    NotificationPlanner,
    OutboxDispatcher,
    NotificationsService,
    NotificationSender,
    { provide: EmailTemplates, useFactory: (config: AppConfig) => new EmailTemplates(config.appUrl), inject: [AppConfig] },
  ],
  exports: [NotificationPlanner, OutboxDispatcher, NotificationSender, EmailTemplates],
})
export class NotificationsModule {}
