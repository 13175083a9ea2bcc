import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AccountsService } from './accounts.service';
import { RecipientsRepository } from './recipients.repository';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { OutboxRepository } from '../notifications/outbox.repository';
import { RegionsModule } from '../regions/regions.module';
import { MppsRepository } from '../mpps/mpps.repository';
import { UsersRepository } from './users.repository';
import { PasswordTokensRepository } from './password-tokens.repository';

@Module({
  imports: [TypeOrmModule.forFeature([User]), RegionsModule],
  controllers: [UsersController],
  // Provided here, not imported: NotificationsModule imports this module for recipients, and
  // MppsModule's chain through notifications and auth leads back here; these repositories need
  // nothing but the data source.
  providers: [
    UsersService,
    UsersRepository,
    PasswordTokensRepository,
    MppsRepository,
    AccountsService,
    RecipientsRepository,
    OutboxDispatcher,
    OutboxRepository,
  ],
  exports: [UsersService, UsersRepository, AccountsService, RecipientsRepository],
})
export class UsersModule {}
