import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AccountsService } from './accounts.service';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [UsersController],
  providers: [UsersService, AccountsService, OutboxDispatcher],
  exports: [UsersService, AccountsService],
})
export class UsersModule {}
