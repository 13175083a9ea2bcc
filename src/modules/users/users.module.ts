import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AccountsService } from './accounts.service';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { RegionsModule } from '../regions/regions.module';
import { MppsRepository } from '../mpps/mpps.repository';
import { UsersRepository } from './users.repository';
import { PasswordTokensRepository } from './password-tokens.repository';

@Module({
  imports: [TypeOrmModule.forFeature([User]), RegionsModule],
  controllers: [UsersController],
  // MppsModule itself cannot be imported (its chain through notifications and auth leads back
  // here); the MPP repository needs nothing but the data source, so it is provided again.
  providers: [UsersService, UsersRepository, PasswordTokensRepository, MppsRepository, AccountsService, OutboxDispatcher],
  exports: [UsersService, UsersRepository, AccountsService],
})
export class UsersModule {}
