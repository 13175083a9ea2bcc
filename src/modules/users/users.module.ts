import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AccountsService } from './accounts.service';
import { RecipientsRepository } from './recipients.repository';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { OutboxRepository } from '../notifications/outbox.repository';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [UsersController],
  // The outbox is provided here, not imported: NotificationsModule imports this module for recipients.
  providers: [UsersService, AccountsService, RecipientsRepository, OutboxDispatcher, OutboxRepository],
  exports: [UsersService, AccountsService, RecipientsRepository],
})
export class UsersModule {}
