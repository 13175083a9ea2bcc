import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { Mpp, MppTenant } from './mpp.entities';
import { ClosuresService } from './closures.service';
import { MppsController } from './mpps.controller';
import { MppsService } from './mpps.service';

@Module({
  imports: [TypeOrmModule.forFeature([Mpp, MppTenant]), AgenciesModule],
  controllers: [MppsController],
  providers: [MppsService, ClosuresService],
  exports: [MppsService, ClosuresService],
})
export class MppsModule {}
