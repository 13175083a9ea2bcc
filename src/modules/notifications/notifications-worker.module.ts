import { Module } from '@nestjs/common';
import { NotificationWorker } from './notification.worker';
import { NotificationsModule } from './notifications.module';

/** Imported only by processes that run the worker (APP_MODE all or worker). */
@Module({ imports: [NotificationsModule], providers: [NotificationWorker], exports: [NotificationWorker] })
export class NotificationsWorkerModule {}
