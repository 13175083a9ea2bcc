import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CyclesModule } from '../cycles/cycles.module';
import { FlagsModule } from '../flags/flags.module';
import { RetirementService } from './retirement.service';
import { AgenciesModule } from '../agencies/agencies.module';
import { Mpp, MppTenant } from './mpp.entities';
import { ClosuresRepository } from './closures.repository';
import { ClosuresService } from './closures.service';
import { MppsController } from './mpps.controller';
import { MppsRepository } from './mpps.repository';
import { MppsService } from './mpps.service';
import { RegionsModule } from '../regions/regions.module';
import { TenantsWriter } from './tenants.writer';

@Module({
  imports: [TypeOrmModule.forFeature([Mpp, MppTenant]), CyclesModule, FlagsModule, AgenciesModule, RegionsModule],
  controllers: [MppsController],
  providers: [MppsService, MppsRepository, ClosuresService, ClosuresRepository, RetirementService, TenantsWriter],
  exports: [MppsService, MppsRepository, ClosuresService, TenantsWriter],
})
export class MppsModule {}
