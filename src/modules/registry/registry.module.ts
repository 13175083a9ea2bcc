import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { MppsModule } from '../mpps/mpps.module';
import { RegionsModule } from '../regions/regions.module';
import { UsersModule } from '../users/users.module';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';

@Module({
  imports: [AgenciesModule, MppsModule, RegionsModule, UsersModule],
  controllers: [RegistryController],
  providers: [RegistryService],
  exports: [RegistryService],
})
export class RegistryModule {}
